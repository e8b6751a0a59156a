"""Chapter detection.

A chapter starts at a heading line: "Chapter 3", "CHAPTER III.", "Chapter Three: The Storm", "Part
Two", "Prologue"/"Epilogue", a Markdown heading, or a line in capitals standing alone (often a
point-of-view character's name). A numbered heading followed by a short title line takes that line as
its title. A heading with no body (a "Part One" right before "Chapter 1") is folded into the next
chapter's heading. A first heading with only a byline under it is the title page. Text before the first heading becomes the book title when it is a few short lines,
and a chapter of its own otherwise. A manuscript without headings is one chapter.
"""

from __future__ import annotations

import re

from audiobook.manuscript.model import ChapterSpan
from audiobook.manuscript.paragraphs import SCENE_BREAK

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|first|second|"
    "third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
)
_NUMBERED = re.compile(
    rf"^(chapter|chap\.|book|part|volume|letter)\s+(\d+|[ivxlcdm]+|(?:(?:{_NUMBER_WORDS})[\s-]*)+)\b\.?\s*[:.\-—–]?\s*(.*)$",
    re.I,
)
_NAMED = re.compile(
    r"^((?i:prologue|epilogue|interlude|afterword|foreword|preface|introduction))\.?(?:\s*[:.\-—–]\s*([A-Z0-9].{0,60}))?$"
)
_BARE_NUMBER = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,7})\.?$")
_MAX_HEADING_CHARS = 80


def _is_capital_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return (
        len(letters) >= 2
        and line == line.upper()
        and len(line) <= 60
        and len(line.split()) <= 8
        and not line.endswith((",", ";", ":"))
        and not any(mark in line for mark in "\"\u201c\u201d'\u2018")
        and not SCENE_BREAK.match(line)
    )


def is_heading_line(line: str) -> bool:
    """Whether a line standing alone reads as a chapter heading ("CHAPTER XVIII.", "Part Two", "12",
    a line in capitals)."""
    line = line.strip()
    if not line or len(line) > _MAX_HEADING_CHARS:
        return False
    named = _NAMED.match(line)
    return bool(_NUMBERED.match(line) or (named and named.group(1)[0].isupper()) or _BARE_NUMBER.match(line)
                or _is_capital_line(line))


def _display_title(line: str) -> str:
    line = line.strip().rstrip(".").strip()
    if line == line.upper():
        line = " ".join(word if re.fullmatch(r"[IVXLCDM]+", word) else word.capitalize() for word in line.split())
    return line


def _is_byline(body: str) -> bool:
    """A title page's body: a line or two ("by A. Writer") with no sentence in it."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    return 0 < len(lines) <= 2 and all(len(line) <= 60 and not line.endswith(tuple(".!?\"\u201d\u2019")) for line in lines)


def _heading_title(match: re.Match[str]) -> str:
    """ "CHAPTER III. The storm" -> "Chapter III: The storm"."""
    groups = [g for g in match.groups() if g]
    words = [groups[0].capitalize()]
    if match.re is _NUMBERED:
        number = groups[1].strip()
        words.append(number.upper() if re.fullmatch(r"[ivxlcdm]+", number, re.I) else number.capitalize())
    title = " ".join(words)
    rest = match.groups()[-1]
    return f"{title}: {_display_title(rest)}" if rest and rest.strip() else title


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def detect_chapters(text: str, markdown_headings: dict[int, int] | None = None, fallback_title: str = "") -> tuple[list[ChapterSpan], str]:
    """Find the chapters of ``text``. Returns the chapters and the book title ("" when none is found)."""
    lines = _lines(text)
    headings: list[tuple[int, int, str]] = []  # (line index, last heading line index, title)
    book_title = ""
    if markdown_headings:
        levels = sorted(set(markdown_headings.values()))
        top = levels[0]
        top_count = sum(1 for level in markdown_headings.values() if level == top)
        chapter_level = levels[1] if top_count == 1 and len(levels) > 1 else top
        for number in sorted(markdown_headings):
            start, end = lines[number]
            title = text[start:end].strip()
            if markdown_headings[number] == chapter_level:
                headings.append((number, number, _display_title(title)))
            elif markdown_headings[number] < chapter_level and not book_title:
                book_title = title
    else:
        headings = _text_headings(text, lines)
    if not headings:
        return [ChapterSpan(1, fallback_title, 0, 0, len(text))], book_title

    chapters: list[ChapterSpan] = []
    first_start = lines[headings[0][0]][0]
    front = text[:first_start].strip()
    if front:
        front_lines = [line.strip() for line in front.split("\n") if line.strip()]
        if len(front_lines) <= 3 and all(len(line) <= _MAX_HEADING_CHARS for line in front_lines):
            book_title = book_title or front_lines[0]
        else:
            chapters.append(ChapterSpan(1, fallback_title or "Opening", 0, 0, first_start))
    pending_start: int | None = None
    for i, (first, last, title) in enumerate(headings):
        heading_start = lines[first][0] if pending_start is None else pending_start
        heading_end = lines[last][1]
        end = lines[headings[i + 1][0]][0] if i + 1 < len(headings) else len(text)
        if not text[heading_end:end].strip() and i + 1 < len(headings):
            pending_start = heading_start  # a "Part One" with no body folds into the next heading
            continue
        pending_start = None
        body = text[heading_end:end].strip()
        if i == 0 and i + 1 < len(headings) and _is_byline(body):
            book_title = book_title or title  # a title page: "THE BOOK" over "by Someone"
            continue
        chapters.append(ChapterSpan(len(chapters) + 1, title, heading_start, heading_end, end))
    return chapters, book_title


def _text_headings(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    headings: list[tuple[int, int, str]] = []
    index = 0
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end].strip()
        previous_blank = index == 0 or not text[lines[index - 1][0] : lines[index - 1][1]].strip()
        if not line or len(line) > _MAX_HEADING_CHARS:
            index += 1
            continue
        numbered = _NUMBERED.match(line) or _NAMED.match(line)
        if numbered and numbered.re is _NAMED and not numbered.group(1)[0].isupper():
            numbered = None
        bare = previous_blank and _BARE_NUMBER.match(line)
        if numbered or bare:
            title = _heading_title(numbered) if numbered else line.rstrip(".")
            rest = (numbered.groups()[-1] or "").strip() if numbered else ""
            last = index
            if not rest:
                subtitle_index = _subtitle_line(text, lines, index)
                if subtitle_index is not None:
                    subtitle = text[lines[subtitle_index][0] : lines[subtitle_index][1]].strip()
                    title = f"{title}: {_display_title(subtitle)}"
                    last = subtitle_index
            headings.append((index, last, title))
            index = last + 1
            continue
        if previous_blank and _is_capital_line(line) and _followed_by_prose(text, lines, index):
            headings.append((index, index, _display_title(line)))
        index += 1
    return headings


def _subtitle_line(text: str, lines: list[tuple[int, int]], index: int) -> int | None:
    """The index of a short title line right after a numbered heading (blank lines allowed between)."""
    for candidate in range(index + 1, min(index + 4, len(lines))):
        line = text[lines[candidate][0] : lines[candidate][1]].strip()
        if not line:
            continue
        words = line.split()
        if (
            len(line) <= 60
            and len(words) <= 10
            and not line.endswith((".", ",", ";", ":", "?", "!", '"', "\u201d"))
            and not _NUMBERED.match(line)
            and sum(w[0].isupper() for w in words if w[0].isalpha()) >= max(1, len(words) // 2)
        ):
            return candidate
        return None
    return None


def _followed_by_prose(text: str, lines: list[tuple[int, int]], index: int) -> bool:
    """A capital line is a heading when the next non-empty line is not itself in capitals."""
    for candidate in range(index + 1, len(lines)):
        line = text[lines[candidate][0] : lines[candidate][1]].strip()
        if line:
            return not _is_capital_line(line)
    return False
