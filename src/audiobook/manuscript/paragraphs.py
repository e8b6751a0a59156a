"""Paragraphs and scene breaks of a stretch of plain text.

Manuscripts come in two shapes: paragraphs separated by blank lines (hard-wrapped lines inside a
paragraph are joined), or one paragraph per line. :func:`paragraph_style` tells which; a scene break is
a line of only ``*``, ``#``, ``~``, ``-``, ``=`` or bullets (``***``, ``* * *``, ``#``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCENE_BREAK = re.compile(r"^[ \t]*(?:[*#~=\-•·◆♦][ \t]*){1,9}$")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    scene_break_before: bool = False


def paragraph_style(text: str) -> str:
    """"blank-line" when most paragraphs are separated by blank lines, else "line"."""
    lines = [line for line in text.split("\n")]
    blank = sum(1 for line in lines if not line.strip())
    filled = len(lines) - blank
    return "blank-line" if filled and blank >= 0.3 * filled else "line"


def split_paragraphs(text: str, start: int = 0, end: int | None = None, style: str | None = None) -> list[Paragraph]:
    """The paragraphs of ``text[start:end]`` as offsets into ``text`` (trimmed of surrounding space)."""
    end = len(text) if end is None else end
    style = style or paragraph_style(text)
    separator = re.compile(r"\n[ \t]*\n" if style == "blank-line" else r"\n")
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
