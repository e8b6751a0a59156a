"""Verify a re-mastered chapter while its changed sections are still being encoded.

Every master is decoded and measured before it replaces the old one (see :mod:`.master`). After an
edit, most of the new master's MP3 streams are copied byte for byte from the old master, and a
stretch of frames decodes to samples that depend only on its own bytes and the priming frames before
it (:func:`~audiobook.mastering.mp3.priming_frames`). So the copied stretches at the head and tail of
the chapter decode in the new file to exactly the samples they decode to in the old one, only (at the
tail) at another position. :class:`Verification` starts decoding and metering those
stretches of the old file as soon as the chapter's mastering starts, on other cores while the
changed sections are joined, filtered and encoded, and afterwards decodes only the stretch of the new
file around the changed streams, folding the three meters in order (see
:meth:`audiobook.mastering.acx.AcxMeter.extend`).

The head and tail are a guess made before the chapter's gain is known: that each unchanged section
keeps its old stream. When the gain moves (every stream is encoded again), or a guessed stream was
not copied from the old file after all, the guess is dropped and the new file is measured whole;
either way the figures are those of the new file.
"""

from __future__ import annotations

import math
import mmap
import threading
from bisect import bisect_left
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from audiobook.check.measure import FileMetrics, Stretch, fold, measure_file, meter_stretch, metrics_from
from audiobook.errors import InputError
from audiobook.mastering.acx import FRAMES_PER_SECOND, AcxMeter
from audiobook.mastering.ffmpeg import StreamInfo
from audiobook.mastering.mp3 import FRAME, priming_frames, skip_frames

MAX_CHANGED_SHARE = 0.5
"""Guess no head and tail when the changed stretch is more than this share of the chapter."""


@dataclass(frozen=True)
class _Guess:
    stretches: dict[str, Stretch]
    """The "head" and "tail" stretches of the old file (either may be missing)."""
    streams: dict[int, str]
    """Section number -> the key of the old master's stream the head or tail stretch reads in its place."""
    middle: tuple[int, int]
    """The new file's frames between the head and the tail: [first, stop)."""


class Verification:
    """Measures a new chapter master, reusing the old master's head and tail when the new one copies them.

    ``previous`` is the old master's section index (:attr:`MasterReport.sections`), ``section_keys``
    and ``frames`` the new master's sections (their keys, and the MP3 frames each decodes to). Use
    :meth:`measure` once the new file is written, and :meth:`close` in any case."""

    def __init__(self, old_path: Path, previous: list[dict], section_keys: list[str], frames: list[int],
                 sample_rate: int, bitrate_kbps: int, loudness: bool):  # fmt: skip
        self.info = StreamInfo("mp3", sample_rate, 1, 0.0, None)
        self.priming = priming_frames(bitrate_kbps, sample_rate)
        self.loudness = loudness
        self._stop = threading.Event()
        self._pool: ThreadPoolExecutor | None = None
        self._futures: dict[str, Future] = {}
        self._starts = [0, *accumulate(frames)]
        self._guess = None if loudness else _guess(Path(old_path), previous, section_keys, self._starts, sample_rate, self.priming)
        if self._guess is not None and self._guess.stretches:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="audiobook-verify")  # one decoder at a time
            self._futures = {
                name: self._pool.submit(meter_stretch, Path(old_path), self.info, stretch, self._stop)
                for name, stretch in self._guess.stretches.items()
            }

    def measure(self, staging: Path, index: list[dict], copied: set[str]) -> FileMetrics:
        """The metrics of the new file at ``staging``, whose streams are ``index`` (as the old
        master's), ``copied`` the stream keys taken from the old file."""
        guess, self._guess = self._guess, None  # one use: a second attempt re-encodes every stream
        if guess is None or not all(index[number]["key"] == key and key in copied for number, key in guess.streams.items()):
            self.close()
            return measure_file(staging, self.loudness)
        first, stop = guess.middle
        sample_rate = self.info.sample_rate
        lead = min(first, self.priming)
        offsets = [entry["offset"] for entry in index]
        with staging.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            first_byte, end_byte = (_byte_before(data, offsets, self._starts, frame) for frame in (first - lead, stop))
        middle = Stretch(first_byte, end_byte, lead * FRAME, first * FRAME * FRAMES_PER_SECOND // sample_rate, (stop - first) * FRAME)
        meters = [meter_stretch(staging, self.info, middle, self._stop)]
        if "head" in self._futures:
            meters.insert(0, _meter_or_none(self._futures["head"]))
        if "tail" in self._futures:
            meters.append(_meter_or_none(self._futures["tail"]))
        self.close()
        room = fold(meters)
        if room is None:
            return measure_file(staging, self.loudness)
        return metrics_from(staging, self.info, room)

    def close(self) -> None:
        """Stop the old file's decoders (if still running) and wait for their threads."""
        self._stop.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures = {}


def _byte_before(data, offsets: list[int | None], starts: list[int], frame: int) -> int:
    """Where ``frame`` starts in ``data``, a file whose section ``i`` starts at frame ``starts[i]`` and
    byte ``offsets[i]``: the frames before it are walked from the start of the section of the frame
    before it (``frame`` may be the frame after the last)."""
    if frame == 0:
        return 0
    section = bisect_left(starts, frame) - 1
    return skip_frames(data, offsets[section], frame - starts[section])


def _meter_or_none(future: Future) -> AcxMeter | None:
    """The old file's stretch as metered, or None when it could not be decoded (the new file is then
    measured whole: the old file's trouble is not the new one's)."""
    try:
        return future.result()
    except InputError:
        return None


def _guess(old_path: Path, previous: list[dict], keys: list[str], starts: list[int], sample_rate: int,
           priming: int) -> _Guess | None:  # fmt: skip
    """The old file's head and tail stretches that the new file will hold unchanged if every section
    whose key is unchanged keeps its stream, or None when there is nothing worth guessing."""
    old = [entry for entry in previous if {"key", "envelope", "offset", "bytes"} <= set(entry)]
    if len(old) != len(previous) or not old or not old_path.is_file():
        return None
    old_end = old[-1]["offset"] + old[-1]["bytes"]
    if old_path.stat().st_size != old_end:
        return None  # not the file the index describes
    count, total = len(keys), starts[-1]
    head = 0
    while head < min(count, len(old)) and old[head]["envelope"] == keys[head]:
        head += 1
    tail = 0
    while tail < min(count, len(old)) - head and old[-1 - tail]["envelope"] == keys[-1 - tail]:
        tail += 1
    if head + tail >= count:
        return None  # no section changed: the master is made again for another reason (its settings)
    unit = math.lcm(FRAME, sample_rate // 10) // FRAME  # frames from one 0.1 s hop boundary on a frame boundary to the next
    first = starts[head] // unit * unit
    stop = min(total, -(-(starts[count - tail] + priming + 1) // unit) * unit)  # its priming inside the tail
    if stop - first > MAX_CHANGED_SHARE * total:
        return None
    guessed = {number: old[number] for number in range(head)}  # new section -> its stream in the old file
    guessed.update({number: old[len(old) - count + number] for number in range(count - tail, count)})
    offsets = [guessed[number]["offset"] if number in guessed else None for number in range(count)]
    stretches = {}
    with old_path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        try:
            if first > 0:
                stretches["head"] = Stretch(0, _byte_before(data, offsets, starts, first), 0, 0, first * FRAME)
            if stop < total:
                first_byte = _byte_before(data, offsets, starts, stop - priming)
                start_frame = stop * FRAME * FRAMES_PER_SECOND // sample_rate
                stretches["tail"] = Stretch(first_byte, old_end, priming * FRAME, start_frame, (total - stop) * FRAME)
        except ValueError:
            return None  # the old file is not the run of frames its index says
    read = set(range(bisect_left(starts, first))) if first > 0 else set()  # the sections the stretches read
    read |= set(range(bisect_left(starts, stop - priming) - 1, count)) if stop < total else set()
    streams = {number: guessed[number]["key"] for number in read}
    return _Guess(stretches, streams, (first, stop))
