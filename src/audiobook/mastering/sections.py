"""Section jobs: the work of mastering one section, as pure data and worker functions.

A chapter master is built from sections (see :meth:`audiobook.mastering.timeline.Timeline.sections`).
Each section is joined and filtered once (:func:`section_envelope`, which also notes its envelope), and
gained, limited, laid on room tone and encoded as an MP3 stream of its own (:func:`section_stream`).
The jobs carry everything they need, so any worker process can run them (through an executor's
``run``), and this module imports no more than that work needs: a worker starts quickly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from audiobook.atomic import atomic_path
from audiobook.errors import BuildError
from audiobook.mastering.chain import HighPass, PeakLimiter, RoomTone
from audiobook.mastering.decibels import db_to_gain
from audiobook.mastering.mp3 import FRAME, LameStream, count_frames, decoded_frames
from audiobook.mastering.timeline import Section, Segment, Timeline
from audiobook.tts.takes import TakeStore

ENVELOPE_FRAMES = 256
"""Frames per envelope chunk (5.8 ms at 44.1 kHz)."""
BLOCK_FRAMES = 1 << 18
"""Frames limited and encoded at a time (about 6 s at 44.1 kHz)."""


@dataclass(frozen=True)
class SectionJob:
    """One section to join and filter: pure data, so any worker process can do it."""

    segments: tuple[Segment, ...]
    section: Section
    key: str
    """The section key: everything its audio before the gain depends on."""
    store_root: str
    sample_rate: int
    highpass_hz: float
    folder: str
    """Where the worker leaves its scratch file (the master's folder)."""
    envelopes: str | None


@dataclass(frozen=True)
class StreamJob:
    """One section to gain, limit, lay on room tone and encode."""

    source: SectionJob
    scratch: str | None
    """The section's filtered audio, when this build made it already."""
    stream_key: str
    gain_db: float
    ceiling_dbtp: float
    room_tone_dbfs: float
    seed: int
    bitrate_kbps: int


def _filtered(job: SectionJob) -> np.ndarray:
    """The section's takes and pauses joined and high-passed."""
    timeline = Timeline(list(job.segments), sample_rate=job.sample_rate)
    samples = timeline.section_audio(TakeStore(Path(job.store_root)), job.section)
    return HighPass(job.highpass_hz, job.sample_rate).process(samples)


def _envelope_path(job: SectionJob) -> Path | None:
    return Path(job.envelopes) / f"{job.key}.npy" if job.envelopes else None


def cached_envelope(job: SectionJob) -> np.ndarray | None:
    """The section's envelope (peak and energy rows, float32) from the envelope folder, if it is there whole."""
    path = _envelope_path(job)
    if path is None or not path.exists():
        return None
    try:
        stored = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None  # damaged: measured again
    expected = (2, -(-job.section.frames // ENVELOPE_FRAMES))
    return stored if stored.dtype == np.float32 and stored.shape == expected else None


def section_envelope(job: SectionJob) -> tuple[str, np.ndarray, str]:
    """Worker function: join and filter a section into a scratch file and note its envelope (kept in
    the envelope folder too). Returns (section key, envelope, scratch path)."""
    samples = _filtered(job)
    scratch = Path(job.folder) / f".section-{job.key[:16]}.{os.getpid()}.part"
    samples.astype("<f4").tofile(scratch)
    envelope = np.stack(envelope_of(samples))
    path = _envelope_path(job)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp, open(tmp, "wb") as out:
            np.save(out, envelope)
    return job.key, envelope, str(scratch)


@lru_cache(maxsize=4)
def _room_tone(level_dbfs: float, sample_rate: int, seed: int) -> RoomTone:
    return RoomTone(level_dbfs, sample_rate, seed)


def section_stream(job: StreamJob) -> tuple[str, str]:
    """Worker function: the section's MP3 stream, written to a scratch file. Returns (stream key, path)."""
    source = job.source
    if job.scratch and Path(job.scratch).exists():
        samples = np.fromfile(job.scratch, dtype="<f4")
    else:
        samples = _filtered(source)
    limiter = PeakLimiter(job.ceiling_dbtp, source.sample_rate)
    gain = np.float32(db_to_gain(job.gain_db))
    room_tone = _room_tone(job.room_tone_dbfs, source.sample_rate, job.seed)
    offset = int(source.key[:8], 16) % (RoomTone.CHUNK * RoomTone.POOL)  # the section's own stretch of the pool
    stream = LameStream(source.sample_rate, 1, job.bitrate_kbps, out_rate=source.sample_rate)
    parts = []
    for start in range(0, len(samples), BLOCK_FRAMES):  # in blocks with the limiter's context: the same samples, less memory
        stop = min(len(samples), start + BLOCK_FRAMES)
        lo, hi = max(0, start - limiter.context), min(len(samples), stop + limiter.context)
        limited = limiter.process(samples[lo:hi] * gain, start - lo, stop - start)
        parts.append(stream.encode(limited + room_tone.samples(offset + start, stop - start)))
    data = b"".join(parts) + stream.flush()
    if (count_frames(data) or 0) * FRAME != decoded_frames(source.section.frames):
        raise BuildError(f"{source.folder}: the MP3 encoder did not give the stream length the timeline expects")
    path = Path(source.folder) / f".stream-{job.stream_key[:16]}.{os.getpid()}.part"
    path.write_bytes(data)
    return job.stream_key, str(path)


def envelope_of(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each :data:`ENVELOPE_FRAMES` chunk's sample peak and sum of squares (as float32, also when
    computed afresh, so a cached envelope gives the same gain)."""
    pad = -len(samples) % ENVELOPE_FRAMES
    chunks = np.pad(samples, (0, pad)).reshape(-1, ENVELOPE_FRAMES)
    return np.abs(chunks).max(axis=1).astype(np.float32), np.einsum("ij,ij->i", chunks, chunks, dtype=np.float64).astype(np.float32)
