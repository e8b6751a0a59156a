"""A chapter's timeline: room tone at the head, each take followed by its pause, room tone at the tail.

The timeline knows where every cue sits before any audio is joined, which gives the cue timings. It
also cuts the chapter into sections, each encoded as an MP3 stream of its own (see
:mod:`audiobook.mastering.mp3`), so that a rebuild after an edit encodes again only the sections whose
takes changed. A section ends in the middle of a pause after a paragraph, where the take's key says so
(about one paragraph end in :data:`SECTION_SPREAD`; a boundary chosen by content, so an edit moves no
boundary but its own), or at any pause once the section is :data:`SECTION_MAX_S` long. The timings
count each stream's delay and padding, so they are the timings of the encoded file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import gcd
from zlib import crc32

import numpy as np
import soxr

from audiobook.mastering.mp3 import FRAME, STREAM_DELAY, decoded_frames
from audiobook.tts.takes import TakeStore

PAUSE_S = {"sentence": 0.35, "paragraph": 0.8, "scene": 2.0, "chapter": 1.5}
"""Silence after a cue, by the pause the script gives it, in seconds: sentence < paragraph < scene
break < chapter heading."""
SECTION_SPREAD = 4
"""About one paragraph end in this many closes a section (chosen by the take's key)."""
SECTION_MAX_S = 60.0
"""A section longer than this ends at its next pause of any kind (memory per section is bounded)."""


@dataclass(frozen=True)
class Segment:
    cue_id: str
    take_key: str
    gain_db: float
    pause_s: float


@dataclass(frozen=True)
class Section:
    """Segments ``first`` to ``stop - 1`` of a timeline, encoded as one stream."""

    first: int
    stop: int
    lead: int
    """Frames of silence before the first take: the chapter's head, or the rest of the pause that
    ends the section before (less the stream delay, which the decoder supplies as silence)."""
    trail: int
    """Frames of silence after the last take: half of its pause, or the chapter's tail."""
    frames: int
    """Frames fed to the encoder: lead, takes, pauses between them, trail."""
    start: int
    """Where its decoded stream starts in the chapter file, in frames."""


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

    def sections(self, store: TakeStore) -> list[Section]:
        """The chapter cut into independently encoded sections (see the module's description)."""
        rate, limit = self.sample_rate, round(SECTION_MAX_S * self.sample_rate)
        found: list[Section] = []
        first, lead, length, start = 0, round(self.head_s * rate), 0, 0
        for index, segment in enumerate(self.segments):
            length += self.take_frames(store, segment.take_key)
            pause = round(segment.pause_s * rate)
            if index + 1 == len(self.segments):
                trail = round(self.tail_s * rate)
            elif pause >= 2 * STREAM_DELAY + FRAME and (
                (segment.pause_s >= PAUSE_S["paragraph"] and crc32(segment.take_key.encode()) % SECTION_SPREAD == 0)
                or length >= limit
            ):
                trail = pause // 2
            else:
                length += pause
                continue
            frames = lead + length + trail
            found.append(Section(first, index + 1, lead, trail, frames, start))
            start += decoded_frames(frames)
            first, lead, length = index + 1, pause - trail - STREAM_DELAY, 0
        return found

    def timings(self, store: TakeStore) -> list[CueTiming]:
        """Start and end of each cue's take in the encoded chapter, in seconds."""
        found = []
        for section in self.sections(store):
            position = section.start + STREAM_DELAY + section.lead
            for segment in self.segments[section.first : section.stop]:
                frames = self.take_frames(store, segment.take_key)
                found.append(CueTiming(segment.cue_id, position / self.sample_rate, (position + frames) / self.sample_rate))
                position += frames + round(segment.pause_s * self.sample_rate)
        return found

    def total_frames(self, store: TakeStore) -> int:
        """Length of the encoded chapter, in frames."""
        last = self.sections(store)[-1] if self.segments else None
        return last.start + decoded_frames(last.frames) if last else 0

    def section_audio(self, store: TakeStore, section: Section) -> np.ndarray:
        """A section's joined takes and pauses at the master rate (mono float32), before any processing."""
        out = np.zeros(section.frames, dtype=np.float32)
        position = section.lead
        for segment in self.segments[section.first : section.stop]:
            take = store.load(segment.take_key)
            samples = _resample(take.samples, take.sample_rate, self.sample_rate)
            out[position : position + len(samples)] = samples * np.float32(10 ** (segment.gain_db / 20))
            position += len(samples) + round(segment.pause_s * self.sample_rate)
        return out


def _resampled_length(frames: int, rate: int, target: int) -> int:
    if rate == target:
        return frames
    divisor = gcd(rate, target)
    up, down = target // divisor, rate // divisor
    return -(-frames * up // down)


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """``samples`` at the master rate (libsoxr, high quality), exactly :func:`_resampled_length` long."""
    if rate == target:
        return samples.astype(np.float32)
    resampled = soxr.resample(np.asarray(samples, dtype=np.float32), rate, target, quality="HQ")
    length = _resampled_length(len(samples), rate, target)
    return np.pad(resampled[:length], (0, max(0, length - len(resampled)))).astype(np.float32)
