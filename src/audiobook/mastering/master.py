"""Master one chapter: join its takes, filter, normalise, limit, lay room tone, encode, verify.

Passes over the chapter (each in blocks, so memory does not grow with its length):
1. join the takes and high-pass them into a scratch file of float samples, measuring RMS;
2. apply the gain that brings RMS to the target, limit, and measure again (limiting lowers RMS);
3. apply the corrected gain, limit, add room tone and encode the MP3;
4. decode the MP3 and measure it: LAME moves peaks and levels, so while the decoded file's sample peak
   is above the limit (lower the ceiling) or its RMS is off target (adjust the gain), repeat step 3.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiobook.errors import BuildError
from audiobook.mastering.chain import HighPass, PeakLimiter, RoomTone, db_to_gain
from audiobook.mastering.ffmpeg import Mp3Encoder, decode_blocks
from audiobook.mastering.timeline import CueTiming, Timeline
from audiobook.tts.takes import TakeStore

BLOCK_FRAMES = 1 << 18
MAX_ATTEMPTS = 4
RMS_TOLERANCE_DB = 0.25


@dataclass(frozen=True)
class MasterSettings:
    """What a master aims for. Defaults meet ACX: RMS -23..-18 dB, peak <= -3 dBFS, floor <= -60 dB."""

    sample_rate: int = 44100
    target_rms_dbfs: float = -20.0
    min_rms_dbfs: float = -23.0
    max_rms_dbfs: float = -18.0
    """The accepted RMS range, when the target itself cannot be reached under the peak limit."""
    ceiling_dbtp: float = -3.5
    """Limiter ceiling on 4x-oversampled peaks, below the delivery limit to leave room for the encoder."""
    max_peak_dbfs: float = -3.0
    """Highest sample peak allowed in the decoded MP3."""
    highpass_hz: float = 80.0
    room_tone_dbfs: float = -72.0
    head_s: float = 0.8
    tail_s: float = 3.0
    bitrate_kbps: int = 192


@dataclass
class MasterReport:
    path: Path
    duration_s: float
    rms_dbfs: float
    peak_dbfs: float
    timings: list[CueTiming]


def _db(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-12)))


class _Scratch:
    """The joined, high-passed chapter in a temporary file of float32 samples."""

    def __init__(self, timeline: Timeline, store: TakeStore, settings: MasterSettings, folder: Path):
        handle, name = tempfile.mkstemp(prefix=".chapter-", suffix=".f32", dir=folder)
        os.close(handle)
        self.path = Path(name)
        highpass = HighPass(settings.highpass_hz, settings.sample_rate)
        squares = 0.0
        frames = 0
        with open(self.path, "wb") as out:
            for piece in timeline.pieces(store):
                filtered = highpass.process(piece)
                squares += float(np.dot(filtered.astype(np.float64), filtered))
                frames += len(filtered)
                out.write(filtered.astype("<f4").tobytes())
        self.frames = frames
        self.rms = np.sqrt(squares / max(frames, 1))
        self.samples = np.memmap(self.path, dtype="<f4", mode="r", shape=(frames,)) if frames else np.zeros(0, "<f4")

    def limited_blocks(self, gain: float, limiter: PeakLimiter):
        """Yield (start, block) of the gained and limited chapter."""
        context = limiter.context
        for start in range(0, self.frames, BLOCK_FRAMES):
            stop = min(self.frames, start + BLOCK_FRAMES)
            lo, hi = max(0, start - context), min(self.frames, stop + context)
            extended = np.asarray(self.samples[lo:hi], dtype=np.float32) * np.float32(gain)
            yield start, limiter.process(extended, start - lo, stop - start)

    def close(self) -> None:
        del self.samples
        self.path.unlink(missing_ok=True)


def master_chapter(timeline: Timeline, store: TakeStore, out_path: Path, settings: MasterSettings, seed: int = 0) -> MasterReport:
    """Write the chapter's MP3 to ``out_path`` (atomically) and return what was measured on it."""
    if not timeline.segments:
        raise BuildError(f"{out_path}: chapter has no takes to master")
    timeline.head_s, timeline.tail_s, timeline.sample_rate = settings.head_s, settings.tail_s, settings.sample_rate
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    scratch = _Scratch(timeline, store, settings, out_path.parent)
    try:
        if scratch.rms <= 1e-9:
            raise BuildError(f"{out_path}: the takes are silent")
        room_tone = RoomTone(settings.room_tone_dbfs, settings.sample_rate, seed)
        gain = db_to_gain(settings.target_rms_dbfs) / scratch.rms
        ceiling = settings.ceiling_dbtp
        limiter = PeakLimiter(ceiling, settings.sample_rate)
        squares = sum(float(np.dot(b.astype(np.float64), b)) for _, b in scratch.limited_blocks(gain, limiter))
        gain *= db_to_gain(settings.target_rms_dbfs) / np.sqrt(squares / scratch.frames + room_tone.level**2)
        for _attempt in range(MAX_ATTEMPTS):
            with Mp3Encoder(out_path, settings.sample_rate, 1, settings.bitrate_kbps) as encoder:
                for start, block in scratch.limited_blocks(gain, limiter):
                    encoder.write(block + room_tone.samples(start, len(block)))
            rms, peak, frames = measure_mp3(out_path)
            peak_ok = _db(peak) <= settings.max_peak_dbfs - 0.05
            rms_ok = abs(_db(rms) - settings.target_rms_dbfs) <= RMS_TOLERANCE_DB
            if peak_ok and rms_ok:
                break
            if not peak_ok:
                ceiling -= _db(peak) - settings.max_peak_dbfs + 0.3
                limiter = PeakLimiter(ceiling, settings.sample_rate)
            gain *= db_to_gain(settings.target_rms_dbfs - _db(rms))
        else:
            if not peak_ok or not settings.min_rms_dbfs <= _db(rms) <= settings.max_rms_dbfs:
                out_path.unlink(missing_ok=True)
                raise BuildError(
                    f"{out_path}: could not master to RMS {settings.target_rms_dbfs} dB with peaks under "
                    f"{settings.max_peak_dbfs} dBFS (got RMS {_db(rms):.1f} dB, peak {_db(peak):.1f} dBFS)"
                )
    finally:
        scratch.close()
    return MasterReport(out_path, frames / settings.sample_rate, _db(rms), _db(peak), timeline.timings(store))


def measure_mp3(path: Path) -> tuple[float, float, int]:
    """(RMS, sample peak, frames) of the decoded file, mono or the mean square over channels."""
    squares = 0.0
    peak = 0.0
    frames = 0
    for block in decode_blocks(path, block_s=30.0):
        squares += float(np.sum(block.astype(np.float64) ** 2)) / block.shape[1]
        peak = max(peak, float(np.max(np.abs(block))) if len(block) else 0.0)
        frames += len(block)
    return float(np.sqrt(squares / max(frames, 1))), peak, frames
