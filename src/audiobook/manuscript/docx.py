"""DOCX reader, standard library only: paragraphs of word/document.xml, "Heading N"/"Title" styles as
headings, italic runs as emphasis."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from audiobook.errors import InputError
from audiobook.manuscript.extracted import ExtractedText
from audiobook.manuscript.textmap import MappedText

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)


def _heading_level(paragraph: ElementTree.Element) -> int:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    value = (style.get(f"{_W}val") or "") if style is not None else ""
    if value.lower() == "title":
        return 1
    match = _HEADING_STYLE.match(value)
    return int(match.group(1)) if match else 0


def _is_italic(run: ElementTree.Element) -> bool:
    italic = run.find(f"{_W}rPr/{_W}i")
    return italic is not None and italic.get(f"{_W}val", "true") not in ("0", "false")


def read_docx(path: Path) -> tuple[str, MappedText, list[tuple[int, int]], dict[int, int] | None]:
    """Extract a DOCX's text; raises InputError for a file that is not a readable DOCX."""
    try:
        with zipfile.ZipFile(path) as document:
            root = ElementTree.fromstring(document.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise InputError(f"{path}: not a readable DOCX (no word/document.xml)") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    out = ExtractedText()
    for paragraph in root.iter(f"{_W}p"):
        runs: list[tuple[str, bool]] = []
        for run in paragraph.iter(f"{_W}r"):
            italic = _is_italic(run)
            for piece in run:
                if piece.tag == f"{_W}t":
                    runs.append((piece.text or "", italic))
                elif piece.tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
                    runs.append((" ", False))
        out.add_block(runs, _heading_level(paragraph))
    if not out.parts:
        raise InputError(f"{path}: the DOCX has no text")
    return out.result()
