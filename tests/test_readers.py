"""EPUB and DOCX readers: paragraphs, headings and italics come through; bad files are named."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from audiobook.errors import InputError
from audiobook.manuscript.reader import read_manuscript

CHAPTERS = [
    ("The Quay", ['"Cast off," said Nell.', "The rope <i>slid</i> free.", "<em>Too late now,</em> she thought."]),
    ("The Reef", ['"Left!" shouted Sam.', "They turned."]),
]


def make_epub(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
            '<rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        items = "".join(f'<item id="c{i}" href="text/c{i}.xhtml" media-type="application/xhtml+xml"/>' for i in range(2))
        refs = "".join(f'<itemref idref="c{i}"/>' for i in range(2))
        book.writestr(
            "OEBPS/book.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>'
            '<item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>'
            f"{items}</manifest><spine>{refs}</spine></package>",
        )
        book.writestr("OEBPS/nav.xhtml", "<html><body><p>Contents</p></body></html>")
        for i, (title, paragraphs) in enumerate(CHAPTERS):
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            book.writestr(f"OEBPS/text/c{i}.xhtml", f"<html><head><title>x</title></head><body><h1>{title}</h1>{body}</body></html>")


def make_docx(path: Path) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def run(text: str, italic: bool = False) -> str:
        props = "<w:rPr><w:i/></w:rPr>" if italic else ""
        return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'

    body = ""
    for title, paragraphs in CHAPTERS:
        body += f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>{run(title)}</w:p>'
        for paragraph in paragraphs:
            pieces = paragraph.replace("<em>", "<i>").replace("</em>", "</i>").replace("<i>", "|i").replace("</i>", "|").split("|")
            runs = "".join(run(p[1:], True) if p.startswith("i") and p != pieces[0] else run(p) for p in pieces if p)
            body += f"<w:p>{runs}</w:p>"
    with zipfile.ZipFile(path, "w") as document:
        document.writestr("[Content_Types].xml", "<Types/>")
        document.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body></w:document>')


@pytest.mark.parametrize("suffix", [".epub", ".docx"])
def test_structured_manuscripts_keep_chapters_and_italics(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"book{suffix}"
    (make_epub if suffix == ".epub" else make_docx)(path)
    manuscript = read_manuscript(path)
    assert [c.title for c in manuscript.chapters] == ["The Quay", "The Reef"]
    assert "Contents" not in manuscript.text
    italics = [manuscript.text[a:b] for a, b in manuscript.emphasis]
    assert italics == ["slid", "Too late now,"]
    assert '"Left!" shouted Sam.' in manuscript.text
    for start, end in manuscript.emphasis:
        assert manuscript.source[manuscript.to_source(start) : manuscript.to_source(end)] == manuscript.text[start:end]


@pytest.mark.parametrize("suffix", [".epub", ".docx"])
def test_broken_structured_files_are_named(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=f"{path.name}: not a readable"):
        read_manuscript(path)
