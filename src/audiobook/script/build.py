"""Build the production script from a manuscript and its attribution.

Each paragraph becomes one or more cues: narration between quotes, and each quoted stretch as a
dialogue (or thought) cue with its speaker. Cue ids are ``<paragraph hash>.<n>``, so an unchanged
paragraph keeps its ids when the manuscript is parsed again, wherever it moves. A previous script's
speaker corrections are carried over (see :func:`carry_corrections`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import TYPE_CHECKING

from audiobook.manuscript.model import Manuscript
from audiobook.manuscript.paragraphs import paragraph_layout, split_paragraphs
from audiobook.script.model import NARRATOR, Chapter, Character, Cue, Script

if TYPE_CHECKING:
    from audiobook.script.attribution import Attribution, Utterance

MAX_CUE_CHARS = 600
"""Longer narration is split at sentence ends: engines slow down on long inputs, and a pickup of a
short cue is cheaper."""

_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019"
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u2019']?\s+(?=[\"\u201c\u2018A-Z])")


def _digest(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def build_script(manuscript: Manuscript, attribution: Attribution, previous: Script | None = None) -> Script:
    """The production script of ``manuscript``; ``previous`` supplies a person's corrections."""
    text = manuscript.text
    layout = paragraph_layout(text)
    utterances = sorted(attribution.utterances, key=lambda u: u.start)
    seen: Counter[str] = Counter()
    chapters: list[Chapter] = []
    cursor = 0
    for span in manuscript.chapters:
        chapter = Chapter(span.number, span.title, pov=attribution.pov.get(span.number))
        if span.heading_end > span.heading_start:
            heading = ". ".join(line.strip() for line in text[span.heading_start : span.heading_end].split("\n") if line.strip())
            cue_id = _unique_id("h" + _digest(heading), seen)
            chapter.cues.append(
                Cue(cue_id, "heading", heading, NARRATOR, 1.0, "heading", *_source(manuscript, span.heading_start, span.heading_end), "chapter")
            )
        for paragraph in split_paragraphs(text, span.body_start, span.end, layout):
            if paragraph.scene_break_before and chapter.cues and chapter.cues[-1].kind != "heading":
                chapter.cues[-1].pause = "scene"
            while cursor < len(utterances) and utterances[cursor].end <= paragraph.start:
                cursor += 1
            inside = [u for u in utterances[cursor:] if u.start < paragraph.end and u.end > paragraph.start]
            base = _unique_id(_digest(text[paragraph.start : paragraph.end]), seen)
            cues = _paragraph_cues(manuscript, paragraph.start, paragraph.end, inside, base)
            if cues:
                cues[-1].pause = "paragraph"
                chapter.cues.extend(cues)
        if chapter.cues:
            chapters.append(chapter)
    characters = list(attribution.characters)
    script = Script(title=manuscript.title, source=str(manuscript.path), chapters=chapters, characters=characters)
    if previous is not None:
        carry_corrections(script, previous)
    return script


def _unique_id(base: str, seen: Counter[str]) -> str:
    seen[base] += 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _source(manuscript: Manuscript, start: int, end: int) -> tuple[int, int]:
    return manuscript.to_source(start), manuscript.to_source(end)


def _paragraph_cues(manuscript: Manuscript, start: int, end: int, inside: list[Utterance], base: str) -> list[Cue]:
    text = manuscript.text
    pieces: list[tuple[int, int, Utterance | None]] = []
    position = start
    for utterance in inside:
        u_start, u_end = max(utterance.start, start), min(utterance.end, end)
        if u_start > position:
            pieces.append((position, u_start, None))
        pieces.append((u_start, u_end, utterance))
        position = max(position, u_end)
    if position < end:
        pieces.append((position, end, None))
    cues: list[Cue] = []
    for piece_start, piece_end, utterance in pieces:
        if utterance is None:
            for sentence_start, sentence_end in _narration_spans(text, piece_start, piece_end):
                words = " ".join(text[sentence_start:sentence_end].split())
                cues.append(Cue(f"{base}.{len(cues)}", "narration", words, NARRATOR, 1.0, "narration",
                                *_source(manuscript, sentence_start, sentence_end)))  # fmt: skip
        else:
            words = " ".join(text[piece_start:piece_end].split())
            if not any(c.isalnum() for c in words):
                continue
            cues.append(Cue(f"{base}.{len(cues)}", utterance.kind, words, utterance.speaker,
                            round(utterance.confidence, 2), utterance.rule,
                            *_source(manuscript, piece_start, piece_end)))  # fmt: skip
    return cues


def _narration_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Narration between quotes, trimmed of quote marks and spaces, split when too long."""
    while start < end and (text[start].isspace() or text[start] in _QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTE_MARKS):
        end -= 1
    if not any(c.isalnum() for c in text[start:end]):
        return []
    if end - start <= MAX_CUE_CHARS:
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.start() - piece_start >= MAX_CUE_CHARS // 2:
            spans.append((piece_start, match.start() + len(match.group(0).rstrip())))
            piece_start = match.end()
    spans.append((piece_start, end))
    return spans


def carry_corrections(script: Script, previous: Script) -> None:
    """Keep a person's speaker corrections from ``previous``.

    A cue whose id is unchanged (same paragraph text) and whose previous speaker differs from the new
    automatic one, or that was already marked "manual", keeps its previous speaker, marked "manual"
    with confidence 1.0. Corrected speakers missing from the character list are added to it.
    """
    old = {cue.id: cue for cue in previous.cues()}
    names = {character.name for character in script.characters}
    for cue in script.cues():
        before = old.get(cue.id)
        if before is None or before.kind != cue.kind or before.text != cue.text:
            continue
        if before.rule == "manual" or before.speaker != cue.speaker:
            cue.speaker, cue.rule, cue.confidence = before.speaker, "manual", 1.0
            if cue.speaker not in names and cue.speaker != NARRATOR:
                known = previous.character(cue.speaker)
                script.characters.append(known or Character(cue.speaker))
                names.add(cue.speaker)
