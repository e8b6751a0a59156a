"""TTS stage: the espeak engine, the take store and rendering."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from audiobook.casting.profile import VoiceProfile, load_profiles
from audiobook.errors import InputError
from audiobook.tts.engine import Audio, engine_names, load_engine
from audiobook.tts.executor import InlineExecutor, LocalProcessExecutor
from audiobook.tts.forked import run_forked
from audiobook.tts.render import make_job, render_takes
from audiobook.tts.takes import TakeStore, take_key

LINE = "The lamp at Gull Point had not missed a night in forty years."

_DIGESTS = """
import hashlib, json
from audiobook.casting.profile import load_profiles
from audiobook.tts.engine import load_engine
engine = load_engine("espeak")
profiles = [p for p in load_profiles().values() if p.engine == "espeak"]
print(json.dumps({p.name: hashlib.sha1(engine.synthesize(%r, p).samples.tobytes()).hexdigest() for p in profiles}))
"""


def test_espeak_is_registered_and_speaks_every_shipped_profile() -> None:
    assert "espeak" in engine_names()
    engine = load_engine("espeak")
    for profile in load_profiles().values():
        if profile.engine != "espeak":
            continue
        audio = engine.synthesize(LINE, profile)
        assert audio.sample_rate == 22050
        assert 2.0 < audio.duration_s < 8.0, profile.name
        assert np.sqrt(np.mean(audio.samples**2)) > 0.01


def test_espeak_takes_are_the_same_in_any_order_and_any_process() -> None:
    """A take must be a pure function of text and voice: resume and caching depend on it."""
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", _DIGESTS % LINE], capture_output=True, text=True, check=True).stdout)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    engine = load_engine("espeak")
    profiles = [p for p in load_profiles().values() if p.engine == "espeak"]
    for profile in reversed(profiles):  # another order, in this process
        digest = hashlib.sha1(engine.synthesize(LINE, profile).samples.tobytes()).hexdigest()
        assert digest == runs[0][profile.name]


def test_pace_and_pitch_change_the_take() -> None:
    engine = load_engine("espeak")
    base = VoiceProfile("a", "espeak", "gmw/en-us+m3")
    normal = engine.synthesize(LINE, base)
    faster = engine.synthesize(LINE, VoiceProfile("b", "espeak", "gmw/en-us+m3", pace=1.5))
    higher = engine.synthesize(LINE, VoiceProfile("c", "espeak", "gmw/en-us+m3", pitch=3.0))
    assert faster.duration_s < 0.8 * normal.duration_s
    assert not np.array_equal(higher.samples[: len(normal.samples)], normal.samples[: len(higher.samples)])


def test_unknown_voice_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no voice 'gmw/en-xx'"):
        load_engine("espeak").synthesize("Hi.", VoiceProfile("bad", "espeak", "gmw/en-xx"))
    with pytest.raises(InputError, match="unknown TTS engine 'nope'"):
        load_engine("nope")


def test_take_store_detects_damage(tmp_path: Path) -> None:
    store = TakeStore(tmp_path)
    store.save("ab12", Audio(np.linspace(-0.5, 0.5, 22050, dtype=np.float32), 22050))
    assert store.is_valid("ab12") and store.frames("ab12") == (22050, 22050)
    data = store.path("ab12").read_bytes()
    store.path("ab12").write_bytes(data[: len(data) // 2])
    assert not store.is_valid("ab12")
    assert not store.is_valid("missing")


def test_take_key_covers_text_voice_and_engine_version() -> None:
    profile = VoiceProfile("a", "espeak", "gmw/en-us")
    key = take_key("Hello.", profile, "1")
    assert key != take_key("Hello!", profile, "1")
    assert key != take_key("Hello.", VoiceProfile("a", "espeak", "gmw/en-us", pitch=1.0), "1")
    assert key != take_key("Hello.", profile, "2")
    assert key == take_key("Hello.", VoiceProfile("renamed", "espeak", "gmw/en-us", description="x"), "1")


@pytest.mark.parametrize("executor", [InlineExecutor(), LocalProcessExecutor(2)], ids=["inline", "two-workers"])
def test_render_takes_renders_missing_and_reuses_the_rest(tmp_path: Path, executor) -> None:
    store = TakeStore(tmp_path)
    profile = load_profiles()["espeak-us-f-warm"]
    jobs = [make_job(f"Line number {i}.", profile, store) for i in range(6)]
    first = render_takes(jobs, store, executor)
    assert (first.takes_total, first.takes_rendered, first.takes_cached) == (6, 6, 0)
    assert first.audio_seconds > 3
    store.path(jobs[0].key).write_bytes(b"not audio")
    second = render_takes(jobs + jobs[:2], store, executor)
    assert (second.takes_total, second.takes_rendered, second.takes_cached) == (6, 1, 5)
    assert second.audio_seconds == pytest.approx(first.audio_seconds)


def test_a_voice_file_is_known_by_its_content(tmp_path: Path) -> None:
    model = tmp_path / "my-voice.onnx"
    model.write_bytes(b"first model")
    profile = VoiceProfile("mine", "piper", str(model))
    before = take_key("Hello.", profile, "1")
    assert before == take_key("Hello.", profile, "1")
    model.write_bytes(b"second model, retrained")
    assert take_key("Hello.", profile, "1") != before


def test_a_forked_take_finishes_through_ctrl_c_and_the_parent_alone_stops() -> None:
    """Ctrl-C reaches the whole process group: the child rendering a take ignores it (an interrupt in an
    engine's C callback would be printed as ignored), and the interrupted parent takes its child down."""

    def interrupted_child() -> bytes:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        return b"take"

    assert run_forked(interrupted_child) == b"take"
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_forked(lambda: time.sleep(30) or b"never")
    assert time.monotonic() - started < 5
    try:
        left = os.waitpid(-1, os.WNOHANG)  # a child killed but not reaped would be reaped here
    except ChildProcessError:
        left = (0, 0)
    assert left == (0, 0)
