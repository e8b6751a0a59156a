"""The render stage's machinery: executors keep engine families apart, the store's housekeeping,
the limiter's fast path, the progress bar's ETA."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from audiobook.atomic import remove_abandoned
from audiobook.casting.profile import load_profiles
from audiobook.errors import BuildError
from audiobook.mastering.chain import PeakLimiter
from audiobook.progress import RenderProgress
from audiobook.tts.engine import Audio, load_engine, loaded_engines
from audiobook.tts.executor import INLINE_JOBS, InlineExecutor, LocalProcessExecutor, make_executor
from audiobook.tts.render import engine_versions, make_job, render_takes
from audiobook.tts.takes import TakeStore


def _whoami(job: int) -> tuple[int, int, str, str, int]:
    """Worker function: (job, pid, worker group, OMP threads, id of the loaded espeak engine)."""
    engine = load_engine("espeak") if os.environ.get("AUDIOBOOK_WORKER_GROUP") == "espeak" else None
    time.sleep(0.01)
    return job, os.getpid(), os.environ.get("AUDIOBOOK_WORKER_GROUP", ""), os.environ.get("OMP_NUM_THREADS", ""), id(engine)


def test_a_worker_process_serves_one_engine_family_and_loads_it_once() -> None:
    with LocalProcessExecutor(2) as executor:
        espeak = list(executor.run(_whoami, range(12), group="espeak"))
        other = list(executor.run(_whoami, range(12), group="piper"))
        again = list(executor.run(_whoami, range(12), group="espeak"))
        mastering = list(executor.run(_whoami, range(12), group="mastering"))
    assert sorted(job for job, *_ in espeak) == list(range(12))
    espeak_pids = {pid for _, pid, *_ in espeak + again}
    assert {pid for _, pid, *_ in other}.isdisjoint(espeak_pids)
    assert {group for _, _, group, *_ in espeak + again} == {"espeak"} and {group for _, _, group, *_ in other} == {"piper"}
    assert {threads for *_, threads, _ in espeak + other} == {"1"}  # native libraries: one thread per worker
    engines_per_pid: dict[int, set[int]] = {}
    for _, pid, _, _, engine in espeak + again:
        engines_per_pid.setdefault(pid, set()).add(engine)
    assert all(len(ids) == 1 for ids in engines_per_pid.values())  # loaded once, reused
    assert len(espeak_pids) <= 2
    assert {pid for _, pid, *_ in mastering} <= espeak_pids | {pid for _, pid, *_ in other}  # no new workers for engine-free jobs


def test_inline_executor_hosts_one_engine_family_only() -> None:
    executor = InlineExecutor()
    assert list(executor.run(str, [1, 2], group="espeak")) == ["1", "2"]
    with pytest.raises(BuildError, match="cannot share one process"):
        list(executor.run(str, [1], group="piper"))
    assert list(executor.run(str, [3], group="mastering")) == ["3"]  # not an engine: welcome
    assert isinstance(make_executor(1, ["espeak"]), InlineExecutor)
    assert isinstance(make_executor(1, ["espeak", "piper"]), LocalProcessExecutor)
    assert make_executor(2, ["espeak"]).workers == 2


def test_a_few_jobs_run_in_this_process_until_workers_run_and_never_beside_another_engine(monkeypatch) -> None:
    monkeypatch.setattr("audiobook.tts.executor.loaded_engines", lambda: {"espeak"})  # as in a build's process
    with LocalProcessExecutor(2) as executor:
        mastering = list(executor.run(_whoami, range(INLINE_JOBS), group="mastering"))
        espeak = list(executor.run(_whoami, range(2), group="espeak"))
        assert {pid for _, pid, *_ in mastering + espeak} == {os.getpid()}
    with LocalProcessExecutor(2) as executor:
        piper = list(executor.run(_whoami, range(2), group="piper"))  # this process hosts espeak: never Piper too
        assert os.getpid() not in {pid for _, pid, *_ in piper} and {group for _, _, group, *_ in piper} == {"piper"}
        mastering = list(executor.run(_whoami, range(2), group="mastering"))  # workers run now: they take it
        assert os.getpid() not in {pid for _, pid, *_ in mastering}


def _engines_here(job: int) -> tuple[int, list[str]]:
    """Worker function: (pid, the engines this process had loaded when the job began)."""
    return os.getpid(), sorted(loaded_engines())


def test_prepared_workers_load_their_engine_as_they_start_and_small_groups_stay_here(monkeypatch) -> None:
    monkeypatch.setattr("audiobook.tts.executor.loaded_engines", lambda: set())  # this process hosts no engine yet
    with LocalProcessExecutor(2) as executor:
        executor.prepare("espeak", INLINE_JOBS)  # so few run here: nothing to start
        assert not executor._pools
        executor.prepare("espeak", 40)
        assert executor._pools  # started before any espeak job was sent
        first = list(executor.run(_engines_here, range(40), group="espeak"))
        assert all("espeak" in engines for _, engines in first)  # loaded by the worker's start, not by a job
        assert os.getpid() not in {pid for pid, _ in first}
        # a minor voice's three lines run here while the engine's workers exist: no pool started for them
        few = list(executor.run(_engines_here, range(3), group="piper"))
        assert {pid for pid, _ in few} == {os.getpid()} and set(executor._pools) == {"espeak"}


def test_engine_versions_come_from_the_engine_classes_without_a_worker(tmp_path: Path) -> None:
    with LocalProcessExecutor(1) as executor:
        versions = engine_versions(["espeak"], executor)
        assert not executor._pools  # no worker was started to ask
        assert versions["espeak"] == load_engine("espeak").version()
        store = TakeStore(tmp_path)
        profile = load_profiles()["espeak-us-m-deep"]
        job = make_job("Keys come from the worker's engine.", profile, store, versions["espeak"])
        assert job.key == make_job("Keys come from the worker's engine.", profile, store).key
        summary = render_takes([job, job], store, executor)
    assert (summary.takes_total, summary.takes_rendered) == (1, 1)
    assert summary.synthesis_seconds > 0 and store.check(job.key) == pytest.approx(summary.audio_seconds)


def test_store_stats_prune_and_truncated_takes(tmp_path: Path) -> None:
    store = TakeStore(tmp_path / ".takes")
    for key in ("aa11", "bb22", "cc33"):
        store.save(key, Audio(np.full(22050, 0.1, dtype=np.float32), 22050))
    stats = store.stats()
    assert (stats.takes, stats.audio_seconds) == (3, pytest.approx(3.0)) and stats.bytes == store.size_bytes()
    removed = store.prune({"aa11"})
    assert (removed.takes, removed.audio_seconds) == (2, pytest.approx(2.0))
    assert store.keys() == {"aa11"} and not (tmp_path / ".takes" / "bb").exists()
    path = store.path("aa11")
    path.write_bytes(path.read_bytes()[:-200])  # the end of the file is gone
    assert store.check("aa11") is None
    path.write_bytes(b"")
    assert store.check("aa11") is None
    with pytest.raises(BuildError, match="damaged take removed"):
        store.load("aa11")
    assert not path.exists()


def test_files_of_killed_writers_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = tmp_path / "ab" / ".abcd.flac.999999999.part"
    live = tmp_path / "ab" / f".ef01.flac.{os.getpid()}.part"
    dead.parent.mkdir()
    for path in (dead, live):
        path.write_bytes(b"half")
    assert remove_abandoned(tmp_path) == 0  # not recursive
    assert remove_abandoned(tmp_path, recursive=True) == 1
    assert not dead.exists() and live.exists()


def _reference_gain(limiter: PeakLimiter, samples: np.ndarray) -> np.ndarray:
    """The limiter's gain computed the plain way: oversampled peaks at every sample."""
    needed = np.minimum(1.0, limiter.ceiling / np.maximum(limiter.peaks(samples), 1e-12))
    size = 2 * limiter.half + 1
    return np.minimum(uniform_filter1d(minimum_filter1d(needed, size, mode="nearest"), size, mode="nearest"), needed)


@pytest.mark.parametrize("ceiling", [-1.0, -3.5, -12.0])
def test_limiter_fast_path_matches_the_plain_computation(ceiling: float) -> None:
    rng = np.random.default_rng(5)
    envelope = np.repeat(rng.uniform(0.01, 1.0, 40), 2205)  # loud and quiet syllables
    signal = (np.sin(np.arange(len(envelope)) * 0.3) * envelope * 0.7 + rng.standard_normal(len(envelope)) * 0.02).astype(np.float32)
    limiter = PeakLimiter(ceiling, 44100)
    np.testing.assert_allclose(limiter.gain(signal), _reference_gain(limiter, signal), atol=2e-6)
    quiet = signal * np.float32(0.01)
    assert np.array_equal(limiter.gain(quiet), np.ones(len(quiet), np.float32))


def test_eta_ignores_the_takes_found_in_the_store() -> None:
    with RenderProgress(enabled=True) as progress:
        progress.update(900, 1000, 3000.0)  # 900 cached: not rendered in no time
        for done in range(901, 906):
            time.sleep(0.05)
            progress.update(done, 1000, 3000.0 + done)
        task = progress._progress.tasks[0]
        assert task.speed is not None and task.speed < 40  # about 20 takes/s, not 900 in 0.25 s
        assert task.time_remaining > 2
