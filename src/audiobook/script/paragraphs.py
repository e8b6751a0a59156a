"""Paragraph detection for attribution: a dialogue turn is a paragraph.

Books come in three shapes: paragraphs separated by blank lines (lines inside a paragraph hard-wrapped),
hard-wrapped lines where a new paragraph starts with an indented line, or one paragraph per line.
:func:`paragraph_layout` tells which from the text itself; :func:`find_paragraphs` cuts the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLANK_SEP = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class TextParagraph:
    """One paragraph as offsets into the text (``end`` exclusive, surrounding space trimmed)."""

    start: int
    end: int


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
    wrapped = 0
    for first, second in zip(filled, filled[1:]):
        if first.rstrip()[-1:].isalpha() and second.lstrip()[:1].islower():
            wrapped += 1
    if indented >= 0.05 * len(filled) and wrapped >= 0.1 * len(filled):
        return "indent"
    return "line"


def find_paragraphs(text: str, start: int = 0, end: int | None = None, layout: str | None = None) -> list[TextParagraph]:
    """The paragraphs of ``text[start:end]`` as offsets into ``text``."""
    end = len(text) if end is None else end
    layout = layout or paragraph_layout(text)
    if layout == "blank":
        pattern = _BLANK_SEP
    elif layout == "indent":
        pattern = re.compile(r"\n(?:[ \t]*\n)*(?=[ \t\u3000])|\n[ \t]*\n")
    else:
        pattern = re.compile(r"\n")
    paragraphs: list[TextParagraph] = []
    position = start
    for match in [*pattern.finditer(text, start, end), None]:
        stop = match.start() if match else end
        block = text[position:stop]
        if block.strip():
            lead = len(block) - len(block.lstrip())
            trail = len(block) - len(block.rstrip())
            paragraphs.append(TextParagraph(position + lead, stop - trail))
        position = match.end() if match else end
    return paragraphs
