"""Paragraphs and scene breaks of a stretch of plain text: one paragraph is one dialogue turn.

Books come in three layouts: paragraphs separated by blank lines (lines inside a paragraph
hard-wrapped), hard-wrapped lines where a new paragraph starts with an indented line, or one paragraph
per line. :func:`paragraph_layout` tells which from the text itself; :func:`split_paragraphs` cuts
the text. A scene break is a line of only ``*``, ``#``, ``~``, ``-``, ``=`` or bullets (``***``,
``* * *``, ``#``): it is not a paragraph, it marks the paragraph after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCENE_BREAK = re.compile(r"^[ \t]*(?:[*#~=\-•·◆♦][ \t]*){1,9}$")
_SEPARATORS = {
    "blank": re.compile(r"\n[ \t]*\n"),
    "indent": re.compile(r"\n(?:[ \t]*\n)*(?=[ \t\u3000])|\n[ \t]*\n"),
    "line": re.compile(r"\n"),
}


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as offsets into the text (``end`` exclusive, surrounding space trimmed)."""

    start: int
    end: int
    scene_break_before: bool = False


def paragraph_layout(text: str) -> str:
    """"blank" (blank-line separated), "indent" (indented first lines) or "line" (one per line)."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    if not filled:
        return "line"
    blank = len(lines) - len(filled)
    if blank >= 0.2 * len(filled):
        return "blank"
    indented = sum(1 for line in filled if line[:1] in (" ", "\t", "\u3000"))
    # Hard-wrapped prose: many lines end without sentence punctuation and the next starts lowercase.
    wrapped = sum(
        1 for first, second in zip(filled, filled[1:]) if first.rstrip()[-1:].isalpha() and second.lstrip()[:1].islower()
    )
    if indented >= 0.05 * len(filled) and wrapped >= 0.1 * len(filled):
        return "indent"
    return "line"


def split_paragraphs(text: str, start: int = 0, end: int | None = None, layout: str | None = None) -> list[Paragraph]:
    """The paragraphs of ``text[start:end]`` as offsets into ``text``; scene breaks flag the next one."""
    end = len(text) if end is None else end
    separator = _SEPARATORS[layout or paragraph_layout(text)]
    paragraphs: list[Paragraph] = []
    scene_break = False
    position = start
    for match in [*separator.finditer(text, start, end), None]:
        stop = match.start() if match else end
        block = text[position:stop]
        if block.strip():
            if SCENE_BREAK.match(block.strip()):
                scene_break = bool(paragraphs) or scene_break
            else:
                lead = len(block) - len(block.lstrip())
                trail = len(block) - len(block.rstrip())
                paragraphs.append(Paragraph(position + lead, stop - trail, scene_break))
                scene_break = False
        position = match.end() if match else end
    return paragraphs
