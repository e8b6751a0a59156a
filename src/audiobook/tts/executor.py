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

import atexit
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from audiobook.errors import BuildError
from audiobook.tts.engine import engine_names, load_engine, loaded_engines

Job = TypeVar("Job")
Result = TypeVar("Result")

class Executor(Protocol):
    """Runs jobs, one engine family per worker process."""

    workers: int
    """How many jobs run at once."""

    processes: bool
    """Whether jobs run in worker processes (this process is free meanwhile) rather than here."""

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job], group: str) -> Iterator[Result]:
        """Run ``fn`` on every job of ``group``; yield results as they finish (in any order).

        ``fn`` and the jobs must be picklable (module-level function, data-class jobs). Jobs of
        different groups never run in the same worker process.
        """
        ...

    def prepare(self, group: str, jobs: int) -> None:
        """``jobs`` jobs of ``group`` will follow soon: start the workers they need, without waiting."""
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
    processes = False

    def __init__(self) -> None:
        self._group: str | None = None

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job], group: str) -> Iterator[Result]:
        if group in engine_names():
            if self._group is not None and group != self._group:
                raise BuildError(f"engines {self._group!r} and {group!r} cannot share one process; use --jobs 2 or more")
            self._group = group
        for job in jobs:
            yield fn(job)

    def prepare(self, group: str, jobs: int) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> InlineExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _start_worker(group: str) -> None:
    """Pool initializer: one thread per native library, and remember the worker's engine family.

    Ctrl-C reaches the whole process group; a worker ignores it and the main process, which stops the
    pool, speaks for the build. At exit the worker's objects are frozen, as the CLI's are: the
    interpreter's last collection would otherwise walk numba's compiler objects (0.3 s per worker that
    mastered sections)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    os.environ["AUDIOBOOK_WORKER_GROUP"] = group
    atexit.register(gc.freeze)
    if group in engine_names():
        try:
            load_engine(group)  # import it while other work goes on; its first job reports any failure
        except Exception:
            pass


BATCH_SECONDS = 0.25
"""About how long a batch of jobs sent to a worker at once should take. Short takes (espeak: a few ms
each) would otherwise spend as long in inter-process hand-over as in synthesis; long ones (neural) go
one by one, so a job queued by another thread (a chapter's sections) waits behind little work."""

MAX_BATCH = 32
"""At most this many jobs in one batch."""


INLINE_JOBS = 8
"""At most this many jobs run in this process instead of workers: takes of an engine family, as long as
this process hosts no other (after an edit, a rebuild renders a take or two; a minor voice speaks three
lines), and sections while no worker has been started (the rebuild encodes one). Groups that are not
engines (mastering) never load one, so they may run anywhere."""


STOP_POLL_S = 0.25
"""How often a ``run`` waiting for results checks whether the executor was closed meanwhile."""

_STOPPING = "the build is stopping: no more jobs are started"


def _run_batch(fn: Callable[[Job], Result], jobs: list[Job]) -> tuple[list[Result], float]:
    """Worker side of a batch: the results, and the seconds they took."""
    started = time.perf_counter()
    results = [fn(job) for job in jobs]
    return results, time.perf_counter() - started


class LocalProcessExecutor:
    """Pools of worker processes on this machine, one pool per engine family.

    Workers are started fresh (spawn, not fork: engines hold native state) and live as long as the
    executor, so each loads its engine once. Groups run one after another, so at most ``workers``
    processes render at any time (the next group's workers may be starting meanwhile). A handful of
    jobs runs in this process instead (:data:`INLINE_JOBS`), and jobs of a group that is not an engine
    (mastering) go to the workers already running, if any.
    """

    processes = True

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self._closed = False

    def _pool(self, group: str) -> ProcessPoolExecutor:
        if self._closed:
            raise BuildError(_STOPPING)
        if group not in self._pools and self._pools and group not in engine_names():
            return next(iter(self._pools.values()))  # engine-free jobs use the workers already running
        if group not in self._pools:
            context = multiprocessing.get_context("spawn")
            self._pools[group] = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_start_worker, initargs=(group,)
            )
        return self._pools[group]

    def _inline(self, group: str, jobs: int) -> bool:
        """Whether ``jobs`` jobs of ``group`` run here: a few cost less than starting workers for them."""
        if jobs > INLINE_JOBS:
            return False
        return loaded_engines() <= {group} if group in engine_names() else not self._pools

    def prepare(self, group: str, jobs: int) -> None:
        if group in self._pools or self._inline(group, jobs):
            return
        pool = self._pool(group)
        for _ in range(self.workers):  # spawns the workers, which load the engine as they start
            pool.submit(os.getpid)

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job], group: str) -> Iterator[Result]:
        jobs = list(jobs)
        if self._inline(group, len(jobs)):
            yield from map(fn, jobs)
            return
        pool = self._pool(group)
        pending: set[Future] = set()
        sent = 0
        # takes: a batch queued behind each running one, so no worker waits and little is lost on a stop;
        # the sections of a chapter all at once, so they queue behind no more takes than that
        window = self.workers * 2 if group in engine_names() else len(jobs)
        ran, seconds = 0, 0.0
        try:
            while pending or sent < len(jobs):
                while sent < len(jobs) and len(pending) < window:
                    # batches of about BATCH_SECONDS (one job until the first batch tells how long a job
                    # takes), shrinking towards the end so the workers finish together
                    size = int(BATCH_SECONDS * ran / seconds) if ran and seconds > 0 else 1
                    size = max(1, min(MAX_BATCH, size, (len(jobs) - sent) // window))
                    pending.add(pool.submit(_run_batch, fn, jobs[sent : sent + size]))
                    sent += size
                done, pending = wait(pending, timeout=STOP_POLL_S, return_when=FIRST_COMPLETED)
                if self._closed:  # stopped from another thread (an interrupted build): stop waiting too
                    raise BuildError(_STOPPING)
                for future in done:
                    results, spent = future.result()
                    ran, seconds = ran + len(results), seconds + spent
                    yield from results
        except BrokenProcessPool:
            self._pools.pop(group, None)
            raise BuildError(f"a {group} worker process died (crashed or killed); run the same command to resume") from None
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the workers: jobs not yet started are cancelled, and a ``run`` waiting in another thread
        (the mastering thread of an interrupted build) stops within :data:`STOP_POLL_S`."""
        self._closed = True
        for pool in list(self._pools.values()):
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
