"""A chapter of more than 120 minutes is split at a paragraph end into two parts that each pass the
ACX gate.

Two hours of TTS and of the full mastering chain would take many minutes here, so the chapter is a
timeline of three generated takes at speech level (20 s each, repeated), split by the same code the
build uses (split_points / split_chapter on Timeline.timings), and each part is laid out exactly as
its timeline says (head room tone, takes and pauses, tail room tone) and encoded as CBR 192 kb/s
MP3 by ffmpeg with LAME's fastest setting. The parts then go through the real gate.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import numpy as np

from audiobook.check import check_file, load_spec
from audiobook.delivery.split import ACX_MAX_FILE_S, split_chapter, split_points
from audiobook.mastering.ffmpeg import ffmpeg_exe
from audiobook.mastering.timeline import PAUSE_S, Segment, Timeline
from audiobook.script.model import Chapter, Cue
from audiobook.tts.engine import Audio
from audiobook.tts.takes import TakeStore

RATE = 44100
TAKE_S = 20.0
PARAGRAPHS = 122  # three cues each: about 124 minutes


def speech_like(seconds: float, seed: int) -> np.ndarray:
    """Two tones gated into syllables: RMS about -20 dBFS while speaking, peaks near -11 dBFS."""
    t = np.arange(int(seconds * RATE)) / RATE
    voiced = np.sin(2 * np.pi * (3.5 + seed * 0.3) * t) > -0.2
    return ((0.19 * np.sin(2 * np.pi * (180 + 40 * seed) * t) + 0.09 * np.sin(2 * np.pi * 470 * t)) * voiced).astype(np.float32)


def encode(timeline: Timeline, store: TakeStore, path: Path) -> None:
    """The part's audio as its timeline lays it out, over room tone at -70 dBFS, as CBR 192k MP3."""
    rng = np.random.default_rng(5)
    tone = (10 ** (-70 / 20) * rng.standard_normal(RATE * 3)).astype(np.float32)
    cmd = [ffmpeg_exe(), "-v", "error", "-nostdin", "-y", "-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
           "-c:a", "libmp3lame", "-b:a", "192k", "-compression_level", "9", "-f", "mp3", str(path)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    offset = 0
    for section in timeline.sections(store):
        piece = timeline.section_audio(store, section)
        index = (offset + np.arange(len(piece))) % len(tone)
        proc.stdin.write((piece + tone[index]).astype("<f4").tobytes())
        offset += len(piece)
    proc.stdin.close()
    assert proc.wait() == 0


def test_a_chapter_over_120_minutes_becomes_two_parts_that_pass_the_gate(tmp_path: Path) -> None:
    store = TakeStore(tmp_path / "takes")
    keys = []
    for seed in range(3):
        key = f"{seed:02d}" + "a" * 62
        store.save(key, Audio(speech_like(TAKE_S, seed), RATE))
        keys.append(key)
    heading_key = "h" * 64
    store.save(heading_key, Audio(speech_like(2.0, 3), RATE))
    cues = [Cue("head", "heading", "Chapter Nine. The Long Night", pause="chapter")]
    jobs = [(cues[0], heading_key)]
    for n in range(PARAGRAPHS * 3):
        cue = Cue(f"p{n // 3}.{n % 3}", "narration", f"Sentence {n}.", pause="paragraph" if n % 3 == 2 else "sentence")
        cues.append(cue)
        jobs.append((cue, keys[n % 3]))
    chapter = Chapter(9, "Chapter Nine: The Long Night", cues)

    def timeline_of(part_jobs) -> Timeline:
        return Timeline([Segment(cue.id, key, 0.0, PAUSE_S[cue.pause]) for cue, key in part_jobs], 0.8, 3.0, RATE)

    whole = timeline_of(jobs)
    assert whole.total_frames(store) / RATE > ACX_MAX_FILE_S
    cuts = split_points(whole.timings(store), [cue.pause in ("paragraph", "scene") for cue, _ in jobs], 0.8, 3.0)
    parts = split_chapter(chapter, jobs, cuts, lambda part, cue: heading_key)
    assert len(parts) == 2
    assert [part.title for part, _ in parts] == ["Chapter Nine: The Long Night, Part 1", "Chapter Nine: The Long Night, Part 2"]
    first, second = parts
    assert first[0].cues[-1].pause == "paragraph"  # the cut is at a paragraph end
    assert second[0].cues[0].text == "Chapter Nine. The Long Night, part 2." and second[0].cues[1].id.endswith(".0")
    assert [c.id for c in first[0].cues] + [c.id for c in second[0].cues[1:]] == [c.id for c in cues]  # nothing lost

    paths = [tmp_path / f"09 - Chapter Nine The Long Night, Part {n}.mp3" for n in (1, 2)]
    workers = [threading.Thread(target=encode, args=(timeline_of(part_jobs), store, path)) for (_, part_jobs), path in zip(parts, paths)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    spec = load_spec("acx")
    durations = []
    for path in paths:
        report = check_file(path, spec)
        assert report.passed, (path.name, report.failures)
        durations.append(report.metrics.duration_s)
    assert all(3000 < d <= ACX_MAX_FILE_S for d in durations)
    assert abs(durations[0] - durations[1]) < 5 * 60  # balanced
    assert sum(durations) > ACX_MAX_FILE_S
