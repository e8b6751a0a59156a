"""The render stage: make sure every take a production needs is in the take store.

Takes already in the store (and decoding) are reused; the rest are rendered by the executor's workers,
each written atomically, so a build killed at any moment loses only the takes in flight.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from audiobook.casting.profile import VoiceProfile
from audiobook.tts.engine import load_engine
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
    synthesis_seconds: float = 0.0
    """Time the engines spent synthesising, summed over workers."""
    wall_seconds: float = 0.0


def make_job(speech_text: str, profile: VoiceProfile, store: TakeStore) -> TakeJob:
    engine = load_engine(profile.engine)
    return TakeJob(take_key(speech_text, profile, engine.version()), speech_text, profile, str(store.root))


def render_take(job: TakeJob) -> tuple[str, float, float]:
    """Worker function: render one take into the store. Returns (key, audio seconds, synthesis seconds)."""
    engine = load_engine(job.profile.engine)
    started = time.perf_counter()
    audio = engine.synthesize(job.text, job.profile)
    spent = time.perf_counter() - started
    TakeStore(Path(job.store_root)).save(job.key, audio)
    return job.key, audio.duration_s, spent


ProgressCallback = Callable[[int, int, float], None]
"""Called with (takes done, takes total, audio seconds done)."""


def render_takes(
    jobs: list[TakeJob], store: TakeStore, executor: Executor, progress: ProgressCallback | None = None
) -> RenderSummary:
    """Render the jobs whose takes are missing or damaged; count the rest as cached."""
    started = time.perf_counter()
    unique: dict[str, TakeJob] = {}
    for job in jobs:
        unique.setdefault(job.key, job)
    summary = RenderSummary(takes_total=len(unique))
    missing = []
    for job in unique.values():
        if store.is_valid(job.key):
            summary.takes_cached += 1
            summary.audio_seconds += store.duration_s(job.key)
        else:
            missing.append(job)
    done = summary.takes_cached
    if progress:
        progress(done, summary.takes_total, summary.audio_seconds)
    for _key, seconds, spent in executor.run(render_take, missing):
        summary.takes_rendered += 1
        summary.audio_seconds += seconds
        summary.synthesis_seconds += spent
        done += 1
        if progress:
            progress(done, summary.takes_total, summary.audio_seconds)
    summary.wall_seconds = time.perf_counter() - started
    return summary
