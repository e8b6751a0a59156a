"""Loudness meter to ITU-R BS.1770-5 and EBU R 128, fed block by block.

What it measures (all in one pass, memory bounded by a few seconds of audio):

- integrated loudness (LUFS): mean power of 400 ms blocks overlapping by 75 % (100 ms step), gated
  at -70 LUFS absolute and -10 LU relative (BS.1770-5 section 2.8; EBU Tech 3341 section 2.3).
  Only complete blocks count: a file shorter than 400 ms has no block and reads -inf.
- momentary (400 ms) and short-term (3 s) loudness, and their maxima (EBU Tech 3341 section 2.1).
  The maxima are taken over windows that end on a 5 ms grid, not only every 100 ms: a 100 ms grid
  can miss the maximum of a 400 ms burst by up to 0.6 dB (a window can straddle the burst by 50 ms
  at each end), whereas a 5 ms grid misses it by at most 10*log10(397.5/400) = 0.03 dB, well inside
  the +/-0.1 LU that EBU Tech 3341 (cases 10 and 13) allows. Only complete windows count.
- loudness range (LU) to EBU Tech 3342: short-term values every 100 ms (windows overlap by 2.9 s,
  the minimum Tech 3342 asks for), gated at -70 LUFS absolute and -20 LU relative, LRA = the 95th
  minus the 10th percentile (nearest rank on the sorted values, as in Tech 3342's example code).
- true peak (dBTP) by 4x oversampling (BS.1770-5 Annex 2): a polyphase interpolator per channel,
  2x at 96 kHz and none at 192 kHz and above, where the sample peak already is the true peak.

The K-filter, the channel weighting and the squaring run in one compiled pass (numba), and so does the
interpolator: about 0.5 s and 0.9 s of one core per hour of mono 44.1 kHz audio.

K-weighting for any sample rate. BS.1770-5 Tables 1 and 2 give the two K-weighting biquads only for
48 kHz. We recover their analogue prototype exactly with the inverse bilinear transform
(s = 2*48000*(z-1)/(z+1) turns each 48 kHz biquad into a rational H(s) of order 2), then discretise
that prototype at the target rate with the bilinear transform prewarped at the stage's own natural
frequency (the frequency of its pole pair: about 1.68 kHz for the pre-filter shelf and 38 Hz for the
RLB high-pass). At 48 kHz this returns the standard's coefficients unchanged (the prewarp constant is
then exactly 2*48000); at other rates the shelf's and the high-pass's corner frequencies, Q and gains
are preserved, so the response matches the 48 kHz filter at the same analogue frequencies, 20 Hz to
10 kHz, within 0.002 dB at 44.1 kHz, 0.007 dB at 88.2/96 kHz, 0.012 dB at 32 kHz and 0.035 dB at
22.05 kHz (tests/test_loudness.py checks this).

Channel weights (BS.1770-5 Table 3): 1.0 for left, right and centre, 1.41 (+1.5 dB) for the
surrounds, 0 for the LFE. Layouts follow ffmpeg's channel order: mono; stereo (L R); 3.0 (L R C);
quad (L R Ls Rs); 5.0 (L R C Ls Rs); 5.1 (L R C LFE Ls Rs). Other counts weigh every channel 1.0.

pyloudnorm (the model for this module's shape) is not used at run time: its K-filter is an
approximation that reads 0.035-0.06 dB low, it keeps a partial last block and it raises on files
shorter than 0.4 s, which are the three things the standard fixes and this meter does instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numba import njit

from audiobook.mastering.decibels import to_db
from audiobook.mastering.frames import as_frames

#: BS.1770-5 Table 1, stage 1 (pre-filter: high shelf), 48 kHz: b0, b1, b2, a0, a1, a2.
PRE_FILTER_48K = (1.53512485958697, -2.69169618940638, 1.19839281085285, 1.0, -1.69065929318241, 0.73248077421585)
#: BS.1770-5 Table 2, stage 2 (RLB weighting: high-pass), 48 kHz: b0, b1, b2, a0, a1, a2.
RLB_FILTER_48K = (1.0, -2.0, 1.0, 1.0, -1.99004745483398, 0.99007225036621)
#: BS.1770-5 equation (2): loudness = -0.691 + 10 log10(sum of weighted mean squares).
LOUDNESS_OFFSET_DB = -0.691
ABSOLUTE_GATE_LUFS = -70.0  # BS.1770-5 section 2.8 and EBU Tech 3342
RELATIVE_GATE_LU = -10.0  # BS.1770-5 section 2.8
LRA_RELATIVE_GATE_LU = -20.0  # EBU Tech 3342 section 3
LRA_LOW_PERCENTILE = 10.0  # EBU Tech 3342
LRA_HIGH_PERCENTILE = 95.0  # EBU Tech 3342

SLICES_PER_SECOND = 200  # 5 ms grid on which momentary and short-term windows are evaluated
MOMENTARY_SLICES = 80  # 400 ms
SHORT_TERM_SLICES = 600  # 3 s
STEP_SLICES = 20  # 100 ms: the gating-block step (75 % overlap) and the LRA step
SERIES_POINTS = 2000  # at most this many points in the short-term series kept for plots

_SURROUND = 1.41
_CHANNEL_WEIGHTS = {
    1: (1.0,),
    2: (1.0, 1.0),
    3: (1.0, 1.0, 1.0),
    4: (1.0, 1.0, _SURROUND, _SURROUND),
    5: (1.0, 1.0, 1.0, _SURROUND, _SURROUND),
    6: (1.0, 1.0, 1.0, 0.0, _SURROUND, _SURROUND),
}


def channel_weights(channels: int) -> tuple[float, ...]:
    """BS.1770-5 channel weights for ``channels`` channels in ffmpeg's order (see module docs)."""
    if channels < 1:
        raise ValueError(f"a meter needs at least one channel, not {channels}")
    return _CHANNEL_WEIGHTS.get(channels, (1.0,) * channels)


def _analogue_prototype(biquad: tuple[float, ...], rate_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Inverse bilinear transform of a digital biquad at ``rate_hz``: (num, den) in powers s^2, s, 1."""
    b0, b1, b2, a0, a1, a2 = biquad
    b0, b1, b2, a1, a2 = b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0
    c = 2.0 * rate_hz
    num = np.array([b0 - b1 + b2, 2.0 * c * (b0 - b2), c * c * (b0 + b1 + b2)])
    den = np.array([1.0 - a1 + a2, 2.0 * c * (1.0 - a2), c * c * (1.0 + a1 + a2)])
    return num, den


def _discretise(num: np.ndarray, den: np.ndarray, warp: float) -> np.ndarray:
    """Bilinear transform s = warp*(z-1)/(z+1) of an order-2 analogue section: one sos row."""

    def poly(c: np.ndarray) -> np.ndarray:
        s2, s1, s0 = c[0] * warp * warp, c[1] * warp, c[2]
        return np.array([s2 + s1 + s0, 2.0 * (s0 - s2), s2 - s1 + s0])

    bz, az = poly(num), poly(den)
    return np.concatenate([bz / az[0], az / az[0]])


@lru_cache(maxsize=32)
def k_weighting_sos(sample_rate: int) -> np.ndarray:
    """K-weighting at ``sample_rate`` Hz as second-order sections (2 x 6), derived as the module says."""
    sections = []
    for biquad in (PRE_FILTER_48K, RLB_FILTER_48K):
        num, den = _analogue_prototype(biquad, 48000.0)
        natural = math.sqrt(den[2] / den[0])  # rad/s of the prototype's pole pair (48 kHz-warped)
        f0 = 48000.0 / math.pi * math.atan(natural / (2.0 * 48000.0))  # its true frequency in Hz
        # s/natural = (z-1) / ((z+1) tan(pi f0 / fs)): the bilinear transform prewarped at f0.
        warp = natural / math.tan(math.pi * f0 / sample_rate)
        sections.append(_discretise(num, den, warp))
    return np.array(sections)


def oversampling_factor(sample_rate: int) -> int:
    """True-peak oversampling: 4x below 96 kHz, 2x below 192 kHz, else none (BS.1770-5 Annex 2)."""
    if sample_rate < 96000:
        return 4
    if sample_rate < 192000:
        return 2
    return 1


TRUE_PEAK_TAPS = 16  # taps per phase of the interpolator
_KAISER_BETA = 5.0


@lru_cache(maxsize=8)
def true_peak_phases(factor: int) -> np.ndarray:
    """Interpolator coefficients, shape (factor-1, TRUE_PEAK_TAPS), float32.

    Row p-1 gives the signal at n + p/factor from samples n-7 .. n+8: a Kaiser-windowed (beta 5)
    ideal interpolator sinc(t), each phase scaled to unity gain at DC. Phase 0 (the samples themselves)
    is the identity and is not stored. Its gain is flat to 0.03 dB up to 0.35 fs and 0.45 dB low at
    0.4 fs (17.6 kHz at 44.1 kHz); BS.1770-5 Annex 2's own 12-tap example is no flatter.
    """
    half = TRUE_PEAK_TAPS // 2
    offsets = np.arange(-half + 1, half + 1)
    rows = []
    for p in range(1, factor):
        t = p / factor - offsets
        window = np.i0(_KAISER_BETA * np.sqrt(np.clip(1.0 - (t / half) ** 2, 0.0, None))) / np.i0(_KAISER_BETA)
        h = np.sinc(t) * window
        rows.append(h / h.sum())
    return np.array(rows, dtype=np.float32).reshape(max(factor - 1, 0), TRUE_PEAK_TAPS)


@njit(cache=True, fastmath=True, nogil=True)
def _interpolated_peak(samples: np.ndarray, phases: np.ndarray) -> float:  # pragma: no cover - compiled
    """Largest |value| of the interpolated points between samples[7 + i] and samples[8 + i]."""
    taps = phases.shape[1]
    count = samples.shape[0] - taps + 1
    best = np.float32(0.0)
    for i in range(count):
        for p in range(phases.shape[0]):
            acc = np.float32(0.0)
            for j in range(taps):
                acc += samples[i + j] * phases[p, j]
            best = max(best, abs(acc))
    return best


@njit(cache=True, nogil=True)
def _k_weighted_power(samples: np.ndarray, sos: np.ndarray, state: np.ndarray, weights: np.ndarray,
                      power: np.ndarray) -> None:  # pragma: no cover - compiled; fmt: skip
    """Add sum_c weights[c] * (K-weighted samples[:, c])^2 into ``power``, sample by sample.

    Two biquads in transposed direct form II, in float64; ``state`` (2 sections, 2, channels) carries
    the filter memories from block to block.
    """
    for c in range(samples.shape[1]):
        weight = weights[c]
        if weight == 0.0:
            continue
        b10, b11, b12, a11, a12 = sos[0, 0], sos[0, 1], sos[0, 2], sos[0, 4], sos[0, 5]
        b20, b21, b22, a21, a22 = sos[1, 0], sos[1, 1], sos[1, 2], sos[1, 4], sos[1, 5]
        s11, s12, s21, s22 = state[0, 0, c], state[0, 1, c], state[1, 0, c], state[1, 1, c]
        for i in range(samples.shape[0]):
            x = np.float64(samples[i, c])
            y = b10 * x + s11
            s11 = b11 * x - a11 * y + s12
            s12 = b12 * x - a12 * y
            z = b20 * y + s21
            s21 = b21 * y - a21 * z + s22
            s22 = b22 * y - a22 * z
            power[i] += weight * z * z
        state[0, 0, c], state[0, 1, c], state[1, 0, c], state[1, 1, c] = s11, s12, s21, s22


def _loudness(power: float) -> float:
    return LOUDNESS_OFFSET_DB + 10.0 * math.log10(power) if power > 0 else -math.inf


@dataclass(eq=False)
class LoudnessResult:
    """What :class:`LoudnessMeter` measured. Loudness in LUFS, range in LU, peak in dBTP.

    Quantities that need more audio than there was (integrated under 0.4 s, short-term under 3 s,
    loudness range with fewer than two gated short-term values) are -inf or 0.0 for the range.
    ``short_term_series`` is (end time of each 3 s window in s, LUFS), at most SERIES_POINTS points:
    when the 100 ms values are more, each point is the maximum of a run of them.
    """

    integrated_lufs: float
    loudness_range_lu: float
    max_momentary_lufs: float
    max_short_term_lufs: float
    true_peak_dbtp: float
    duration_s: float
    short_term_series: tuple[np.ndarray, np.ndarray] = field(repr=False)


class LoudnessMeter:
    """BS.1770-5 / EBU R 128 meter: feed float blocks shaped (frames, channels) with :meth:`add`.

    ``sample_rate`` in Hz. Blocks may be any length; memory holds 3 s of 5 ms power slices, the
    interpolator's 15-sample history, and one float per 100 ms of audio for the gating and range
    statistics (0.6 MB for a 2-hour chapter).
    """

    def __init__(self, sample_rate: int, channels: int, weights: tuple[float, ...] | None = None):
        if sample_rate <= 0:
            raise ValueError(f"sample rate must be positive, not {sample_rate}")
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.weights = np.asarray(weights if weights is not None else channel_weights(channels), dtype=np.float64)
        if self.weights.shape != (self.channels,):
            raise ValueError(f"{len(self.weights)} weights for {self.channels} channels")
        self._sos = k_weighting_sos(self.sample_rate)
        self._zi = np.zeros((2, 2, self.channels))  # K-filter memories
        self._frames = 0  # samples per channel seen
        self._slices = 0  # complete 5 ms slices
        self._partial = 0.0  # weighted power summed over the incomplete slice
        # the last SHORT_TERM_SLICES - 1 slice sums and lengths, to complete windows across blocks
        self._carry_power = np.zeros(0)
        self._carry_length = np.zeros(0)
        self._block_power: list[np.ndarray] = []  # mean weighted power of each 400 ms block, 100 ms step
        self._short_power: list[np.ndarray] = []  # same for 3 s windows (LRA and the plot)
        self._max_momentary = 0.0
        self._max_short = 0.0
        self._held_momentary = 0.0  # maxima since the last take_maxima(), for live use
        self._held_short = 0.0
        self._factor = oversampling_factor(self.sample_rate)
        self._phases = true_peak_phases(self._factor)
        self._tp_history = np.zeros((TRUE_PEAK_TAPS - 1, self.channels), dtype=np.float32)
        self._true_peak = 0.0

    def _boundary(self, k: np.ndarray | int) -> np.ndarray | int:
        """First sample of 5 ms slice k (rounded to the nearest sample)."""
        return (k * self.sample_rate + SLICES_PER_SECOND // 2) // SLICES_PER_SECOND

    def add(self, block: np.ndarray) -> None:
        """Meter the next ``block`` of float samples, shaped (frames, channels) or (frames,) for mono."""
        samples = as_frames(block, self.channels)
        if len(samples) == 0:
            return
        self._add_true_peak(samples)
        power = np.zeros(len(samples), dtype=np.float64)
        _k_weighted_power(samples, self._sos, self._zi, self.weights, power)
        self._add_power(power)

    def _add_power(self, power: np.ndarray) -> None:
        start, end = self._frames, self._frames + len(power)
        last = (SLICES_PER_SECOND * (end + 1) - SLICES_PER_SECOND // 2 - 1) // self.sample_rate
        ks = np.arange(self._slices + 1, last + 1)
        self._frames = end
        if len(ks) == 0:
            self._partial += float(power.sum(dtype=np.float64))
            return
        cuts = self._boundary(ks) - start  # end (exclusive) of each completed slice within the block
        starts = np.concatenate([[0], cuts[:-1]])
        sums = np.add.reduceat(power, starts).astype(np.float64)  # slices are never empty
        sums[-1] = float(power[starts[-1] : cuts[-1]].sum(dtype=np.float64))  # reduceat runs to the end
        sums[0] += self._partial
        self._partial = float(power[cuts[-1] :].sum(dtype=np.float64))
        lengths = (self._boundary(ks) - self._boundary(ks - 1)).astype(np.float64)
        self._windows(ks, sums, lengths)
        self._slices = int(ks[-1])

    def _windows(self, ks: np.ndarray, sums: np.ndarray, lengths: np.ndarray) -> None:
        power = np.concatenate([self._carry_power, sums])
        length = np.concatenate([self._carry_length, lengths])
        cum_p = np.concatenate([[0.0], np.cumsum(power)])
        cum_n = np.concatenate([[0.0], np.cumsum(length)])
        first = len(self._carry_power)  # index in `power` of slice ks[0]
        for width, is_short in ((MOMENTARY_SLICES, False), (SHORT_TERM_SLICES, True)):
            ends = np.arange(first, len(power)) + 1  # window ends (exclusive) in cum arrays
            valid = ks >= width
            if not valid.any():
                continue
            ends, kv = ends[valid], ks[valid]
            means = (cum_p[ends] - cum_p[ends - width]) / (cum_n[ends] - cum_n[ends - width])
            top = float(means.max())
            if is_short:
                self._max_short, self._held_short = max(self._max_short, top), max(self._held_short, top)
                self._short_power.append(means[kv % STEP_SLICES == 0])
            else:
                self._max_momentary, self._held_momentary = max(self._max_momentary, top), max(self._held_momentary, top)
                self._block_power.append(means[kv % STEP_SLICES == 0])
        keep = SHORT_TERM_SLICES - 1
        self._carry_power, self._carry_length = power[-keep:], length[-keep:]

    def _add_true_peak(self, samples: np.ndarray) -> None:
        if self._factor == 1:
            self._true_peak = max(self._true_peak, float(np.abs(samples).max()))
            return
        joined = np.concatenate([self._tp_history, samples])
        for c in range(self.channels):
            column = np.ascontiguousarray(joined[:, c])
            self._true_peak = max(self._true_peak, float(np.abs(samples[:, c]).max()))
            self._true_peak = max(self._true_peak, float(_interpolated_peak(column, self._phases)))
        self._tp_history = joined[-(TRUE_PEAK_TAPS - 1) :].copy()

    def result(self) -> LoudnessResult:
        """The measurements so far (the meter can keep going afterwards)."""
        # the interpolated points after the last sample (the signal is zero from there on)
        true_peak = self._true_peak
        if self._factor > 1 and self._frames:
            tail = np.concatenate([self._tp_history, np.zeros((TRUE_PEAK_TAPS, self.channels), np.float32)])
            for c in range(self.channels):
                true_peak = max(true_peak, float(_interpolated_peak(np.ascontiguousarray(tail[:, c]), self._phases)))
        blocks = np.concatenate(self._block_power) if self._block_power else np.zeros(0)
        shorts = np.concatenate(self._short_power) if self._short_power else np.zeros(0)
        return LoudnessResult(
            integrated_lufs=integrated_loudness(blocks),
            loudness_range_lu=loudness_range(shorts),
            max_momentary_lufs=_loudness(self._max_momentary),
            max_short_term_lufs=_loudness(self._max_short),
            true_peak_dbtp=to_db(true_peak, 20.0),
            duration_s=self._frames / self.sample_rate,
            short_term_series=self._series(shorts),
        )

    def take_maxima(self) -> tuple[float, float]:
        """(max momentary, max short-term) in LUFS of the windows completed since the last call.

        A live meter's "reset max": windows that ended while the audio since the last call was added.
        """
        held = (_loudness(self._held_momentary), _loudness(self._held_short))
        self._held_momentary = self._held_short = 0.0
        return held

    def momentary_lufs(self) -> np.ndarray:
        """Momentary loudness (LUFS) of every 400 ms block so far, one per 100 ms; the first ends at 0.4 s."""
        blocks = np.concatenate(self._block_power) if self._block_power else np.zeros(0)
        return _to_lufs(blocks)

    def short_term_lufs(self) -> np.ndarray:
        """Short-term loudness (LUFS) every 100 ms so far; the first window ends at 3.0 s."""
        shorts = np.concatenate(self._short_power) if self._short_power else np.zeros(0)
        return _to_lufs(shorts)

    def _series(self, shorts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lufs = _to_lufs(shorts)
        times = 3.0 + 0.1 * np.arange(len(lufs))
        if len(lufs) > SERIES_POINTS:
            run = math.ceil(len(lufs) / SERIES_POINTS)
            pad = (-len(lufs)) % run
            lufs = np.concatenate([lufs, np.full(pad, -np.inf)]).reshape(-1, run).max(axis=1)
            times = times[::run]
        return times, lufs


def _to_lufs(power: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return LOUDNESS_OFFSET_DB + 10.0 * np.log10(power)


def integrated_loudness(block_power: np.ndarray) -> float:
    """Gated loudness (LUFS) of 400 ms blocks given as mean weighted power (BS.1770-5 eq. 7)."""
    lufs = _to_lufs(block_power)
    gated = block_power[lufs > ABSOLUTE_GATE_LUFS]
    if len(gated) == 0:
        return -math.inf
    threshold = _loudness(float(gated.mean())) + RELATIVE_GATE_LU
    gated = block_power[(lufs > ABSOLUTE_GATE_LUFS) & (lufs > threshold)]
    return _loudness(float(gated.mean())) if len(gated) else -math.inf


def loudness_range(short_term_power: np.ndarray) -> float:
    """Loudness range (LU) of short-term values given as mean weighted power (EBU Tech 3342)."""
    lufs = _to_lufs(short_term_power)
    gated = short_term_power[lufs > ABSOLUTE_GATE_LUFS]
    if len(gated) < 2:
        return 0.0
    threshold = _loudness(float(gated.mean())) + LRA_RELATIVE_GATE_LU
    values = np.sort(lufs[(lufs > ABSOLUTE_GATE_LUFS) & (lufs > threshold)])
    if len(values) < 2:
        return 0.0
    last = len(values) - 1
    low = values[int(round(last * LRA_LOW_PERCENTILE / 100.0))]
    high = values[int(round(last * LRA_HIGH_PERCENTILE / 100.0))]
    return float(high - low)
