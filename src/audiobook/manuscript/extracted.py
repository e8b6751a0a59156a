"""Text extracted from a structured document (EPUB, DOCX): paragraphs, headings and italic runs.

Both readers produce an :class:`ExtractedText`: one paragraph per block, separated by blank lines,
headings as lines of their own with their level, italic runs as spans. The extracted text is the
manuscript's "source": offsets point into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audiobook.manuscript.textmap import MappedText


@dataclass
class ExtractedText:
    parts: list[str] = field(default_factory=list)
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    headings: dict[int, int] = field(default_factory=dict)
    _length: int = 0
    _lines: int = 0

    def add_block(self, runs: list[tuple[str, bool]], heading_level: int = 0) -> None:
        """Add a paragraph (or a heading) made of (text, italic) runs."""
        text = "".join(run for run, _ in runs)
        if not text.strip():
            return
        if self.parts:
            self.parts.append("\n\n")
            self._length += 2
            self._lines += 2
        lead = len(text) - len(text.lstrip())
        position = self._length - lead
        for run, italic in runs:
            start = max(position, self._length)
            end = min(position + len(run), self._length + len(text.strip()))
            if italic and run.strip() and end > start:
                if self.emphasis and self.emphasis[-1][1] == start:
                    self.emphasis[-1] = (self.emphasis[-1][0], end)
                else:
                    self.emphasis.append((start, end))
            position += len(run)
        block = " ".join(text.split("\n")).strip()
        if heading_level:
            self.headings[self._lines] = heading_level
        self.parts.append(block)
        self._length += len(block)

    def result(self) -> tuple[str, MappedText, list[tuple[int, int]], dict[int, int] | None]:
        source = "".join(self.parts)
        return source, MappedText.identity(source), self.emphasis, self.headings or None
