"""The retail sample: the opening minutes of a chapter, cut at a paragraph boundary, with a fade.

ACX Audio Submission Requirements: a retail audio sample of at most five minutes (ACX asks for the
first five minutes of the book, narration rather than credits, and nothing explicit). The sample is
the chosen chapter's timeline (default: the first chapter) up to the last paragraph that ends early
enough, its last take faded out over :data:`FADE_S`, mastered by the same chain as the chapters, so
it has the same head and tail room tone and levels.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from audiobook.errors import BuildError
from audiobook.mastering.timeline import CueTiming, Segment, Timeline
from audiobook.tts.engine import Audio
from audiobook.tts.takes import TakeStore

SAMPLE_MAX_S = 300.0
"""ACX: "a retail audio sample that is between one and five minutes long"."""
SAMPLE_MARGIN_S = 5.0
"""Kept below the limit, for the encoder's padding and rounding."""
FADE_S = 1.0
"""Length of the fade-out over the end of the sample's last take, in seconds."""
SILENT = 0.01
"""A take's speech ends at its last sample above this fraction of its peak (-40 dB)."""


def sample_cut(timings: Sequence[CueTiming], can_end: Sequence[bool], tail_s: float, max_s: float = SAMPLE_MAX_S) -> int:
    """How many cues the sample keeps: up to the last paragraph end at which, with the tail's room
    tone, the sample stays within ``max_s`` seconds (less :data:`SAMPLE_MARGIN_S`). Falls back to
    a sentence boundary when the first paragraph alone is too long; BuildError if the first cue is."""
    limit = max_s - SAMPLE_MARGIN_S - tail_s
    fitting = [i for i, timing in enumerate(timings) if timing.end_s <= limit]
    if not fitting:
        raise BuildError(f"the sample's first cue alone runs past {max_s:.0f} seconds")
    paragraphs = [i for i in fitting if can_end[i]]
    return (paragraphs or fitting)[-1] + 1


def faded_take(store: TakeStore, key: str, fade_s: float = FADE_S) -> str:
    """Store a copy of take ``key`` whose speech fades out over its last ``fade_s`` seconds; return its key.

    The copy is addressed by a hash of the original key and the fade, so it is made once.
    """
    derived = hashlib.sha256(f"fade-out {fade_s:.3f} s of {key}".encode()).hexdigest()
    if store.is_valid(derived):
        return derived
    take = store.load(key)
    samples = np.array(take.samples, dtype=np.float32)
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    loud = np.flatnonzero(np.abs(samples) > peak * SILENT)
    end = int(loud[-1]) + 1 if len(loud) else len(samples)
    frames = min(end, max(1, round(fade_s * take.sample_rate)))
    ramp = 0.5 * (1.0 + np.cos(np.linspace(0.0, np.pi, frames, dtype=np.float64)))
    samples[end - frames : end] *= ramp.astype(np.float32)
    samples[end:] = 0.0
    store.save(derived, Audio(samples, take.sample_rate))
    return derived


def sample_timeline(timeline: Timeline, can_end: Sequence[bool], store: TakeStore, max_s: float = SAMPLE_MAX_S) -> Timeline:
    """The sample's timeline: ``timeline`` cut by :func:`sample_cut`, its last take faded."""
    keep = sample_cut(timeline.timings(store), can_end, timeline.tail_s, max_s)
    segments = list(timeline.segments[:keep])
    last = segments[-1]
    segments[-1] = Segment(last.cue_id, faded_take(store, last.take_key), last.gain_db, last.pause_s)
    return Timeline(segments, timeline.head_s, timeline.tail_s, timeline.sample_rate)
