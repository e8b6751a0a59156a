"""Atomic file output: write to a temporary name in the same folder, rename when complete.

A crash or kill at any moment leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it to ``path`` if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _writer_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def remove_abandoned(folder: Path, recursive: bool = False) -> int:
    """Remove temporary files (``.NAME.PID.part``) left in ``folder`` by processes that no longer run.

    A build killed with SIGKILL cannot clean up after itself; the next one calls this. Files of a
    writer that is still running are left alone. Returns the number of files removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.rglob(".*.part") if recursive else folder.glob(".*.part"):
        pid = path.name[: -len(".part")].rpartition(".")[2]
        if pid.isdigit() and not _writer_alive(int(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
