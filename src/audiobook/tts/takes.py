"""The take store: rendered takes on disk, addressed by a hash of everything that shapes their audio.

A take's key is the SHA-256 of the text sent to the engine (after the lexicon and normalisation), the
voice profile's render fields, and the engine's name and version. The same cue rendered twice with the
same settings is the same file, whatever book or chapter it belongs to. Takes are FLAC files (16-bit,
lossless, with an MD5 of the audio that the decoder checks) written atomically; a take that does not
decode is treated as missing and rendered again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from audiobook.atomic import atomic_path
from audiobook.casting.profile import VoiceProfile
from audiobook.tts.engine import Audio


def take_key(speech_text: str, profile: VoiceProfile, engine_version: str) -> str:
    """The content hash naming the take of ``speech_text`` read with ``profile``."""
    payload = {"text": speech_text, "profile": profile.render_key(), "engine": profile.engine, "version": engine_version}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class TakeStore:
    root: Path

    def path(self, key: str) -> Path:
        return Path(self.root, key[:2], f"{key}.flac")

    def is_valid(self, key: str) -> bool:
        """True when the take exists and decodes completely."""
        path = self.path(key)
        if not path.exists():
            return False
        try:
            with soundfile.SoundFile(path) as take:
                frames = take.frames
                decoded = len(take.read(dtype="int16"))
            return frames > 0 and decoded == frames
        except (RuntimeError, soundfile.LibsndfileError, ValueError):
            return False

    def load(self, key: str) -> Audio:
        samples, rate = soundfile.read(self.path(key), dtype="float32", always_2d=False)
        return Audio(np.asarray(samples, dtype=np.float32), int(rate))

    def frames(self, key: str) -> tuple[int, int]:
        """(length in frames, sample rate in Hz) of a stored take."""
        info = soundfile.info(self.path(key))
        return info.frames, info.samplerate

    def duration_s(self, key: str) -> float:
        frames, rate = self.frames(key)
        return frames / rate

    def save(self, key: str, audio: Audio) -> None:
        with atomic_path(self.path(key)) as tmp:
            soundfile.write(tmp, np.clip(audio.samples, -1.0, 1.0), audio.sample_rate, format="FLAC", subtype="PCM_16")

    def keys(self) -> set[str]:
        return {path.stem for path in Path(self.root).glob("*/*.flac")}

    def size_bytes(self) -> int:
        return sum(path.stat().st_size for path in Path(self.root).glob("*/*.flac"))

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
