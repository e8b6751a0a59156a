"""A chapter's timeline: room tone at the head, each take followed by its pause, room tone at the tail.

The timeline knows where every cue sits before any audio is joined, which gives the cue timings, and
it streams the joined audio in blocks at the master sample rate, so memory does not grow with the
chapter's length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from math import gcd

import numpy as np
from scipy.signal import resample_poly

from audiobook.tts.takes import TakeStore

PAUSE_S = {"sentence": 0.35, "paragraph": 0.8, "scene": 2.0, "chapter": 1.5}
"""Silence after a cue, by the pause the script gives it, in seconds: sentence < paragraph < scene
break < chapter heading."""


@dataclass(frozen=True)
class Segment:
    cue_id: str
    take_key: str
    gain_db: float
    pause_s: float


@dataclass(frozen=True)
class CueTiming:
    cue_id: str
    start_s: float
    end_s: float


@dataclass
class Timeline:
    segments: list[Segment]
    head_s: float = 0.8
    tail_s: float = 3.0
    sample_rate: int = 44100
    _frames: dict[str, int] = field(default_factory=dict, repr=False)

    def take_frames(self, store: TakeStore, key: str) -> int:
        """Length of a take at the master rate, in frames (as :meth:`blocks` produces it)."""
        if key not in self._frames:
            frames, rate = store.frames(key)
            self._frames[key] = _resampled_length(frames, rate, self.sample_rate)
        return self._frames[key]

    def timings(self, store: TakeStore) -> list[CueTiming]:
        """Start and end of each cue's take in the chapter, in seconds."""
        position = round(self.head_s * self.sample_rate)
        found = []
        for segment in self.segments:
            frames = self.take_frames(store, segment.take_key)
            found.append(CueTiming(segment.cue_id, position / self.sample_rate, (position + frames) / self.sample_rate))
            position += frames + round(segment.pause_s * self.sample_rate)
        return found

    def total_frames(self, store: TakeStore) -> int:
        speech = sum(self.take_frames(store, s.take_key) + round(s.pause_s * self.sample_rate) for s in self.segments)
        pause_before_tail = round(self.segments[-1].pause_s * self.sample_rate) if self.segments else 0
        return round(self.head_s * self.sample_rate) + speech - pause_before_tail + round(self.tail_s * self.sample_rate)

    def pieces(self, store: TakeStore) -> Iterator[np.ndarray]:
        """The chapter as a sequence of mono float32 pieces: silence, take, pause, take, ..., silence."""
        yield np.zeros(round(self.head_s * self.sample_rate), dtype=np.float32)
        for index, segment in enumerate(self.segments):
            take = store.load(segment.take_key)
            samples = _resample(take.samples, take.sample_rate, self.sample_rate)
            yield (samples * np.float32(10 ** (segment.gain_db / 20))).astype(np.float32)
            if index + 1 < len(self.segments):
                yield np.zeros(round(segment.pause_s * self.sample_rate), dtype=np.float32)
        yield np.zeros(round(self.tail_s * self.sample_rate), dtype=np.float32)


def _resampled_length(frames: int, rate: int, target: int) -> int:
    if rate == target:
        return frames
    divisor = gcd(rate, target)
    up, down = target // divisor, rate // divisor
    return -(-frames * up // down)


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return samples.astype(np.float32)
    divisor = gcd(rate, target)
    return resample_poly(samples, target // divisor, rate // divisor).astype(np.float32)
