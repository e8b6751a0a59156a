"""Executors run take jobs. The render stage only sees :class:`Executor`, so a distributed executor
(a queue and many machines) can replace the local process pool without touching it.

A take job is pure: its text and profile in, a take in the store out. Every job belongs to a *group*,
the name of the engine that renders it, and an executor promises that a worker process only ever
serves one group: engines bundle native libraries that must not meet in one process (Piper carries its
own espeak-ng, which crashes next to espeakng-loader's). Workers create their engine once and reuse it
for every job; ONNX engines (Piper, hibari) always run one intra-op thread, so N workers use N cores
instead of fighting over them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from audiobook.errors import BuildError
from audiobook.tts.engine import engine_names, loaded_engines

Job = TypeVar("Job")
Result = TypeVar("Result")

class Executor(Protocol):
    """Runs jobs, one engine family per worker process."""

    workers: int
    """How many jobs run at once."""

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job], group: str) -> Iterator[Result]:
        """Run ``fn`` on every job of ``group``; yield results as they finish (in any order).

        ``fn`` and the jobs must be picklable (module-level function, data-class jobs). Jobs of
        different groups never run in the same worker process.
        """
        ...

    def close(self) -> None:
        """Stop the workers."""
        ...


class InlineExecutor:
    """Runs jobs one after another in this process (``--jobs 1`` with a single engine).

    This process then hosts that engine, so it refuses a second engine family (groups that are not
    engines, such as mastering, are welcome).
    """

    workers = 1

    def __init__(self) -> None:
        self._group: str | None = None

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job], group: str) -> Iterator[Result]:
        if group in engine_names():
            if self._group is not None and group != self._group:
                raise BuildError(f"engines {self._group!r} and {group!r} cannot share one process; use --jobs 2 or more")
            self._group = group
        for job in jobs:
            yield fn(job)

    def close(self) -> None:
        pass

    def __enter__(self) -> InlineExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _start_worker(group: str) -> None:
    """Pool initializer: one thread per native library, and remember the worker's engine family."""
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    os.environ["AUDIOBOOK_WORKER_GROUP"] = group


BATCH_JOBS = 8
"""Jobs sent to a worker at a time: short takes (a few ms each) would otherwise spend as long in
inter-process hand-over as in synthesis."""


INLINE_JOBS = 8
"""At most this many jobs, while no worker has been started, run in this process, as long as this
process hosts no other engine family (after an edit, a rebuild renders a take or two and encodes a
section). Groups that are not engines (mastering) never load one, so they may run anywhere."""


def _run_batch(fn: Callable[[Job], Result], jobs: list[Job]) -> list[Result]:
    return [fn(job) for job in jobs]


class LocalProcessExecutor:
    """Pools of worker processes on this machine, one pool per engine family.

    Workers are started fresh (spawn, not fork: engines hold native state) and live as long as the
    executor, so each loads its engine once. Groups run one after another, so at most ``workers``
    processes are busy at any time. A handful of jobs runs in this process instead (:data:`INLINE_JOBS`),
    and jobs of a group that is not an engine (mastering) go to the workers already running, if any.
    """

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pools: dict[str, ProcessPoolExecutor] = {}

    def _pool(self, group: str) -> ProcessPoolExecutor:
        if group not in self._pools and self._pools and group not in engine_names():
            return next(iter(self._pools.values()))  # engine-free jobs use the workers already running
        if group not in self._pools:
            context = multiprocessing.get_context("spawn")
            self._pools[group] = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_start_worker, initargs=(group,)
            )
        return self._pools[group]

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job], group: str) -> Iterator[Result]:
        jobs = list(jobs)
        if not self._pools and len(jobs) <= INLINE_JOBS and (group not in engine_names() or loaded_engines() <= {group}):
            yield from map(fn, jobs)  # a few jobs: starting a worker would cost more than running them
            return
        pool = self._pool(group)
        pending: set[Future] = set()
        sent = 0
        window = self.workers * 4  # enough queued work that no worker waits, little lost on a stop
        try:
            while pending or sent < len(jobs):
                while sent < len(jobs) and len(pending) < window:
                    # batches shrink towards the end, so the workers finish together
                    size = max(1, min(BATCH_JOBS, (len(jobs) - sent) // window))
                    pending.add(pool.submit(_run_batch, fn, jobs[sent : sent + size]))
                    sent += size
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from future.result()
        except BrokenProcessPool:
            self._pools.pop(group, None)
            raise BuildError(f"a {group} worker process died (crashed or killed); run the same command to resume") from None
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools.clear()

    def __enter__(self) -> LocalProcessExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def make_executor(workers: int | None, groups: Iterable[str] = ()) -> InlineExecutor | LocalProcessExecutor:
    """Inline for one worker and at most one engine family; a local process pool otherwise.

    ``workers`` defaults to one per core.
    """
    count = workers or os.cpu_count() or 1
    if count <= 1 and len(set(groups)) <= 1:
        return InlineExecutor()
    return LocalProcessExecutor(count)
