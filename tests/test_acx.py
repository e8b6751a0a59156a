"""ACX metrics against numpy references computed by hand from their definitions (within 0.05 dB,
noise floor within 0.5 dB), on signals made here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from audiobook.mastering.acx import AcxMeter

RATE = 44100


def narration(seconds: float, head_s: float, tail_s: float, channels: int = 1, seed: int = 1,
              floor_dbfs: float = -68.0) -> np.ndarray:  # fmt: skip
    """Speech-like bursts between ``head_s`` of room tone and ``tail_s`` of room tone."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    syllables = np.repeat(rng.random(n // 2205 + 1) > 0.3, 2205)[:n].astype(float)
    speech = 0.1 * rng.standard_normal((n, channels)) * syllables[:, None]
    speech[: int(head_s * RATE)] = 0.0
    speech[n - int(tail_s * RATE) :] = 0.0
    # the speech must start and end on a loud syllable so the expected head/tail are exact
    speech[int(head_s * RATE) : int(head_s * RATE) + 2205] = 0.1 * rng.standard_normal((2205, channels))
    speech[n - int(tail_s * RATE) - 2205 : n - int(tail_s * RATE)] = 0.1 * rng.standard_normal((2205, channels))
    room = 10 ** (floor_dbfs / 20) * rng.standard_normal((n, channels))
    return (speech + room).astype(np.float32)


def measure(signal: np.ndarray, chunk: int = 30011):
    meter = AcxMeter(RATE, signal.shape[1])
    for start in range(0, len(signal), chunk):
        meter.add(signal[start : start + chunk])
    return meter.result()


def reference_floor(signal: np.ndarray) -> float:
    """Quietest 0.4 s window on a 0.1 s hop, complete windows only, by brute force."""
    x = signal.astype(np.float64)
    hop, width = RATE // 10, 4 * RATE // 10
    means = [np.mean(x[s : s + width] ** 2) for s in range(0, len(x) - width + 1, hop)]
    return 10 * math.log10(min(means))


@pytest.mark.parametrize("channels", [1, 2])
def test_rms_peak_floor_against_numpy(channels: int) -> None:
    signal = narration(40.0, 0.8, 3.0, channels=channels)
    result = measure(signal)
    x = signal.astype(np.float64)
    rms = 10 * math.log10(np.mean([np.mean(x[:, c] ** 2) for c in range(channels)]))
    assert result.rms_dbfs == pytest.approx(rms, abs=0.05)
    assert result.sample_peak_dbfs == pytest.approx(20 * math.log10(np.abs(x).max()), abs=0.05)
    assert result.noise_floor_dbfs == pytest.approx(reference_floor(signal), abs=0.5)
    assert result.duration_s == pytest.approx(len(signal) / RATE)


def test_sine_rms_is_3_db_under_its_peak() -> None:
    t = np.arange(RATE * 5) / RATE
    result = measure((0.5 * np.sin(2 * np.pi * 1000 * t))[:, None].astype(np.float32))
    assert result.sample_peak_dbfs == pytest.approx(-6.02, abs=0.01)
    assert result.rms_dbfs == pytest.approx(-6.02 - 3.01, abs=0.02)


def test_room_tone_head_and_tail() -> None:
    result = measure(narration(30.0, 0.75, 2.5))
    assert result.head_room_tone_s == pytest.approx(0.75, abs=0.02)
    assert result.tail_room_tone_s == pytest.approx(2.5, abs=0.02)


def test_room_tone_ignores_a_quiet_narrator_level() -> None:
    # 20 dB quieter narration and room tone: the threshold follows the speech, so the same answer
    quiet = narration(30.0, 0.6, 1.5) * np.float32(0.1)
    result = measure(quiet)
    assert result.head_room_tone_s == pytest.approx(0.6, abs=0.02)
    assert result.tail_room_tone_s == pytest.approx(1.5, abs=0.02)


def test_digital_silence_floor_is_minus_infinity() -> None:
    signal = narration(20.0, 1.0, 2.0, floor_dbfs=-400.0)
    signal[: RATE] = 0.0
    result = measure(signal)
    assert result.noise_floor_dbfs == -math.inf
    assert result.head_room_tone_s == pytest.approx(1.0, abs=0.02)


def test_all_silence_is_all_room_tone() -> None:
    result = measure(np.zeros((RATE * 3, 1), dtype=np.float32))
    assert result.rms_dbfs == -math.inf and result.sample_peak_dbfs == -math.inf
    assert result.head_room_tone_s == pytest.approx(3.0) and result.tail_room_tone_s == pytest.approx(3.0)


def test_shorter_than_one_window_has_no_floor() -> None:
    result = measure(narration(0.35, 0.0, 0.0))
    assert result.noise_floor_dbfs is None
    assert math.isfinite(result.rms_dbfs)


def test_block_size_does_not_change_anything() -> None:
    signal = narration(12.0, 0.7, 1.2, channels=2, seed=4)
    whole, pieces = measure(signal, chunk=len(signal)), measure(signal, chunk=997)
    for name in ("rms_dbfs", "sample_peak_dbfs", "noise_floor_dbfs", "head_room_tone_s", "tail_room_tone_s"):
        assert getattr(pieces, name) == pytest.approx(getattr(whole, name), abs=1e-6), name


def test_memory_does_not_grow_with_length() -> None:
    meter = AcxMeter(RATE, 1)
    block = narration(10.0, 0.0, 0.0, seed=9)
    for _ in range(30):  # 5 minutes
        meter.add(block)
    early = (len(meter._head), len(meter._tail), len(meter._window_carry), len(meter._hop_carry))
    for _ in range(30):
        meter.add(block)
    late = (len(meter._head), len(meter._tail), len(meter._window_carry), len(meter._hop_carry))
    assert late[2:] == early[2:] and late[2] <= 3
    assert late[0] <= 2601 and late[1] <= 2601  # bounded by the number of 0.1 dB level steps


def _stretch_meters(signal: np.ndarray, cuts: list[int]) -> AcxMeter:
    """Meters of the stretches between ``cuts`` (10 ms frames), folded into the first one's."""
    bounds = [0, *[c * RATE // 100 for c in cuts], len(signal)]
    meters = []
    for start_frame, lo, hi in zip([0, *cuts], bounds, bounds[1:]):
        meter = AcxMeter(RATE, signal.shape[1], start_frame=start_frame)
        for start in range(lo, hi, 30011):
            meter.add(signal[start : min(hi, start + 30011)])
        meters.append(meter)
    for later in meters[1:]:
        meters[0].extend(later)
    return meters[0]


@pytest.mark.parametrize("cuts", [[1000], [10, 20], [380, 390, 2000, 3990], [3980]])
def test_stretches_measured_apart_and_folded_give_the_whole_file(cuts: list[int]) -> None:
    """Cuts a hop or two apart, near the ends and at the quietest window: every window across a cut counts."""
    signal = narration(40.0, 0.8, 3.0, seed=4)
    signal[int(3.8 * RATE) : int(4.2 * RATE)] *= 1e-3  # the quietest 0.4 s window spans the cut at 3.9 s
    whole, folded = measure(signal), _stretch_meters(signal, cuts).result()
    assert whole.noise_floor_dbfs < -75
    for name in ("sample_peak_dbfs", "head_room_tone_s", "tail_room_tone_s", "duration_s", "speech_level_dbfs"):
        assert getattr(folded, name) == getattr(whole, name), name
    for name in ("rms_dbfs", "noise_floor_dbfs"):  # sums taken in another order
        assert getattr(folded, name) == pytest.approx(getattr(whole, name), abs=1e-6), name
    assert np.array_equal(folded.peak_series[1], whole.peak_series[1])


def test_a_meter_starts_on_a_hop_and_is_folded_only_where_the_last_ended() -> None:
    with pytest.raises(ValueError, match="hop boundary"):
        AcxMeter(RATE, 1, start_frame=15)
    first, later = AcxMeter(RATE, 1), AcxMeter(RATE, 1, start_frame=20)
    first.add(np.zeros(RATE // 10, dtype=np.float32))
    with pytest.raises(ValueError, match="starts at 10 ms frame 20"):
        first.extend(later)
    with pytest.raises(ValueError, match="folded into the first"):
        later.result()
