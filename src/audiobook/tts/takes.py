"""The take store: rendered takes on disk, addressed by a hash of everything that shapes their audio.

A take's key is the SHA-256 of the text sent to the engine (after the lexicon and normalisation), the
voice profile's render fields, and the engine's name and version. The same cue rendered twice with the
same settings is the same file, whatever book or chapter it belongs to. Takes are FLAC files (16-bit,
lossless, every frame with a CRC) written atomically: a take is either whole under its name or absent.

A take that does not open, or whose last block does not decode (a truncated file), counts as missing
and is rendered again. Damage further inside a file is found when mastering decodes it: the take is
removed and the build stops with a message saying to run it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile

from audiobook.atomic import atomic_path
from audiobook.casting.profile import VoiceProfile
from audiobook.errors import BuildError
from audiobook.tts.engine import Audio

TAIL_FRAMES = 4096
"""Frames decoded at the end of a take to tell a whole file from a truncated one."""


@lru_cache(maxsize=64)
def _file_hash(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as model:
        for block in iter(lambda: model.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def model_hash(path: Path) -> str:
    """First 12 hex digits of the SHA-256 of a model file (cached by size and modification time)."""
    stat = path.stat()
    return _file_hash(str(path), stat.st_size, stat.st_mtime_ns)


def take_key(speech_text: str, profile: VoiceProfile, engine_version: str) -> str:
    """The content hash naming the take of ``speech_text`` read with ``profile``.

    A voice given as a file (a user's own Piper ``.onnx``) is known by its content, not its path:
    replacing the file renders its takes again."""
    payload = {"text": speech_text, "profile": profile.render_key(), "engine": profile.engine, "version": engine_version}
    voice_file = Path(profile.voice).expanduser()
    if voice_file.suffix and voice_file.is_file():
        payload["voice_file"] = model_hash(voice_file)
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoreStats:
    """What a take store holds."""

    takes: int
    bytes: int
    audio_seconds: float


@dataclass
class TakeStore:
    root: Path

    def path(self, key: str) -> Path:
        return Path(self.root, key[:2], f"{key}.flac")

    def check(self, key: str) -> float | None:
        """The take's length in seconds when it exists and is whole; None when it must be rendered."""
        path = self.path(key)
        try:
            with soundfile.SoundFile(path) as take:
                frames, rate = take.frames, take.samplerate
                if frames <= 0 or rate <= 0:
                    return None
                tail = min(frames, TAIL_FRAMES)
                take.seek(frames - tail)
                if len(take.read(tail, dtype="int16")) != tail:
                    return None
            return frames / rate
        except (OSError, RuntimeError, soundfile.LibsndfileError, ValueError):
            return None

    def is_valid(self, key: str) -> bool:
        """True when the take exists and is whole (see :meth:`check`)."""
        return self.check(key) is not None

    def load(self, key: str) -> Audio:
        """The take's samples (float32) and rate; a damaged take is removed and raises BuildError."""
        path = self.path(key)
        try:
            samples, rate = soundfile.read(path, dtype="float32", always_2d=False)
        except (OSError, RuntimeError, soundfile.LibsndfileError, ValueError) as error:
            if path.exists():
                path.unlink(missing_ok=True)
                raise BuildError(f"{path}: damaged take removed ({error}); run the same command again to re-render it") from None
            raise BuildError(f"{path}: take missing; run the same command again to render it") from None
        return Audio(np.asarray(samples, dtype=np.float32), int(rate))

    def frames(self, key: str) -> tuple[int, int]:
        """(length in frames, sample rate in Hz) of a stored take."""
        info = soundfile.info(self.path(key))
        return info.frames, info.samplerate

    def duration_s(self, key: str) -> float:
        frames, rate = self.frames(key)
        return frames / rate

    def save(self, key: str, audio: Audio) -> None:
        """Write the take atomically (a temporary name, then a rename)."""
        with atomic_path(self.path(key)) as tmp:
            soundfile.write(tmp, np.clip(audio.samples, -1.0, 1.0), audio.sample_rate, format="FLAC", subtype="PCM_16")

    def _files(self) -> Iterator[Path]:
        root = Path(self.root)
        if root.is_dir():
            yield from root.glob("*/*.flac")

    def keys(self) -> set[str]:
        return {path.stem for path in self._files()}

    def size_bytes(self) -> int:
        return sum(path.stat().st_size for path in self._files())

    def stats(self) -> StoreStats:
        """Number of takes, bytes on disk and seconds of audio (reads each take's header)."""
        takes, size, seconds = 0, 0, 0.0
        for path in self._files():
            takes += 1
            size += path.stat().st_size
            try:
                info = soundfile.info(path)
                seconds += info.frames / info.samplerate
            except (RuntimeError, soundfile.LibsndfileError):
                pass
        return StoreStats(takes, size, seconds)

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def prune(self, keep: Iterable[str]) -> StoreStats:
        """Remove every take whose key is not in ``keep``; return what was removed."""
        keep = set(keep)
        takes, size, seconds = 0, 0, 0.0
        for path in list(self._files()):
            if path.stem in keep:
                continue
            try:
                info = soundfile.info(path)
                seconds += info.frames / info.samplerate
            except (RuntimeError, soundfile.LibsndfileError):
                pass
            size += path.stat().st_size
            path.unlink(missing_ok=True)
            takes += 1
        for folder in Path(self.root).glob("*"):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return StoreStats(takes, size, seconds)

