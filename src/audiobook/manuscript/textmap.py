"""Text edits that remember where every character came from.

Readers and cleanup rewrite the text (drop Markdown marks, join a split drop cap, repair a stray
"?—"); later stages must still point into the source file. :class:`MappedText` keeps, for each
character of the current text, its offset in the original source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class MappedText:
    """``text`` plus ``index``: ``index[i]`` is the source offset of ``text[i]``; ``index[len(text)]``
    is the source offset just past the end."""

    text: str
    index: list[int]

    @classmethod
    def identity(cls, source: str) -> MappedText:
        return cls(source, list(range(len(source) + 1)))

    def replace(self, pattern: re.Pattern[str] | str, repl: str | Callable[[re.Match[str]], str]) -> MappedText:
        """Like ``re.sub``, keeping the map: inserted characters point at the start of what they replace."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        pieces: list[str] = []
        index: list[int] = []
        last = 0
        for match in regex.finditer(self.text):
            start, end = match.span()
            pieces.append(self.text[last:start])
            index.extend(self.index[last:start])
            new = match.expand(repl) if isinstance(repl, str) else repl(match)
            pieces.append(new)
            index.extend(_spread(self.index, start, end, len(new)))
            last = end
        pieces.append(self.text[last:])
        index.extend(self.index[last:])
        return MappedText("".join(pieces), index)


def _spread(index: list[int], start: int, end: int, count: int) -> list[int]:
    """Source offsets for ``count`` new characters replacing ``text[start:end]``."""
    if end > start:
        span = index[start:end]
        return [span[min(i, len(span) - 1)] for i in range(count)]
    return [index[start]] * count
