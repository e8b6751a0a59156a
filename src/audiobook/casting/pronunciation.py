"""Lexicon work on a whole book, as the ``audiobook lexicon`` commands do it.

- ``book_suggestions``: the names and unusual words of a manuscript that a lexicon lacks, with counts
  (the manuscript is read and cleaned as a build reads it, paragraph by paragraph).
- ``export_pls``: a lexicon file written as W3C PLS 1.0 XML, atomically.
- ``production_lexicon_path``: the lexicon a build of a manuscript uses (``output/NAME/lexicon.toml``).
"""

from __future__ import annotations

from pathlib import Path

from audiobook.atomic import write_text_atomic
from audiobook.casting.lexicon import DEFAULT_FILENAME, Lexicon, suggest
from audiobook.errors import InputError


def production_lexicon_path(manuscript: Path, folder: Path | None = None) -> Path:
    """``lexicon.toml`` in the production folder of ``manuscript`` (default ``output/NAME``)."""
    manuscript = Path(manuscript)
    return (folder if folder is not None else Path("output") / manuscript.stem) / DEFAULT_FILENAME


def book_suggestions(manuscript: Path, lexicon: Lexicon, min_count: int = 1) -> list[tuple[str, int]]:
    """Words of ``manuscript`` worth a lexicon entry that ``lexicon`` lacks, most frequent first."""
    from audiobook.manuscript.paragraphs import split_paragraphs
    from audiobook.manuscript.reader import read_manuscript

    manuscript = Path(manuscript)
    if not manuscript.is_file():
        raise InputError(f"{manuscript}: no such file")
    book = read_manuscript(manuscript)
    paragraphs = [book.text[p.start : p.end] for p in split_paragraphs(book.text)]
    return suggest(paragraphs, lexicon, min_count=min_count)


def export_pls(lexicon_path: Path, pls_path: Path, lang: str = "en-US") -> int:
    """Write the lexicon at ``lexicon_path`` to ``pls_path`` as PLS; returns the number of entries."""
    lexicon_path = Path(lexicon_path)
    if not lexicon_path.is_file():
        raise InputError(f"{lexicon_path}: no such lexicon file")
    lexicon = Lexicon.load(lexicon_path)
    write_text_atomic(Path(pls_path), lexicon.to_pls(lang))
    return len(lexicon)
