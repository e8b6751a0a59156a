"""Incremental builds: one edit re-renders exactly the takes whose key changed and re-masters only
their chapters. Each test edits a copy of one built production and reads the JSON summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.casting.cast import read_cast, write_cast
from audiobook.cli import main
from audiobook.production import takes_in_use

SUMMARY_KEYS = {"takes_total", "takes_rendered", "takes_cached", "chapters_mastered", "sections_encoded", "audio_seconds", "wall_seconds"}

MANUSCRIPT = """# The Tide Clock

## The Workshop

Wenna Hale kept the tide clock wound, because her grandfather had asked her to.

"It runs slow in winter," Jory said, leaning in the doorway.

"Everything runs slow in winter," Wenna said.

The brass hands crept toward the hour, and the whole workshop smelled of oil.

## The Quay

The quay was empty except for the gulls and the old harbourmaster, Captain Brannock.

"You are late," Captain Brannock said. "The boat went an hour ago."

"Then we will take the next one," Jory said.

A bell rang somewhere across the water.

## The Crossing

The crossing took most of the afternoon, and nobody spoke of the clock.

"Do you think it stopped?" Wenna asked.

"Clocks do not stop because we leave them," Jory said.

When they came home, the hands stood exactly where she had left them.
"""

CAST = """narrator = "espeak-narrator-us-m"

[characters."Wenna"]
profile = "espeak-us-f-warm"

[characters."Jory"]
profile = "espeak-gb-m"

[characters."Captain Brannock"]
profile = "espeak-sc-m"
"""


def build(manuscript: Path, out: Path, *extra: str) -> dict:
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(out), "--json", "--jobs", "2", *extra])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)  # stdout is exactly the summary
    assert set(summary) == SUMMARY_KEYS
    assert 0 < summary["wall_seconds"] < 600  # the whole build, mastering included
    return summary


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("incremental")
    (folder / "tide.md").write_text(MANUSCRIPT, encoding="utf-8")
    (folder / "out").mkdir()
    (folder / "out" / "cast.toml").write_text(CAST, encoding="utf-8")
    summary = build(folder / "tide.md", folder / "out")
    assert summary["takes_rendered"] == summary["takes_total"] > 15 and summary["chapters_mastered"] == 3
    return folder


@pytest.fixture
def production(base: Path, tmp_path: Path) -> tuple[Path, Path, set[str], dict[str, bytes]]:
    """A copy of the built production: (manuscript, folder, take keys in use, chapter MP3 bytes)."""
    shutil.copytree(base, tmp_path / "copy")
    out = tmp_path / "copy" / "out"
    mp3s = {path.name: path.read_bytes() for path in out.glob("*.mp3")}
    return tmp_path / "copy" / "tide.md", out, takes_in_use(out), mp3s


def check_rebuild(production, summary: dict, rendered: int, chapters: set[str]) -> None:
    """Exactly ``rendered`` new takes (the keys that changed), only ``chapters`` written again."""
    _, out, before, mp3s = production
    after = takes_in_use(out)
    assert len(after - before) == rendered
    assert (summary["takes_rendered"], summary["takes_cached"]) == (rendered, summary["takes_total"] - rendered)
    assert summary["chapters_mastered"] == len(chapters)
    changed = {name for name, data in mp3s.items() if (out / name).read_bytes() != data}
    assert changed == chapters


def test_editing_one_paragraph_of_the_manuscript(production) -> None:
    manuscript, out, _, _ = production
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(text.replace("A bell rang somewhere across the water.", "A bell rang twice across the grey water."), encoding="utf-8")
    check_rebuild(production, build(manuscript, out), 1, {"02 - The Quay.mp3"})


def recast(out: Path, character: str, profile: str) -> None:
    cast = read_cast(out / "cast.toml")
    cast.roles[character].profile = profile
    write_cast(cast, out / "cast.toml")


def test_correcting_one_speaker_in_the_script(production) -> None:
    manuscript, out, _, _ = production
    script = out / "tide.script.txt"
    lines = script.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "| Then we will take the next one," in line)
    assert "| Jory " in lines[index]
    lines[index] = lines[index].replace("| Jory ", "| Wenna", 1)
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check_rebuild(production, build(manuscript, out), 1, {"02 - The Quay.mp3"})


def test_recasting_one_voice(production) -> None:
    manuscript, out, _, _ = production
    recast(out, "Captain Brannock", "espeak-us-m-deep")
    check_rebuild(production, build(manuscript, out), 2, {"02 - The Quay.mp3"})  # his two lines


def test_adding_one_lexicon_entry(production) -> None:
    manuscript, out, _, _ = production
    (out / "lexicon.toml").write_text('format = 1\n\n[words.harbourmaster]\nrespelling = "HAR-bur-master"\n', encoding="utf-8")
    check_rebuild(production, build(manuscript, out), 1, {"02 - The Quay.mp3"})


def test_a_voice_in_two_chapters_remasters_both(production) -> None:
    manuscript, out, _, _ = production
    recast(out, "Wenna", "espeak-us-f-soft")
    check_rebuild(production, build(manuscript, out), 2, {"01 - The Workshop.mp3", "03 - The Crossing.mp3"})


def test_quiet_prints_nothing(production) -> None:
    manuscript, out, _, _ = production
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(out), "--quiet"])
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_cache_prunes_what_no_production_uses(production) -> None:
    manuscript, out, before, _ = production
    recast(out, "Captain Brannock", "espeak-us-m-deep")
    build(manuscript, out)
    runner = CliRunner()
    shown = json.loads(runner.invoke(main, ["cache", str(out), "--json"]).stdout)
    assert shown == [{"folder": str(out), "takes": len(before) + 2, "bytes": shown[0]["bytes"],
                      "audio_seconds": shown[0]["audio_seconds"], "in_use": len(before)}]  # fmt: skip
    envelopes = {path.stem for path in (out / ".envelopes").glob("*.npy")}
    listed = {s["envelope"] for entry in json.loads((out / ".masters.json").read_text()).values() for s in entry["sections"]}
    assert listed < envelopes  # the recast chapters' old sections are still there
    pruned = json.loads(runner.invoke(main, ["cache", str(out), "--prune", "--json"]).stdout)[0]
    assert pruned["removed"]["takes"] == 2 and pruned["takes"] == pruned["in_use"] == len(before)
    assert {path.stem for path in (out / ".envelopes").glob("*.npy")} == listed
    rebuilt = build(manuscript, out)
    assert rebuilt["takes_rendered"] == 0 and rebuilt["chapters_mastered"] == 0  # nothing the production needs was removed
