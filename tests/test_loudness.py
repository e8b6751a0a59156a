"""Loudness meter details beyond the EBU cases: the K-filter derivation, short files, blocks, memory."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.signal import sosfreqz

from audiobook.mastering.loudness import (
    PRE_FILTER_48K,
    RLB_FILTER_48K,
    LoudnessMeter,
    k_weighting_sos,
    oversampling_factor,
    true_peak_phases,
)


def test_k_weighting_at_48k_is_the_standard_table() -> None:
    sos = k_weighting_sos(48000)
    assert np.allclose(sos[0], PRE_FILTER_48K, atol=1e-12)
    assert np.allclose(sos[1], RLB_FILTER_48K, atol=1e-12)


@pytest.mark.parametrize("rate,tolerance_db", [(22050, 0.035), (32000, 0.012), (44100, 0.002), (88200, 0.007), (96000, 0.007)])
def test_k_weighting_matches_48k_response_at_other_rates(rate: int, tolerance_db: float) -> None:
    freqs = np.geomspace(20.0, 10000.0, 60)
    _, ref = sosfreqz(k_weighting_sos(48000), worN=freqs, fs=48000)
    _, got = sosfreqz(k_weighting_sos(rate), worN=freqs, fs=rate)
    diff = 20 * np.log10(np.abs(got)) - 20 * np.log10(np.abs(ref))
    assert np.abs(diff).max() < tolerance_db


def test_k_weighting_shape() -> None:
    # +4 dB shelf above ~2 kHz, 0 dB-ish at 1 kHz (+0.69 dB, cancelled by the -0.691 offset), -3 dB near 38 Hz...
    _, h = sosfreqz(k_weighting_sos(44100), worN=[1000.0, 10000.0, 20.0], fs=44100)
    db = 20 * np.log10(np.abs(h))
    assert db[0] == pytest.approx(0.69, abs=0.02)
    assert db[1] == pytest.approx(4.0, abs=0.2)
    assert db[2] < -10.0


def _noise(seconds: float, rate: int, channels: int = 1, seed: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (0.05 * rng.standard_normal((int(seconds * rate), channels))).astype(np.float32)


def test_integrated_agrees_with_pyloudnorm_within_its_filter_error() -> None:
    import pyloudnorm

    signal = _noise(20.0, 48000, channels=2)
    meter = LoudnessMeter(48000, 2)
    meter.add(signal)
    ours = meter.result().integrated_lufs
    theirs = pyloudnorm.Meter(48000).integrated_loudness(signal.astype(np.float64))
    assert ours - theirs == pytest.approx(0.0, abs=0.1)


def test_shorter_than_400_ms_reads_minus_infinity_but_still_a_peak() -> None:
    meter = LoudnessMeter(44100, 1)
    t = np.arange(int(0.3 * 44100)) / 44100
    meter.add((0.5 * np.sin(2 * np.pi * 440 * t))[:, None])
    result = meter.result()
    assert result.integrated_lufs == -math.inf
    assert result.max_momentary_lufs == -math.inf and result.max_short_term_lufs == -math.inf
    assert result.true_peak_dbtp == pytest.approx(-6.02, abs=0.05)
    assert result.duration_s == pytest.approx(0.3, abs=1e-4)


def test_no_partial_last_block() -> None:
    # 1.05 s: complete blocks end at 0.4 .. 1.0 s (7 of them); the last 50 ms starts no block
    meter = LoudnessMeter(48000, 1)
    meter.add(_noise(1.05, 48000))
    assert len(meter.momentary_lufs()) == 7


def test_block_size_does_not_change_the_result() -> None:
    signal = _noise(8.0, 44100, channels=2, seed=5)
    a, b = LoudnessMeter(44100, 2), LoudnessMeter(44100, 2)
    a.add(signal)
    for start in range(0, len(signal), 333):
        b.add(signal[start : start + 333])
    ra, rb = a.result(), b.result()
    for name in ("integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs", "true_peak_dbtp"):
        assert getattr(rb, name) == pytest.approx(getattr(ra, name), abs=1e-3), name


def test_state_is_bounded_by_seconds_not_length() -> None:
    meter = LoudnessMeter(44100, 1)
    block = _noise(10.0, 44100)
    for _ in range(12):
        meter.add(block)
    assert len(meter._carry_power) == 599 and len(meter._tp_history) == 15
    # the only growth: one float per 100 ms for the gating blocks and one for the LRA windows
    assert sum(len(b) for b in meter._block_power) == 1197


def test_oversampling_by_rate() -> None:
    assert [oversampling_factor(r) for r in (44100, 48000, 96000, 192000)] == [4, 4, 2, 1]
    phases = true_peak_phases(4)
    assert phases.shape == (3, 16)
    assert np.allclose(phases.sum(axis=1), 1.0, atol=1e-6)


def test_true_peak_finds_the_intersample_peak_of_a_fast_sine() -> None:
    rate = 44100
    t = np.arange(rate) / rate
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)
    x = (np.sin(2 * np.pi * 11025 * t + np.pi / 4) * fade)[:, None]  # samples 3 dB under the crest
    meter = LoudnessMeter(rate, 1)
    meter.add(x)
    assert 20 * np.log10(np.abs(x).max()) == pytest.approx(-3.01, abs=0.02)
    assert meter.result().true_peak_dbtp == pytest.approx(0.0, abs=0.1)


def test_short_term_series_is_decimated_for_long_programmes() -> None:
    meter = LoudnessMeter(8000, 1)
    block = _noise(60.0, 8000)
    for _ in range(5):
        meter.add(block)
    times, lufs = meter.result().short_term_series
    assert len(times) == len(lufs) <= 2000
    assert times[0] == pytest.approx(3.0)
