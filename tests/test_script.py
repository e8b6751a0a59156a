"""Production script: building cues, the file format, stable ids and a person's corrections."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import InputError
from audiobook.production import Production, parse
from audiobook.script.model import NARRATOR
from audiobook.script.scriptfile import format_script, parse_script, read_script

EXAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.md"


@pytest.fixture
def production(tmp_path: Path) -> Production:
    manuscript = tmp_path / "gull-point.md"
    manuscript.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return Production(manuscript, tmp_path / "out")


def test_example_script_has_headings_narration_dialogue_thought_and_pauses(production: Production) -> None:
    script = parse(production)
    kinds = {cue.kind for cue in script.cues()}
    assert kinds == {"heading", "narration", "dialogue", "thought"}
    first = script.chapters[0]
    assert first.cues[0].kind == "heading" and first.cues[0].pause == "chapter"
    assert "scene" in [cue.pause for cue in first.cues]  # the "* * *" break
    for cue in script.cues():
        assert cue.text and "\n" not in cue.text
        assert not cue.text.startswith(('"', "\u201c")), cue  # quote marks are not read aloud
        assert cue.kind != "narration" or cue.speaker == NARRATOR
    # source offsets point at the cue's words in the manuscript
    source = production.manuscript.read_text(encoding="utf-8")
    for cue in script.cues():
        if cue.kind == "dialogue":
            assert source[cue.start : cue.end].split()[0] == cue.text.split()[0]


def test_script_file_round_trips_exactly(production: Production) -> None:
    script = parse(production)
    text = format_script(script)
    assert parse_script(text) == script
    assert format_script(parse_script(text)) == text


def test_ids_stay_when_a_paragraph_is_unchanged(production: Production) -> None:
    before = {cue.id: cue.text for cue in parse(production).cues()}
    source = production.manuscript.read_text(encoding="utf-8")
    edited = source.replace("She was right.", "She was right, of course.")
    production.manuscript.write_text("A new opening line.\n\n" + edited, encoding="utf-8")
    after = {cue.id: cue.text for cue in parse(production).cues()}
    changed = {i for i in before if i not in after}
    assert changed and all("She was right" in before[i] for i in changed)
    assert len(set(before) & set(after)) == len(before) - len(changed)


def test_a_speaker_correction_survives_the_next_parse(production: Production) -> None:
    script = parse(production)
    target = next(cue for cue in script.cues() if cue.text == "How bad?")
    text = production.script_path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(target.id + " "))
    fields = line.split("|")
    fields[2] = " Harbour Master "
    production.script_path.write_text(text.replace(line, "|".join(fields)), encoding="utf-8")
    again = parse(production)
    cue = next(cue for cue in again.cues() if cue.id == target.id)
    assert (cue.speaker, cue.rule, cue.confidence) == ("Harbour Master", "manual", 1.0)
    assert again.character("Harbour Master") is not None
    assert next(c for c in parse(production).cues() if c.id == target.id).speaker == "Harbour Master"
    assert next(c for c in parse(production, fresh=True).cues() if c.id == target.id).speaker != "Harbour Master"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("abc | dialog | Mara | 0.9 | x | 1-2 | sentence | Hi", "kind must be"),
        ("abc | dialogue | Mara | high | x | 1-2 | sentence | Hi", "bad confidence"),
        ("abc | dialogue | Mara | 0.9 | x | 1-2 | forever | Hi", "pause must be"),
        ("abc | dialogue | Mara", "8 columns"),
    ],
)
def test_malformed_cue_lines_name_the_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "book.script.txt"
    path.write_text(f"# audiobook production script v1\ntitle: T\nsource: s\n\n[chapter 1] One\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        read_script(path)
    assert f"{path}:6" in str(error.value)


def test_not_a_script(tmp_path: Path) -> None:
    path = tmp_path / "x.script.txt"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an audiobook production script"):
        read_script(path)
