"""Markdown to plain text: headings keep their words, emphasis becomes spans, links keep their text.

Only what manuscripts use is handled: YAML front matter (dropped), ATX headings, *emphasis*/_emphasis_, **strong**, links, images,
HTML comments. Scene-break rules (``***``, ``---``, ``* * *``) are left for the chapter stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.manuscript.textmap import MappedText

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
"""YAML front matter (title, author, ...): book metadata, never read aloud. Its lines stay as blank
lines so heading line numbers are unchanged."""
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_OPEN, _CLOSE = "\ue000", "\ue001"


@dataclass
class MarkdownText:
    text: MappedText
    emphasis: list[tuple[int, int]]
    """Italic spans as offsets into ``text.text``."""
    headings: dict[int, int]
    """Line number (0-based) -> heading level, for ATX headings."""


def drop_front_matter(text: MappedText) -> MappedText:
    """Blank out a front-matter block, keeping its line breaks so line numbers stay."""
    return text.replace(FRONT_MATTER, lambda m: "\n" * m.group(0).count("\n"))


def read_markdown(source: str) -> MarkdownText:
    """Strip Markdown marks from ``source`` and say where the headings and italics are."""
    headings = {source.count("\n", 0, m.start()): len(m.group(1)) for m in _HEADING.finditer(source)}
    text = drop_front_matter(MappedText.identity(source))
    text = text.replace(re.compile(r"<!--.*?-->", re.S), "")
    text = text.replace(re.compile(r"^#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1")
    text = text.replace(re.compile(r"!\[[^\]]*\]\([^)]*\)"), "")
    text = text.replace(re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1")
    text = text.replace(re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2")
    text = text.replace(re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), _OPEN + r"\1" + _CLOSE)
    text = text.replace(re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), _OPEN + r"\1" + _CLOSE)
    emphasis: list[tuple[int, int]] = []
    removed = 0
    start = 0
    for i, char in enumerate(text.text):
        if char == _OPEN:
            start = i - removed
            removed += 1
        elif char == _CLOSE:
            emphasis.append((start, i - removed))
            removed += 1
    text = text.replace(re.compile(f"[{_OPEN}{_CLOSE}]"), "")
    return MarkdownText(text, emphasis, headings)
