"""Master one chapter: join its takes, filter, normalise, limit, lay room tone, encode, verify.

The chapter is mastered in sections (see :meth:`Timeline.sections`), each encoded as an MP3 stream of
its own and joined byte for byte into the chapter file:

1. each section's takes are joined and high-passed, and its envelope noted (each 256-frame chunk's
   peak and energy: 1/128 of the audio's size); the audio goes to a scratch file on disk, so memory
   does not grow with the chapter's length;
2. the gain that brings the limited chapter's level to the target is found on the envelope (a model
   of the limiter at chunk resolution), and rounded to :data:`GAIN_STEP_DB`;
3. each section is gained, limited (exactly, sample by sample), laid over room tone and encoded;
4. the joined file is decoded and measured with the delivery meters (:func:`audiobook.check.measure_file`;
   after an edit, only the stretch around the change is decoded, the rest being the old master's,
   measured meanwhile: :mod:`.verify`): while its peak is above the limit (lower the ceiling) or its
   level is off target (correct the model's target), steps 2-3 are repeated. Only a verified master
   is renamed into place.

A section's stream depends only on its own takes and the chapter's gain, so after an edit a rebuild
takes every other section's bytes from the previous master (checked by hash) and encodes only the
sections that changed; an edit moves the chapter's rounded gain only now and then, and then every
section is encoded again. The same takes and settings give the same file, byte for byte, whatever
the previous master was.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

import numpy as np

from audiobook.check.measure import LOUDNESS_METRICS, FileMetrics
from audiobook.check.spec import Spec
from audiobook.errors import BuildError
from audiobook.mastering.chain import PeakLimiter, hold_and_smooth
from audiobook.mastering.decibels import db_to_gain
from audiobook.mastering.mp3 import FRAME, MPEG1_RATES, QUALITY, decoded_frames
from audiobook.mastering.sections import ENVELOPE_FRAMES, SectionJob, StreamJob, cached_envelope, section_envelope, section_stream
from audiobook.mastering.timeline import CueTiming, Section, Segment, Timeline
from audiobook.mastering.verify import Verification
from audiobook.tts.takes import TakeStore

MAX_ATTEMPTS = 4
ENCODER_ALLOWANCE_DB = 0.2
"""How much louder than the target the first encode aims: LAME at 192 kbps mono came back 0.26 dB
quieter on speech (0 to 0.45 dB on test tones and noise), so most masters land within the tolerance
with one encode."""
LEVEL_TOLERANCE_DB = 0.25
GAIN_STEP_DB = 0.25
"""The chapter gain is rounded to this step, so that a small edit usually leaves it, and with it
every unchanged section's stream, as it was."""
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
    sections: list[dict] = field(default_factory=list)
    """Where each section's stream lies in the file: ``{"key", "envelope", "offset", "bytes", "sha256"}``
    (``envelope``: the section key its cached envelope is filed under)."""
    sections_encoded: int = 0


def _db(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-12)))


def _section_key(segments: list[Segment], section: Section, settings: MasterSettings) -> str:
    """What a section's audio before the gain depends on: its takes, their gains and pauses, its
    silences, the rate and the high-pass (not the cue ids: renaming a cue changes no sample)."""
    described = [[s.take_key, s.gain_db, s.pause_s] for s in segments[section.first : section.stop]]
    payload = [described, section.lead, section.trail, settings.sample_rate, settings.highpass_hz]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


class _Envelope:
    """The chapter's envelope: each 256-frame chunk's peak and energy, for the gain search."""

    def __init__(self, envelopes: list[np.ndarray], frames: int):
        self.frames = frames
        self.peak = np.concatenate([envelope[0] for envelope in envelopes])
        self.energy = np.concatenate([envelope[1] for envelope in envelopes]).astype(np.float64)
        self.rms = float(np.sqrt(self.energy.sum() / max(frames, 1)))

    def modelled_rms(self, gain: float, limiter: PeakLimiter, room_tone_level: float) -> float:
        """RMS of the gained, limited chapter with room tone, estimated from the envelope."""
        reach = max(1, round(limiter.half / ENVELOPE_FRAMES))
        needed = np.minimum(1.0, limiter.ceiling / np.maximum(gain * self.peak, 1e-12))
        smoothed = hold_and_smooth(needed, reach)
        squares = gain**2 * float(np.dot(smoothed.astype(np.float64) ** 2, self.energy))
        return float(np.sqrt(squares / max(self.frames, 1) + room_tone_level**2))

    def gain_db_for(self, target_dbfs: float, limiter: PeakLimiter, room_tone_level: float) -> float:
        """The gain whose modelled RMS is ``target_dbfs`` (or as close as the ceiling allows), in dB
        rounded to :data:`GAIN_STEP_DB`."""
        low = target_dbfs - _db(self.rms) - 1.0  # below: limiting only lowers the RMS
        high = low + 40.0
        if _db(self.modelled_rms(db_to_gain(high), limiter, room_tone_level)) < target_dbfs:
            low = high - 1.0  # unreachable: as loud as the ceiling allows
        for _ in range(14):  # RMS rises with gain: bisect to 0.003 dB, far below the rounding step
            middle = (low + high) / 2
            if _db(self.modelled_rms(db_to_gain(middle), limiter, room_tone_level)) < target_dbfs:
                low = middle
            else:
                high = middle
        return round((low + high) / 2 / GAIN_STEP_DB) * GAIN_STEP_DB


_ENCODER = f"lameenc {version('lameenc')} q{QUALITY}"


def _stream_key(section_key: str, gain_db: float, ceiling: float, seed: int, settings: MasterSettings) -> str:
    """What a section's MP3 stream depends on."""
    payload = [section_key, round(gain_db, 4), ceiling, settings.room_tone_dbfs, seed, settings.bitrate_kbps, _ENCODER]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


class _Previous:
    """The streams of the master being replaced, found by key and checked by hash before reuse."""

    def __init__(self, path: Path, sections: list[dict]):
        self.path = path
        self.index = {entry["key"]: entry for entry in sections if {"key", "offset", "bytes", "sha256"} <= set(entry)}

    def stream(self, key: str) -> tuple[bytes, str] | None:
        """The stream's bytes and their SHA-256, when the old file still holds them whole."""
        entry = self.index.get(key)
        if entry is None:
            return None
        try:
            with open(self.path, "rb") as old:
                old.seek(entry["offset"])
                data = old.read(entry["bytes"])
        except OSError:
            return None
        return (data, entry["sha256"]) if hashlib.sha256(data).hexdigest() == entry["sha256"] else None


Run = Callable[[Callable, list, str], Iterable]
"""How jobs are run: ``Executor.run`` (worker processes) or, without one, one after another here."""


def _run_here(fn: Callable, jobs: list, group: str) -> Iterable:
    return map(fn, jobs)


MASTERING = "mastering"
"""The executor group of section jobs (they load no engine, so they may share any process)."""


def master_chapter(
    timeline: Timeline,
    store: TakeStore,
    out_path: Path,
    settings: MasterSettings,
    seed: int = 0,
    previous: list[dict] | None = None,
    envelopes: Path | None = None,
    run: Run | None = None,
    loudness: bool = True,
) -> MasterReport:
    """Write the chapter's MP3 to ``out_path`` (atomically) and return what was measured on it.

    ``previous`` is the section index of the master now at ``out_path`` (:attr:`MasterReport.sections`):
    its streams that are still wanted are copied instead of encoded again. ``envelopes`` is a folder
    that keeps each section's envelope by its key, so a rebuild does not join unchanged sections to
    find the chapter's gain. ``run`` (an executor's ``run``) spreads the sections over worker processes.
    Without ``loudness`` the new file is verified without the BS.1770 meter (its metrics are None)."""
    if not timeline.segments:
        raise BuildError(f"{out_path}: chapter has no takes to master")
    run = run or _run_here
    loudness = loudness or bool(LOUDNESS_METRICS & {settings.level_metric, settings.peak_metric})
    if settings.sample_rate not in MPEG1_RATES:
        raise BuildError(f"{out_path}: an MP3 master is encoded at 32000, 44100 or 48000 Hz, not {settings.sample_rate}")
    timeline.head_s, timeline.tail_s, timeline.sample_rate = settings.head_s, settings.tail_s, settings.sample_rate
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    staging = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    old = _Previous(out_path, previous or [])
    sections = timeline.sections(store)
    jobs = [
        SectionJob(
            tuple(timeline.segments[section.first : section.stop]), replace(section, first=0, stop=section.stop - section.first),
            _section_key(timeline.segments, section, settings), str(store.root), settings.sample_rate, settings.highpass_hz,
            str(out_path.parent), str(envelopes) if envelopes else None,
        )
        for section in sections
    ]  # fmt: skip
    scratch: dict[str, str] = {}
    """Section key -> its filtered audio, made by the envelope pass."""
    leftovers: list[str] = []
    frames = [decoded_frames(section.frames) // FRAME for section in sections]
    keys = [job.key for job in jobs]
    verification = Verification(out_path, previous or [], keys, frames, settings.sample_rate, settings.bitrate_kbps, loudness)
    try:
        found = {job.key: cached_envelope(job) for job in jobs}
        for key, envelope, path in run(section_envelope, [job for job in jobs if found[job.key] is None], MASTERING):
            found[key], scratch[key] = envelope, path
            leftovers.append(path)
        chapter = _Envelope([found[job.key] for job in jobs], sum(section.frames for section in sections))
        if chapter.rms <= 1e-9:
            raise BuildError(f"{out_path}: the takes are silent")
        ceiling = settings.ceiling_dbtp
        aim = settings.target_level + ENCODER_ALLOWANCE_DB + LEVEL_OFFSET_DB.get(settings.level_metric, 0.0)
        room_tone_level = db_to_gain(settings.room_tone_dbfs)
        for _attempt in range(MAX_ATTEMPTS):
            gain_db = chapter.gain_db_for(aim, PeakLimiter(ceiling, settings.sample_rate), room_tone_level)
            keys = [_stream_key(job.key, gain_db, ceiling, seed, settings) for job in jobs]
            kept = {key: data for key in keys if (data := old.stream(key)) is not None}
            wanted = {
                key: StreamJob(job, scratch.get(job.key), key, gain_db, ceiling, settings.room_tone_dbfs, seed, settings.bitrate_kbps)
                for job, key in zip(jobs, keys)
                if key not in kept
            }
            made = dict(run(section_stream, list(wanted.values()), MASTERING))
            leftovers.extend(made.values())
            index = []
            with open(staging, "wb") as out:
                for job, key in zip(jobs, keys):
                    if key in kept:
                        data, digest = kept[key]
                    else:
                        data = Path(made[key]).read_bytes()
                        digest = hashlib.sha256(data).hexdigest()
                    index.append({"key": key, "envelope": job.key, "offset": out.tell(), "bytes": len(data), "sha256": digest})
                    out.write(data)
            metrics = verification.measure(staging, index, set(kept))
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
        verification.close()
        for path in leftovers:
            Path(path).unlink(missing_ok=True)
        staging.unlink(missing_ok=True)
    return MasterReport(
        out_path, metrics.duration_s, metrics.rms_dbfs, metrics.sample_peak_dbfs, timeline.timings(store), metrics, index, len(made)
    )
