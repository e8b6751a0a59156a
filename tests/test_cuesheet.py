"""The narrator cue sheet: the sheet model, each format, escaping and the command line."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.casting.cast import Cast, Role, write_cast
from audiobook.casting.lexicon import Lexicon, LexiconEntry
from audiobook.cli import main
from audiobook.cuesheet import format_for, render
from audiobook.cuesheet.colours import PALETTE, assign_colours, contrast_on_white
from audiobook.cuesheet.model import build_sheet
from audiobook.cuesheet.render_csv import COLUMNS
from audiobook.cuesheet.render_markdown import md
from audiobook.cuesheet.source import load_source
from audiobook.cuesheet.timings import BookTimings, ChapterTimings, TimedCue
from audiobook.production import Production, parse
from audiobook.script.model import Chapter, Character, Cue, Script
from audiobook.script.scriptfile import read_script, write_script

EXAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.md"


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Production:
    """The example parsed into a production folder, with a cast note and a lexicon of its own."""
    production = Production(EXAMPLE, tmp_path_factory.mktemp("gull"))
    parse(production)
    write_cast(
        Cast("espeak-narrator-us-m", {"Elsie": Role("espeak-gb-f-low", "Dry; never hurries."), "Mr. Penrose": Role("espeak-sc-m")}),
        production.cast_path,
    )
    lexicon = Lexicon()
    lexicon.add(LexiconEntry("Penrose", respelling="PEN-rose", piper="ˈpɛnɹoʊz", note="the harbourmaster"))
    lexicon.add(LexiconEntry("Kilcrenna", respelling="kil-KREN-a"))
    lexicon.add(LexiconEntry("harrow  bay", respelling="HARR-oh BAY"))  # a phrase, any case and spacing
    lexicon.save(production.lexicon_path)
    return production


@pytest.fixture(scope="module")
def sheet(example):
    source = load_source(example.script_path)
    return build_sheet(source.script, source.cast, source.lexicon, source.timings)


def manuscript_quotes() -> list[str]:
    """Every quoted line of the example, as written (emphasis marks dropped)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    return [q.replace("*", "").strip() for q in re.findall(r'"([^"\n]+)"', text)]


def test_every_quoted_line_is_listed_with_its_speaker(sheet, example) -> None:
    script = read_script(example.script_path)
    dialogue = [cue for cue in sheet.cues() if cue.kind == "dialogue"]
    assert sorted(cue.text for cue in dialogue) == sorted(manuscript_quotes())
    speakers = {cue.id: cue.speaker for cue in script.cues()}
    assert all(cue.speaker == speakers[cue.id] and cue.speaker != "Narrator" for cue in dialogue)
    assert [cue.number for cue in sheet.cues()] == list(range(1, sum(1 for _ in script.cues()) + 1))


def test_character_bible_counts_lines_per_chapter(sheet, example) -> None:
    script = read_script(example.script_path)
    expected: Counter[tuple[str, int]] = Counter()
    for chapter in script.chapters:
        for cue in chapter.cues:
            expected[(cue.speaker if cue.kind in ("dialogue", "thought") else "Narrator", chapter.number)] += 1
    assert {c.name for c in sheet.characters} == {c.name for c in script.characters} | {"Narrator"}
    for entry in sheet.characters:
        assert entry.lines == {n: expected[(entry.name, n)] for n in (1, 2, 3)}
    elsie = sheet.character("Elsie")
    assert elsie.aliases == ["Aunt Elsie"] and elsie.gender == "F"
    assert (elsie.voice, elsie.notes) == ("espeak-gb-f-low", "Dry; never hurries.")
    first = next(c for c in sheet.cues() if c.speaker == "Elsie")
    assert (elsie.first_chapter, elsie.first_cue) == (1, first.number)
    penrose = sheet.character("Mr. Penrose")
    assert penrose.first_chapter == 2 and penrose.lines[1] == 0
    assert sheet.character("Tobias").pov_chapters == [3]
    # uncast characters are read by the narrator's voice
    assert sheet.character("Tobias").voice == "espeak-narrator-us-m"
    colours = [c.colour for c in sheet.characters]
    assert len(set(colours)) == len(colours)
    assert [c.name for c in sheet.characters][0] == "Narrator"
    totals = [c.total for c in sheet.characters[1:]]
    assert totals == sorted(totals, reverse=True)


def test_pronunciation_guide_has_the_lexicon_and_the_names_it_lacks(sheet) -> None:
    guide = {p.word: p for p in sheet.pronunciations}
    penrose = guide["Penrose"]
    assert penrose.in_lexicon and penrose.respelling == "PEN-rose" and penrose.ipa == "ˈpɛnɹoʊz"
    assert penrose.uses == EXAMPLE.read_text(encoding="utf-8").count("Penrose")
    assert penrose.first_cue == next(c.number for c in sheet.cues() if "Penrose" in c.text)
    assert guide["Kilcrenna"].uses == 0 and guide["Kilcrenna"].first_cue is None
    harrow = guide["harrow  bay"]
    assert harrow.uses == 1 and harrow.first_cue == next(c.number for c in sheet.cues() if "Harrow Bay" in c.text)
    assert guide["Elsie"].in_lexicon is False and guide["Elsie"].uses >= 6
    assert not any(p.word in ("the", "lamp", "harbour") for p in sheet.pronunciations)


def test_tag_or_action_is_the_narration_beside_a_line_in_its_paragraph(sheet) -> None:
    cues = {c.id: c for c in sheet.cues()}
    line = next(c for c in sheet.cues() if c.text.startswith("You'll catch your death"))
    assert line.after.startswith("Aunt Elsie said from the hatch") and line.before == ""
    split = [c for c in sheet.cues() if c.paragraph == line.paragraph]
    assert all(c.id.startswith(line.paragraph + ".") for c in split)
    for cue in cues.values():
        if cue.before:
            assert any(o.paragraph == cue.paragraph and o.kind == "narration" and o.text == cue.before for o in cues.values())
        if not cue.spoken:
            assert cue.before == cue.after == ""


def test_low_confidence_lines_are_marked_and_manual_ones_are_not() -> None:
    script = _script_with(
        [Cue("aa.0", "dialogue", "Who goes there?", "Nell", 0.3, "turn-taking"),
         Cue("bb.0", "dialogue", "Only me.", "Owen", 0.3, "manual"),
         Cue("cc.0", "dialogue", "Come in.", "Nell", 0.9, "tag-after"),
         Cue("dd.0", "narration", "The door opened.", confidence=0.2)]
    )  # fmt: skip
    sheet = build_sheet(script, known_words=set())
    assert [c.id for c in sheet.to_confirm()] == ["aa.0"]
    assert [c.id for c in build_sheet(script, confirm_below=0.95, known_words=set()).to_confirm()] == ["aa.0", "cc.0"]


def _script_with(cues: list[Cue], title: str = "Test") -> Script:
    speakers = sorted({c.speaker for c in cues if c.kind in ("dialogue", "thought")})
    return Script(title, "test.md", [Chapter(1, "One", cues)], [Character(name) for name in speakers])


HOSTILE = '<script>alert("x")</script> & "quotes" | pipes *stars* _under_ =SUM(A1) </td>'


def _hostile_sheet():
    script = _script_with(
        [Cue("h1", "heading", "A <b>bold</b> & title"),
         Cue("aa.0", "dialogue", HOSTILE, 'Dr. <img src=x onerror="y">', 0.2, "beat"),
         Cue("aa.1", "narration", "-she said, =1+1")]
    )  # fmt: skip
    cast = Cast("espeak-narrator-us-m", {'Dr. <img src=x onerror="y">': Role("espeak-us-m-deep", "<i>shouts</i> & whispers")})
    return build_sheet(script, cast, known_words=set())


class _TextAndTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_html_escapes_everything_and_fetches_nothing() -> None:
    page = render(_hostile_sheet(), "html")
    parser = _TextAndTags()
    parser.feed(page)
    assert not {"script", "img", "i"} & set(parser.tags)  # the page itself uses none of these
    assert not any(name in ("src", "onerror") for name, _ in parser.attrs)
    text = " ".join(parser.text)
    assert HOSTILE in text and 'Dr. <img src=x onerror="y">' in text and "<i>shouts</i> & whispers" in text
    assert "A <b>bold</b> & title" in text
    # self-contained: no external resources of any kind
    assert not re.search(r"<(link|script|img|iframe)\b|@import|url\(|https?://", page, re.I)


def test_markdown_escapes_table_breakers() -> None:
    text = render(_hostile_sheet(), "md")
    assert md("a|b*c_d<e") == r"a\|b\*c\_d\<e"
    row = next(line for line in text.splitlines() if "alert" in line and line.startswith("| 2 |"))
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 3  # cue, speaker, line (no time before a build): the line's pipes added no cells
    assert not re.search(r"(?<!\\)<", text)  # every "<" from the book is escaped: no raw HTML


def test_csv_has_a_header_and_one_row_per_cue(sheet) -> None:
    text = render(sheet, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    cues = sheet.cues()
    assert len(body) == len(cues)
    for row, cue in zip(body, cues, strict=True):
        assert (row["cue"], row["id"], row["kind"], row["line"]) == (str(cue.number), cue.id, cue.kind, cue.text)
        assert row["speaker"] == (cue.speaker if cue.spoken else "")
        assert row["confirm"] == ("yes" if cue.confirm else "")
    elsie = next(r for r in body if r["speaker"] == "Elsie")
    assert elsie["voice"] == "espeak-gb-f-low" and elsie["tag_after"].startswith("Aunt Elsie said")


def test_csv_cells_never_start_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(render(_hostile_sheet(), "csv").removeprefix("\ufeff"))))
    narration = next(r for r in rows if r[1] == "aa.1")
    assert narration[6] == "'-she said, =1+1"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_json_is_the_whole_sheet(sheet) -> None:
    data = json.loads(render(sheet, "json"))
    assert data["format"] == 1 and data["title"] == "The Keeper of Gull Point"
    assert sum(len(c["cues"]) for c in data["chapters"]) == len(sheet.cues())
    elsie = next(c for c in data["characters"] if c["name"] == "Elsie")
    assert elsie["total"] == sheet.character("Elsie").total and set(elsie["lines"]) == {"1", "2", "3"}


def test_timings_become_timecodes_and_stale_chapters_get_none(sheet, example) -> None:
    script = read_script(example.script_path)
    chapters = []
    for chapter in script.chapters:
        cues = [TimedCue(c.id, c.kind, c.speaker, c.text, 1.0 + i, 1.5 + i) for i, c in enumerate(chapter.cues)]
        chapters.append(ChapterTimings(chapter.number, chapter.title, f"{chapter.number:02d}.mp3", 100.0, cues))
    chapters[1].cues.pop()  # the script gained a cue since the build: chapter 2's timings are stale
    timed = build_sheet(script, timings=BookTimings(script.title, chapters), known_words=set())
    assert timed.timed
    one, two = timed.chapters[0], timed.chapters[1]
    assert one.files == ["01.mp3"] and one.cues[3].start_s == 4.0 and one.cues[3].end_s == 4.5
    assert one.cues[3].file == "01.mp3" and one.duration_s == 100.0
    assert two.files == [] and all(c.start_s is None for c in two.cues)
    page = render(timed, "html")
    assert '<td class="time">0:04.0</td>' in page and "running time" in page


def test_colours_are_distinct_and_readable_on_paper() -> None:
    colours = assign_colours([f"c{i}" for i in range(40)])
    assert list(colours.values())[: len(PALETTE)] == list(PALETTE)
    assert len(set(colours.values())) == 40
    assert all(contrast_on_white(c) >= 4.5 for c in colours.values())


def test_format_follows_the_option_then_the_suffix() -> None:
    assert format_for(Path("a.csv")) == "csv" and format_for(Path("a.MD")) == "md"
    assert format_for(Path("a.pdf")) == "html" and format_for(Path("a.csv"), "json") == "json"


def test_cli_from_a_manuscript_and_from_a_script(tmp_path: Path, example) -> None:
    runner = CliRunner()
    out = tmp_path / "sheet.html"
    result = runner.invoke(main, ["cuesheet", str(EXAMPLE), "--folder", str(tmp_path / "prod"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "prod" / "gull-point.script.txt").exists() and (tmp_path / "prod" / "cast.toml").exists()
    assert re.search(r"3 chapters, \d+ cues, 6 characters", result.output)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Character bible" in page
    result = runner.invoke(main, ["cuesheet", str(example.script_path), "-o", str(tmp_path / "cues.csv")])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "cues.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 + sum(1 for _ in read_script(example.script_path).cues())
    result = runner.invoke(main, ["cuesheet", str(example.script_path), "-o", str(tmp_path / "x"), "--format", "md"])
    assert result.exit_code == 0 and (tmp_path / "x").read_text(encoding="utf-8").startswith("# Cue sheet")
    assert not list(tmp_path.glob(".*.part"))


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["cuesheet", str(tmp_path / "missing.md"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "missing.md: no such file" in result.output
    bad = tmp_path / "bad.script.txt"
    bad.write_text("not a script\n", encoding="utf-8")
    result = runner.invoke(main, ["cuesheet", str(bad), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "bad.script.txt" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_a_speaker_typed_into_the_script_gets_a_bible_row(tmp_path: Path) -> None:
    script = _script_with([Cue("aa.0", "dialogue", "Ahoy!", "Nell", 0.9, "tag-after")])
    script.chapters[0].cues.append(Cue("bb.0", "dialogue", "Ahoy yourself.", "Captain Rook", 1.0, "manual"))
    path = tmp_path / "t.script.txt"
    write_script(script, path)
    sheet = build_sheet(read_script(path), known_words=set())
    assert sheet.character("Captain Rook").lines == {1: 1}


def test_a_chapter_split_into_parts_times_each_cue_in_its_own_file() -> None:
    script = _script_with([Cue("h1", "heading", "One"), Cue("aa.0", "narration", "A."), Cue("bb.0", "dialogue", "B!", "Nell", 0.9, "tag-after")])
    parts = [
        ChapterTimings(1, "One (Part 1)", "p1.mp3", 10.0, [TimedCue("h1", "heading", "Narrator", "One", 0.8, 1.5), TimedCue("aa.0", "narration", "Narrator", "A.", 2.0, 3.0)]),
        ChapterTimings(1, "One (Part 2)", "p2.mp3", 6.0, [TimedCue("h1-part2", "heading", "Narrator", "One, part 2.", 0.8, 2.0), TimedCue("bb.0", "dialogue", "Nell", "B!", 2.5, 3.0)]),
    ]  # fmt: skip
    sheet = build_sheet(script, timings=BookTimings("Test", parts), known_words=set())
    chapter = sheet.chapters[0]
    assert chapter.files == ["p1.mp3", "p2.mp3"] and chapter.duration_s == 16.0
    assert [(c.file, c.start_s) for c in chapter.cues] == [("p1.mp3", 0.8), ("p1.mp3", 2.0), ("p2.mp3", 2.5)]
    page = render(sheet, "html")
    assert page.count('class="part-mark"') == 2 and "p1.mp3 + p2.mp3" in page
    rows = list(csv.DictReader(io.StringIO(render(sheet, "csv").removeprefix("\ufeff"))))
    assert [r["file"] for r in rows] == ["p1.mp3", "p1.mp3", "p2.mp3"]
    assert "| 3 | 2/0:02.5 |" in render(sheet, "md")
