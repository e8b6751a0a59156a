"""A package's manifest and its atomic publication.

``manifest.json`` lists every file of a package with its duration (seconds), SHA-256, size (bytes)
and the result of its check against the package's delivery spec, plus the book-level problems.
A package is built in a hidden temporary folder next to its final place and renamed into place when
complete, so a folder named ``package-NAME`` is always a whole package.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"


@dataclass
class PackageFile:
    """One delivered file and its check result."""

    file: str
    kind: str
    """opening-credits, chapter, closing-credits, sample, book (an M4B) or cover."""
    title: str
    duration_s: float | None
    sha256: str
    bytes: int
    spec: str | None = None
    passed: bool | None = None
    failures: list[str] = field(default_factory=list)
    track: int | None = None


@dataclass
class PackageReport:
    """A built package: where it is, its files, and the rules it breaks."""

    name: str
    folder: Path
    spec: str
    files: list[PackageFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Book-level rules broken (e.g. a sample over five minutes), one line each."""
    chapters: list[dict] = field(default_factory=list)
    """For a single-file package: the chapter marks as {title, start_s, end_s}."""
    warnings: list[str] = field(default_factory=list)
    """Metadata rules the retailer recommends and the book does not keep (no cover, ...)."""

    @property
    def passed(self) -> bool:
        return not self.problems and all(f.passed is not False for f in self.files)

    def rejections(self) -> list[str]:
        """One line per failing file (and per book-level problem), naming the file and the rules."""
        lines = [f"{self.folder / f.file}: {'; '.join(f.failures)}" for f in self.files if f.passed is False]
        return lines + [f"{self.folder}: {problem}" for problem in self.problems]

    def manifest(self) -> dict:
        return {
            "package": self.name,
            "spec": self.spec,
            "passed": self.passed,
            "problems": self.problems,
            "warnings": self.warnings,
            "files": [asdict(f) for f in self.files],
            **({"chapters": self.chapters} if self.chapters else {}),
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(report: PackageReport, folder: Path) -> None:
    (folder / MANIFEST).write_text(json.dumps(report.manifest(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def staging_path(final: Path) -> Path:
    """The hidden folder next to ``final`` where this process builds the package."""
    return final.with_name(f".{final.name}.{os.getpid()}.tmp")


def staging_folder(final: Path) -> Path:
    """A fresh, empty :func:`staging_path` folder."""
    staging = staging_path(final)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, final: Path) -> None:
    """Put the complete package ``staging`` at ``final``, replacing an older one.

    The old package is first renamed aside, so ``final`` is at every moment absent, the old whole
    package, or the new whole package; never a half-written one.
    """
    old = final.with_name(f".{final.name}.{os.getpid()}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def remove_stale(folder: Path) -> None:
    """Remove staging and old package folders left by builds that no longer run."""
    for path in Path(folder).glob(".package-*.*"):
        pid = path.name.rsplit(".", 2)[-2] if path.name.count(".") >= 3 else ""
        if path.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
