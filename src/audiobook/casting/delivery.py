"""Delivery of a line: whispered and shouted lines, and lines cut off by a dash.

- Intonation of questions and exclamations is the engine's; the pipeline keeps every "?" and "!" with
  its line (the script builder never splits a question from its mark; tests check it on the example).
- A line cut off by a dash ("I'm just—") ends abruptly: the silence after it is CUT_OFF_PAUSE_S
  instead of the script's sentence or paragraph pause, so the next voice comes in on top of it.
- A line tagged as whispered or shouted ("she whispered", "he shouted") is read with the profile's
  ``whisper_pace``/``whisper_gain`` or ``shout_pace``/``shout_gain`` (see casting/profile.py for
  the limits). The tag is found in the narration of the same paragraph, next to the line: right after
  it ("...," she whispered) or right before it (She whispered, "...").
"""

from __future__ import annotations

import re
from dataclasses import replace

from audiobook.casting.profile import VoiceProfile
from audiobook.script.model import Chapter, Cue

CUT_OFF_PAUSE_S = 0.12
"""Silence after a line cut off by a dash, in seconds."""
SHORT_PAUSES = ("sentence", "paragraph")
"""Pauses a cut-off line shortens (a scene break or a chapter's end keeps its length)."""

_WHISPER = re.compile(
    r"\b(?:whisper|murmur|mutter|hiss)(?:s|es|ed|ing)?\b|\b(?:breath|mumbl)(?:e|es|ed|ing)\b", re.IGNORECASE
)
_SHOUT = re.compile(
    r"\b(?:shout|yell|scream|roar|bellow|holler|shriek|bawl|thunder)(?:s|ed|ing)?\b"
    r"|\b(?:call(?:s|ed|ing)?|cr(?:y|ies|ied|ying)) out\b",
    re.IGNORECASE,
)
_CUT_OFF = re.compile(r"(?:—|–|--|-)\s*[\"'”’]?\s*$")
TAG_WORDS = 6
"""How many words of the neighbouring narration may hold the speech tag (within its nearest sentence)."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def is_cut_off(cue: Cue) -> bool:
    """True for a dialogue or thought line that ends in a dash."""
    return cue.kind in ("dialogue", "thought") and bool(_CUT_OFF.search(cue.text))


def pause_after_s(cue: Cue, pauses_s: dict[str, float]) -> float:
    """Seconds of silence after ``cue``: its script pause from ``pauses_s``, shortened when it is cut off."""
    pause = pauses_s[cue.pause]
    if cue.pause in SHORT_PAUSES and is_cut_off(cue):
        return min(pause, CUT_OFF_PAUSE_S)
    return pause


def _paragraph(cue_id: str) -> str:
    return cue_id.rpartition(".")[0] or cue_id


def _manner(text: str) -> str | None:
    if _WHISPER.search(text):
        return "whisper"
    if _SHOUT.search(text):
        return "shout"
    return None


def manner_of(cue: Cue, chapter: Chapter) -> str | None:
    """"whisper", "shout" or None: how the speech tag next to ``cue`` says the line is spoken."""
    if cue.kind not in ("dialogue", "thought"):
        return None
    index = next((i for i, c in enumerate(chapter.cues) if c is cue), None)
    if index is None:
        return None
    paragraph = _paragraph(cue.id)
    after = chapter.cues[index + 1] if index + 1 < len(chapter.cues) else None
    before = chapter.cues[index - 1] if index > 0 else None
    if after is not None and after.kind == "narration" and _paragraph(after.id) == paragraph:
        first_sentence = _SENTENCE_END.split(after.text, maxsplit=1)[0]
        manner = _manner(" ".join(first_sentence.split()[:TAG_WORDS]))
        if manner:
            return manner
    if before is not None and before.kind == "narration" and _paragraph(before.id) == paragraph:
        last_sentence = _SENTENCE_END.split(before.text.rstrip(" .!?"))[-1]
        return _manner(" ".join(last_sentence.split()[-TAG_WORDS:]))
    return None


def delivered(profile: VoiceProfile, manner: str | None) -> VoiceProfile:
    """``profile`` adjusted for a whispered or shouted line (unchanged for None)."""
    if manner == "whisper":
        return replace(profile, pace=profile.pace * profile.whisper_pace, gain=profile.gain + profile.whisper_gain)
    if manner == "shout":
        return replace(profile, pace=profile.pace * profile.shout_pace, gain=profile.gain + profile.shout_gain)
    return profile
