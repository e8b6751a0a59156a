"""The HTML cue sheet in a real browser: headless Chromium prints it on A4 and on Letter.

Chromium comes from Debian's ``chromium`` package (``pdftotext``/``pdfinfo`` from ``poppler-utils``).
When they are missing, the fixture installs them once with apt-get (root only; ``apt-get update`` first
when the package lists are stale). Without a network or apt the tests are skipped with a loud reason,
never failed. A print costs ~2 s.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from audiobook.casting.cast import Cast, Role, write_cast
from audiobook.cuesheet import render
from audiobook.cuesheet.model import CueSheet, build_sheet
from audiobook.cuesheet.source import load_source
from audiobook.production import Production, parse

EXAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.md"
BROWSERS = ("chromium", "chromium-browser")
APT_OPTIONS = ["-o", "Acquire::Retries=0", "-o", "Acquire::http::Timeout=20", "-o", "DPkg::Lock::Timeout=120"]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
]  # fmt: skip


def _browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _have_tools() -> bool:
    return bool(_browser() and shutil.which("pdftotext") and shutil.which("pdfinfo"))


def _apt(*args: str, timeout: float) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        done = subprocess.run(["apt-get", *APT_OPTIONS, *args], env=env, capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _install() -> str | None:
    """Install chromium and poppler-utils; None when done, else why not."""
    if not shutil.which("apt-get"):
        return "apt-get is not available"
    if os.geteuid() != 0:
        return "not root, so apt-get cannot install chromium"
    packages = ["install", "-y", "-q", "chromium", "poppler-utils"]
    if _apt(*packages, timeout=900) and _have_tools():
        return None
    if not _apt("update", "-q", timeout=300):
        return "apt-get update failed (no network?)"
    if _apt(*packages, timeout=900) and _have_tools():
        return None
    return "apt-get install chromium poppler-utils failed"


@pytest.fixture(scope="session")
def chromium() -> str:
    if not _have_tools():
        problem = _install()
        if problem:
            reason = f"HEADLESS CHROMIUM TESTS SKIPPED: {problem}; install Debian's chromium and poppler-utils to run them"
            warnings.warn(reason, stacklevel=1)
            pytest.skip(reason)
    browser = _browser()
    assert browser
    return browser


def run_chromium(browser: str, page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on ``page`` with a fresh profile folder."""
    command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> CueSheet:
    production = Production(EXAMPLE, tmp_path_factory.mktemp("gull"))
    parse(production)
    write_cast(Cast("espeak-narrator-us-m", {"Elsie": Role("espeak-gb-f-low", "Dry; never hurries.")}), production.cast_path)
    source = load_source(production.script_path)
    return build_sheet(source.script, source.cast, source.lexicon, source.timings)


def _words(text: str) -> str:
    """Text reduced to its words, so line wrapping, hyphen breaks and quote marks do not matter."""
    return " ".join(re.findall(r"[A-Za-z0-9]+", text))


@pytest.mark.parametrize("paper, points", [("a4", (595, 842)), ("letter", (612, 792))])
def test_printed_sheet_has_every_cue_and_character(chromium: str, sheet: CueSheet, tmp_path: Path, paper: str, points: tuple[int, int]) -> None:
    page = tmp_path / "sheet.html"
    page.write_text(render(sheet, "html", paper), encoding="utf-8")
    pdf = tmp_path / "sheet.pdf"
    result = run_chromium(chromium, page, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - points[0]) < 2 and abs(height - points[1]) < 2
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    everything = _words(text)
    for cue in sheet.cues():
        assert _words(cue.text) in everything, (paper, cue.number, cue.text)
    for entry in sheet.characters:
        assert _words(entry.name) in everything
        assert re.search(rf"{re.escape(_words(entry.name))}\b.*?\b{entry.total}\b", everything)
    # every chapter starts a page; the lines by character start one too
    starts = [_words(p)[:80] for p in pages]
    for chapter in sheet.chapters:
        assert any(s.startswith(_words(f"Chapter {chapter.number}: {chapter.title}")) for s in starts), chapter.title
    assert any(s.startswith("Lines by character") for s in starts)
    # nothing runs off the paper: every word ends inside the right margin (12 mm = 34 pt)
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert len(right_edges) > 500 and max(right_edges) <= width - 30


def test_rendered_dom_lists_every_cue_number_speaker_and_line(chromium: str, sheet: CueSheet, tmp_path: Path) -> None:
    page = tmp_path / "sheet.html"
    page.write_text(render(sheet, "html"), encoding="utf-8")
    result = run_chromium(chromium, page, tmp_path / "profile", "--dump-dom")
    dom = result.stdout
    assert "</html>" in dom, result.stderr[-2000:]
    for cue in sheet.cues():
        row = re.search(rf'<tr id="cue-{cue.number}"[^>]*>(.*?)</tr>', dom, re.S)
        assert row, cue.number
        cells = _words(html.unescape(re.sub(r"<[^>]+>", " ", row.group(1))))
        assert cells.startswith(str(cue.number)) and _words(cue.text) in cells
        if cue.spoken:
            assert _words(cue.speaker) in cells
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    for entry in sheet.characters:
        assert entry.name in text
