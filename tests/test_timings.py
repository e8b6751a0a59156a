"""Cue timings after a build: timings.json, WebVTT per chapter and the CUE sheet line up with the audio.

The check of record decodes each chapter MP3 and finds where every take really sits: by the silence
between two takes (the end of one take's speech and the start of the next's) and by cross-correlating
the take with the decoded chapter. Both must agree with the exported times within 50 ms.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from math import gcd
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import correlate, resample_poly

from audiobook.casting.cast import Cast, Role, read_cast, write_cast
from audiobook.casting.lexicon import Lexicon
from audiobook.casting.profile import load_profiles
from audiobook.cuesheet.timings import (
    BookTimings,
    ChapterTimings,
    TimedCue,
    cue_sheet_timestamp,
    read_timings,
    timecode,
    to_cue_sheet,
    to_webvtt,
    vtt_timestamp,
)
from audiobook.mastering.ffmpeg import decode
from audiobook.production import Production, build, plan_takes
from audiobook.script.scriptfile import read_script

TOLERANCE_S = 0.050
MANUSCRIPT = """# Harbour Lights

## The Quay

"Hold the rope," said Nell. "The tide is turning."

Owen looked up at the sky and shook his head. "It will hold."

"Then tie it twice," Nell said.

## The Lamp

The lamp burned all night, and nobody on the quay slept.

"Is that the ferry?" Owen asked.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Production, object]:
    folder = tmp_path_factory.mktemp("timed")
    manuscript = folder / "harbour.md"
    manuscript.write_text(MANUSCRIPT, encoding="utf-8")
    production = Production(manuscript, folder / "out")
    # espeak voices only, so the takes can be found again without loading a neural engine here
    write_cast(CAST, production.cast_path)
    report = build(production, workers=2)
    assert read_cast(production.cast_path) == CAST
    return production, report


CAST = Cast("espeak-narrator-us-m", {"Nell": Role("espeak-us-f-warm"), "Owen": Role("espeak-us-m-deep")})


def _espeak_version() -> str:
    """The espeak engine's version, asked in a child process (one espeak-ng library per process)."""
    code = "from audiobook.tts.engine import load_engine; print(load_engine('espeak').version())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


def _vtt(path: Path) -> list[tuple[str, float, float, str]]:
    """(id, start_s, end_s, text) of each caption in a WebVTT file."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n")
    found = []
    for block in text.split("\n\n"):
        lines = block.strip().split("\n")
        if len(lines) >= 3 and "-->" in lines[1]:
            start, end = (_seconds(t) for t in lines[1].split(" --> "))
            found.append((lines[0], start, end, "\n".join(lines[2:])))
    return found


def _seconds(stamp: str) -> float:
    h, m, s = stamp.strip().split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _envelope_db(x: np.ndarray, rate: int, hop_s: float = 0.005) -> tuple[np.ndarray, float]:
    """Peak level per 5 ms hop in dB, and the hop in seconds."""
    hop = int(rate * hop_s)
    frames = len(x) // hop
    peaks = np.abs(x[: frames * hop]).reshape(frames, hop).max(axis=1)
    return 20 * np.log10(np.maximum(peaks, 1e-9)), hop / rate


def _speech_span(x: np.ndarray, rate: int, threshold_db: float) -> tuple[float, float]:
    """First and last moment (s) above ``threshold_db`` relative to the peak of ``x``."""
    env, hop_s = _envelope_db(x, rate)
    loud = np.flatnonzero(env > env.max() + threshold_db)
    return loud[0] * hop_s, (loud[-1] + 1) * hop_s


def _takes(production: Production, chapter_number: int) -> list[np.ndarray]:
    """Each cue's take of one chapter at 44.1 kHz, as the build planned and rendered it."""
    script = read_script(production.script_path)
    cast = read_cast(production.cast_path)
    profiles = load_profiles(production.voices_folder())
    lexicon = Lexicon.load(production.lexicon_path)
    chapter = next(c for c in script.chapters if c.number == chapter_number)
    (_, jobs), = plan_takes([chapter], cast, profiles, lexicon, {"espeak": _espeak_version()}, production.store)
    takes = []
    for _, job in jobs:
        assert job.profile.engine == "espeak"
        audio = production.store.load(job.key)
        d = gcd(audio.sample_rate, 44100)
        takes.append(resample_poly(audio.samples, 44100 // d, audio.sample_rate // d))
    return takes


def test_build_writes_timings_json_vtt_per_chapter_and_a_cue_sheet(built) -> None:
    production, report = built
    folder = production.folder
    book = read_timings(folder / "timings.json")
    script = read_script(production.script_path)
    assert [c.number for c in book.chapters] == [c.number for c in script.chapters] == [1, 2]
    for chapter, master, timed in zip(script.chapters, report.chapters, book.chapters, strict=True):
        assert timed.file == master.path.name and (folder / timed.file).exists()
        assert [c.id for c in timed.cues] == [c.id for c in chapter.cues]
        assert [c.speaker for c in timed.cues] == [c.speaker for c in chapter.cues]
        for cue, timing in zip(timed.cues, master.timings, strict=True):
            assert (cue.start_s, cue.end_s) == pytest.approx((timing.start_s, timing.end_s), abs=1e-4)
            assert 0 < cue.start_s < cue.end_s < timed.duration_s
        captions = _vtt(folder / timed.vtt_name)
        assert [c[0] for c in captions] == [c.id for c in timed.cues]
        for (_, start, end, text), cue in zip(captions, timed.cues, strict=True):
            assert abs(start - cue.start_s) <= 0.0006 and abs(end - cue.end_s) <= 0.0006
            assert text == f"<v {cue.speaker}>{cue.text}</v>"
    cue_sheet = (folder / "book.cue").read_text(encoding="utf-8")
    files = re.findall(r'^FILE "(.+)" MP3$', cue_sheet, re.M)
    assert files == [c.file for c in book.chapters]
    assert re.findall(r"^  TRACK (\d\d) AUDIO$", cue_sheet, re.M) == ["01", "02"]
    assert not list(folder.glob(".*.part"))


def test_timings_sit_on_the_silence_between_takes_in_the_decoded_mp3(built) -> None:
    production, _ = built
    book = read_timings(production.folder / "timings.json")
    checked = 0
    for chapter in book.chapters:
        samples, rate = decode(production.folder / chapter.file)
        assert rate == 44100
        x = samples[:, 0]
        takes = _takes(production, chapter.number)
        # where speech starts and ends inside each take, so the exported times predict it in the chapter
        spans = [_speech_span(take, rate, -40) for take in takes]
        env, hop_s = _envelope_db(x, rate)
        quiet = env < env.max() - 40
        for i in range(len(chapter.cues) - 1):
            this, after = chapter.cues[i], chapter.cues[i + 1]
            predicted_end = this.start_s + spans[i][1]
            predicted_start = after.start_s + spans[i + 1][0]
            # the silence between the two takes: the quiet run around the predicted gap
            lo, hi = int((predicted_end - 0.15) / hop_s), int((predicted_start + 0.15) / hop_s)
            gap = quiet[lo:hi]
            runs = np.flatnonzero(np.diff(np.concatenate([[0], gap.astype(int), [0]])))
            starts, ends = runs[::2], runs[1::2]
            longest = np.argmax(ends - starts)
            measured_end = (lo + starts[longest]) * hop_s
            measured_start = (lo + ends[longest]) * hop_s
            assert abs(measured_end - predicted_end) <= TOLERANCE_S, (this.id, measured_end, predicted_end)
            assert abs(measured_start - predicted_start) <= TOLERANCE_S, (after.id, measured_start, predicted_start)
            checked += 1
    assert checked >= 6


def test_each_take_correlates_best_at_its_exported_start(built) -> None:
    production, _ = built
    book = read_timings(production.folder / "timings.json")
    for chapter in book.chapters:
        samples, rate = decode(production.folder / chapter.file)
        x = samples[:, 0].astype(np.float64)
        for cue, take in zip(chapter.cues, _takes(production, chapter.number), strict=True):
            search = int(0.25 * rate)
            start = round(cue.start_s * rate)
            window = x[max(0, start - search) : start + len(take) + search]
            corr = correlate(window, take.astype(np.float64), mode="valid", method="fft")
            offset = (int(np.argmax(corr)) + max(0, start - search) - start) / rate
            assert abs(offset) <= TOLERANCE_S, (cue.id, offset)
            assert abs(cue.end_s - cue.start_s - len(take) / rate) < 0.001


def test_a_cached_rebuild_and_a_one_chapter_build_keep_every_chapters_timings(built) -> None:
    production, _ = built
    first = (production.folder / "timings.json").read_text(encoding="utf-8")
    (production.folder / "timings.json").unlink()
    report = build(production, chapters=[2], workers=2)
    assert report.chapters_mastered == 0  # cached: timings come from the timeline, not a new master
    partial = read_timings(production.folder / "timings.json")
    assert [c.number for c in partial.chapters] == [2]
    report = build(production, workers=2)
    assert report.chapters_mastered == 0
    assert (production.folder / "timings.json").read_text(encoding="utf-8") == first
    build(production, chapters=[1], workers=2)
    assert json.loads((production.folder / "timings.json").read_text(encoding="utf-8")) == json.loads(first)


def test_timestamps() -> None:
    assert vtt_timestamp(0) == "00:00:00.000"
    assert vtt_timestamp(3725.0126) == "01:02:05.013"  # rounds to the millisecond
    assert cue_sheet_timestamp(61.52) == "01:01:39"  # 75 frames a second: 0.52 s is frame 39
    assert cue_sheet_timestamp(3600) == "60:00:00"  # a CUE sheet counts minutes past 59
    assert timecode(75.04) == "1:15.0" and timecode(3725.0) == "1:02:05.0"


def test_vtt_escapes_and_cue_sheet_quotes() -> None:
    chapter = ChapterTimings(3, 'The "Wren" & <Gull>', "03 - The Wren.mp3", 12.0,
                             [TimedCue("ab.0", "dialogue", "Mr. <B>", "Fish & chips --> <now>", 1.0, 2.5)])  # fmt: skip
    vtt = to_webvtt(chapter)
    assert "<v Mr. &lt;B&gt;>Fish &amp; chips --&gt; &lt;now&gt;</v>" in vtt
    assert vtt.count("-->") == 1
    sheet = to_cue_sheet(BookTimings('Book "One"', [chapter]))
    assert "TITLE \"Book 'One'\"" in sheet and "TITLE \"The 'Wren' & <Gull>\"" in sheet
    assert 'FILE "03 - The Wren.mp3" MP3' in sheet


def test_a_damaged_timings_file_is_bad_input(tmp_path: Path) -> None:
    from audiobook.errors import InputError

    path = tmp_path / "timings.json"
    path.write_text('{"format": 1, "chapters": [{"number": "x"}]}')
    with pytest.raises(InputError, match="timings.json"):
        read_timings(path)
    assert read_timings(tmp_path / "missing.json") is None


def test_a_split_chapter_keeps_one_entry_per_part_file(tmp_path: Path) -> None:
    from audiobook.cuesheet.timings import merge, write_build_timings
    from audiobook.script.model import Chapter, Cue, Script

    cues = [Cue("h1", "heading", "One"), Cue("a.0", "narration", "A."), Cue("b.0", "narration", "B."), Cue("c.0", "narration", "C.")]
    script = Script("Long", "long.md", [Chapter(1, "One", cues), Chapter(2, "Two", [Cue("h2", "heading", "Two")])])
    parts = [
        ChapterTimings(1, "One (Part 1)", "01 - One (Part 1).mp3", 10.0, [TimedCue("h1", "heading", "Narrator", "One", 0.8, 1.5), TimedCue("a.0", "narration", "Narrator", "A.", 2.0, 3.0)]),
        ChapterTimings(1, "One (Part 2)", "01 - One (Part 2).mp3", 10.0, [TimedCue("h1-part2", "heading", "Narrator", "One, part 2.", 0.8, 2.0),
                       TimedCue("b.0", "narration", "Narrator", "B.", 2.5, 3.0), TimedCue("c.0", "narration", "Narrator", "C.", 3.5, 4.0)]),
    ]  # fmt: skip
    for part in parts:
        (tmp_path / part.file).write_bytes(b"")
    book = write_build_timings(tmp_path, script, parts)
    assert [c.file for c in book.chapters] == [p.file for p in parts]
    assert (tmp_path / "01 - One (Part 2).vtt").exists()
    assert read_timings(tmp_path / "timings.json") == book
    assert re.findall(r"TRACK (\d\d)", (tmp_path / "book.cue").read_text()) == ["01", "02"]
    # a later build of chapter 2 alone keeps both parts of chapter 1 ...
    two = ChapterTimings(2, "Two", "02 - Two.mp3", 5.0, [TimedCue("h2", "heading", "Narrator", "Two", 0.8, 1.2)])
    assert [c.file for c in merge(book, script, [two], tmp_path).chapters] == [*(p.file for p in parts), "02 - Two.mp3"]
    # ... unless the chapter's cues changed since, or a part's file is gone
    script.chapters[0].cues.append(Cue("d.0", "narration", "D."))
    assert [c.number for c in merge(book, script, [two], tmp_path).chapters] == [2]
    script.chapters[0].cues.pop()
    (tmp_path / "01 - One (Part 2).mp3").unlink()
    assert [c.number for c in merge(book, script, [two], tmp_path).chapters] == [2]
