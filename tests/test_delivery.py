"""Delivery end to end: the example book built with --package all, its files read back and checked."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from audiobook.check import check_file, load_spec
from audiobook.cli import main
from audiobook.delivery.m4b import decoded_frames
from audiobook.delivery.tags import read_id3, read_mp4
from audiobook.production import Production, parse
from audiobook.script.scriptfile import read_script

EXAMPLE = Path(__file__).parents[1] / "examples" / "gull-point.md"
CHAPTER_TITLES = ["Mara", "Chapter Two: The Harbour", "Tobias"]
HEADER = {
    "subtitle": "A Story of the Northern Coast",
    "author": "Ada Quill; Ben Marsh",
    "narrator": "Virtual Voice",
    "publisher": "Lantern Row Press",
    "year": "2025",
    "isbn": "978-0-306-40615-7",
    "description": "A keeper, a storm and a boat still out.",
    "cover": "cover.jpg",
}


def set_header(script_path: Path, values: dict[str, str]) -> None:
    """Edit the script header as a person would: replace the value of each ``key:`` line."""
    lines = script_path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        key = line.partition(":")[0]
        if key in values and not line.startswith("#"):
            lines[i] = f"{key}: {values[key]}"
    script_path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("delivered")
    manuscript = out / "gull-point.md"
    manuscript.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    folder = out / "book"
    parse(Production(manuscript, folder))
    Image.new("RGB", (2400, 2400), (40, 70, 110)).save(folder / "cover.jpg", quality=85)
    set_header(folder / "gull-point.script.txt", HEADER)
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(folder), "--package", "all", "-q"])
    # The example runs close to Google Play's five-minute minimum: the only rejection allowed is that one,
    # and it must agree with the book's length (checked in test_google_minimum_length_rule_follows_the_book).
    rejected = [line for line in result.stderr.splitlines() if "rejected" in line]
    assert result.exit_code == (1 if rejected else 0), result.stderr
    assert all("package-google: the book runs" in line for line in rejected), result.stderr
    return folder


def manifest(folder: Path, name: str) -> dict:
    return json.loads((folder / f"package-{name}" / "manifest.json").read_text(encoding="utf-8"))


def test_three_packages_with_manifests_that_match_their_files(delivered: Path) -> None:
    assert sorted(p.name for p in delivered.glob("package-*")) == ["package-acx", "package-apple", "package-google"]
    assert not [p for p in delivered.iterdir() if p.name.startswith(".package-")]  # no staging left
    for name in ("acx", "apple", "google"):
        data = manifest(delivered, name)
        assert data["package"] == name and data["passed"] is (data["problems"] == [])
        assert name == "google" or data["problems"] == []
        listed = {entry["file"] for entry in data["files"]}
        on_disk = {p.name for p in (delivered / f"package-{name}").iterdir()} - {"manifest.json"}
        assert listed == on_disk
        for entry in data["files"]:
            path = delivered / f"package-{name}" / entry["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
            assert entry["bytes"] == path.stat().st_size
            if entry["kind"] != "cover":
                assert entry["passed"] is True and entry["duration_s"] > 1.0


def test_acx_package_is_numbered_sections_in_reading_order_that_pass_the_gate(delivered: Path) -> None:
    folder = delivered / "package-acx"
    sections = sorted(p.name for p in folder.glob("[0-9]*.mp3"))
    assert sections == [
        "01 - Opening Credits.mp3",
        "02 - Mara.mp3",
        "03 - Chapter Two The Harbour.mp3",
        "04 - Tobias.mp3",
        "05 - Closing Credits.mp3",
    ]
    spec = load_spec("acx")
    for path in [*(folder / name for name in sections), folder / "Retail Sample.mp3"]:
        report = check_file(path, spec)
        assert report.passed, (path.name, report.failures)
        assert report.metrics.sample_rate == 44100 and report.metrics.cbr and report.metrics.bitrate_kbps == 192
    sample = check_file(folder / "Retail Sample.mp3", spec)
    assert 60 <= sample.metrics.duration_s <= 300


def test_id3_tags_read_back_match_the_metadata(delivered: Path) -> None:
    for name in ("acx", "google"):
        files = [e for e in manifest(delivered, name)["files"] if e["kind"] in ("opening-credits", "chapter", "closing-credits")]
        assert [e["title"] for e in files] == ["Opening Credits", *CHAPTER_TITLES, "Closing Credits"]
        for n, entry in enumerate(files, start=1):
            tags = read_id3(delivered / f"package-{name}" / entry["file"])
            assert tags["TIT2"] == entry["title"]
            assert tags["TALB"] == "The Keeper of Gull Point"
            assert tags["TIT3"] == HEADER["subtitle"]
            assert tags["TPE1"] == tags["TPE2"] == "Ada Quill, Ben Marsh"
            assert tags["TCOM"] == "Virtual Voice"
            assert tags["TRCK"] == f"{n}/5"
            assert tags.get("TYER", tags.get("TDRC")) == "2025"
            assert tags["TCON"] == "Audiobook" and tags["TPUB"] == HEADER["publisher"]
            assert tags["APIC"] == "image/jpeg"
    google = sorted(p.name for p in (delivered / "package-google").glob("*.mp3"))
    assert google == [f"9780306406157_{n}of5.mp3" for n in range(1, 6)]
    assert (delivered / "package-google" / "9780306406157.jpg").is_file()


def test_m4b_chapters_start_where_the_section_mp3s_do(delivered: Path) -> None:
    (m4b,) = (delivered / "package-apple").glob("*.m4b")
    tags, chapters = read_mp4(m4b)
    assert tags["\xa9nam"] == tags["\xa9alb"] == "The Keeper of Gull Point"
    assert tags["\xa9ART"] == tags["aART"] == "Ada Quill, Ben Marsh"
    assert tags["\xa9wrt"] == "Virtual Voice" and tags["\xa9day"] == "2025" and tags["\xa9gen"] == "Audiobook"
    assert tags["covr"] == "image/jpeg"
    assert [title for _, title in chapters] == ["Opening Credits", *CHAPTER_TITLES, "Closing Credits"]
    sections = sorted((delivered / "package-acx").glob("[0-9]*.mp3"))
    start = 0.0
    for (chapter_start, _), mp3 in zip(chapters, sections):
        assert abs(chapter_start - start) <= 0.050
        start += decoded_frames(mp3) / 44100
    total = decoded_frames(m4b) / 44100
    assert abs(total - start) <= 0.1


def test_credits_and_sample_are_masters_in_the_production_folder(delivered: Path) -> None:
    assert (delivered / "00 - Opening Credits.mp3").is_file() and (delivered / "04 - Closing Credits.mp3").is_file()
    assert (delivered / "Retail Sample.mp3").is_file()
    masters = json.loads((delivered / ".masters.json").read_text())
    assert {"00 - Opening Credits.mp3", "04 - Closing Credits.mp3", "Retail Sample.mp3"} <= set(masters)


def test_metadata_survives_reparsing_and_a_rebuild_reuses_every_master(delivered: Path, tmp_path: Path) -> None:
    script = read_script(delivered / "gull-point.script.txt")
    assert script.metadata.authors == ["Ada Quill", "Ben Marsh"] and script.metadata.year == 2025
    manuscript = delivered.parent / "gull-point.md"
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(delivered), "--package", "acx", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["takes_rendered"] == 0 and summary["chapters_mastered"] == 0
    assert summary["packages"]["acx"]["passed"] is True


def test_google_minimum_length_rule_follows_the_book(delivered: Path) -> None:
    data = manifest(delivered, "google")
    book_s = sum(entry["duration_s"] for entry in data["files"] if entry["kind"] != "cover")
    too_short = [p for p in data["problems"] if "at least 5 minutes" in p]
    assert bool(too_short) == (book_s < 300.0)
    assert data["passed"] is not bool(too_short)


def test_bad_metadata_or_a_partial_book_stops_before_rendering(tmp_path: Path) -> None:
    manuscript = tmp_path / "gull-point.md"
    manuscript.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    folder = tmp_path / "book"
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(folder), "--package", "acx"])
    assert result.exit_code == 2
    (line,) = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("audiobook: error: ") and "gull-point.script.txt: author:" in line
    set_header(folder / "gull-point.script.txt", {"author": "Ada Quill", "isbn": "978-0-306-40615-8"})
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(folder), "--package", "google"])
    assert result.exit_code == 2 and "isbn:" in result.output
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(folder), "--package", "acx", "--chapter", "1"])
    assert result.exit_code == 2 and "--chapter" in result.output
    assert not (folder / ".takes").exists() and not list(folder.glob("*.mp3"))


def test_a_long_chapter_is_built_as_parts_through_the_whole_pipeline(delivered: Path, tmp_path: Path, monkeypatch) -> None:
    """The build's own split path, with the file limit lowered to 60 s so the example's first chapter
    (about two minutes) is too long: its parts are mastered, packaged, gated and form one M4B chapter."""
    import shutil

    from audiobook.delivery import book

    monkeypatch.setattr(book, "MAX_FILE_S", 60.0)
    folder = tmp_path / "book"
    folder.mkdir()
    for name in ("gull-point.script.txt", "cast.toml", "cover.jpg"):
        shutil.copy(delivered / name, folder / name)
    shutil.copytree(delivered / ".takes", folder / ".takes")  # the takes are reused; the parts' headers are new
    manuscript = delivered.parent / "gull-point.md"
    result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(folder), "--package", "acx", "--package", "apple", "-q"])
    assert result.exit_code == 0, result.output
    parts = sorted(p.name for p in (folder / "package-acx").glob("*Mara, Part *.mp3"))
    assert len(parts) >= 3 and parts[0] == "02 - Mara, Part 1.mp3"
    spec = load_spec("acx")
    for name in parts:
        report = check_file(folder / "package-acx" / name, spec)
        assert report.passed and report.metrics.duration_s <= 60.0, (name, report.failures)
        assert read_id3(folder / "package-acx" / name)["TIT2"] == name[5:-4]
    (m4b,) = (folder / "package-apple").glob("*.m4b")
    _, chapters = read_mp4(m4b)
    assert [title for _, title in chapters] == ["Opening Credits", *CHAPTER_TITLES, "Closing Credits"]
    first_parts = decoded_frames(folder / "package-acx" / "01 - Opening Credits.mp3") / 44100
    after_mara = first_parts + sum(decoded_frames(folder / "package-acx" / name) for name in parts) / 44100
    assert abs(chapters[1][0] - first_parts) <= 0.05 and abs(chapters[2][0] - after_mara) <= 0.05
