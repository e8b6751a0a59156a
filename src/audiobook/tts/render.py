"""The render stage: make sure every take a production needs is in the take store.

Takes already in the store (and whole) are reused; the rest are rendered by the executor's workers,
grouped by engine (one engine family per worker process), each written atomically, so a build killed
at any moment loses only the takes in flight.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from audiobook.atomic import remove_abandoned
from audiobook.casting.profile import VoiceProfile
from audiobook.tts.engine import class_version, load_engine
from audiobook.tts.executor import Executor
from audiobook.tts.takes import TakeStore, take_key


@dataclass(frozen=True)
class TakeJob:
    """One take to render: the text as the engine should read it, and the voice."""

    key: str
    text: str
    profile: VoiceProfile
    store_root: str


@dataclass
class RenderSummary:
    takes_total: int = 0
    takes_rendered: int = 0
    takes_cached: int = 0
    audio_seconds: float = 0.0
    """Seconds of audio in all the takes (rendered and cached)."""
    synthesis_seconds: float = 0.0
    """Seconds the engines spent synthesising, summed over workers."""
    wall_seconds: float = 0.0
    """Seconds from the start of the render stage to its end."""


def _engine_version(name: str) -> str:
    """Worker function: the version string of engine ``name`` (loads it in the worker)."""
    return load_engine(name).version()


def engine_versions(engines: Iterable[str], executor: Executor) -> dict[str, str]:
    """Each engine's version: from its class when it can tell without loading the engine, otherwise
    asked in that engine's own worker (never two engine families in one process)."""
    versions = {}
    for name in sorted(set(engines)):
        versions[name] = class_version(name) or next(iter(executor.run(_engine_version, [name], group=name)))
    return versions


def make_job(speech_text: str, profile: VoiceProfile, store: TakeStore, engine_version: str | None = None) -> TakeJob:
    """The job for one take. Without ``engine_version`` the engine is loaded in this process to ask it
    (fine for scripts and tests with one engine; the build asks :func:`engine_versions`)."""
    if engine_version is None:
        engine_version = load_engine(profile.engine).version()
    return TakeJob(take_key(speech_text, profile, engine_version), speech_text, profile, str(store.root))


def render_take(job: TakeJob) -> tuple[str, float, float]:
    """Worker function: render one take into the store. Returns (key, audio seconds, synthesis seconds)."""
    engine = load_engine(job.profile.engine)
    started = time.perf_counter()
    audio = engine.synthesize(job.text, job.profile)
    spent = time.perf_counter() - started
    TakeStore(Path(job.store_root)).save(job.key, audio)
    return job.key, audio.duration_s, spent


ProgressCallback = Callable[[int, int, float], None]
"""Called with (takes done, takes total, audio seconds done). The first call counts the takes found in
the store; every later call adds one rendered take."""


TakeCallback = Callable[[str, bool], None]
"""Called with (key, whether it was rendered now) once for every take of a render: the cached ones while
the store is checked, then each rendered one as it arrives."""


def render_takes(
    jobs: list[TakeJob],
    store: TakeStore,
    executor: Executor,
    progress: ProgressCallback | None = None,
    on_take: TakeCallback | None = None,
) -> RenderSummary:
    """Render the jobs whose takes are missing or damaged, engine by engine; count the rest as cached.

    The engine with the fewest takes to render goes first, so that during the last (usually the
    narrator's) the chapters complete one after another, in order, and can be mastered meanwhile."""
    started = time.perf_counter()
    remove_abandoned(store.root, recursive=True)
    unique: dict[str, TakeJob] = {}
    for job in jobs:
        unique.setdefault(job.key, job)
    summary = RenderSummary(takes_total=len(unique))
    missing: dict[str, list[TakeJob]] = {}
    for job in unique.values():
        seconds = store.check(job.key)
        if seconds is None:
            missing.setdefault(job.profile.engine, []).append(job)
        else:
            summary.takes_cached += 1
            summary.audio_seconds += seconds
            if on_take:
                on_take(job.key, False)
    done = summary.takes_cached
    if progress:
        progress(done, summary.takes_total, summary.audio_seconds)
    order = sorted(missing.items(), key=lambda item: len(item[1]))
    for engine, group in order:
        executor.prepare(engine, len(group))  # every engine's workers start now, beside the first's takes
    for engine, group in order:
        for key, seconds, spent in executor.run(render_take, group, group=engine):
            summary.takes_rendered += 1
            summary.audio_seconds += seconds
            summary.synthesis_seconds += spent
            done += 1
            if progress:
                progress(done, summary.takes_total, summary.audio_seconds)
            if on_take:
                on_take(key, True)
    summary.wall_seconds = time.perf_counter() - started
    return summary
