"""The engine protocol and the engine registry.

An engine turns text into mono audio with one of its voices. Engines are found through the
``audiobook.engines`` entry-point group, so a package can add its own::

    [project.entry-points."audiobook.engines"]
    mytts = "mypackage.engine:MyEngine"

An engine is created once per worker process and reused for every take it renders.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

import numpy as np

from audiobook.casting.profile import VoiceProfile
from audiobook.errors import InputError

ENTRY_POINT_GROUP = "audiobook.engines"


@dataclass(frozen=True)
class EngineVoice:
    """A voice an engine offers."""

    id: str
    name: str
    gender: str = "U"
    language: str = ""


@dataclass(frozen=True)
class Audio:
    """Mono float32 samples in [-1, 1] and their sample rate in Hz."""

    samples: np.ndarray
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


@runtime_checkable
class Engine(Protocol):
    name: str

    def version(self) -> str:
        """A string that changes whenever the engine may render the same text differently. An engine
        whose version is a classmethod is asked without being loaded (see :func:`class_version`)."""
        ...

    def voices(self) -> list[EngineVoice]: ...

    def synthesize(self, text: str, profile: VoiceProfile) -> Audio:
        """Render ``text`` with ``profile`` (its voice, pace and pitch; gain is applied in mastering)."""
        ...


def engine_names() -> list[str]:
    """Names of the engines registered through entry points (installed or not)."""
    return sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


_loaded: dict[str, Engine] = {}


def engine_class(name: str) -> type:
    """The class of the engine called ``name`` (imported, not created)."""
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        raise InputError(f"unknown TTS engine {name!r} (installed: {', '.join(engine_names()) or 'none'})")
    return found[0].load()


def load_engine(name: str) -> Engine:
    """The engine called ``name``, created once per process."""
    if name not in _loaded:
        _loaded[name] = engine_class(name)()
    return _loaded[name]


def loaded_engines() -> set[str]:
    """Names of the engines created in this process."""
    return set(_loaded)


def class_version(name: str) -> str | None:
    """Engine ``name``'s version when its class can tell it without loading the engine (a classmethod
    reading package metadata and model hashes); None when only a created engine knows it."""
    cls = engine_class(name)
    return cls.version() if isinstance(inspect.getattr_static(cls, "version", None), classmethod) else None
