"""The Manuscript: a book's plain text with offsets back into the source file, and its chapters."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ChapterSpan:
    """One chapter of the plain text: its heading line and body, as offsets into ``Manuscript.text``.

    ``heading_start == heading_end`` when the chapter has no heading (a book with no headings is one
    chapter). ``end`` is exclusive.
    """

    number: int
    title: str
    heading_start: int
    heading_end: int
    end: int

    @property
    def body_start(self) -> int:
        return self.heading_end


@dataclass
class Manuscript:
    """A manuscript read and cleaned.

    ``source`` is the file's decoded text (for EPUB/DOCX: the extracted text). ``text`` is the cleaned
    plain text the later stages read; ``source_index[i]`` is the offset in ``source`` of ``text[i]``
    (one extra entry maps ``len(text)``). ``emphasis`` lists italic spans as offsets into ``text``.
    """

    path: Path
    source: str
    text: str
    source_index: list[int]
    chapters: list[ChapterSpan] = field(default_factory=list)
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    title: str = ""

    def to_source(self, offset: int) -> int:
        """Offset in ``source`` of the character at ``offset`` in ``text``."""
        return self.source_index[offset]

    def from_source(self, source_offset: int) -> int:
        """Offset in ``text`` of the first character at or after ``source_offset`` in ``source``."""
        return max(0, bisect_right(self.source_index, source_offset - 1))
