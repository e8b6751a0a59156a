"""Resume: a real build killed with SIGKILL mid-render or mid-master leaves no damaged file, and the
next build reuses every finished take and writes the same bytes as a build never interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from audiobook.casting.cast import read_cast
from audiobook.mastering.ffmpeg import decode
from audiobook.script.scriptfile import read_script
from audiobook.tts.takes import TakeStore

WORDS = "amber harbour lantern quiet river stone window morning thunder copper meadow winter".split()
CAST = 'narrator = "espeak-narrator-us-m"\n\n[characters."Ned"]\nprofile = "espeak-gb-m"\n'


def manuscript() -> str:
    """Three chapters of distinct sentences and a little dialogue: about 40 takes, 3 minutes of audio."""
    parts = ["# Resume\n"]
    for chapter in range(3):
        parts.append(f"\n## Part {chapter + 1}\n")
        for paragraph in range(12):
            a, b = WORDS[(chapter * 5 + paragraph) % 12], WORDS[(paragraph * 7 + 3) % 12]
            parts.append(f"\nThe {a} and the {b} were counted {chapter * 12 + paragraph + 1} times before the evening came.\n")
            if paragraph % 6 == 5:
                parts.append(f'\n"We stop at {a}," Ned said.\n')
    return "".join(parts)


def start_build(source: Path, out: Path) -> subprocess.Popen:
    out.mkdir(parents=True, exist_ok=True)
    if not (out / "cast.toml").exists():
        (out / "cast.toml").write_text(CAST, encoding="utf-8")
    command = [sys.executable, "-m", "audiobook.cli", "build", str(source), "-o", str(out), "--json", "--jobs", "2"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(process: subprocess.Popen) -> dict:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    return json.loads(stdout)


def kill_when(process: subprocess.Popen, ready, timeout_s: float = 120.0) -> None:
    """SIGKILL the build and its workers as soon as ``ready()`` is true."""
    deadline = time.monotonic() + timeout_s
    while not ready():
        assert process.poll() is None, "the build ended before the moment to kill it"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    while time.monotonic() < deadline + 30:  # until every worker of the group is gone, as after a crash
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)


def assert_nothing_damaged(out: Path) -> int:
    """Every file a build leaves reads back whole; returns the number of takes in the store."""
    store = TakeStore(out / ".takes")
    for key in store.keys():
        samples, _ = soundfile.read(store.path(key), dtype="int16")  # FLAC frames carry CRCs
        assert len(samples) == soundfile.info(store.path(key)).frames > 0
    for mp3 in out.glob("*.mp3"):
        samples, _ = decode(mp3)
        assert len(samples) > 44100
    read_script(next(out.glob("*.script.txt")))
    assert read_cast(out / "cast.toml") is not None
    if (out / ".masters.json").exists():
        json.loads((out / ".masters.json").read_text())
    return len(store.keys())


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("resume")
    source = folder / "resume.md"
    source.write_text(manuscript(), encoding="utf-8")
    summary = finish(start_build(source, folder / "clean"))
    assert summary["chapters_mastered"] == 3 and summary["takes_total"] > 35
    return source, folder / "clean", summary


def same_output(out: Path, clean: Path) -> None:
    names = sorted(path.name for path in clean.glob("*.mp3"))
    assert sorted(path.name for path in out.glob("*.mp3")) == names
    for name in names:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    assert not list(out.glob(".*.part")) and not list((out / ".takes").rglob(".*.part"))


def test_killed_mid_render(clean, tmp_path: Path) -> None:
    source, reference, first = clean
    out = tmp_path / "book"
    takes = out / ".takes"
    process = start_build(source, out)
    kill_when(process, lambda: takes.is_dir() and len(list(takes.glob("*/*.flac"))) >= 8)
    finished = assert_nothing_damaged(out)
    assert 8 <= finished < first["takes_total"]
    summary = finish(start_build(source, out))
    assert summary["takes_cached"] == finished  # every finished take reused
    assert summary["takes_rendered"] == first["takes_total"] - finished
    same_output(out, reference)


def test_killed_mid_master(clean, tmp_path: Path) -> None:
    source, reference, first = clean
    out = tmp_path / "book"
    process = start_build(source, out)
    # the second chapter's master being encoded: the first chapter is done, the second is not
    kill_when(process, lambda: any(out.glob(".02 - *.mp3.*.part")) or any(out.glob("..02 - *.part")))
    finished = assert_nothing_damaged(out)
    assert (out / "01 - Part 1.mp3").exists() and not (out / "02 - Part 2.mp3").exists()
    summary = finish(start_build(source, out))
    # chapters are mastered while later ones render: the takes finished by then are all reused
    assert summary["takes_cached"] == finished and summary["takes_rendered"] == first["takes_total"] - finished
    assert summary["chapters_mastered"] == 2  # the first chapter's master was finished and is kept
    same_output(out, reference)


def test_clean_builds_are_identical_and_samples_match(clean, tmp_path: Path) -> None:
    source, reference, _ = clean
    out = tmp_path / "again"
    finish(start_build(source, out))
    same_output(out, reference)
    a, _ = decode(out / "01 - Part 1.mp3")
    b, _ = decode(reference / "01 - Part 1.mp3")
    assert np.array_equal(a, b)


def test_ctrl_c_mid_build_stops_at_once_and_cleanly(clean, tmp_path: Path) -> None:
    # Ctrl-C in a terminal signals the whole process group: the build, its workers and its mastering thread
    source, reference, first = clean
    out = tmp_path / "book"
    process = start_build(source, out)
    takes = out / ".takes"
    deadline = time.monotonic() + 120
    while not (takes.is_dir() and len(list(takes.glob("*/*.flac"))) >= 12):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGINT)
    stopped = time.monotonic()
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and time.monotonic() - stopped < 10
    assert stderr.strip().splitlines() == ["audiobook: interrupted; finished takes are kept, run the same command to resume"]
    assert not list(out.rglob(".*.part"))  # no scratch or half-written file is left behind
    finished = assert_nothing_damaged(out)
    summary = finish(start_build(source, out))
    assert summary["takes_cached"] == finished and summary["takes_rendered"] == first["takes_total"] - finished
    same_output(out, reference)
