"""The command line end to end: the example book, one chapter, recasting, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from audiobook.casting.cast import read_cast, write_cast
from audiobook.cli import main
from audiobook.mastering.ffmpeg import decode, probe

EXAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.md"
CHAPTERS = ["01 - Mara.mp3", "02 - Chapter Two The Harbour.mp3", "03 - Tobias.mp3"]


def audiobook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audiobook.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("book")
    result = audiobook("build", str(EXAMPLE), "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout.strip().splitlines()[-1])


def test_build_writes_every_chapter_script_and_cast(built) -> None:
    out, summary = built
    assert sorted(p.name for p in out.glob("*.mp3")) == CHAPTERS
    assert (out / "gull-point.script.txt").exists() and (out / "cast.toml").exists()
    assert summary["takes_rendered"] == summary["takes_total"] > 50
    assert summary["chapters_mastered"] == 3
    for name in CHAPTERS:
        info = probe(out / name)
        assert (info.sample_rate, info.channels) == (44100, 1)
        samples, _ = decode(out / name)
        x = samples[:, 0].astype(np.float64)
        assert -23 <= 20 * np.log10(np.sqrt(np.mean(x**2))) <= -18
        assert 20 * np.log10(np.abs(x).max()) <= -3.0
    assert not list(out.glob(".*.part")) and not list(out.glob(".chapter-*"))


def test_rebuild_reuses_everything(built) -> None:
    out, first = built
    result = audiobook("build", str(EXAMPLE), "-o", str(out), "--json")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["takes_rendered"], summary["takes_cached"], summary["chapters_mastered"]) == (0, first["takes_total"], 0)


def test_recasting_one_character_rerenders_only_their_lines(built, tmp_path: Path) -> None:
    out = tmp_path / "book"
    shutil.copytree(built[0], out)
    cast = read_cast(out / "cast.toml")
    character = "Mr. Penrose"
    assert character in cast.roles
    cast.roles[character].profile = next(
        name for name in ("espeak-caribbean-m", "espeak-sc-m", "espeak-gb-m") if name != cast.roles[character].profile
    )
    write_cast(cast, out / "cast.toml")
    script = (out / "gull-point.script.txt").read_text(encoding="utf-8")
    rows = [line.split("|", 7) for line in script.splitlines() if line.count("|") >= 7]
    lines = {row[7] for row in rows if row[2].strip() == character}
    result = audiobook("build", str(EXAMPLE), "-o", str(out), "--json", "--chapter", "2")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["takes_rendered"] == len(lines) and summary["chapters_mastered"] == 1


def test_one_chapter(tmp_path: Path) -> None:
    result = audiobook("build", str(EXAMPLE), "-o", str(tmp_path), "--chapter", "3", "-q")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.glob("*.mp3")] == ["03 - Tobias.mp3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        (b"\xff\xfe\xfa not utf8", "not UTF-8"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, content: bytes | None, message: str) -> None:
    manuscript = tmp_path / "book.txt"
    if content is not None:
        manuscript.write_bytes(content)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(out)])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_missing_chapter_is_bad_usage(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path), "--chapter", "9"])
    assert result.exit_code == 2 and "no chapter 9" in result.output


def test_no_headings_and_unbalanced_quotes_still_build_one_chapter(tmp_path: Path) -> None:
    manuscript = tmp_path / "notes.txt"
    manuscript.write_text('The tide turned at noon.\n\n"Come quickly, she called.\n\nNobody came.\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(manuscript), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 chapters" in result.output


def test_every_command_help_shows_an_example() -> None:
    for command in main.commands:
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, command
