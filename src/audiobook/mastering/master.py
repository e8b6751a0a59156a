"""Master one chapter: join its takes, filter, normalise, limit, lay room tone, encode, verify.

Passes over the chapter (each in blocks, so memory does not grow with its length):
1. join the takes and high-pass them into a scratch file of float samples on disk, noting each
   256-frame chunk's peak and energy (the chapter's envelope, 1/128 of the audio's size);
2. find the gain that brings the limited chapter's RMS to the target on the envelope (a model of the
   limiter at chunk resolution: milliseconds, not a pass over the audio);
3. apply the gain, limit (exactly, sample by sample), add room tone and encode the MP3 under a
   temporary name;
4. decode the MP3 and measure it: LAME moves peaks and levels, so while the decoded file's sample peak
   is above the limit (lower the ceiling) or its RMS is off target (correct the model's target),
   repeat steps 2-3. Usually one encode is enough. Only a verified master is renamed into place.

The same takes and settings give the same file, byte for byte.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from audiobook.errors import BuildError
from audiobook.mastering.chain import HighPass, PeakLimiter, RoomTone, db_to_gain
from audiobook.mastering.ffmpeg import Mp3Encoder, decode_blocks
from audiobook.mastering.timeline import CueTiming, Timeline
from audiobook.tts.takes import TakeStore

BLOCK_FRAMES = 1 << 18
ENVELOPE_FRAMES = 256
"""Frames per envelope chunk (5.8 ms at 44.1 kHz)."""
MAX_ATTEMPTS = 4
ENCODER_ALLOWANCE_DB = 0.2
"""How much louder than the target the first encode aims: LAME at 192 kbps mono came back 0.26 dB
quieter on speech (0 to 0.45 dB on test tones and noise), so most masters land within the tolerance
with one encode."""
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
    """The joined, high-passed chapter in a temporary file of float32 samples, and its envelope."""

    def __init__(self, timeline: Timeline, store: TakeStore, settings: MasterSettings, folder: Path):
        handle, name = tempfile.mkstemp(prefix=".chapter-", suffix=f".{os.getpid()}.part", dir=folder)
        os.close(handle)
        self.path = Path(name)
        highpass = HighPass(settings.highpass_hz, settings.sample_rate)
        peaks: list[np.ndarray] = []
        energies: list[np.ndarray] = []
        carry = np.zeros(0, dtype=np.float32)
        frames = 0
        with open(self.path, "wb") as out:
            for piece in timeline.pieces(store):
                filtered = highpass.process(piece)
                frames += len(filtered)
                out.write(filtered.astype("<f4").tobytes())
                carry = np.concatenate([carry, filtered])
                whole = len(carry) - len(carry) % ENVELOPE_FRAMES
                if whole:
                    self._note(carry[:whole], peaks, energies)
                    carry = carry[whole:]
        if len(carry):
            self._note(carry, peaks, energies)
        self.frames = frames
        self.peak = np.concatenate(peaks) if peaks else np.zeros(0, np.float32)
        """Sample peak of each envelope chunk."""
        self.energy = np.concatenate(energies) if energies else np.zeros(0)
        """Sum of squares of each envelope chunk."""
        self.rms = float(np.sqrt(self.energy.sum() / max(frames, 1)))
        self.samples = np.memmap(self.path, dtype="<f4", mode="r", shape=(frames,)) if frames else np.zeros(0, "<f4")

    @staticmethod
    def _note(samples: np.ndarray, peaks: list[np.ndarray], energies: list[np.ndarray]) -> None:
        pad = -len(samples) % ENVELOPE_FRAMES
        chunks = np.pad(samples, (0, pad)).reshape(-1, ENVELOPE_FRAMES)
        peaks.append(np.abs(chunks).max(axis=1))
        energies.append(np.einsum("ij,ij->i", chunks.astype(np.float64), chunks.astype(np.float64)))

    def modelled_rms(self, gain: float, limiter: PeakLimiter, room_tone_level: float) -> float:
        """RMS of the gained, limited chapter with room tone, estimated from the envelope."""
        reach = max(1, round(limiter.half / ENVELOPE_FRAMES))
        needed = np.minimum(1.0, limiter.ceiling / np.maximum(gain * self.peak, 1e-12))
        held = minimum_filter1d(needed, size=2 * reach + 1, mode="nearest")
        smoothed = np.minimum(uniform_filter1d(held, size=2 * reach + 1, mode="nearest"), needed)
        squares = gain**2 * float(np.dot(smoothed.astype(np.float64) ** 2, self.energy))
        return float(np.sqrt(squares / max(self.frames, 1) + room_tone_level**2))

    def gain_for(self, target_dbfs: float, limiter: PeakLimiter, room_tone_level: float) -> float:
        """The gain whose modelled RMS is ``target_dbfs`` (or as close as the ceiling allows)."""
        low = target_dbfs - _db(self.rms) - 1.0  # below: limiting only lowers the RMS
        high = low + 40.0
        if _db(self.modelled_rms(db_to_gain(high), limiter, room_tone_level)) < target_dbfs:
            low = high - 1.0  # unreachable: as loud as the ceiling allows
        for _ in range(20):  # RMS rises with gain: bisect to 4e-5 dB
            middle = (low + high) / 2
            if _db(self.modelled_rms(db_to_gain(middle), limiter, room_tone_level)) < target_dbfs:
                low = middle
            else:
                high = middle
        return db_to_gain((low + high) / 2)

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
    staging = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    scratch = _Scratch(timeline, store, settings, out_path.parent)
    try:
        if scratch.rms <= 1e-9:
            raise BuildError(f"{out_path}: the takes are silent")
        room_tone = RoomTone(settings.room_tone_dbfs, settings.sample_rate, seed)
        ceiling = settings.ceiling_dbtp
        aim = settings.target_rms_dbfs + ENCODER_ALLOWANCE_DB
        for _attempt in range(MAX_ATTEMPTS):
            limiter = PeakLimiter(ceiling, settings.sample_rate)
            gain = scratch.gain_for(aim, limiter, room_tone.level)
            with Mp3Encoder(staging, settings.sample_rate, 1, settings.bitrate_kbps) as encoder:
                for start, block in scratch.limited_blocks(gain, limiter):
                    encoder.write(block + room_tone.samples(start, len(block)))
            rms, peak, frames = measure_mp3(staging)
            peak_ok = _db(peak) <= settings.max_peak_dbfs - 0.05
            rms_ok = abs(_db(rms) - settings.target_rms_dbfs) <= RMS_TOLERANCE_DB
            if peak_ok and rms_ok:
                break
            if not peak_ok:
                ceiling -= _db(peak) - settings.max_peak_dbfs + 0.3
            aim += settings.target_rms_dbfs - _db(rms)
        else:
            if not peak_ok or not settings.min_rms_dbfs <= _db(rms) <= settings.max_rms_dbfs:
                raise BuildError(
                    f"{out_path}: could not master to RMS {settings.target_rms_dbfs} dB with peaks under "
                    f"{settings.max_peak_dbfs} dBFS (got RMS {_db(rms):.1f} dB, peak {_db(peak):.1f} dBFS)"
                )
        staging.replace(out_path)
    finally:
        scratch.close()
        staging.unlink(missing_ok=True)
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
