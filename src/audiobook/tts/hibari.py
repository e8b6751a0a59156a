"""hibari, a small neural engine (optional extra ``neural``: hibari-tts), with its bundled voice only.

hibari-tts ships one voice inside the package, ``heart`` (US female, 24 kHz); its other voices are
fetched from the network the first time they are asked for. This engine never lets that happen: it
accepts only ``heart``, gives hibari the bundled model file's path itself (so hibari's download code
is never reached), points HIBARI_HOME at an empty folder of its own and sets the usual offline
variables before hibari is imported. Any other voice is an InputError.

hibari draws its noise from a numpy generator that takes a seed: every take uses the same seed, so the
same text and profile give the same samples. The model has no random operators of its own, and its
ONNX sessions (the voice and the out-of-vocabulary G2P) run one intra-op thread. Pace is hibari's
speed; pitch is a post shift (:mod:`audiobook.tts.post`). Sentences are joined with
SENTENCE_PAUSE_S of silence. Safe to import without hibari-tts: it is imported at the first take.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np

from audiobook.casting.profile import VoiceProfile
from audiobook.errors import BuildError, InputError
from audiobook.tts.engine import Audio, EngineVoice
from audiobook.tts.takes import model_hash
from audiobook.tts.post import engine_pace, shift_pitch, trim_silence

BUNDLED_VOICE = "heart"
INSTALL_HINT = "pip install 'audiobook[neural]'"
NOISE_SEED = 1
"""Seed of hibari's noise generator for every take."""
SENTENCE_PAUSE_S = 0.25
"""Silence between two sentences of one take, in seconds."""
OFFLINE_ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def is_installed() -> bool:
    return importlib.util.find_spec("hibari") is not None and importlib.util.find_spec("onnxruntime") is not None


def bundled_model_path() -> Path | None:
    """The bundled voice's .onnx file inside the installed hibari-tts, or None."""
    spec = importlib.util.find_spec("hibari")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0], "assets", "hibari.onnx")
    return path if path.is_file() else None


def has_voice(voice: str) -> bool:
    return voice == BUNDLED_VOICE and is_installed() and bundled_model_path() is not None


def _package(name: str) -> str:
    try:
        return package_version(name)
    except PackageNotFoundError:
        return "none"


def _go_offline() -> None:
    os.environ.update(OFFLINE_ENVIRONMENT)
    home = Path(tempfile.gettempdir(), f"audiobook-hibari-offline-{os.getuid()}")
    home.mkdir(exist_ok=True)
    os.environ["HIBARI_HOME"] = str(home)


class HibariEngine:
    name = "hibari"

    def __init__(self) -> None:
        if not is_installed():
            raise InputError(f"the hibari engine needs hibari-tts: {INSTALL_HINT}")
        self._tts: Any = None

    @classmethod
    def version(cls) -> str:
        model = bundled_model_path()
        return f"hibari-tts {_package('hibari-tts')} onnxruntime {_package('onnxruntime')}" + (
            f" heart {model_hash(model)}" if model else ""
        )

    def voice_version(self, voice: str) -> str:
        return self.version()

    def voices(self) -> list[EngineVoice]:
        return [EngineVoice(BUNDLED_VOICE, "hibari heart", "F", "en-us")] if bundled_model_path() else []

    def _load(self) -> Any:
        if self._tts is None:
            model = bundled_model_path()
            if model is None:
                raise InputError(f"hibari-tts has no bundled voice model: {INSTALL_HINT}")
            _go_offline()
            from hibari import Hibari

            self._tts = Hibari(voice=BUNDLED_VOICE, model=str(model), threads=1)
            self._tts.phonemize("Ready.")  # load the G2P once, not in the first take
        return self._tts

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        """Render ``text``; pace is hibari's speed, pitch is shifted after (semitones)."""
        if profile.voice != BUNDLED_VOICE:
            raise InputError(
                f"voice profile {profile.name}: hibari voice {profile.voice!r} is not bundled; only 'heart' is "
                "used (other hibari voices would be downloaded)"
            )
        tts = self._load()
        speed = engine_pace(profile.pace, profile.pitch)
        rng = np.random.default_rng(NOISE_SEED)
        gap = np.zeros(round(SENTENCE_PAUSE_S * tts.sample_rate), dtype=np.float32)
        parts: list[np.ndarray] = []
        try:
            for phonemes in tts.phonemize(text):
                if parts:
                    parts.append(gap)
                sentence = np.asarray(tts.from_ids(tts.ids(phonemes), speed, rng), dtype=np.float32)
                parts.append(trim_silence(sentence, tts.sample_rate))
        except Exception as error:  # hibari's own errors: say which take
            raise BuildError(f"voice profile {profile.name}: hibari failed on {text[:40]!r} ({error})") from None
        samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        return Audio(shift_pitch(np.clip(samples, -1.0, 1.0), profile.pitch), tts.sample_rate)
