"""EPUB reader (EPUB 2 and 3), standard library only: the spine's XHTML documents in reading order,
block elements as paragraphs, h1-h6 as headings, <i>/<em> as italics. Navigation documents are skipped."""

from __future__ import annotations

import posixpath
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from audiobook.errors import InputError
from audiobook.manuscript.extracted import ExtractedText
from audiobook.manuscript.textmap import MappedText

_BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dd", "dt", "pre"}
_ITALIC = {"i", "em", "cite"}
_SKIP = {"script", "style", "head", "title"}


class _Document(HTMLParser):
    def __init__(self, out: ExtractedText):
        super().__init__(convert_charrefs=True)
        self.out = out
        self.runs: list[tuple[str, bool]] = []
        self.italic = 0
        self.skip = 0
        self.level = 0

    def _flush(self) -> None:
        self.out.add_block(self.runs, self.level)
        self.runs, self.level = [], 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self._flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.level = int(tag[1])
        elif tag in _ITALIC:
            self.italic += 1
        elif tag == "br":
            self.runs.append((" ", False))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self._flush()
        elif tag in _ITALIC:
            self.italic = max(0, self.italic - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.runs.append((" ".join(data.split("\n")), self.italic > 0))

    def close(self) -> None:
        super().close()
        self._flush()


def _spine(book: zipfile.ZipFile, path: Path) -> list[str]:
    try:
        container = ElementTree.fromstring(book.read("META-INF/container.xml"))
        rootfile = next(el for el in container.iter() if el.tag.endswith("rootfile")).get("full-path", "")
        opf = ElementTree.fromstring(book.read(rootfile))
    except (KeyError, StopIteration, ElementTree.ParseError):
        raise InputError(f"{path}: not a readable EPUB (no container or package document)") from None
    base = posixpath.dirname(rootfile)
    manifest = {}
    for item in opf.iter():
        if item.tag.endswith("}item") or item.tag == "item":
            if "nav" not in (item.get("properties") or "").split():
                manifest[item.get("id")] = posixpath.normpath(posixpath.join(base, item.get("href", "")))
    return [
        manifest[ref.get("idref")]
        for ref in opf.iter()
        if (ref.tag.endswith("}itemref") or ref.tag == "itemref") and ref.get("idref") in manifest
    ]


def read_epub(path: Path) -> tuple[str, MappedText, list[tuple[int, int]], dict[int, int] | None]:
    """Extract an EPUB's text; raises InputError for a file that is not a readable EPUB."""
    out = ExtractedText()
    try:
        with zipfile.ZipFile(path) as book:
            for name in _spine(book, path):
                try:
                    document = book.read(name).decode("utf-8", "replace")
                except KeyError:
                    continue
                parser = _Document(out)
                parser.feed(document)
                parser.close()
    except zipfile.BadZipFile:
        raise InputError(f"{path}: not a readable EPUB (not a zip file)") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    if not out.parts:
        raise InputError(f"{path}: the EPUB has no text")
    return out.result()
