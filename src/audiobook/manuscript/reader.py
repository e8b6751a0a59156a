"""Read a manuscript file into a :class:`Manuscript`: decode, strip markup, clean, find chapters."""

from __future__ import annotations

from pathlib import Path

from audiobook.errors import InputError
from audiobook.manuscript.chapters import detect_chapters
from audiobook.manuscript.cleanup import clean
from audiobook.manuscript.markdown import drop_front_matter, read_markdown
from audiobook.manuscript.model import Manuscript
from audiobook.manuscript.textmap import MappedText

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
MAX_BYTES = 64 * 1024 * 1024


def decode_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (a BOM is dropped). Raises InputError for anything else."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a manuscript")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: {len(data) / 2**20:.0f} MB is more than a manuscript ({MAX_BYTES // 2**20} MB at most)")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file, not a text manuscript (supported: .txt .md .epub .docx)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8") from None


def read_manuscript(path: Path) -> Manuscript:
    """Read ``path`` (.txt, .md; other suffixes are read as plain text when they decode)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".epub":
        from audiobook.manuscript.epub import read_epub

        source, mapped, emphasis, headings = read_epub(path)
    elif suffix == ".docx":
        from audiobook.manuscript.docx import read_docx

        source, mapped, emphasis, headings = read_docx(path)
    else:
        source = decode_text(path)
        if suffix in (".md", ".markdown"):
            markdown = read_markdown(source)
            mapped, emphasis, headings = markdown.text, markdown.emphasis, markdown.headings
        else:
            mapped, emphasis, headings = drop_front_matter(MappedText.identity(source)), [], None
    cleaned = clean(mapped)
    emphasis = _remap(emphasis, mapped, cleaned)
    if not cleaned.text.strip():
        raise InputError(f"{path}: no text to read")
    fallback = path.stem.replace("_", " ").replace("-", " ").strip().title()
    chapters, title = detect_chapters(cleaned.text, headings, fallback_title=fallback)
    return Manuscript(
        path=path,
        source=source,
        text=cleaned.text,
        source_index=cleaned.index,
        chapters=chapters,
        emphasis=emphasis,
        title=title or fallback,
    )


def _remap(spans: list[tuple[int, int]], before: MappedText, after: MappedText) -> list[tuple[int, int]]:
    """Move spans from ``before``'s coordinates to ``after``'s through their shared source offsets."""
    if not spans:
        return []
    from bisect import bisect_left

    moved = []
    for start, end in spans:
        new_start = bisect_left(after.index, before.index[start])
        new_end = bisect_left(after.index, before.index[end])
        if new_end > new_start:
            moved.append((new_start, new_end))
    return moved
