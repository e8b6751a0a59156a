"""One M4B (AAC in MPEG-4) of the whole book, with a chapter mark at the exact start of each chapter.

Apple's audiobook package specification asks for the book as one long audio file (a track under
23 hours) with the start of every chapter given in its metadata, and warns that chapter points drift
unless the cumulative length of the joined files is tracked precisely. So the section MP3s are decoded
and joined here sample by sample, each section's start is its offset in samples, and the chapters go
to ffmpeg as an ffmetadata file in a 1/sample-rate time base: a chapter starts exactly where its MP3
starts in the joined audio. Tags and cover are added afterwards with mutagen (:mod:`.tags`).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import BuildError
from audiobook.mastering.ffmpeg import decode_blocks, ffmpeg_exe

AAC_BITRATE_KBPS = 128
"""Mono AAC-LC at 128 kb/s: transparent for speech, and the floor Google Play sets for M4A files."""
APPLE_MAX_TRACK_S = 23 * 3600.0
"""Apple's audiobook package specification: each audio track must be shorter than 23 hours."""


@dataclass(frozen=True)
class ChapterMark:
    """A chapter of the M4B: its title and where it starts and ends, in samples at ``sample_rate``."""

    title: str
    start: int
    end: int
    sample_rate: int

    @property
    def start_s(self) -> float:
        return self.start / self.sample_rate

    @property
    def end_s(self) -> float:
        return self.end / self.sample_rate


def decoded_frames(path: Path, sample_rate: int = 44100) -> int:
    """Length of an audio file as ffmpeg decodes it (mono, ``sample_rate``), in samples."""
    return sum(len(block) for block in decode_blocks(path, block_s=60.0, sample_rate=sample_rate, channels=1))


def _escape(value: str) -> str:
    for char in "\\=;#\n":
        value = value.replace(char, "\\" + char)
    return value


def chapter_marks(sections: list[tuple[Path, str | None]], sample_rate: int = 44100) -> list[ChapterMark]:
    """The chapter marks of the joined ``sections``: (MP3 path, chapter title), where a title of None
    continues the previous chapter (the later parts of a split chapter)."""
    marks: list[ChapterMark] = []
    position = 0
    for path, title in sections:
        frames = decoded_frames(path, sample_rate)
        if title is None and marks:
            last = marks[-1]
            marks[-1] = ChapterMark(last.title, last.start, position + frames, sample_rate)
        else:
            marks.append(ChapterMark(title or path.stem, position, position + frames, sample_rate))
        position += frames
    return marks


def ffmetadata(marks: list[ChapterMark]) -> str:
    """The ffmetadata text giving ``marks`` as chapters, in a 1/sample-rate time base."""
    lines = [";FFMETADATA1"]
    for mark in marks:
        lines += ["[CHAPTER]", f"TIMEBASE=1/{mark.sample_rate}", f"START={mark.start}", f"END={mark.end}", f"title={_escape(mark.title)}"]
    return "\n".join(lines) + "\n"


def write_m4b(out_path: Path, sections: list[tuple[Path, str | None]], sample_rate: int = 44100) -> list[ChapterMark]:
    """Join ``sections`` (see :func:`chapter_marks`) into an AAC M4B at ``out_path``; return its chapters.

    The caller writes into a temporary package folder, so ``out_path`` is written directly.
    """
    marks = chapter_marks(sections, sample_rate)
    if marks and marks[-1].end_s >= APPLE_MAX_TRACK_S:
        raise BuildError(f"{out_path}: the book runs {marks[-1].end_s / 3600:.1f} hours; one M4B track must stay under 23 hours")
    with tempfile.TemporaryDirectory(prefix=".m4b-", dir=out_path.parent) as scratch:
        chapters = Path(scratch) / "chapters.txt"
        chapters.write_text(ffmetadata(marks), encoding="utf-8")
        cmd = [
            ffmpeg_exe(), "-v", "error", "-nostdin", "-y",
            "-f", "f32le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
            "-f", "ffmetadata", "-i", str(chapters),
            "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1",
            "-c:a", "aac", "-b:a", f"{AAC_BITRATE_KBPS}k", "-ar", str(sample_rate), "-ac", "1",
            "-movflags", "+faststart", "-f", "mp4", str(out_path),
        ]  # fmt: skip
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdin is not None
        try:
            for path, _ in sections:
                for block in decode_blocks(path, block_s=30.0, sample_rate=sample_rate, channels=1):
                    proc.stdin.write(block.astype("<f4").tobytes())
        except BrokenPipeError:
            pass
        finally:
            proc.stdin.close()
            stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            code = proc.wait()
        if code != 0:
            raise BuildError(f"{out_path}: ffmpeg could not encode the M4B ({stderr.strip()[-200:]})")
    return marks
