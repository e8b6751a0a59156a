"""The processing chain's effects, each a small object with its sample rate given explicitly.

- :class:`HighPass`: removes rumble below the speech band (Butterworth, streaming with filter state).
- :class:`PeakLimiter`: look-ahead limiter on 4x-oversampled peaks (an estimate of true peak, as in
  ITU-R BS.1770 Annex 2), so the gain is already down when a peak arrives and never overshoots.
- :class:`RoomTone`: low-level noise, never digital silence, laid under the whole chapter; it is
  deterministic (the same samples at the same position on every build).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numba import njit

from audiobook.mastering.decibels import db_to_gain

# The filters are designed here from their textbook formulas (bilinear transform with the cutoff
# prewarped; a Kaiser-windowed sinc for the interpolator) rather than with scipy.signal, whose import
# alone takes 0.6 s: a rebuild after a one-line edit would spend longer importing than mastering.


@njit(cache=True, nogil=True)
def _biquad(samples: np.ndarray, b: np.ndarray, a: np.ndarray, state: np.ndarray) -> np.ndarray:
    """One second-order section (transposed direct form II, float64), ``state`` carried in place."""
    out = np.empty(len(samples), dtype=np.float32)
    z1, z2 = state[0], state[1]
    for index in range(len(samples)):
        x = np.float64(samples[index])
        y = b[0] * x + z1
        z1 = b[1] * x - a[1] * y + z2
        z2 = b[2] * x - a[2] * y
        out[index] = y
    state[0], state[1] = z1, z2
    return out


@njit(cache=True, nogil=True)
def _sliding_extreme(padded: np.ndarray, width: int, largest: bool) -> np.ndarray:
    """The largest (or smallest) value of every run of ``width`` consecutive values, in O(n):
    running extremes forward and backward within blocks of ``width`` (van Herk / Gil-Werman)."""
    count = len(padded)
    forward = np.empty(count, dtype=padded.dtype)
    backward = np.empty(count, dtype=padded.dtype)
    for start in range(0, count, width):
        end = min(start + width, count)
        forward[start] = padded[start]
        for i in range(start + 1, end):
            forward[i] = max(forward[i - 1], padded[i]) if largest else min(forward[i - 1], padded[i])
        backward[end - 1] = padded[end - 1]
        for i in range(end - 2, start - 1, -1):
            backward[i] = max(backward[i + 1], padded[i]) if largest else min(backward[i + 1], padded[i])
    out = np.empty(count - width + 1, dtype=padded.dtype)
    for i in range(len(out)):
        out[i] = max(backward[i], forward[i + width - 1]) if largest else min(backward[i], forward[i + width - 1])
    return out


@njit(cache=True, nogil=True)
def _hold_and_smooth(needed: np.ndarray, half: int) -> np.ndarray:
    """The minimum of ``needed`` over +/- ``half`` samples, then its mean over +/- ``half`` (the edge
    values extend beyond the ends), never above ``needed`` itself."""
    count, width = len(needed), 2 * half + 1
    padded = np.empty(count + 2 * half, dtype=needed.dtype)
    padded[:half] = needed[0]
    padded[half : half + count] = needed
    padded[half + count :] = needed[count - 1]
    held = _sliding_extreme(padded, width, False)
    extended = np.empty(count + 2 * half, dtype=np.float64)
    extended[:half] = held[0]
    extended[half : half + count] = held
    extended[half + count :] = held[count - 1]
    total = 0.0
    for i in range(width - 1):
        total += extended[i]
    out = np.empty(count, dtype=needed.dtype)
    for i in range(count):
        total += extended[i + width - 1]
        out[i] = min(total / width, needed[i])
        total -= extended[i]
    return out


def hold_and_smooth(needed: np.ndarray, half: int) -> np.ndarray:
    """A gain curve that reaches every needed reduction ``half`` samples early and lets go as slowly:
    the running minimum over +/- ``half``, averaged over +/- ``half``, capped by ``needed``."""
    return _hold_and_smooth(np.ascontiguousarray(needed), half)


def _near_peak(samples: np.ndarray, reach: int) -> np.ndarray:
    """The largest magnitude within +/- ``reach`` samples of each sample."""
    padded = np.pad(np.abs(np.asarray(samples, dtype=np.float32)), reach)
    return _sliding_extreme(padded, 2 * reach + 1, True)


def butterworth_highpass(cutoff_hz: float, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(b, a) of a second-order Butterworth high-pass."""
    k = np.tan(np.pi * cutoff_hz / sample_rate)
    norm = 1.0 / (1.0 + np.sqrt(2.0) * k + k * k)
    return np.array([norm, -2.0 * norm, norm]), np.array([1.0, 2.0 * (k * k - 1.0) * norm, (1.0 - np.sqrt(2.0) * k + k * k) * norm])


def butterworth_lowpass_first_order(cutoff_hz: float, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(b, a) of a first-order Butterworth low-pass, as a second-order section with zero terms."""
    k = np.tan(np.pi * cutoff_hz / sample_rate)
    return np.array([k / (1.0 + k), k / (1.0 + k), 0.0]), np.array([1.0, (k - 1.0) / (k + 1.0), 0.0])


class HighPass:
    """Second-order Butterworth high-pass over a mono stream (block after block, state carried)."""

    def __init__(self, cutoff_hz: float, sample_rate: int):
        self.b, self.a = butterworth_highpass(cutoff_hz, sample_rate)
        self._state = np.zeros(2)

    def process(self, block: np.ndarray) -> np.ndarray:
        """Filter the next block of a mono stream."""
        return _biquad(np.ascontiguousarray(block, dtype=np.float32), self.b, self.a, self._state)


def upsample(samples: np.ndarray, factor: int) -> np.ndarray:
    """``samples`` at ``factor`` times the rate: zeros stuffed, then a Kaiser-windowed sinc (beta 5,
    ten input samples each side), aligned so that output ``factor * n`` is input ``n``."""
    half = 10 * factor
    taps = np.arange(-half, half + 1)
    kernel = np.sinc(taps / factor) * np.kaiser(2 * half + 1, 5.0)
    kernel *= factor / kernel.sum()
    stuffed = np.zeros(len(samples) * factor)
    stuffed[::factor] = samples
    return np.convolve(stuffed, kernel)[half : half + len(stuffed)]


@lru_cache(maxsize=4)
def _oversampling_kernel(factor: int) -> tuple[np.ndarray, int, float]:
    """The polyphase form of :func:`upsample`: (kernel, reach, bound).

    ``kernel[j, p]`` weighs input sample ``n + reach - j`` in output sample ``factor * n + p``; ``bound``
    is the largest sum of absolute weights of a phase, so an oversampled peak never exceeds ``bound``
    times the largest sample magnitude within ``reach`` samples.
    """
    centre = 64
    impulse = np.zeros(2 * centre + 1)
    impulse[centre] = 1.0
    response = upsample(impulse, factor).reshape(-1, factor)
    nonzero = np.flatnonzero(np.abs(response).max(axis=1) > 0)
    reach = int(max(centre - nonzero.min(), nonzero.max() - centre))
    kernel = response[centre - reach : centre + reach + 1][::-1].copy()
    return kernel, reach, float(np.abs(kernel).sum(axis=0).max())


class PeakLimiter:
    """Keep 4x-oversampled peaks at or below ``ceiling_dbtp``.

    Gain is the running minimum of the needed reduction over +/- ``window_s``, smoothed by a moving
    average of the same width: the smoothed gain never exceeds the needed gain at any sample.

    Oversampled peaks are computed only near samples loud enough to reach the ceiling (a bound from
    the interpolation filter's weights rules out the rest), so quiet passages cost almost nothing.
    """

    OVERSAMPLE = 4

    def __init__(self, ceiling_dbtp: float, sample_rate: int, window_s: float = 0.02):
        self.ceiling = db_to_gain(ceiling_dbtp)
        self.half = max(1, round(window_s * sample_rate))

    @property
    def context(self) -> int:
        """Frames of audio needed on each side of a block to limit it exactly as the whole signal."""
        return 2 * self.half + _oversampling_kernel(self.OVERSAMPLE)[1] + 1

    def peaks(self, samples: np.ndarray) -> np.ndarray:
        """Per-sample peak magnitude of the 4x-oversampled signal."""
        upsampled = np.abs(upsample(samples, self.OVERSAMPLE)).reshape(-1, self.OVERSAMPLE)
        return np.maximum.reduce([upsampled[:, phase] for phase in range(self.OVERSAMPLE)])

    def _peaks_at(self, samples: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """:meth:`peaks` at ``positions`` only (same filter, samples outside the array count as zero)."""
        kernel, reach, _ = _oversampling_kernel(self.OVERSAMPLE)
        padded = np.pad(np.asarray(samples, dtype=np.float32), reach)
        return _interpolated_peaks(padded, positions, kernel.astype(np.float32))

    def gain(self, samples: np.ndarray) -> np.ndarray:
        _, reach, bound = _oversampling_kernel(self.OVERSAMPLE)
        needed = np.ones(len(samples), dtype=np.float32)
        near = _near_peak(samples, reach)
        loud = np.flatnonzero(near * np.float32(bound) > self.ceiling)
        if len(loud) == 0:
            return needed
        needed[loud] = np.minimum(1.0, self.ceiling / np.maximum(self._peaks_at(samples, loud), 1e-12))
        reduced = loud[needed[loud] < 1.0]
        if len(reduced) == 0:
            return needed
        # the gain differs from 1 only within 2 * half of a reduced sample: smooth those stretches alone,
        # each with a margin of ones, which gives what smoothing the whole block gives
        reach_out = 4 * self.half + 2
        gaps = np.flatnonzero(np.diff(reduced) > 2 * reach_out)
        gain = needed.copy()
        for first, last in zip(np.r_[reduced[0], reduced[gaps + 1]], np.r_[reduced[gaps], reduced[-1]]):
            lo, hi = max(0, first - reach_out), min(len(needed), last + reach_out + 1)
            gain[lo:hi] = hold_and_smooth(needed[lo:hi], self.half)
        return gain

    def process(self, extended: np.ndarray, lead: int, length: int) -> np.ndarray:
        """Limit ``extended[lead:lead+length]``, given ``context`` frames around it where they exist."""
        gain = self.gain(extended)
        return (extended[lead : lead + length] * gain[lead : lead + length]).astype(np.float32)


@njit(cache=True, nogil=True)
def _interpolated_peaks(padded: np.ndarray, positions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """For each position, the largest magnitude of the oversampled phases: float32 multiply-adds in
    tap order (compiled; not BLAS, whose idle threads spin and steal a worker's core)."""
    taps, phases = weights.shape
    found = np.empty(len(positions), dtype=np.float32)
    accumulated = np.zeros(phases, dtype=np.float32)
    for index in range(len(positions)):
        position = positions[index]
        accumulated[:] = 0.0
        for tap in range(taps):
            sample = padded[position + tap]
            for phase in range(phases):
                accumulated[phase] += sample * weights[tap, phase]
        found[index] = np.abs(accumulated).max()
    return found


class RoomTone:
    """Soft, slightly low-passed noise at ``level_dbfs`` RMS.

    The noise is drawn as a pool of ``POOL`` chunks of ``CHUNK`` frames (about 24 s at 44.1 kHz), laid
    in a scrambled order along the chapter: no audible repetition at room-tone level, and a long
    chapter costs no more random numbers than a short one.
    """

    CHUNK = 1 << 16
    POOL = 16

    def __init__(self, level_dbfs: float, sample_rate: int, seed: int = 0):
        self.level = db_to_gain(level_dbfs)
        self.sample_rate = sample_rate
        self.seed = seed
        self._b, self._a = butterworth_lowpass_first_order(min(3000.0, sample_rate * 0.45), sample_rate)
        self._pool: dict[int, np.ndarray] = {}

    def _chunk(self, index: int) -> np.ndarray:
        entry = (index * 7 + index // self.POOL) % self.POOL
        if entry not in self._pool:
            noise = np.random.default_rng([self.seed, entry]).standard_normal(self.CHUNK + 512)
            shaped = _biquad(noise, self._b, self._a, np.zeros(2))[512:].astype(np.float64)
            self._pool[entry] = (shaped * (self.level / np.sqrt(np.mean(shaped**2)))).astype(np.float32)
        return self._pool[entry]

    def samples(self, start: int, length: int) -> np.ndarray:
        """Room tone for frames ``start`` to ``start + length`` of the chapter."""
        first, last = start // self.CHUNK, (start + length - 1) // self.CHUNK if length else start // self.CHUNK
        joined = np.concatenate([self._chunk(i) for i in range(first, last + 1)])
        offset = start - first * self.CHUNK
        return joined[offset : offset + length]
