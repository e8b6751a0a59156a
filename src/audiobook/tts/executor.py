"""Executors run take jobs. The render stage only sees :class:`Executor`, so a distributed
executor (a queue and many machines) can replace the local process pool without touching it.

A take job is pure: its text and profile in, a take in the store out. Workers create each engine once
and reuse it; ONNX engines are limited to one intra-op thread per worker so that N workers use N cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Protocol, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


class Executor(Protocol):
    workers: int

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job]) -> Iterator[Result]:
        """Run ``fn`` on every job; yield results as they finish (in any order)."""
        ...


class InlineExecutor:
    """Runs jobs one after another in this process (``--jobs 1``)."""

    workers = 1

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job]) -> Iterator[Result]:
        for job in jobs:
            yield fn(job)


def _limit_threads() -> None:
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "ORT_NUM_THREADS"):
        os.environ[variable] = "1"


class LocalProcessExecutor:
    """A pool of worker processes on this machine (started fresh, not forked: engines hold native state)."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)

    def run(self, fn: Callable[[Job], Result], jobs: Iterable[Job]) -> Iterator[Result]:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_limit_threads) as pool:
            pending: set[Future] = set()
            queue = iter(jobs)
            window = self.workers * 4
            exhausted = False
            while pending or not exhausted:
                while not exhausted and len(pending) < window:
                    job = next(queue, None)
                    if job is None:
                        exhausted = True
                        break
                    pending.add(pool.submit(fn, job))
                if not pending:
                    break
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()


def make_executor(workers: int | None) -> Executor:
    """Inline for one worker, a local process pool otherwise (default: one per core)."""
    count = workers or os.cpu_count() or 1
    return InlineExecutor() if count <= 1 else LocalProcessExecutor(count)
