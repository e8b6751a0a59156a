"""espeak-ng, the embedded default engine, through pyttsx3's espeak-ng binding.

espeak-ng itself comes from the espeakng-loader wheel: its library is preloaded with RTLD_GLOBAL and
ESPEAK_DATA_PATH set before pyttsx3 loads it, so no system package is needed.

pyttsx3's own file output (``save_to_file`` + ``runAndWait``) runs espeak-ng asynchronously and writes
the WAV from inside the callback before the last buffer arrives: the same text came back 66,644 or
76,215 samples long depending on what was rendered before it, and ``runAndWait`` can return before the
file exists. A take must be a pure function of its text and voice, so this engine uses pyttsx3's
binding (``pyttsx3.drivers._espeak``) in espeak-ng's synchronous mode and collects every buffer
itself.

espeak-ng also keeps state from one utterance to the next (pitch flutter, glottal phase) and seeds
``rand()`` from the clock, so the same text read after a different one comes out a few samples
different. Each take is therefore rendered in a forked copy of a freshly initialised espeak-ng with
``rand`` seeded to a constant: the same text and voice give the same samples every time, in any order
and in any worker (about 3 ms per take). The variants f2, f3, f5 and Alicia add breath noise from a
source seeded by the clock and stay random; the shipped profiles do not use them. Phoneme input in
``[[...]]`` (from the pronunciation lexicon) is switched on. One espeak-ng per process.
"""

from __future__ import annotations

import ctypes
import os
from importlib.metadata import version as package_version
from pathlib import Path

import numpy as np

from audiobook.casting.profile import VoiceProfile
from audiobook.errors import InputError
from audiobook.tts.engine import Audio, EngineVoice
from audiobook.tts.forked import ForkedFailure, run_forked

NORMAL_RATE_WPM = 175
"""espeak-ng's default speaking rate in words per minute; a profile's pace multiplies it."""
PITCH_PER_SEMITONE = 6.0
"""espeak-ng pitch parameter (0-99, normal 50) units per semitone, approximately."""


def _load_binding():
    """pyttsx3's espeak-ng binding, bound to the library from espeakng-loader."""
    import espeakng_loader

    data_path = espeakng_loader.get_data_path()
    if not Path(data_path, "phontab").exists():  # a wrong data path makes espeak-ng exit the process
        raise InputError(f"espeak-ng data not found at {data_path}; reinstall espeakng-loader")
    os.environ["ESPEAK_DATA_PATH"] = str(data_path)
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    from pyttsx3.drivers import _espeak

    return _espeak


class EspeakEngine:
    name = "espeak"

    def __init__(self) -> None:
        self._espeak = _load_binding()
        self.sample_rate = self._espeak.Initialize(self._espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
        if self.sample_rate <= 0:
            raise RuntimeError("espeak-ng failed to initialise")
        self._buffers: list[bytes] = []
        self._espeak.SetSynthCallback(self._on_synth)
        self._voices = self._list_voices()
        self._known = {voice.id.lower() for voice in self._voices}

    def _on_synth(self, wav, numsamples: int, events) -> int:
        if numsamples > 0:
            self._buffers.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
        return 0

    def _list_voices(self) -> list[EngineVoice]:
        found = []
        for voice in self._espeak.ListVoices(None):
            identifier = voice.identifier.decode("utf-8")
            gender = {1: "M", 2: "F"}.get(voice.gender, "U")
            found.append(EngineVoice(identifier, voice.name.decode("utf-8"), gender, identifier.rpartition("/")[2]))
        return found

    @classmethod
    def version(cls) -> str:
        return f"espeak-ng {package_version('espeakng-loader')} pyttsx3 {package_version('pyttsx3')}"

    def voices(self) -> list[EngineVoice]:
        return list(self._voices)

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        base = profile.voice.partition("+")[0].lower()
        if base not in self._known:
            raise InputError(f"voice profile {profile.name}: espeak-ng has no voice {base!r} (see `audiobook voices`)")
        try:
            pcm = run_forked(lambda: self._render(text, profile))
        except ForkedFailure as failure:
            raise InputError(
                f"voice profile {profile.name}: espeak-ng failed to read {text[:40]!r} with voice {profile.voice!r} ({failure})"
            ) from None
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        return Audio(samples, self.sample_rate)

    def _render(self, text: str, profile: VoiceProfile) -> bytes:
        espeak = self._espeak
        if espeak.SetVoiceByName(profile.voice.encode("utf-8")) != espeak.EE_OK:
            raise RuntimeError(f"espeak-ng cannot load voice {profile.voice!r}")
        espeak.SetParameter(espeak.RATE, int(round(NORMAL_RATE_WPM * profile.pace)), 0)
        espeak.SetParameter(espeak.PITCH, int(np.clip(50 + PITCH_PER_SEMITONE * profile.pitch, 0, 99)), 0)
        self._buffers = []
        ctypes.CDLL(None).srand(1)  # after loading the voice, which may reseed from the clock
        espeak.Synth(text, flags=espeak.CHARS_UTF8 | espeak.ENDPAUSE | espeak.PHONEMES)
        espeak.Synchronize()
        return b"".join(self._buffers)
