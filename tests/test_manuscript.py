"""Manuscript stage: decoding, cleanup that keeps offsets, Markdown, paragraphs, chapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import InputError
from audiobook.manuscript.chapters import detect_chapters
from audiobook.manuscript.cleanup import clean
from audiobook.manuscript.markdown import read_markdown
from audiobook.manuscript.paragraphs import split_paragraphs
from audiobook.manuscript.reader import read_manuscript
from audiobook.manuscript.textmap import MappedText


def cleaned(source: str) -> MappedText:
    return clean(MappedText.identity(source))


def test_drop_cap_is_joined_and_offsets_still_point_into_the_source() -> None:
    source = "WREN\nT he kettle sang. She said so.\n"
    text = cleaned(source)
    assert text.text == "WREN\nThe kettle sang. She said so.\n"
    at = text.text.index("kettle")
    assert source[text.index[at] : text.index[at] + 6] == "kettle"
    assert len(text.index) == len(text.text) + 1


def test_drop_cap_is_not_joined_mid_chapter() -> None:
    source = "This first line is a long sentence of prose with many words in it.\nO dear, she thought."
    assert cleaned(source).text == source


def test_stray_question_mark_before_dash_is_removed_but_real_questions_stay() -> None:
    assert cleaned("It's not like that?\u2014").text == "It's not like that\u2014"
    assert cleaned("Why? \u2014 she asked").text == "Why? \u2014 she asked"


def test_mojibake_quotes_and_exotic_marks_are_repaired() -> None:
    assert cleaned("\u00e2\u20ac\u0153Hi,\u00e2\u20ac\x9d she said.").text == "\u201cHi,\u201d she said."
    assert cleaned("\u00abNon\u00bb").text == "\u201cNon\u201d"


def test_markdown_headings_emphasis_and_links() -> None:
    md = read_markdown("# Book\n\n## One\n\nShe said *hush* and **ran** to [the quay](x).\n")
    assert md.text.text == "Book\n\nOne\n\nShe said hush and ran to the quay.\n"
    assert [md.text.text[a:b] for a, b in md.emphasis] == ["hush"]
    assert md.headings == {0: 1, 2: 2}
    hush = md.text.text.index("hush")
    assert md.text.index[hush] == "# Book\n\n## One\n\nShe said *hush*".index("hush")


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("Chapter 1\nIt rained.\n\nChapter 2\nIt stopped.", ["Chapter 1", "Chapter 2"]),
        ("CHAPTER III.\n\nThe Storm\n\nIt rained hard.", ["Chapter III: The Storm"]),
        ("Chapter Three: Low Tide\nThe water went out.", ["Chapter Three: Low Tide"]),
        ("MARA\nI climbed the stairs.\n\nTOBIAS\nI held the wheel.", ["Mara", "Tobias"]),
        ("Prologue\n\nLong ago.\n\nChapter 1\n\nNow.", ["Prologue", "Chapter 1"]),
        ("Part One\n\nChapter 1\n\nIt began.\n\nChapter 2\n\nIt went on.", ["Chapter 1", "Chapter 2"]),
        ("I\n\nAt length I returned.\n\nII\n\nThen I left.", ["I", "II"]),
    ],
)
def test_chapter_headings(text: str, titles: list[str]) -> None:
    chapters, _ = detect_chapters(text)
    assert [c.title for c in chapters] == titles


def test_part_heading_folds_into_the_next_chapter_heading() -> None:
    text = "Part One\n\nChapter 1\n\nIt began."
    (chapter,), _ = detect_chapters(text)
    assert text[chapter.heading_start : chapter.heading_end] == "Part One\n\nChapter 1"


def test_title_page_and_no_headings() -> None:
    chapters, title = detect_chapters("THE LONG QUAY\nby A. Writer\n\nChapter 1\n\nIt began.\n\nChapter 2\n\nEnd.")
    assert title == "The Long Quay" and [c.title for c in chapters] == ["Chapter 1", "Chapter 2"]
    chapters, _ = detect_chapters("Just some prose.\n\nAnd more of it.", fallback_title="Notes")
    assert len(chapters) == 1 and chapters[0].title == "Notes" and chapters[0].end == 33


def test_paragraphs_blank_line_style_joins_wrapped_lines_and_marks_scene_breaks() -> None:
    text = "One line\nwrapped here.\n\n* * *\n\nTwo.\n\nThree."
    paragraphs = split_paragraphs(text)
    assert [text[p.start : p.end] for p in paragraphs] == ["One line\nwrapped here.", "Two.", "Three."]
    assert [p.scene_break_before for p in paragraphs] == [False, True, False]


def test_paragraphs_line_style() -> None:
    text = "One.\nTwo.\n#\nThree.\nFour."
    paragraphs = split_paragraphs(text)
    assert [text[p.start : p.end] for p in paragraphs] == ["One.", "Two.", "Three.", "Four."]
    assert paragraphs[2].scene_break_before


def test_example_manuscript_reads_with_chapters_and_italics() -> None:
    manuscript = read_manuscript(Path(__file__).parents[1] / "examples" / "gull-point.md")
    assert manuscript.title == "The Keeper of Gull Point"
    assert [c.title for c in manuscript.chapters] == ["Mara", "Chapter Two: The Harbour", "Tobias"]
    italics = [manuscript.text[a:b] for a, b in manuscript.emphasis]
    assert "If the boats are still out, they will need the light." in italics
    for start, end in manuscript.emphasis:  # every span maps back onto the same words in the source
        words = manuscript.text[start:end]
        assert manuscript.source[manuscript.to_source(start) :].startswith(words)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        (b"caf\xe9 au lait", "not UTF-8"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "book.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as error:
        read_manuscript(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_manuscript(tmp_path / "nope.txt")


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_front_matter_is_metadata_not_narration(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"book{suffix}"
    path.write_text("---\ntitle: Low Water\nauthor: A. Writer\n---\nChapter 1\n\nThe tide was out.\n", encoding="utf-8")
    manuscript = read_manuscript(path)
    assert "A. Writer" not in manuscript.text and "title:" not in manuscript.text
    assert [c.title for c in manuscript.chapters] == ["Chapter 1"]
    at = manuscript.text.index("tide")
    assert manuscript.source[manuscript.to_source(at) :].startswith("tide")
