"""Cue timings after a build: where each cue's take sits in its chapter file, and their exports.

A build writes, next to the chapter MP3s:

- ``timings.json``: every chapter's file, duration and cues (id, kind, speaker, text, start_s, end_s),
  seconds from the start of the chapter file;
- ``NN - Title.vtt`` per chapter: WebVTT captions a player shows with the MP3, one caption per cue,
  the speaker as a voice span (``<v Elsie>``);
- ``book.cue``: a CUE sheet with one track per chapter file.

Times come from :meth:`audiobook.mastering.timeline.Timeline.timings`: the sample position of each take
in the master, so they are exact to the sample before encoding (the tests check them against the
decoded MP3). A build of some chapters keeps the timings of the others that are still current.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from audiobook.atomic import write_text_atomic
from audiobook.errors import InputError
from audiobook.mastering.timeline import CueTiming
from audiobook.script.model import Chapter, Script

TIMINGS_FILE = "timings.json"
CUE_SHEET_FILE = "book.cue"
FORMAT_VERSION = 1
CUE_FRAMES_PER_S = 75
"""A CUE sheet counts time in CD frames: 75 per second."""


@dataclass
class TimedCue:
    id: str
    kind: str
    speaker: str
    text: str
    start_s: float
    end_s: float


@dataclass
class ChapterTimings:
    number: int
    title: str
    file: str
    """The chapter's audio file name, relative to the timings file."""
    duration_s: float
    cues: list[TimedCue] = field(default_factory=list)

    @property
    def vtt_name(self) -> str:
        return str(Path(self.file).with_suffix(".vtt"))


@dataclass
class BookTimings:
    title: str
    chapters: list[ChapterTimings] = field(default_factory=list)

    def chapter(self, number: int) -> ChapterTimings | None:
        """The (first) file of chapter ``number``, or None."""
        return next((c for c in self.chapters if c.number == number), None)

    def parts(self, number: int) -> list[ChapterTimings]:
        """Every file of chapter ``number`` in reading order: one, or the parts of a split chapter."""
        return [c for c in self.chapters if c.number == number]


def chapter_timings(chapter: Chapter, file: str, duration_s: float, timings: list[CueTiming]) -> ChapterTimings:
    """Join a chapter's cues with its master's cue timings (same cues, same order)."""
    if [t.cue_id for t in timings] != [c.id for c in chapter.cues]:
        raise InputError(f"{file}: the cue timings do not match the chapter's cues")
    cues = [
        TimedCue(cue.id, cue.kind, cue.speaker, cue.text, round(t.start_s, 4), round(t.end_s, 4))
        for cue, t in zip(chapter.cues, timings, strict=True)
    ]
    return ChapterTimings(chapter.number, chapter.title, file, round(duration_s, 4), cues)


# -- timecodes --------------------------------------------------------------------------------------


def vtt_timestamp(seconds: float) -> str:
    """``hh:mm:ss.ttt``, as WebVTT writes a time."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def cue_sheet_timestamp(seconds: float) -> str:
    """``mm:ss:ff`` with 75 frames a second, as a CUE sheet's INDEX writes a time."""
    frames = max(0, round(seconds * CUE_FRAMES_PER_S))
    minutes, frames = divmod(frames, 60 * CUE_FRAMES_PER_S)
    secs, frames = divmod(frames, CUE_FRAMES_PER_S)
    return f"{minutes:02d}:{secs:02d}:{frames:02d}"


def timecode(seconds: float) -> str:
    """A short timecode for people: ``m:ss.s`` under an hour, ``h:mm:ss.s`` past it."""
    tenths = max(0, round(seconds * 10))
    hours, tenths = divmod(tenths, 36_000)
    minutes, tenths = divmod(tenths, 600)
    secs, tenths = divmod(tenths, 10)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{tenths}"
    return f"{minutes}:{secs:02d}.{tenths}"


# -- formats ----------------------------------------------------------------------------------------


def to_json(book: BookTimings) -> str:
    payload = {"format": FORMAT_VERSION, "title": book.title, "chapters": [asdict(c) for c in book.chapters]}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def read_timings(path: Path) -> BookTimings | None:
    """The timings in ``path``, or None when there is no such file. Raises InputError when it is bad."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"format {data.get('format')!r} is not {FORMAT_VERSION}")
        chapters = [
            ChapterTimings(
                int(c["number"]), str(c["title"]), str(c["file"]), float(c["duration_s"]),
                [TimedCue(str(q["id"]), str(q["kind"]), str(q["speaker"]), str(q["text"]), float(q["start_s"]), float(q["end_s"])) for q in c["cues"]],
            )
            for c in data["chapters"]
        ]  # fmt: skip
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(f"{path}: not a readable timings file ({error})") from None
    return BookTimings(str(data.get("title", "")), chapters)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def to_webvtt(chapter: ChapterTimings) -> str:
    """The chapter's cues as WebVTT captions: id, time range, ``<v Speaker>`` line."""
    lines = ["WEBVTT", "", f"NOTE {_vtt_escape(chapter.title)} ({chapter.file})", ""]
    for cue in chapter.cues:
        lines.append(cue.id.replace("-->", "- ->"))
        lines.append(f"{vtt_timestamp(cue.start_s)} --> {vtt_timestamp(cue.end_s)}")
        lines.append(f"<v {_vtt_escape(cue.speaker)}>{_vtt_escape(cue.text)}</v>")
        lines.append("")
    return "\n".join(lines)


def _cue_quote(text: str) -> str:
    """A CUE sheet string has no escapes: double quotes become single ones."""
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


def to_cue_sheet(book: BookTimings, performer: str = "") -> str:
    """A CUE sheet of the chapter files, one track each, starting at 00:00:00."""
    lines = []
    if performer:
        lines.append(f"PERFORMER {_cue_quote(performer)}")
    lines.append(f"TITLE {_cue_quote(book.title)}")
    for track, chapter in enumerate(sorted(book.chapters, key=lambda c: c.number), start=1):
        lines.append(f"FILE {_cue_quote(chapter.file)} MP3")
        lines.append(f"  TRACK {track:02d} AUDIO")
        lines.append(f"    TITLE {_cue_quote(chapter.title)}")
        lines.append(f"    REM DURATION {cue_sheet_timestamp(chapter.duration_s)}")
        lines.append(f"    INDEX 01 {cue_sheet_timestamp(0.0)}")
    return "\n".join(lines) + "\n"


# -- the build's exports ----------------------------------------------------------------------------


def covers(parts: list[ChapterTimings], chapter: Chapter) -> bool:
    """Whether the timed files ``parts`` hold exactly ``chapter``'s cues, in order (the spoken header
    a split chapter's later parts open with is not in the script and is passed over)."""
    wanted = [c.id for c in chapter.cues]
    ids = set(wanted)
    return [c.id for part in parts for c in part.cues if c.id in ids] == wanted


def merge(previous: BookTimings | None, script: Script, built: Iterable[ChapterTimings], folder: Path) -> BookTimings:
    """The book's timings after a build: the chapter files just built, plus those of ``previous``
    whose cues are still the script's and whose files are still there.

    A chapter too long for one file (see :mod:`audiobook.delivery.split`) has one entry per part,
    all with the chapter's number, in reading order."""
    fresh: dict[int, list[ChapterTimings]] = {}
    for part in built:
        fresh.setdefault(part.number, []).append(part)
    chapters: list[ChapterTimings] = []
    for chapter in script.chapters:
        if chapter.number in fresh:
            chapters.extend(fresh[chapter.number])
            continue
        old = [c for c in previous.chapters if c.number == chapter.number] if previous else []
        if old and covers(old, chapter) and all((folder / part.file).exists() for part in old):
            chapters.extend(old)
    return BookTimings(script.title, chapters)


def write_build_timings(folder: Path, script: Script, built: Iterable[ChapterTimings]) -> BookTimings:
    """Write ``timings.json``, a ``.vtt`` per chapter just built and ``book.cue`` into ``folder``."""
    folder = Path(folder)
    built = list(built)
    try:
        previous = read_timings(folder / TIMINGS_FILE)
    except InputError:
        previous = None  # a damaged file from an old build: the chapters built now replace it
    book = merge(previous, script, built, folder)
    for chapter in built:
        write_text_atomic(folder / chapter.vtt_name, to_webvtt(chapter))
    write_text_atomic(folder / TIMINGS_FILE, to_json(book))
    write_text_atomic(folder / CUE_SHEET_FILE, to_cue_sheet(book))
    return book
