"""Master one chapter: join its takes, filter, normalise, limit, lay room tone, encode, verify.

Passes over the chapter (each in blocks, so memory does not grow with its length):
1. join the takes and high-pass them into a scratch file of float samples on disk, noting each
   256-frame chunk's peak and energy (the chapter's envelope, 1/128 of the audio's size);
2. find the gain that brings the limited chapter's RMS to the target on the envelope (a model of the
   limiter at chunk resolution: milliseconds, not a pass over the audio);
3. apply the gain, limit (exactly, sample by sample), add room tone and encode the MP3 under a
   temporary name;
4. decode the MP3 and measure it with the delivery meters (:func:`audiobook.check.measure_file`):
   LAME moves peaks and levels, so while the decoded file's peak is above the limit (lower the
   ceiling) or its level is off target (correct the model's target), repeat steps 2-3. Usually one encode is enough. Only a verified master is renamed into place.

The same takes and settings give the same file, byte for byte.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from audiobook.check.measure import FileMetrics, measure_file
from audiobook.check.spec import Spec
from audiobook.errors import BuildError
from audiobook.mastering.chain import HighPass, PeakLimiter, RoomTone
from audiobook.mastering.decibels import db_to_gain
from audiobook.mastering.ffmpeg import Mp3Encoder
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
LEVEL_TOLERANCE_DB = 0.25
LEVEL_OFFSET_DB = {"integrated_lufs": -1.0}
"""Where to start the RMS model for a loudness target: speech at -20 dB RMS reads about -19 LUFS."""


@dataclass(frozen=True)
class MasterSettings:
    """What a master aims for. Defaults are ACX's: RMS -20 dB (-23..-18), sample peak <= -3 dBFS,
    room tone under -60 dB. :meth:`from_spec` reads them from a delivery spec's limits and target."""

    sample_rate: int = 44100
    level_metric: str = "rms_dbfs"
    """What the level is measured as: ``rms_dbfs`` (ACX) or ``integrated_lufs`` (EBU R 128)."""
    target_level: float = -20.0
    min_level: float = -23.0
    max_level: float = -18.0
    """The accepted level range, when the target itself cannot be reached under the peak limit."""
    ceiling_dbtp: float = -3.5
    """Limiter ceiling on 4x-oversampled peaks, below the delivery limit to leave room for the encoder."""
    peak_metric: str = "sample_peak_dbfs"
    max_peak: float = -3.0
    """Highest peak (``peak_metric``) allowed in the decoded MP3."""
    highpass_hz: float = 80.0
    room_tone_dbfs: float = -72.0
    head_s: float = 0.8
    tail_s: float = 3.0
    bitrate_kbps: int = 192

    @classmethod
    def from_spec(cls, spec: Spec) -> MasterSettings:
        """Settings that aim at ``spec``'s target inside its limits."""
        target = spec.target
        level_metric = "integrated_lufs" if "integrated_lufs" in target else "rms_dbfs"
        level = float(target.get(level_metric, cls.target_level))
        bounds = {limit.kind: float(limit.value) for limit in spec.limits_for(level_metric) if limit.kind in ("min", "max")}
        peak_metric = next(
            (m for m in ("sample_peak_dbfs", "true_peak_dbtp") if any(l.kind == "max" for l in spec.limits_for(m))), cls.peak_metric
        )
        max_peak = next((float(l.value) for l in spec.limits_for(peak_metric) if l.kind == "max"), cls.max_peak)
        return cls(
            sample_rate=int(target.get("sample_rate", cls.sample_rate)),
            level_metric=level_metric,
            target_level=level,
            min_level=bounds.get("min", level - 3.0),
            max_level=bounds.get("max", level + 2.0),
            ceiling_dbtp=min(float(target.get("peak_ceiling_dbtp", cls.ceiling_dbtp)), max_peak - 0.5),
            peak_metric=peak_metric,
            max_peak=max_peak,
            room_tone_dbfs=float(target.get("noise_floor_dbfs", cls.room_tone_dbfs)),
            head_s=float(target.get("head_room_tone_s", cls.head_s)),
            tail_s=float(target.get("tail_room_tone_s", cls.tail_s)),
            bitrate_kbps=int(target.get("bitrate_kbps", cls.bitrate_kbps)),
        )


@dataclass
class MasterReport:
    path: Path
    duration_s: float
    rms_dbfs: float
    peak_dbfs: float
    timings: list[CueTiming]
    metrics: FileMetrics | None = None
    """Everything measured on the decoded file (None for a chapter whose cached master was reused)."""


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
        aim = settings.target_level + ENCODER_ALLOWANCE_DB + LEVEL_OFFSET_DB.get(settings.level_metric, 0.0)
        for _attempt in range(MAX_ATTEMPTS):
            limiter = PeakLimiter(ceiling, settings.sample_rate)
            gain = scratch.gain_for(aim, limiter, room_tone.level)
            with Mp3Encoder(staging, settings.sample_rate, 1, settings.bitrate_kbps) as encoder:
                for start, block in scratch.limited_blocks(gain, limiter):
                    encoder.write(block + room_tone.samples(start, len(block)))
            metrics = measure_file(staging)
            level, peak = metrics.metric(settings.level_metric), metrics.metric(settings.peak_metric)
            peak_ok = peak <= settings.max_peak - 0.05
            level_ok = abs(level - settings.target_level) <= LEVEL_TOLERANCE_DB
            if peak_ok and level_ok:
                break
            if not peak_ok:
                ceiling -= peak - settings.max_peak + 0.3
            aim += settings.target_level - level
        else:
            if not peak_ok or not settings.min_level <= level <= settings.max_level:
                raise BuildError(
                    f"{out_path}: could not master to {settings.level_metric} {settings.target_level} with "
                    f"{settings.peak_metric} under {settings.max_peak} (got {level:.1f} and {peak:.1f})"
                )
        staging.replace(out_path)
    finally:
        scratch.close()
        staging.unlink(missing_ok=True)
    return MasterReport(
        out_path, metrics.duration_s, metrics.rms_dbfs, metrics.sample_peak_dbfs, timeline.timings(store), metrics
    )

