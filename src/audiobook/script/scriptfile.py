"""The production script file: plain text a person can read, edit and keep under version control.

Example::

    # audiobook production script v1
    title: The Keeper of Gull Point
    source: examples/gull-point.md
    author: Jane Roe
    narrator: Virtual Voice

    [characters]
    # name | gender M/F/U | role narrator/minor/- | aliases (comma-separated)
    Mara Quinn | F | narrator | Mara
    Tobias Hale | M | - | Tobias, Mr. Hale

    [chapter 1] Mara | pov: Mara Quinn
    # id | kind | speaker | confidence | rule | source start-end | pause | text
    h3f9a0c21   | heading   | Narrator    | 1.00 | heading  | 0-4     | chapter   | Mara
    7c1e22ab.0  | dialogue  | Tobias Hale | 0.95 | tag-after| 6-31    | sentence  | You came back.

Change a speaker (third column) and build again: the change is kept as a "manual" correction.
Lines starting with "#" are comments. ``format_script`` and ``parse_script`` round-trip exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

from audiobook.atomic import write_text_atomic
from audiobook.errors import InputError
from audiobook.script.model import CUE_KINDS, PAUSES, Chapter, Character, Cue, Metadata, Script

MAGIC = "# audiobook production script v1"
SUFFIX = ".script.txt"
_CHAPTER = re.compile(r"^\[chapter (\d+)\]\s?(.*?)(?:\s*\|\s*pov:\s*(.*))?$")
METADATA_KEYS = {
    "subtitle": "subtitle",
    "author": "authors",
    "narrator": "narrators",
    "publisher": "publisher",
    "year": "year",
    "language": "language",
    "isbn": "isbn",
    "series": "series",
    "series-number": "series_number",
    "description": "description",
    "cover": "cover",
}
"""Header key -> :class:`Metadata` field. ``author`` and ``narrator`` hold several names separated by ";"."""
_LISTS = ("authors", "narrators")


def format_script(script: Script) -> str:
    """The file text of ``script``."""
    lines = [
        MAGIC,
        "# Edit a speaker (third column of a cue) and build again: your change is kept.",
        "# Low-confidence lines (confidence below 0.50) are the ones worth checking: `audiobook review`.",
        f"title: {script.title}",
        f"source: {script.source}",
        "# Book metadata for the retail packages (`audiobook build --package`): edit these lines.",
        "# Several authors or narrators are separated by ';'. cover: a JPEG or PNG, relative to this file.",
        *_metadata_lines(script.metadata),
        "",
        "[characters]",
        "# name | gender M/F/U | role narrator/minor/- | aliases (comma-separated)",
    ]
    for character in script.characters:
        role = "narrator" if character.narrator else "minor" if character.minor else "-"
        lines.append(f"{character.name} | {character.gender} | {role} | {', '.join(character.aliases)}".rstrip())
    for chapter in script.chapters:
        lines += ["", f"[chapter {chapter.number}] {chapter.title}" + (f" | pov: {chapter.pov}" if chapter.pov else "")]
        lines.append("# id | kind | speaker | confidence | rule | source start-end | pause | text")
        width = max((len(cue.speaker) for cue in chapter.cues), default=8)
        for cue in chapter.cues:
            lines.append(
                f"{cue.id:<11} | {cue.kind:<9} | {cue.speaker:<{width}} | {cue.confidence:.2f} | {cue.rule:<12} | "
                f"{cue.start}-{cue.end} | {cue.pause:<9} | {cue.text}"
            )
    return "\n".join(lines) + "\n"


def parse_script(text: str, path: Path | str = "<script>") -> Script:
    """Parse a script file's text; any malformed line raises InputError naming the file and line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != MAGIC:
        raise InputError(f"{path}: not an audiobook production script (first line must be '{MAGIC}')")
    script = Script(title="", source="")
    section: str | None = None
    chapter: Chapter | None = None
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        if line == "[characters]":
            section = "characters"
            continue
        match = _CHAPTER.match(line)
        if match:
            section = "chapter"
            chapter = Chapter(int(match.group(1)), match.group(2).strip(), pov=(match.group(3) or "").strip() or None)
            script.chapters.append(chapter)
            continue
        if section is None:
            key, sep, value = line.partition(":")
            key = key.strip()
            if sep and key in METADATA_KEYS:
                _set_metadata(script.metadata, METADATA_KEYS[key], value.strip(), where)
                continue
            if not sep or key not in ("title", "source"):
                raise InputError(f"{where}: expected 'title:', 'source:' or a metadata key ({', '.join(METADATA_KEYS)}), got {line[:40]!r}")
            setattr(script, key, value.strip())
        elif section == "characters":
            script.characters.append(_parse_character(line, where))
        else:
            assert chapter is not None
            chapter.cues.append(_parse_cue(line, where))
    return script


def _metadata_lines(metadata: Metadata) -> list[str]:
    lines = []
    for key, name in METADATA_KEYS.items():
        value = getattr(metadata, name)
        text = "; ".join(value) if name in _LISTS else "" if value is None else str(value)
        lines.append(f"{key}: {text}".rstrip())
    return lines


def _set_metadata(metadata: Metadata, name: str, value: str, where: str) -> None:
    if name in _LISTS:
        setattr(metadata, name, [part.strip() for part in value.split(";") if part.strip()])
    elif name == "year":
        if value and not value.isdigit():
            raise InputError(f"{where}: year must be a number such as 2024, not {value!r}")
        metadata.year = int(value) if value else None
    else:
        setattr(metadata, name, value)


def _parse_character(line: str, where: str) -> Character:
    fields = [field.strip() for field in line.split("|")]
    if len(fields) < 3 or not fields[0]:
        raise InputError(f"{where}: a character line is 'name | gender | role | aliases'")
    gender, role = fields[1].upper() or "U", fields[2]
    if gender not in ("M", "F", "U"):
        raise InputError(f"{where}: gender must be M, F or U, not {fields[1]!r}")
    if role not in ("narrator", "minor", "-", ""):
        raise InputError(f"{where}: role must be narrator, minor or -, not {role!r}")
    aliases = [alias.strip() for alias in fields[3].split(",") if alias.strip()] if len(fields) > 3 else []
    return Character(fields[0], aliases, gender, role == "narrator", role == "minor")


def _parse_cue(line: str, where: str) -> Cue:
    fields = line.split("|", 7)
    if len(fields) != 8:
        raise InputError(f"{where}: a cue line has 8 columns separated by '|'")
    cue_id, kind, speaker, confidence, rule, offsets, pause = (field.strip() for field in fields[:7])
    text = fields[7][1:] if fields[7].startswith(" ") else fields[7]
    if kind not in CUE_KINDS:
        raise InputError(f"{where}: kind must be one of {', '.join(CUE_KINDS)}, not {kind!r}")
    if pause not in PAUSES:
        raise InputError(f"{where}: pause must be one of {', '.join(PAUSES)}, not {pause!r}")
    if not speaker:
        raise InputError(f"{where}: cue {cue_id} has no speaker")
    try:
        value = float(confidence)
        start, end = (int(part) for part in offsets.split("-"))
    except ValueError:
        raise InputError(f"{where}: bad confidence or offsets in cue {cue_id}") from None
    return Cue(cue_id, kind, text, speaker, value, rule, start, end, pause)


def read_script(path: Path) -> Script:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read production script ({error.__class__.__name__})") from None
    return parse_script(text, path)


def write_script(script: Script, path: Path) -> None:
    """Write atomically: a temporary file, then a rename."""
    write_text_atomic(Path(path), format_script(script))

