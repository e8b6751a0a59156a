"""espeak-ng through pyttsx3, the embedded default engine.

espeak-ng itself comes from the espeakng-loader wheel: its library is preloaded with RTLD_GLOBAL and
ESPEAK_DATA_PATH set before ``pyttsx3.init()``, so pyttsx3's own load finds it with no system package.
pyttsx3's ``runAndWait`` can return before the WAV file is complete, so each take waits for the
``finished-utterance`` callback. One espeak instance per process.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import tempfile
from importlib.metadata import version as package_version
from pathlib import Path

import numpy as np
import soundfile

from audiobook.casting.profile import VoiceProfile
from audiobook.errors import InputError
from audiobook.tts.engine import Audio, EngineVoice

NORMAL_RATE_WPM = 175
"""espeak-ng's default speaking rate in words per minute; a profile's pace multiplies it."""
PITCH_PER_SEMITONE = 6.0
"""espeak-ng pitch parameter (0-99, normal 50) units per semitone, approximately."""


class EspeakEngine:
    name = "espeak"

    def __init__(self) -> None:
        import espeakng_loader

        data_path = espeakng_loader.get_data_path()
        if not Path(data_path, "phontab").exists():
            raise InputError(f"espeak-ng data not found at {data_path}; reinstall espeakng-loader")
        os.environ["ESPEAK_DATA_PATH"] = str(data_path)
        ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
        import pyttsx3

        self._driver = pyttsx3.init("espeak")
        self._finished = 0
        self._driver.connect("finished-utterance", self._on_finished)
        self._known = {voice.id.lower() for voice in self._driver.getProperty("voices")}
        self._tmpdir = tempfile.TemporaryDirectory(prefix="audiobook-espeak-")
        self._count = 0

    def _on_finished(self, name: str | None, completed: bool) -> None:
        self._finished += 1

    def version(self) -> str:
        return f"espeak-ng {package_version('espeakng-loader')} pyttsx3 {package_version('pyttsx3')}"

    def voices(self) -> list[EngineVoice]:
        found = []
        for voice in self._driver.getProperty("voices"):
            gender = {"male": "M", "female": "F"}.get(str(voice.gender).lower(), "U")
            found.append(EngineVoice(voice.id, voice.name, gender, voice.id.rpartition("/")[2]))
        return found

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        base = profile.voice.partition("+")[0].lower()
        if base not in self._known:
            raise InputError(f"voice profile {profile.name}: espeak-ng has no voice {base!r} (see `audiobook voices`)")
        self._count += 1
        path = Path(self._tmpdir.name, f"take-{self._count}.wav")
        self._driver.setProperty("voice", profile.voice)
        self._driver.setProperty("rate", int(round(NORMAL_RATE_WPM * profile.pace)))
        self._driver.setProperty("pitch", int(np.clip(50 + PITCH_PER_SEMITONE * profile.pitch, 0, 99)))
        with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to ..."
            finished = self._finished
            self._driver.save_to_file(text, str(path))
            self._driver.runAndWait()
        if self._finished <= finished or not path.exists():
            raise RuntimeError(f"espeak-ng did not finish the take for {text[:40]!r}")
        samples, rate = soundfile.read(path, dtype="float32", always_2d=False)
        path.unlink(missing_ok=True)
        return Audio(np.asarray(samples, dtype=np.float32), int(rate))
