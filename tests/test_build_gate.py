"""Every build masters to a delivery spec and checks its own chapters against it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.check.gate import check_file
from audiobook.check.spec import load_spec
from audiobook.cli import main
from audiobook.mastering.master import MasterSettings

MANUSCRIPT = """Chapter 1

"Is the ferry running?" asked Nell.

"Not in this wind," said the harbourmaster. "Nothing leaves before the tide turns."

Nell looked out at the grey water and said nothing for a long while.
"""


@pytest.fixture
def manuscript(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.txt"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    return path


def test_settings_follow_the_spec() -> None:
    acx = MasterSettings.from_spec(load_spec("acx"))
    assert (acx.level_metric, acx.target_level, acx.min_level, acx.max_level) == ("rms_dbfs", -20.0, -23.0, -18.0)
    assert (acx.peak_metric, acx.max_peak) == ("sample_peak_dbfs", -3.0) and acx.ceiling_dbtp <= -3.5
    r128 = MasterSettings.from_spec(load_spec("ebu-r128"))
    assert (r128.level_metric, r128.target_level, r128.peak_metric, r128.max_peak) == ("integrated_lufs", -23.0, "true_peak_dbtp", -1.0)


@pytest.mark.parametrize("spec", ["acx", "ebu-r128"])
def test_built_chapters_pass_their_spec_as_decoded(manuscript: Path, tmp_path: Path, spec: str) -> None:
    out = tmp_path / spec
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(out), "-q", "--spec", spec])
    assert result.exit_code == 0, result.output
    (chapter,) = out.glob("*.mp3")
    report = check_file(chapter, spec)
    assert report.passed, report.failures


@pytest.fixture
def strict(tmp_path: Path) -> Path:
    """A spec no chapter longer than two seconds passes."""
    path = tmp_path / "strict.toml"
    path.write_text(
        'name = "strict"\n[limits]\nrms_dbfs = { min = -23.0, max = -18.0 }\nduration_s = { max = 2.0 }\n'
        "[target]\nrms_dbfs = -20.0\n",
        encoding="utf-8",
    )
    return path


def test_a_chapter_that_fails_the_gate_fails_the_build(manuscript: Path, tmp_path: Path, strict: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(out), "-q", "--spec", str(strict)])
    assert result.exit_code == 1
    assert "fails the strict gate: duration_s.max" in result.output
    assert [p.name for p in out.glob("*.mp3")] == ["01 - Chapter 1.rejected.mp3"]
    masters = out / ".masters.json"
    assert not masters.exists() or "01 - Chapter 1.mp3" not in masters.read_text(encoding="utf-8")


def test_a_chapter_failing_its_gate_while_workers_render_stops_the_build(tmp_path: Path, strict: Path) -> None:
    # chapter 1 is mastered (beside the rendering of chapter 2, by worker processes) and fails the gate
    paragraphs = "\n\n".join(f"The lamp on pier {n} was lit at dusk by the keeper." for n in range(24))
    source = tmp_path / "piers.txt"
    source.write_text(f"{MANUSCRIPT}\nChapter 2\n\n{paragraphs}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-q", "--jobs", "2", "--spec", str(strict)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "01 - Chapter 1.rejected.mp3: fails the strict gate: duration_s.max" in result.output
    assert not (out / "01 - Chapter 1.mp3").exists() and not list(out.glob(".*.part"))
