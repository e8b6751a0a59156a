"""Neural engines (Piper, hibari), post pitch shift, shipped voice profiles, and the lexicon reaching the engine.

Piper is only ever loaded in a subprocess here: this test process has espeak-ng from espeakng-loader
loaded, and Piper's own espeak-ng copy must not share a process with it unless loaded with the care
audiobook.tts.piper takes (which one test checks, also in a subprocess).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from audiobook.casting.lexicon import Lexicon, LexiconEntry
from audiobook.casting.profile import VoiceProfile, load_profiles
from audiobook.casting.speech_text import prepare_for_engine
from audiobook.errors import InputError
from audiobook.tts import hibari as hibari_module
from audiobook.tts import piper as piper_module
from audiobook.tts.engine import engine_names, load_engine
from audiobook.tts.post import shift_pitch, trim_silence

LINE = "Is that you, Mara? I thought you had gone up to the lamp."
needs_piper = pytest.mark.skipif(not piper_module.has_voice("joe"), reason="neural extra not installed")
needs_hibari = pytest.mark.skipif(not hibari_module.has_voice("heart"), reason="neural extra not installed")


def _median_f0_hz(samples: np.ndarray, rate: int) -> float:
    import librosa

    f0 = librosa.yin(samples.astype(np.float32), fmin=60, fmax=500, sr=rate, frame_length=2048)
    voiced = f0[(f0 > 61) & (f0 < 499)]
    return float(np.median(voiced))


def _run(code: str, tmp_path: Path) -> dict:
    """Run ``code`` in a fresh interpreter; it writes results.npz and prints a JSON line."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- Piper (in subprocesses) ------------------------------------------------------------------------

_PIPER_TAKES = """
import json, numpy as np
from audiobook.casting.lexicon import Lexicon, LexiconEntry
from audiobook.casting.profile import VoiceProfile
from audiobook.casting.speech_text import prepare_for_engine
from audiobook.tts.engine import load_engine
engine = load_engine("piper")
plain = VoiceProfile("p", "piper", "joe")
lexicon = Lexicon()
lexicon.add(LexiconEntry("Mara", respelling="MAIR-uh", piper="mˈɛɹə"))
edited = prepare_for_engine(%(line)r, lexicon, "piper")
takes = {
    "first": engine.synthesize(%(line)r, plain),
    "other": engine.synthesize("Something else entirely, to move any state on.", plain),
    "again": engine.synthesize(%(line)r, plain),
    "up": engine.synthesize(%(line)r, VoiceProfile("u", "piper", "joe", pitch=2.5)),
    "fast": engine.synthesize(%(line)r, VoiceProfile("f", "piper", "joe", pace=1.3)),
    "lexicon": engine.synthesize(edited, plain),
}
np.savez("results.npz", **{k: v.samples for k, v in takes.items()})
print(json.dumps({"rate": takes["first"].sample_rate, "version": engine.version(), "edited": edited}))
"""


@pytest.fixture(scope="module")
def piper_takes(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, np.ndarray]]:
    folder = tmp_path_factory.mktemp("piper")
    info = _run(_PIPER_TAKES % {"line": LINE}, folder)
    with np.load(folder / "results.npz") as data:
        return info, {k: data[k] for k in data.files}


@needs_piper
def test_piper_renders_real_speech(piper_takes: tuple[dict, dict[str, np.ndarray]]) -> None:
    info, takes = piper_takes
    first = takes["first"]
    assert info["rate"] == 22050
    assert 2.0 < len(first) / 22050 < 6.0
    assert np.sqrt(np.mean(first**2)) > 0.02
    assert 70 < _median_f0_hz(first, 22050) < 180  # an adult male voice
    assert info["version"].startswith("piper-tts ") and " joe " in info["version"]


@needs_piper
@pytest.mark.parametrize("order", ["espeak-then-piper", "piper-then-espeak"])
def test_piper_takes_are_deterministic_and_share_a_process_with_espeak(
    order: str, piper_takes: tuple[dict, dict[str, np.ndarray]], tmp_path: Path
) -> None:
    """The same take from another process, after other takes, with espeak-ng loaded before or after
    Piper's own espeak-ng (loaded with RTLD_DEEPBIND: no crash whichever engine comes first)."""
    import hashlib

    _, takes = piper_takes
    assert np.array_equal(takes["first"], takes["again"])
    code = """
    import hashlib, json
    from audiobook.casting.profile import VoiceProfile
    from audiobook.tts.engine import load_engine
    names = %r
    seconds = {}
    for _ in range(2):
        for name, voice in names:
            seconds[name] = load_engine(name).synthesize("Hello there, keeper.", VoiceProfile("x", name, voice)).duration_s
    take = load_engine("piper").synthesize(%r, VoiceProfile("p", "piper", "joe"))
    print(json.dumps({**seconds, "sha": hashlib.sha1(take.samples.tobytes()).hexdigest()}))
    """
    names = [("espeak", "gmw/en-us"), ("piper", "joe")]
    if order == "piper-then-espeak":
        names.reverse()
    found = _run(code % (names, LINE), tmp_path)
    assert found["espeak"] > 0.5 and found["piper"] > 0.5
    assert found["sha"] == hashlib.sha1(takes["first"].tobytes()).hexdigest()


@needs_piper
def test_piper_pitch_and_pace(piper_takes: tuple[dict, dict[str, np.ndarray]]) -> None:
    _, takes = piper_takes
    shift = 12 * np.log2(_median_f0_hz(takes["up"], 22050) / _median_f0_hz(takes["first"], 22050))
    assert 1.5 < shift < 3.5
    assert len(takes["fast"]) < 0.95 * len(takes["first"])


@needs_piper
def test_piper_reads_the_lexicon(piper_takes: tuple[dict, dict[str, np.ndarray]]) -> None:
    info, takes = piper_takes
    assert info["edited"] == "Is that you, [[mˈɛɹə]]? I thought you had gone up to the lamp."
    assert len(takes["lexicon"]) != len(takes["first"]) or not np.array_equal(takes["lexicon"], takes["first"])


def test_piper_user_voice_path_errors_are_input_errors(tmp_path: Path) -> None:
    if not piper_module.is_installed():
        with pytest.raises(InputError, match=r"audiobook\[neural\]"):
            piper_module.PiperEngine()
        return
    engine = piper_module.PiperEngine()
    missing = VoiceProfile("mine", "piper", str(tmp_path / "nobody.onnx"))
    with pytest.raises(InputError, match="voice profile mine: Piper voice .*nobody.onnx"):
        engine.synthesize("Hello.", missing)
    assert not piper_module.has_voice(str(tmp_path / "nobody.onnx"))
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"not a model")
    Path(f"{model}.json").write_text("{}")
    assert piper_module.has_voice(str(model))
    with pytest.raises(InputError, match="broken.onnx"):
        engine.synthesize("Hello.", VoiceProfile("broken", "piper", str(model)))


def test_missing_engine_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper_module, "is_installed", lambda: False)
    monkeypatch.setattr(hibari_module, "is_installed", lambda: False)
    with pytest.raises(InputError, match=r"piper-tts: pip install 'audiobook\[neural\]'"):
        piper_module.PiperEngine()
    with pytest.raises(InputError, match=r"hibari-tts: pip install 'audiobook\[neural\]'"):
        hibari_module.HibariEngine()
    assert not piper_module.has_voice("joe") and not hibari_module.has_voice("heart")


def test_engines_are_registered_and_import_without_loading_piper() -> None:
    assert {"espeak", "piper", "hibari"} <= set(engine_names())
    code = "import sys, audiobook.tts.piper, audiobook.tts.hibari; print(sorted(m for m in sys.modules if m.split('.')[0] in ('piper', 'hibari')))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


# -- hibari ---------------------------------------------------------------------------------------


@needs_hibari
def test_hibari_renders_deterministically_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    engine = load_engine("hibari")
    plain = VoiceProfile("h", "hibari", "heart")
    first = engine.synthesize(LINE, plain)
    engine.synthesize("Something else entirely, to move any state on.", plain)
    again = engine.synthesize(LINE, plain)
    assert first.sample_rate == 24000
    assert 2.0 < first.duration_s < 6.0
    assert np.sqrt(np.mean(first.samples**2)) > 0.02
    assert np.array_equal(first.samples, again.samples)
    assert 150 < _median_f0_hz(first.samples, 24000) < 300  # an adult female voice
    up = engine.synthesize(LINE, VoiceProfile("h", "hibari", "heart", pitch=-2.5))
    shift = 12 * np.log2(_median_f0_hz(up.samples, 24000) / _median_f0_hz(first.samples, 24000))
    assert -3.5 < shift < -1.5
    assert " heart " in engine.version()


@needs_hibari
def test_hibari_refuses_voices_it_would_download() -> None:
    with pytest.raises(InputError, match="'emma' is not bundled"):
        load_engine("hibari").synthesize("Hello.", VoiceProfile("x", "hibari", "emma"))


@needs_hibari
def test_hibari_lexicon_respelling_changes_text_and_audio() -> None:
    lexicon = Lexicon()
    plain = prepare_for_engine(LINE, lexicon, "hibari")
    lexicon.add(LexiconEntry("Mara", respelling="MAIR-ah", piper="mˈɛɹə"))
    edited = prepare_for_engine(LINE, lexicon, "hibari")
    assert plain == LINE and edited == LINE.replace("Mara", "MAIR-ah")
    engine = load_engine("hibari")
    profile = VoiceProfile("h", "hibari", "heart")
    before, after = engine.synthesize(plain, profile), engine.synthesize(edited, profile)
    assert len(before.samples) != len(after.samples) or not np.array_equal(before.samples, after.samples)


# -- post-processing, profiles ---------------------------------------------------------------------


def test_shift_pitch_moves_a_tone_and_keeps_its_level() -> None:
    rate = 22050
    t = np.arange(rate) / rate
    tone = (0.5 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    up = shift_pitch(tone, 3.0)
    spectrum = np.abs(np.fft.rfft(up * np.hanning(len(up))))
    peak_hz = np.argmax(spectrum) * rate / len(up)
    assert abs(peak_hz - 200 * 2 ** (3 / 12)) < 3
    assert abs(len(up) - rate / 2 ** (3 / 12)) < 3
    assert abs(np.abs(up[1000:-1000]).max() - 0.5) < 0.01
    assert np.array_equal(shift_pitch(tone, 0.0), tone)
    assert len(shift_pitch(tone, 9.0)) == len(up)  # clamped to 3 semitones


def test_trim_silence_keeps_a_margin() -> None:
    rate = 24000
    sound = np.concatenate([np.zeros(rate), 0.3 * np.ones(rate // 2), np.zeros(rate)]).astype(np.float32)
    trimmed = trim_silence(sound, rate, keep_s=0.05)
    assert len(trimmed) == rate // 2 + 2 * round(0.05 * rate)
    assert len(trim_silence(np.zeros(100, np.float32), rate)) == 0


def test_shipped_profiles_give_eight_distinct_voices_within_limits() -> None:
    profiles = load_profiles()
    neural = [p for p in profiles.values() if p.engine in ("piper", "hibari")]
    assert {(p.engine, p.voice) for p in neural} == {("piper", "joe"), ("hibari", "heart")}
    assert len(neural) >= 8
    for profile in profiles.values():
        assert -3 <= profile.pitch <= 3, profile.name
    espeak_random = ("+f2", "+f3", "+f5", "+alicia")
    assert not [p.name for p in profiles.values() if p.voice.lower().endswith(espeak_random)]
    distinct = {(p.engine, p.voice, p.pace, p.pitch) for p in profiles.values()}
    assert len(distinct) == len(profiles) >= 16
