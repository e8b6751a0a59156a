"""The retail packages: what each retailer takes, built from the mastered sections and checked.

- ``acx`` (Audible): one MP3 per section in reading order (opening credits, chapters or their parts,
  closing credits) plus the retail sample; 44.1 kHz CBR 192 kb/s MP3s with ID3 tags; every file
  checked against the ``acx`` delivery spec.
- ``apple``: one M4B (AAC) with a chapter mark at the exact start of each chapter, tags and cover.
- ``google``: one MP3 per section named ``<ISBN>_<n>of<N>.mp3`` (Google Play's multipart naming),
  tags, the cover as ``<ISBN>.jpg``; checked against Google's bitrate rule; the book must run five
  minutes or more.

Each package folder gets a ``manifest.json`` (:mod:`.manifest`) and appears only when complete.
See docs/delivery.md for the source of every rule.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from audiobook.check import check_file, load_spec
from audiobook.check.gate import CheckReport
from audiobook.delivery.m4b import write_m4b
from audiobook.delivery.manifest import PackageFile, PackageReport, publish, remove_stale, sha256_of, staging_folder, staging_path, write_manifest
from audiobook.delivery.metadata import cover_facts
from audiobook.delivery.sample import SAMPLE_MAX_S
from audiobook.delivery.tags import BookTags, read_mp4, write_id3, write_mp4
from audiobook.errors import InputError
from audiobook.production import file_title

PACKAGES = ("acx", "apple", "google")
GOOGLE_MIN_BOOK_S = 300.0
"""Google Play Books: "The audiobook must be at least 5 minutes long"."""
GOOGLE_STEREO_MIN_KBPS = 256.0
CHAPTER_TOLERANCE_S = 0.05


@dataclass(frozen=True)
class Section:
    """A mastered section of the book, in reading order.

    ``kind``: opening-credits, chapter, closing-credits or sample. ``title`` is the file's own title
    (a part's title says its part); ``chapter_title`` is the chapter's, for M4B chapter marks, and
    ``part`` is 1, 2, ... for the parts of a split chapter (None otherwise).
    """

    kind: str
    title: str
    master: Path
    chapter_title: str = ""
    part: int | None = None


def package_folder(folder: Path, name: str) -> Path:
    """Where package ``name`` goes: ``FOLDER/package-NAME``."""
    return Path(folder) / f"package-{name}"


def expand(names: list[str] | tuple[str, ...]) -> list[str]:
    """The package names asked for, with "all" expanded, in a fixed order; InputError on others."""
    wanted = set()
    for name in names:
        if name == "all":
            wanted.update(PACKAGES)
        elif name in PACKAGES:
            wanted.add(name)
        else:
            raise InputError(f"--package {name}: not a package (choose from {', '.join(PACKAGES)}, all)")
    return [name for name in PACKAGES if name in wanted]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "audiobook"


def _spec_path(name: str) -> Path:
    return Path(str(resources.files("audiobook.delivery") / "specs" / f"{name}.toml"))


def _describe(report: CheckReport) -> list[str]:
    return [f"{failure.rule} (measured {_value(failure.value)}, limit {failure.limit})" for failure in report.failures]


def _value(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _checked(path: Path, folder: Path, kind: str, title: str, spec, track: int | None = None) -> PackageFile:
    report = check_file(path, spec)
    return PackageFile(
        file=path.name, kind=kind, title=title, duration_s=round(report.metrics.duration_s, 3), sha256=sha256_of(path),
        bytes=path.stat().st_size, spec=spec.name, passed=report.passed, failures=_describe(report), track=track,
    )  # fmt: skip


def _add_cover(tags: BookTags, staging: Path, stem: str) -> PackageFile | None:
    if tags.cover is None or not tags.cover.is_file():
        return None
    kind, _, _ = cover_facts(tags.cover)
    target = staging / f"{stem}.{'png' if kind == 'PNG' else 'jpg'}"
    shutil.copyfile(tags.cover, target)
    return PackageFile(target.name, "cover", "Cover", None, sha256_of(target), target.stat().st_size)


def _mp3_set(staging: Path, sections: list[Section], tags: BookTags, name_of) -> list[tuple[Path, Section, int]]:
    written = []
    for track, section in enumerate(sections, start=1):
        target = staging / name_of(track, section)
        shutil.copyfile(section.master, target)
        write_id3(target, tags, section.title, track, len(sections))
        written.append((target, section, track))
    return written


def build_acx(folder: Path, sections: list[Section], sample: Section | None, tags: BookTags, warnings: dict[str, list[str]] | None = None) -> PackageReport:
    """The ACX package: numbered section MP3s, the retail sample, the cover, the manifest."""
    final = package_folder(folder, "acx")
    staging = staging_folder(final)
    spec = load_spec("acx")
    report = PackageReport("acx", final, spec.name)
    report.warnings = list((warnings or {}).get("acx", []))
    width = max(2, len(str(len(sections))))
    for target, section, track in _mp3_set(staging, sections, tags, lambda n, s: f"{n:0{width}d} - {file_title(s.title)}.mp3"):
        report.files.append(_checked(target, staging, section.kind, section.title, spec, track))
    if sample is None:
        report.problems.append("no retail sample (ACX asks for one of at most five minutes)")
    else:
        target = staging / "Retail Sample.mp3"
        shutil.copyfile(sample.master, target)
        write_id3(target, tags, sample.title, 1, 1)
        checked = _checked(target, staging, "sample", sample.title, spec)
        report.files.append(checked)
        if checked.duration_s is not None and checked.duration_s > SAMPLE_MAX_S:
            report.problems.append(f"Retail Sample.mp3 runs {checked.duration_s:.1f} s; ACX takes at most {SAMPLE_MAX_S:.0f} s")
    kinds = [f.kind for f in report.files]
    if "opening-credits" not in kinds or "closing-credits" not in kinds:
        report.problems.append("opening and closing credits are both required")
    cover = _add_cover(tags, staging, "cover")
    if cover:
        report.files.append(cover)
    return _finish(report, staging, final)


def build_google(folder: Path, sections: list[Section], tags: BookTags, isbn: str, warnings: dict[str, list[str]] | None = None) -> PackageReport:
    """The Google Play package: ``<ISBN>_<n>of<N>.mp3`` (a title slug without an ISBN), cover, manifest."""
    final = package_folder(folder, "google")
    staging = staging_folder(final)
    spec = load_spec(_spec_path("google"))
    report = PackageReport("google", final, spec.name)
    report.warnings = list((warnings or {}).get("google", []))
    stem = re.sub(r"[^0-9X]", "", isbn.upper()) or _slug(tags.album)
    total = len(sections)
    for target, section, track in _mp3_set(staging, sections, tags, lambda n, s: f"{stem}_{n}of{total}.mp3"):
        checked = _checked(target, staging, section.kind, section.title, spec, track)
        report.files.append(checked)
    book_s = sum(f.duration_s or 0.0 for f in report.files)
    if book_s < GOOGLE_MIN_BOOK_S:
        report.problems.append(f"the book runs {book_s / 60:.1f} minutes; Google Play takes audiobooks of at least 5 minutes")
    cover = _add_cover(tags, staging, stem)
    if cover:
        report.files.append(cover)
    return _finish(report, staging, final)


def build_apple(folder: Path, sections: list[Section], tags: BookTags, warnings: dict[str, list[str]] | None = None) -> PackageReport:
    """The Apple package: one M4B with a chapter mark per chapter (split parts joined), tags, cover."""
    final = package_folder(folder, "apple")
    staging = staging_folder(final)
    spec = load_spec(_spec_path("apple"))
    report = PackageReport("apple", final, spec.name)
    report.warnings = list((warnings or {}).get("apple", []))
    joined = [(s.master, s.chapter_title or s.title if (s.part or 1) == 1 else None) for s in sections]
    target = staging / f"{_slug(tags.album)}.m4b"
    marks = write_m4b(target, joined)
    write_mp4(target, tags)
    checked = _checked(target, staging, "book", tags.album, spec)
    _, chapters = read_mp4(target)
    measured = checked.failures
    if len(chapters) != len(marks) or any(abs(start - mark.start_s) > CHAPTER_TOLERANCE_S or title != mark.title for (start, title), mark in zip(chapters, marks)):
        measured.append(f"chapters read back ({len(chapters)}) differ from the {len(marks)} written")
    from audiobook.mastering.ffmpeg import probe

    codec = probe(target).codec
    if codec != "aac":
        measured.append(f"codec {codec}, not aac")
    checked.passed = not measured
    report.files.append(checked)
    report.chapters = [{"title": m.title, "start_s": round(m.start_s, 3), "end_s": round(m.end_s, 3)} for m in marks]
    cover = _add_cover(tags, staging, "cover")
    if cover:
        report.files.append(cover)
    return _finish(report, staging, final)


def _finish(report: PackageReport, staging: Path, final: Path) -> PackageReport:
    write_manifest(report, staging)
    publish(staging, final)
    return report


def make_packages(
    folder: Path,
    names: list[str],
    sections: list[Section],
    sample: Section | None,
    tags: BookTags,
    isbn: str = "",
    warnings: dict[str, list[str]] | None = None,
) -> list[PackageReport]:
    """Build the packages ``names`` (from :func:`expand`) into ``folder``; return their reports.

    ``sections`` are the book's sections in reading order, ``sample`` the retail sample's master,
    ``warnings`` the metadata warnings per package, recorded in its manifest.
    """
    remove_stale(folder)
    reports = []
    for name in names:
        builders = {
            "acx": lambda: build_acx(folder, sections, sample, tags, warnings),
            "apple": lambda: build_apple(folder, sections, tags, warnings),
            "google": lambda: build_google(folder, sections, tags, isbn, warnings),
        }
        try:
            reports.append(builders[name]())
        finally:
            shutil.rmtree(staging_path(package_folder(folder, name)), ignore_errors=True)
    return reports
