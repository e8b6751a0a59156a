"""The processing chain's effects, each a small object with its sample rate given explicitly.

- :class:`HighPass`: removes rumble below the speech band (Butterworth, streaming with filter state).
- :class:`PeakLimiter`: look-ahead limiter on 4x-oversampled peaks (an estimate of true peak, as in
  ITU-R BS.1770 Annex 2), so the gain is already down when a peak arrives and never overshoots.
- :class:`RoomTone`: low-level noise, never digital silence, laid under the whole chapter; it is
  deterministic (the same samples at the same position on every build).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, lfilter, resample_poly, sosfilt, sosfilt_zi


def db_to_gain(db: float) -> float:
    return float(10 ** (db / 20))


class HighPass:
    def __init__(self, cutoff_hz: float, sample_rate: int, order: int = 2):
        self.sos = butter(order, cutoff_hz, btype="highpass", fs=sample_rate, output="sos")
        self._state = sosfilt_zi(self.sos) * 0.0

    def process(self, block: np.ndarray) -> np.ndarray:
        """Filter the next block of a mono stream."""
        out, self._state = sosfilt(self.sos, block, zi=self._state)
        return out.astype(np.float32)


class PeakLimiter:
    """Keep 4x-oversampled peaks at or below ``ceiling_dbtp``.

    Gain is the running minimum of the needed reduction over +/- ``window_s``, smoothed by a moving
    average of the same width: the smoothed gain never exceeds the needed gain at any sample.
    """

    OVERSAMPLE = 4

    def __init__(self, ceiling_dbtp: float, sample_rate: int, window_s: float = 0.02):
        self.ceiling = db_to_gain(ceiling_dbtp)
        self.half = max(1, round(window_s * sample_rate))

    @property
    def context(self) -> int:
        """Frames of audio needed on each side of a block to limit it exactly as the whole signal."""
        return 2 * self.half + 8

    def peaks(self, samples: np.ndarray) -> np.ndarray:
        """Per-sample peak magnitude of the 4x-oversampled signal."""
        upsampled = resample_poly(samples, self.OVERSAMPLE, 1)
        return np.abs(upsampled).reshape(-1, self.OVERSAMPLE).max(axis=1)

    def gain(self, samples: np.ndarray) -> np.ndarray:
        peak = self.peaks(samples)
        needed = np.minimum(1.0, self.ceiling / np.maximum(peak, 1e-12))
        held = minimum_filter1d(needed, size=2 * self.half + 1, mode="nearest")
        return np.minimum(uniform_filter1d(held, size=2 * self.half + 1, mode="nearest"), needed)

    def process(self, extended: np.ndarray, lead: int, length: int) -> np.ndarray:
        """Limit ``extended[lead:lead+length]``, given ``context`` frames around it where they exist."""
        gain = self.gain(extended)
        return (extended[lead : lead + length] * gain[lead : lead + length]).astype(np.float32)


class RoomTone:
    """Soft, slightly low-passed noise at ``level_dbfs`` RMS."""

    CHUNK = 1 << 16

    def __init__(self, level_dbfs: float, sample_rate: int, seed: int = 0):
        self.level = db_to_gain(level_dbfs)
        self.sample_rate = sample_rate
        self.seed = seed
        self._b, self._a = butter(1, min(3000.0, sample_rate * 0.45), fs=sample_rate)

    def _chunk(self, index: int) -> np.ndarray:
        noise = np.random.default_rng([self.seed, index]).standard_normal(self.CHUNK + 512)
        shaped = lfilter(self._b, self._a, noise)[512:]
        return (shaped * (self.level / np.sqrt(np.mean(shaped**2)))).astype(np.float32)

    def samples(self, start: int, length: int) -> np.ndarray:
        """Room tone for frames ``start`` to ``start + length`` of the chapter."""
        first, last = start // self.CHUNK, (start + length - 1) // self.CHUNK if length else start // self.CHUNK
        joined = np.concatenate([self._chunk(i) for i in range(first, last + 1)])
        offset = start - first * self.CHUNK
        return joined[offset : offset + length]
