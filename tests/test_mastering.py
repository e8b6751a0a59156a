"""Mastering: joined espeak takes come out at ACX levels, measured on the decoded MP3."""

from __future__ import annotations

from pathlib import Path

import mutagen.mp3
import numpy as np
import pytest

from audiobook.casting.profile import load_profiles
from audiobook.mastering.chain import PeakLimiter, RoomTone
from audiobook.mastering.ffmpeg import decode, probe
from audiobook.mastering.master import MasterSettings, master_chapter
from audiobook.mastering.timeline import PAUSE_S, Segment, Timeline
from audiobook.tts.engine import load_engine
from audiobook.tts.takes import TakeStore, take_key

LINES = [
    ("The storm came in from the west, low and fast.", "espeak-narrator-us-m", "paragraph"),
    ("Hold the light on the north channel!", "espeak-us-m-deep", "sentence"),
    ("I will. I promise.", "espeak-us-f-warm", "scene"),
    ("By morning the sea was flat and grey, as if nothing had happened at all.", "espeak-narrator-us-m", "paragraph"),
]


def db(x: float) -> float:
    return 20 * np.log10(x)


@pytest.fixture(scope="module")
def mastered(tmp_path_factory) -> tuple[Path, Timeline, TakeStore]:
    folder = tmp_path_factory.mktemp("master")
    store = TakeStore(folder / "takes")
    engine = load_engine("espeak")
    profiles = load_profiles()
    segments = []
    for i, (text, name, pause) in enumerate(LINES):
        key = take_key(text, profiles[name], engine.version())
        store.save(key, engine.synthesize(text, profiles[name]))
        segments.append(Segment(f"c{i}", key, 0.0, PAUSE_S[pause]))
    timeline = Timeline(segments)
    out = folder / "01 - Storm.mp3"
    master_chapter(timeline, store, out, MasterSettings())
    return out, timeline, store


def test_master_is_acx_shaped(mastered) -> None:
    path, _, _ = mastered
    info = probe(path)
    assert (info.codec, info.sample_rate, info.channels) == ("mp3", 44100, 1)
    mp3 = mutagen.mp3.MP3(path)
    assert mp3.info.bitrate == 192000 and mp3.info.bitrate_mode in (mutagen.mp3.BitrateMode.CBR, mutagen.mp3.BitrateMode.UNKNOWN)
    samples, rate = decode(path)
    x = samples[:, 0].astype(np.float64)
    assert -23 <= db(np.sqrt(np.mean(x**2))) <= -18
    assert db(np.abs(x).max()) <= -3.0
    window, hop = int(0.4 * rate), int(0.1 * rate)
    cumulative = np.concatenate([[0.0], np.cumsum(x**2)])
    floor = min(np.sqrt((cumulative[i + window] - cumulative[i]) / window) for i in range(0, len(x) - window + 1, hop))
    assert -90 <= db(floor) <= -60  # low-level room tone, never digital silence
    loud = np.flatnonzero(np.abs(x) > 10 ** (-40 / 20))
    assert 0.5 <= loud[0] / rate <= 1.0
    assert 1.0 <= (len(x) - loud[-1]) / rate <= 5.0


def test_cue_timings_match_the_audio(mastered) -> None:
    path, timeline, store = mastered
    samples, rate = decode(path)
    x = np.abs(samples[:, 0])
    for timing in timeline.timings(store):
        start = int(timing.start_s * rate)
        before = x[max(0, start - int(0.05 * rate)) : start]
        assert before.max() < 10 ** (-45 / 20)  # silence just before each take
        assert x[start : start + int(0.3 * rate)].max() > 10 ** (-30 / 20)  # speech right after


def test_limiter_holds_the_ceiling_and_is_identical_in_blocks() -> None:
    rng = np.random.default_rng(3)
    signal = (rng.standard_normal(44100) * 0.3).astype(np.float32)
    limiter = PeakLimiter(-6.0, 44100)
    whole = limiter.process(signal, 0, len(signal))
    assert db(limiter.peaks(whole).max()) <= -5.9
    context, half = limiter.context, len(signal) // 2
    first = limiter.process(signal[: half + context], 0, half)
    second = limiter.process(signal[half - context :], context, len(signal) - half)
    np.testing.assert_allclose(np.concatenate([first, second]), whole, atol=1e-6)


def test_room_tone_is_deterministic_and_at_level() -> None:
    tone = RoomTone(-72.0, 44100, seed=7)
    a = tone.samples(1000, 100000)
    assert np.array_equal(a, RoomTone(-72.0, 44100, seed=7).samples(1000, 100000))
    assert np.array_equal(a[50000:], tone.samples(51000, 50000))
    assert db(np.sqrt(np.mean(a.astype(np.float64) ** 2))) == pytest.approx(-72.0, abs=0.5)
