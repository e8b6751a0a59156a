"""The cue sheet as Markdown (GitHub-flavoured tables), for a wiki, a repository or a text editor.

Same parts as the HTML page: character bible, pronunciation guide, lines to confirm, the script
chapter by chapter and every character's lines. Text from the book is escaped so that no ``*``,
``_``, ``|`` or ``<`` in it turns into formatting, a broken table or raw HTML.
"""

from __future__ import annotations

from audiobook.cuesheet.model import CueSheet, SheetCue
from audiobook.cuesheet.timings import timecode
from audiobook.script.model import NARRATOR

_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|~&"})


def md(text: object) -> str:
    """``text`` escaped for a Markdown paragraph or table cell (one line)."""
    return " ".join(str(text).split()).translate(_ESCAPES)


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: list[str], rows: list[list[object]], right: set[int] = frozenset(), drop: str | None = None) -> list[str]:
    """A GitHub-flavoured table; ``right`` aligns those columns right, ``drop`` leaves one column out."""
    if drop in head:
        index = head.index(drop)
        head = head[:index] + head[index + 1 :]
        rows = [row[:index] + row[index + 1 :] for row in rows]
        right = {i - (i > index) for i in right if i != index}
    rule = ["---:" if i in right else "---" for i in range(len(head))]
    return [_row(head), _row(rule), *(_row(r) for r in rows), ""]


def _line(cue: SheetCue) -> str:
    text = md(cue.text)
    if cue.kind == "dialogue":
        text = f"\u201c{text}\u201d"
    elif cue.kind == "thought":
        text = f"*{text}*"
    elif cue.kind == "heading":
        text = f"**{text}**"
    if cue.confirm:
        text += f" **(confirm {cue.confidence:.2f})**"
    return text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _time(seconds: float | None, file: str | None = None, files: list[str] | None = None) -> str:
    """The timecode; in a chapter split into several files, prefixed with the part ("2/00:12.5")."""
    if seconds is None:
        return ""
    if files and len(files) > 1 and file in files:
        return f"{files.index(file) + 1}/{timecode(seconds)}"
    return timecode(seconds)


def render_markdown(sheet: CueSheet) -> str:
    numbers = [c.number for c in sheet.chapters]
    out = [f"# Cue sheet: {md(sheet.title)}", "", f"From {md(sheet.source_name)}.", ""]
    cues = sheet.cues()
    out += [
        f"{len(sheet.chapters)} chapters, {len(cues)} cues, {sum(1 for c in cues if c.spoken)} character lines, "
        f"{len(sheet.characters) - 1} characters, {_plural(len(sheet.to_confirm()), 'line')} to confirm.",
        "",
        "## Character bible",
        "",
    ]
    rows = []
    for entry in sheet.characters:
        first = f"ch {entry.first_chapter}, cue {entry.first_cue}" if entry.first_cue else ""
        voice = md(entry.voice) + (f" ({md(entry.notes)})" if entry.notes else "")
        rows.append(
            [f"**{md(entry.name)}**", md(", ".join(entry.aliases)), entry.gender, first, *(entry.lines[n] for n in numbers),
             entry.total, voice, entry.colour]
        )  # fmt: skip
    out += _table(
        ["Character", "Aliases", "Gender", "First line", *(f"Ch {n}" for n in numbers), "Total", "Voice (notes)", "Colour"],
        rows,
        right=set(range(4, 5 + len(numbers))),
    )
    out += ["## Pronunciation guide", ""]
    known = [p for p in sheet.pronunciations if p.in_lexicon]
    missing = [p for p in sheet.pronunciations if not p.in_lexicon]
    if known:
        out += _table(
            ["Word", "Say it", "IPA", "espeak", "Note", "Uses", "First cue"],
            [[f"**{md(p.word)}**", md(p.respelling), f"/{md(p.ipa)}/" if p.ipa else "", f"`{p.espeak}`" if p.espeak and "`" not in p.espeak else md(p.espeak),
              md(p.note), p.uses, p.first_cue or ""] for p in known],
            right={5, 6},
        )  # fmt: skip
    else:
        out += ["The production has no lexicon.toml yet.", ""]
    if missing:
        out += ["### Names the lexicon lacks", "", "Confirm how to say these with the author, then add them to lexicon.toml.", ""]
        out += _table(["Word", "Uses", "First cue"], [[md(p.word), p.uses, p.first_cue or ""] for p in missing], right={1, 2})
    out += ["## Lines to confirm", ""]
    confirm = sheet.to_confirm()
    out += [f"{_plural(len(confirm), 'line')} with attribution confidence below {sheet.confirm_below:.2f}.", ""]
    out += [f"- cue {c.number} (ch {c.chapter}) **{md(c.speaker)}**? \u201c{md(c.text)}\u201d ({c.confidence:.2f}, {md(c.rule)})" for c in confirm]
    out.append("")
    for chapter in sheet.chapters:
        out += [f"## Chapter {chapter.number}: {md(chapter.title)}", ""]
        meta = [f"{len(chapter.cues)} cues"]
        if chapter.files:
            meta.append(" + ".join(md(f) for f in chapter.files))
        if chapter.duration_s is not None:
            meta.append(timecode(chapter.duration_s))
        if chapter.pov:
            meta.append(f"first person: narration read as {md(chapter.pov)}")
        out += [", ".join(meta) + ".", ""]
        out += _table(
            ["Cue", "Time", "Speaker", "Line"],
            [[c.number, _time(c.start_s, c.file, chapter.files), f"**{md(c.speaker)}**" if c.spoken else c.kind, _line(c)]
             for c in chapter.cues],
            right={0},
            drop=None if sheet.timed else "Time",
        )
    out += ["## Lines by character", ""]
    for entry in sheet.characters:
        if entry.name == NARRATOR:
            continue
        lines = sheet.lines_of(entry.name)
        if not lines:
            continue
        out += [f"### {md(entry.name)}", "", f"{_plural(len(lines), 'line')}." + (f" {md(entry.notes)}" if entry.notes else ""), ""]
        out += _table(
            ["Cue", "Ch", "Time", "Line", "Tag or action"],
            [[c.number, c.chapter, _time(c.start_s, c.file, [f for ch in sheet.chapters if ch.number == c.chapter for f in ch.files]),
              _line(c), " / ".join(md(t) for t in (c.before, c.after) if t)] for c in lines],
            right={0, 1},
            drop=None if sheet.timed else "Time",
        )
    return "\n".join(out)
