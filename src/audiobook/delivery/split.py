"""Split a chapter longer than a retailer's file limit into parts, at paragraph boundaries.

ACX Audio Submission Requirements: each uploaded file holds one section (chapter) with its header
read aloud, and no file may run longer than 120 minutes. A longer chapter therefore becomes several
files: the parts are as equal in length as the paragraph breaks allow, each part after the first
opens with the chapter's header and its part number read aloud ("Chapter Two, part 2."), and each
file is named after its chapter with ", Part N" (``07 - Chapter Two, Part 1.mp3``), so the parts
sort in reading order and say what they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from audiobook.errors import BuildError
from audiobook.mastering.timeline import CueTiming
from audiobook.script.model import NARRATOR, Chapter, Cue

ACX_MAX_FILE_S = 7200.0
"""ACX: "Each uploaded file must be no longer than 120 minutes"."""
HEADING_ALLOWANCE_S = 30.0
"""Room kept in each later part for its spoken header, which is rendered after the split is chosen."""
BREAK_PAUSES = ("paragraph", "scene", "chapter")
"""A part may end after a cue with one of these pauses: the end of a paragraph or a scene."""


def part_title(title: str, part: int) -> str:
    """The title of part ``part`` (1-based) of a chapter: "Title, Part 2"."""
    return f"{title}, Part {part}"


def split_points(
    timings: Sequence[CueTiming], can_end: Sequence[bool], head_s: float, tail_s: float, limit_s: float = ACX_MAX_FILE_S
) -> list[int]:
    """Indices of the cues that open a new part; [] when the chapter fits in one file.

    ``timings`` are the cue timings of the whole chapter (seconds, as :meth:`Timeline.timings` gives
    them), ``can_end[i]`` says whether a part may end after cue ``i`` (a paragraph boundary). A part
    running from cue ``a`` to cue ``b`` lasts ``head_s + end[b] - start[a] + tail_s`` seconds, plus
    :data:`HEADING_ALLOWANCE_S` for parts after the first. The parts are kept as equal as the breaks
    allow. Raises BuildError when no set of breaks keeps every part within ``limit_s``.
    """
    count = len(timings)
    if not count:
        return []

    def length(a: int, b: int) -> float:  # cues a..b-1
        return head_s + timings[b - 1].end_s - timings[a].start_s + tail_s + (HEADING_ALLOWANCE_S if a else 0.0)

    if length(0, count) <= limit_s:
        return []
    total = timings[-1].end_s - timings[0].start_s
    candidates = [i for i in range(1, count) if can_end[i - 1]]
    for parts in range(max(2, math.ceil(length(0, count) / limit_s)), count + 1):
        cuts: list[int] = []
        start = 0
        for k in range(1, parts):
            ideal = timings[0].start_s + total * k / parts
            fits = [i for i in candidates if i > start and length(start, i) <= limit_s]
            if not fits:
                break
            cut = min(fits, key=lambda i: abs(timings[i].start_s - ideal))
            cuts.append(cut)
            start = cut
        else:
            if length(start, count) <= limit_s:
                return cuts
        if not candidates:
            break
    raise BuildError(f"chapter runs {length(0, count) / 60:.0f} minutes and has no paragraph breaks that keep each part under {limit_s / 60:.0f} minutes")


JobFor = Callable[[Chapter, Cue], object]


def split_chapter(chapter: Chapter, jobs: list[tuple[Cue, object]], cuts: list[int], job_for: JobFor) -> list[tuple[Chapter, list[tuple[Cue, object]]]]:
    """The parts of ``chapter`` cut before the cues at ``cuts`` (from :func:`split_points`).

    Each part is a Chapter with the same number, titled ":func:`part_title`"; parts after the first
    open with a heading cue reading the chapter's header and the part number, whose take job comes
    from ``job_for(part, cue)``. Returns (part, [(cue, job)]) in reading order.
    """
    if not cuts:
        return [(chapter, jobs)]
    header = chapter.cues[0].text if chapter.cues and chapter.cues[0].kind == "heading" else chapter.title
    header = header.strip().rstrip(".")
    bounds = [0, *cuts, len(jobs)]
    parts = []
    for number, (a, b) in enumerate(zip(bounds, bounds[1:]), start=1):
        part = replace(chapter, title=part_title(chapter.title, number), cues=[cue for cue, _ in jobs[a:b]])
        part_jobs = list(jobs[a:b])
        if number > 1:
            base = chapter.cues[0].id if chapter.cues else f"chapter{chapter.number}"
            heading = Cue(f"{base}-part{number}", "heading", f"{header}, part {number}.", NARRATOR, 1.0, "split", 0, 0, "chapter")
            part.cues.insert(0, heading)
            part_jobs.insert(0, (heading, job_for(part, heading)))
        parts.append((part, part_jobs))
    return parts
