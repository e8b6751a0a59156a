"""ACX's measurements (the ones ACX Check reports), fed block by block.

Definitions (levels in dB relative to full scale, where a full-scale square wave is 0 dB and a
full-scale sine is -3.01 dB; no weighting of any kind):

- RMS: sqrt of the mean square over the whole file; for several channels the square root of the
  mean of the channels' mean squares (which is the mean square of all samples). ACX: -23 to -18 dB.
- sample peak: the largest |sample| on any channel (not the true peak). ACX: at most -3 dB.
- noise floor: the RMS of the quietest 0.4 s window, windows starting every 0.1 s, only complete
  windows (a file shorter than 0.4 s has none and reads ``None``). Digital silence reads -inf, which
  ACX flags: a chapter must carry room tone, not zeros. ACX: at most -60 dB.
- head / tail room tone (s): the stretch before the first and after the last 10 ms frame whose RMS
  exceeds the room-tone threshold. The threshold is 30 dB below the speech level, and the speech level
  is the 95th percentile of the 10 ms frame levels (the level the loud syllables reach). Why relative:
  an absolute threshold would call a quiet narrator's soft passages room tone, or a noisy room's tone
  speech; 30 dB under the loud syllables sits above any room tone that passes ACX (speech at -20 dB
  RMS puts its loud frames near -14 dB and the threshold near -44 dB, 16 dB over the -60 dB floor
  limit) and below the onset of a word. A file with no frame above the threshold (all digital
  silence) is room tone end to end. ACX asks for 0.5-1 s at the head and 1-5 s at the tail.
- duration (s): samples per channel / sample rate.

Memory does not grow with the file: the sums run as the blocks come, and the room-tone statistics
keep a histogram of frame levels (0.1 dB steps) and two staircases of record levels (for the first
frame and the last frame above any threshold), each at most as long as the histogram.

A file can be measured in stretches at once (on several cores): a meter may start at any 0.1 s hop
boundary (``start_frame``), and :meth:`AcxMeter.extend` folds in the meter of the stretch that
follows, giving what one meter reading the whole file would have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from audiobook.mastering.decibels import to_db
from audiobook.mastering.frames import as_frames

FRAMES_PER_SECOND = 100  # 10 ms room-tone frames
FRAMES_PER_HOP = 10  # 0.1 s noise-floor hop
HOPS_PER_WINDOW = 4  # 0.4 s noise-floor window
SPEECH_PERCENTILE = 95.0
ROOM_TONE_BELOW_SPEECH_DB = 30.0
LEVEL_STEP_DB = 0.1  # resolution of the room-tone level histogram
_LOWEST_CODE = -2000  # -200 dB: anything quieter, digital silence included, lands here
_HIGHEST_CODE = 600  # +60 dB: float files can exceed full scale
PEAK_SERIES_POINTS = 2000


@dataclass(eq=False)
class AcxResult:
    """ACX's numbers for one file. dB values are dBFS (see the module docs); -inf means silence."""

    rms_dbfs: float
    sample_peak_dbfs: float
    noise_floor_dbfs: float | None  # None: shorter than one 0.4 s window
    head_room_tone_s: float
    tail_room_tone_s: float
    duration_s: float
    speech_level_dbfs: float  # the 95th-percentile 10 ms frame level the room-tone threshold hangs on
    peak_series: tuple[np.ndarray, np.ndarray] = field(repr=False)  # (start s, sample peak dBFS) per 0.1 s


class AcxMeter:
    """ACX Check's measurements of float blocks shaped (frames, channels); ``sample_rate`` in Hz."""

    def __init__(self, sample_rate: int, channels: int, start_frame: int = 0):
        """``start_frame``: the 10 ms frame of the file the first block starts at, a multiple of
        :data:`FRAMES_PER_HOP` (see :meth:`extend`)."""
        if sample_rate <= 0 or channels <= 0:
            raise ValueError(f"bad stream: {sample_rate} Hz, {channels} channels")
        if start_frame % FRAMES_PER_HOP:
            raise ValueError(f"a meter starts on a 0.1 s hop boundary, not at 10 ms frame {start_frame}")
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.start_frame = int(start_frame)
        self._done = self.start_frame  # complete 10 ms frames (counted from the file's start)
        self._frames = int(self._boundary(self._done))  # samples per channel, from the file's start
        self._partial = 0.0  # sum of squares in the incomplete frame
        self._partial_peak = 0.0
        self._sum_squares = 0.0
        self._peak = 0.0
        self._hop_carry = np.zeros(0)  # sums of squares of the frames of the incomplete 0.1 s hop
        self._hop_peak_carry = np.zeros(0)  # and their peaks
        self._window_carry = np.zeros(0)  # sums of squares of the last HOPS_PER_WINDOW - 1 hops
        self._window_head = np.zeros(0)  # and of the first ones (for the windows across an :meth:`extend`)
        self._min_window = math.inf
        self._histogram = np.zeros(_HIGHEST_CODE - _LOWEST_CODE + 1, dtype=np.int64)
        self._head: list[tuple[int, int]] = []  # (level code, frame): each louder than all before it
        self._tail: list[tuple[int, int]] = []  # (level code, frame): each louder than all after it
        self._hop_peaks: list[np.ndarray] = []

    def _boundary(self, k: np.ndarray | int) -> np.ndarray | int:
        """First sample of 10 ms frame k (rounded to the nearest sample)."""
        return (k * self.sample_rate + FRAMES_PER_SECOND // 2) // FRAMES_PER_SECOND

    def add(self, block: np.ndarray) -> None:
        """Measure the next ``block`` of float samples, shaped (frames, channels) or (frames,) for mono."""
        samples = as_frames(block, self.channels)
        if len(samples) == 0:
            return
        squares = np.einsum("ij,ij->i", samples, samples) if self.channels > 1 else np.square(samples[:, 0])
        magnitude = np.abs(samples).max(axis=1) if self.channels > 1 else np.abs(samples[:, 0])
        start, end = self._frames, self._frames + len(samples)
        last = (FRAMES_PER_SECOND * (end + 1) - FRAMES_PER_SECOND // 2 - 1) // self.sample_rate
        ks = np.arange(self._done + 1, last + 1)
        self._frames = end
        if len(ks) == 0:
            self._partial += float(squares.sum(dtype=np.float64))
            self._partial_peak = max(self._partial_peak, float(magnitude.max()))
            return
        cuts = self._boundary(ks) - start
        starts = np.concatenate([[0], cuts[:-1]])
        sums = np.add.reduceat(squares, starts).astype(np.float64)
        sums[-1] = float(squares[starts[-1] : cuts[-1]].sum(dtype=np.float64))
        sums[0] += self._partial
        peaks = np.maximum.reduceat(magnitude, starts).astype(np.float64)
        peaks[-1] = float(magnitude[starts[-1] : cuts[-1]].max())
        peaks[0] = max(peaks[0], self._partial_peak)
        self._partial = float(squares[cuts[-1] :].sum(dtype=np.float64))
        self._partial_peak = float(magnitude[cuts[-1] :].max()) if cuts[-1] < len(magnitude) else 0.0
        lengths = self._boundary(ks) - self._boundary(ks - 1)
        self._add_frames(ks - 1, sums, peaks, lengths)
        self._done = int(ks[-1])

    def _add_frames(self, index: np.ndarray, sums: np.ndarray, peaks: np.ndarray, lengths: np.ndarray) -> None:
        """Fold in complete 10 ms frames: ``index`` from 0, their sums of squares, peaks and lengths."""
        self._sum_squares += float(sums.sum())
        self._peak = max(self._peak, float(peaks.max()))
        self._room_tone(index, sums / (lengths * self.channels))
        # 0.1 s hops: frames 10h .. 10h+9 (a hop starts on every tenth frame boundary)
        hop_sums = np.concatenate([self._hop_carry, sums])
        hop_peaks = np.concatenate([self._hop_peak_carry, peaks])
        usable = (len(hop_sums) // FRAMES_PER_HOP) * FRAMES_PER_HOP
        if usable:
            self._windows(hop_sums[:usable].reshape(-1, FRAMES_PER_HOP).sum(axis=1))
            self._hop_peaks.append(hop_peaks[:usable].reshape(-1, FRAMES_PER_HOP).max(axis=1))
        self._hop_carry, self._hop_peak_carry = hop_sums[usable:], hop_peaks[usable:]

    def _windows(self, hops: np.ndarray) -> None:
        if len(self._window_head) < HOPS_PER_WINDOW - 1:
            self._window_head = np.concatenate([self._window_head, hops])[: HOPS_PER_WINDOW - 1]
        joined = np.concatenate([self._window_carry, hops])
        if len(joined) >= HOPS_PER_WINDOW:
            cum = np.concatenate([[0.0], np.cumsum(joined)])
            windows = cum[HOPS_PER_WINDOW:] - cum[:-HOPS_PER_WINDOW]
            self._min_window = min(self._min_window, float(windows.min()))
        self._window_carry = joined[-(HOPS_PER_WINDOW - 1) :]

    def extend(self, later: AcxMeter) -> None:
        """Fold in ``later``, the meter of the stretch that starts where this one's blocks ended.

        This meter must have ended on ``later``'s start, a hop boundary; afterwards it measures both
        stretches as one, and more blocks or meters may follow."""
        if later.start_frame != self._done or self._frames != self._boundary(self._done) or len(self._hop_carry):
            raise ValueError(f"the later meter starts at 10 ms frame {later.start_frame}, this one ends at {self._done}")
        if (later.sample_rate, later.channels) != (self.sample_rate, self.channels):
            raise ValueError("the meters measure different streams")
        joined = np.concatenate([self._window_carry, later._window_head])  # every window in it spans the join
        if len(joined) >= HOPS_PER_WINDOW:
            cum = np.concatenate([[0.0], np.cumsum(joined)])
            self._min_window = min(self._min_window, float((cum[HOPS_PER_WINDOW:] - cum[:-HOPS_PER_WINDOW]).min()))
        self._min_window = min(self._min_window, later._min_window)
        self._window_head = np.concatenate([self._window_head, later._window_head])[: HOPS_PER_WINDOW - 1]
        self._window_carry = np.concatenate([self._window_carry, later._window_carry])[-(HOPS_PER_WINDOW - 1) :]
        self._hop_carry, self._hop_peak_carry = later._hop_carry, later._hop_peak_carry
        self._hop_peaks.extend(later._hop_peaks)
        self._histogram += later._histogram
        loudest = self._head[-1][0] if self._head else _LOWEST_CODE - 1
        self._head.extend(entry for entry in later._head if entry[0] > loudest)
        loudest_later = later._tail[0][0] if later._tail else _LOWEST_CODE - 1
        self._tail = [entry for entry in self._tail if entry[0] > loudest_later] + later._tail
        self._sum_squares += later._sum_squares
        self._peak = max(self._peak, later._peak)
        self._frames, self._done = later._frames, later._done
        self._partial, self._partial_peak = later._partial, later._partial_peak

    def _room_tone(self, index: np.ndarray, mean_squares: np.ndarray) -> None:
        with np.errstate(divide="ignore"):
            levels = 10.0 * np.log10(mean_squares)
        codes = np.floor(np.nan_to_num(levels, neginf=-1e9) / LEVEL_STEP_DB)
        codes = np.clip(codes, _LOWEST_CODE, _HIGHEST_CODE).astype(np.int64)
        self._histogram += np.bincount(codes - _LOWEST_CODE, minlength=len(self._histogram))
        # head staircase: frames louder than every frame before them
        best = self._head[-1][0] if self._head else _LOWEST_CODE - 1
        running = np.maximum.accumulate(np.concatenate([[best], codes]))
        for i in np.flatnonzero(running[1:] > running[:-1]):
            self._head.append((int(codes[i]), int(index[i])))
        # tail staircase: frames louder than every frame after them (within the block first)
        after = np.maximum.accumulate(codes[::-1])[::-1]
        later_max = np.concatenate([after[1:], [_LOWEST_CODE - 1]])
        records = np.flatnonzero(codes > later_max)
        top = int(codes[records[0]])
        while self._tail and self._tail[-1][0] <= top:
            self._tail.pop()
        self._tail.extend((int(codes[i]), int(index[i])) for i in records)

    def result(self) -> AcxResult:
        """The measurements of everything added so far (including a trailing part-frame)."""
        if self.start_frame:
            raise ValueError("a meter of a later stretch is folded into the first one's (extend), not read alone")
        head, tail, hist = list(self._head), list(self._tail), self._histogram.copy()
        frames_total = self._done
        if self._frames > self._boundary(self._done):  # the last, incomplete 10 ms frame
            length = self._frames - self._boundary(self._done)
            level = to_db(self._partial / (length * self.channels), 10.0)
            code = int(np.clip(math.floor(level / LEVEL_STEP_DB) if level > -math.inf else _LOWEST_CODE,
                               _LOWEST_CODE, _HIGHEST_CODE))  # fmt: skip
            hist[code - _LOWEST_CODE] += 1
            if not head or code > head[-1][0]:
                head.append((code, self._done))
            while tail and tail[-1][0] <= code:
                tail.pop()
            tail.append((code, self._done))
            frames_total += 1
        sum_squares = self._sum_squares + self._partial
        peak = max(self._peak, self._partial_peak)
        duration = self._frames / self.sample_rate
        speech_code = _percentile_code(hist, SPEECH_PERCENTILE)
        # never below the floor code, so digital silence is room tone even in a file of nothing else
        threshold = max(speech_code - round(ROOM_TONE_BELOW_SPEECH_DB / LEVEL_STEP_DB), _LOWEST_CODE)
        head_s, tail_s = duration, duration
        first = next((frame for code, frame in head if code > threshold), None)
        if first is not None:
            last = next(frame for code, frame in reversed(tail) if code > threshold)
            head_s = self._boundary(first) / self.sample_rate
            tail_s = max(0.0, duration - self._boundary(last + 1) / self.sample_rate)
        samples = self._frames * self.channels
        if self._min_window == math.inf:
            noise_floor = None
        else:
            window_samples = self._boundary(HOPS_PER_WINDOW * FRAMES_PER_HOP) * self.channels
            noise_floor = to_db(self._min_window / window_samples, 10.0)
        return AcxResult(
            rms_dbfs=to_db(sum_squares / samples, 10.0) if samples else -math.inf,
            sample_peak_dbfs=to_db(peak, 20.0),
            noise_floor_dbfs=noise_floor,
            head_room_tone_s=head_s,
            tail_room_tone_s=tail_s,
            duration_s=duration,
            speech_level_dbfs=(speech_code * LEVEL_STEP_DB) if frames_total else -math.inf,
            peak_series=self._peak_series(),
        )

    def _peak_series(self) -> tuple[np.ndarray, np.ndarray]:
        peaks = np.concatenate(self._hop_peaks) if self._hop_peaks else np.zeros(0)
        times = 0.1 * np.arange(len(peaks))
        if len(peaks) > PEAK_SERIES_POINTS:
            run = math.ceil(len(peaks) / PEAK_SERIES_POINTS)
            pad = (-len(peaks)) % run
            peaks = np.concatenate([peaks, np.zeros(pad)]).reshape(-1, run).max(axis=1)
            times = times[::run]
        with np.errstate(divide="ignore"):
            return times, 20.0 * np.log10(peaks)


def _percentile_code(histogram: np.ndarray, percentile: float) -> int:
    """Level code at ``percentile`` of the frames counted in ``histogram`` (nearest rank)."""
    total = int(histogram.sum())
    if total == 0:
        return _LOWEST_CODE
    rank = max(1, math.ceil(total * percentile / 100.0))
    return int(np.searchsorted(np.cumsum(histogram), rank)) + _LOWEST_CODE
