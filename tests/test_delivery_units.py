"""Delivery pieces on their own: metadata rules and sources, the script header, credits, split and
sample cut points, tags, atomic publication and the gate's one-line rejections."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from audiobook.delivery.credits import closing_credits, opening_credits, spoken_names
from audiobook.delivery.manifest import publish, staging_folder
from audiobook.delivery.metadata import check_metadata, from_manuscript, isbn_valid
from audiobook.delivery.packages import Section, expand, make_packages
from audiobook.delivery.sample import faded_take, sample_cut
from audiobook.delivery.split import ACX_MAX_FILE_S, HEADING_ALLOWANCE_S, split_chapter, split_points
from audiobook.delivery.tags import BookTags, read_id3
from audiobook.errors import BuildError, InputError
from audiobook.mastering.mp3 import Mp3Encoder
from audiobook.mastering.timeline import CueTiming
from audiobook.script.model import Chapter, Cue, Metadata, Script
from audiobook.script.scriptfile import format_script, parse_script
from audiobook.tts.engine import Audio
from audiobook.tts.takes import TakeStore


def book(tmp_path: Path, **metadata) -> tuple[Script, Path]:
    fields = {"authors": ["Ada Quill"], **metadata}
    script = Script("The Lamp", "book.md", [Chapter(1, "One", [Cue("a.0", "narration", "Hello.")])], [], Metadata(**fields))
    return script, tmp_path / "book.script.txt"


def cover(tmp_path: Path, size: tuple[int, int], fmt: str = "JPEG", name: str = "cover.jpg") -> str:
    Image.new("RGB", size, (10, 20, 30)).save(tmp_path / name, fmt)
    return name


@pytest.mark.parametrize(
    ("isbn", "valid"),
    [("978-0-306-40615-7", True), ("9780306406157", True), ("0-306-40615-2", True), ("080442957X", True),
     ("978-0-306-40615-8", False), ("0-306-40615-3", False), ("12345", False), ("", False)],
)  # fmt: skip
def test_isbn_check_digits(isbn: str, valid: bool) -> None:
    assert isbn_valid(isbn) is valid


def test_metadata_rules_per_retailer(tmp_path: Path) -> None:
    script, path = book(tmp_path, cover=cover(tmp_path, (2400, 2400)), year=2024, isbn="978-0-306-40615-7")
    assert check_metadata(script, path, ["acx", "apple", "google"]) == []
    script.metadata.cover = cover(tmp_path, (1600, 1600), name="small.jpg")
    problems = check_metadata(script, path, ["acx", "google"])
    assert [(p.severity, p.retailer) for p in problems] == [("error", "acx")]
    assert "1600x1600" in problems[0].message and "2400" in problems[0].message and str(path) in problems[0].message
    script.metadata.cover = cover(tmp_path, (2400, 2600), name="tall.jpg")
    by_retailer = {p.retailer: p.severity for p in check_metadata(script, path, ["acx", "google"])}
    assert by_retailer == {"acx": "error", "google": "warning"}  # Google only recommends square covers
    script.metadata.cover = cover(tmp_path, (2400, 2400), "GIF", "cover.gif")
    assert any("use a JPEG or PNG" in p.message for p in check_metadata(script, path, ["acx"]))
    script.metadata.cover = "missing.jpg"
    assert "does not exist" in check_metadata(script, path, ["acx"])[0].message
    script.metadata.cover = ""
    assert [p.severity for p in check_metadata(script, path, ["acx"])] == ["warning"]


@pytest.mark.parametrize(
    ("change", "needle"),
    [({"authors": []}, "author:"), ({"isbn": "978-0-306-40615-8"}, "isbn:"), ({"year": 20245}, "year:"),
     ({"language": "English!"}, "language:"), ({"narrators": []}, "narrator:")],
)  # fmt: skip
def test_each_metadata_error_is_one_line_naming_the_field(tmp_path: Path, change: dict, needle: str) -> None:
    script, path = book(tmp_path, **change)
    errors = [p for p in check_metadata(script, path, ["acx"]) if p.severity == "error"]
    assert len(errors) == 1 and needle in errors[0].message and "\n" not in errors[0].message


def test_front_matter_and_byline_are_metadata_sources(tmp_path: Path) -> None:
    front = tmp_path / "front.md"
    front.write_text('---\ntitle: "Salt Roads"\nauthors:\n  - Ada Quill\n  - Ben Marsh\nyear: 2023-05-01\nisbn: 9780306406157\n---\n\n# One\n\nText.\n')
    title, metadata = from_manuscript(front)
    assert (title, metadata.authors, metadata.year, metadata.isbn) == ("Salt Roads", ["Ada Quill", "Ben Marsh"], 2023, "9780306406157")
    byline = tmp_path / "byline.txt"
    byline.write_text("SALT ROADS\n\nby Ada Quill and Ben Marsh\n\nChapter 1\n\nText.\n")
    assert from_manuscript(byline)[1].authors == ["Ada Quill", "Ben Marsh"]
    plain = tmp_path / "plain.md"
    plain.write_text("# One\n\nThe boat went by the harbour.\n")
    assert from_manuscript(plain) == ("", Metadata())


def test_script_header_round_trips_metadata_and_rejects_a_bad_year(tmp_path: Path) -> None:
    script, _ = book(tmp_path, subtitle="A Tale", narrators=["Virtual Voice", "Cy Reed"], year=2024, series="Coast", series_number="2")
    text = format_script(script)
    assert "author: Ada Quill\n" in text and "narrator: Virtual Voice; Cy Reed\n" in text and "series-number: 2\n" in text
    assert parse_script(text) == script and format_script(parse_script(text)) == text
    with pytest.raises(InputError, match=r":\d+: year must be a number"):
        parse_script(text.replace("year: 2024", "year: soon"), "x.script.txt")


def test_credits_name_title_authors_and_narrators_and_end_with_the_end(tmp_path: Path) -> None:
    script, _ = book(tmp_path, authors=["Ada Quill", "Ben Marsh", "Cy Reed"], subtitle="A Tale", year=2024, publisher="Row Press")
    opening = [cue.text for cue in opening_credits(script).cues]
    assert opening == ["The Lamp.", "A Tale.", "Written by Ada Quill, Ben Marsh and Cy Reed.", "Narrated by Virtual Voice."]
    closing = closing_credits(script, 9)
    assert closing.number == 9 and closing.cues[-1].text == "The End."
    assert closing.cues[0].text == "You have been listening to The Lamp, written by Ada Quill, Ben Marsh and Cy Reed, narrated by Virtual Voice."
    assert all(cue.speaker == "Narrator" for cue in [*closing.cues, *opening_credits(script).cues])
    assert spoken_names(["A", "B"]) == "A and B"


def timings(lengths_s: list[float], pause_s: float = 0.8, head_s: float = 0.8) -> list[CueTiming]:
    found, position = [], head_s
    for i, length in enumerate(lengths_s):
        found.append(CueTiming(f"c{i}", position, position + length))
        position += length + pause_s
    return found


def test_split_points_balance_parts_at_paragraph_ends_within_the_limit() -> None:
    cues = timings([60.0] * 130)  # about 132 minutes
    can_end = [i % 4 == 3 for i in range(130)]  # paragraphs of four cues
    cuts = split_points(cues, can_end, 0.8, 3.0)
    assert len(cuts) == 1 and can_end[cuts[0] - 1]
    bounds = [0, *cuts, len(cues)]
    lengths = [0.8 + cues[b - 1].end_s - cues[a].start_s + 3.0 for a, b in zip(bounds, bounds[1:])]
    assert all(length + HEADING_ALLOWANCE_S <= ACX_MAX_FILE_S for length in lengths)
    assert abs(lengths[0] - lengths[1]) < 5 * 60.8
    assert split_points(timings([60.0] * 100), [True] * 100, 0.8, 3.0) == []  # 101 minutes: one file
    three = split_points(timings([60.0] * 300), [True] * 300, 0.8, 3.0)
    assert len(three) == 2
    with pytest.raises(BuildError, match="no paragraph breaks"):
        split_points(cues, [False] * 130, 0.8, 3.0)


def test_split_chapter_names_parts_and_speaks_the_header_of_later_parts() -> None:
    cues = [Cue("h1", "heading", "Chapter Two. The Harbour", pause="chapter")] + [Cue(f"p.{i}", "narration", f"Line {i}.") for i in range(5)]
    chapter = Chapter(2, "Chapter Two: The Harbour", cues)
    parts = split_chapter(chapter, [(cue, cue.id) for cue in cues], [3], lambda part, cue: f"job:{cue.text}")
    assert [part.title for part, _ in parts] == ["Chapter Two: The Harbour, Part 1", "Chapter Two: The Harbour, Part 2"]
    second, jobs = parts[1]
    assert second.number == 2 and second.cues[0].kind == "heading" and second.cues[0].text == "Chapter Two. The Harbour, part 2."
    assert jobs[0][1] == "job:Chapter Two. The Harbour, part 2." and [c.id for c in second.cues[1:]] == ["p.2", "p.3", "p.4"]
    assert split_chapter(chapter, [(c, c.id) for c in cues], [], lambda *_: None)[0][0] is chapter


def test_sample_cut_keeps_whole_paragraphs_within_five_minutes() -> None:
    cues = timings([20.0] * 30)
    can_end = [i % 3 == 2 for i in range(30)]
    keep = sample_cut(cues, can_end, 3.0)
    assert can_end[keep - 1] and cues[keep - 1].end_s + 3.0 <= 300
    assert cues[keep + 2].end_s + 3.0 > 295  # the next paragraph would not fit
    assert sample_cut(timings([100.0] * 5), [False] * 5, 3.0) == 2  # no paragraph end: a sentence end
    with pytest.raises(BuildError):
        sample_cut(timings([400.0]), [True], 3.0)


def test_faded_take_fades_only_the_end_and_is_stored_once(tmp_path: Path) -> None:
    store = TakeStore(tmp_path / "takes")
    rate = 22050
    tone = (0.3 * np.sin(np.arange(rate * 3) * 2 * np.pi * 220 / rate)).astype(np.float32)
    store.save("k" * 64, Audio(tone, rate))
    key = faded_take(store, "k" * 64)
    assert key != "k" * 64 and faded_take(store, "k" * 64) == key
    faded = store.load(key).samples
    assert np.max(np.abs(faded[: rate])) > 0.29  # the start is untouched
    assert np.max(np.abs(faded[-rate // 20 :])) < 0.01  # the end has faded out
    assert len(faded) == len(tone)


def test_publish_replaces_a_package_whole(tmp_path: Path) -> None:
    final = tmp_path / "package-acx"
    final.mkdir()
    (final / "old.mp3").write_text("old")
    staging = staging_folder(final)
    assert staging.name.startswith(".package-acx.") and staging.parent == tmp_path
    (staging / "new.mp3").write_text("new")
    publish(staging, final)
    assert [p.name for p in final.iterdir()] == ["new.mp3"]
    assert [p.name for p in tmp_path.iterdir()] == ["package-acx"]


def test_expand_package_names() -> None:
    assert expand(["all"]) == ["acx", "apple", "google"]
    assert expand(["google", "acx", "acx"]) == ["acx", "google"]
    with pytest.raises(InputError):
        expand(["kobo"])


def tone_mp3(path: Path, seconds: float, bitrate_kbps: int = 192, level: float = 0.1) -> Path:
    rate = 44100
    rng = np.random.default_rng(3)
    t = np.arange(int(seconds * rate)) / rate
    speech = (2 * level * np.sin(2 * np.pi * 300 * t) * (np.sin(2 * np.pi * 3 * t) > 0)).astype(np.float32)  # -20 dB RMS
    speech[: rate * 8 // 10] = 0.0003 * rng.standard_normal(rate * 8 // 10)  # speech from 0.8 s, plus 25 ms of stream delay
    speech[-2 * rate :] = 0.0003 * rng.standard_normal(2 * rate)
    with Mp3Encoder(path, rate, 1, bitrate_kbps) as encoder:
        encoder.write(speech)
    return path


def test_a_file_the_gate_rejects_fails_the_package_with_one_line_naming_it(tmp_path: Path) -> None:
    good = tone_mp3(tmp_path / "good.mp3", 20.0)
    low = tone_mp3(tmp_path / "low.mp3", 20.0, bitrate_kbps=128)
    sections = [Section("opening-credits", "Opening Credits", good), Section("chapter", "One", low, "One"), Section("closing-credits", "Closing Credits", good)]
    tags = BookTags("The Lamp", "", "Ada Quill", "Virtual Voice", "", "2024", "", "en", None)
    (acx,) = make_packages(tmp_path, ["acx"], sections, Section("sample", "Retail Sample", good), tags)
    assert not acx.passed
    lines = acx.rejections()
    assert len(lines) == 1 and lines[0].startswith(str(tmp_path / "package-acx" / "02 - One.mp3")) and "bitrate_kbps.min" in lines[0]
    data = json.loads((tmp_path / "package-acx" / "manifest.json").read_text())
    assert data["passed"] is False and [f["passed"] for f in data["files"]] == [True, False, True, True]
    assert read_id3(tmp_path / "package-acx" / "02 - One.mp3")["TRCK"] == "2/3"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".package-")]


def test_a_package_that_fails_half_way_leaves_no_folder(tmp_path: Path, monkeypatch) -> None:
    good = tone_mp3(tmp_path / "good.mp3", 5.0)
    sections = [Section("chapter", "One", good, "One")]
    tags = BookTags("The Lamp", "", "Ada Quill", "Virtual Voice", "", "", "", "en", None)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("audiobook.delivery.packages.write_id3", broken)
    with pytest.raises(OSError):
        make_packages(tmp_path, ["google"], sections, None, tags)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.mp3"]
