"""The review loop: the dialogue cues a person should check, with a little context around each.

A person corrects a few dozen low-confidence lines rather than a thousand: :func:`review_lines` lists
the dialogue and thought cues whose attribution confidence is below a threshold, each with the text of
the cue before and after it, in script order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from audiobook.script.model import Script


@dataclass(frozen=True)
class ReviewLine:
    """One cue to check: who the sieve chose, how sure it was (0..1), why, and the cues around it."""

    cue_id: str
    chapter: int
    speaker: str
    confidence: float
    rule: str
    text: str
    before: str
    after: str


def review_lines(script: Script, threshold: float = 0.5, context_chars: int = 160) -> Iterator[ReviewLine]:
    """Dialogue and thought cues with ``confidence < threshold``, in script order.

    ``before``/``after`` hold the text of the neighbouring cues (any kind, same chapter), cut to
    ``context_chars`` characters. Cues a person already corrected (rule "manual") are never listed.
    """
    for chapter in script.chapters:
        cues = chapter.cues
        for i, cue in enumerate(cues):
            if cue.kind not in ("dialogue", "thought") or cue.rule == "manual" or cue.confidence >= threshold:
                continue
            before = cues[i - 1].text if i > 0 else ""
            after = cues[i + 1].text if i + 1 < len(cues) else ""
            yield ReviewLine(
                cue_id=cue.id,
                chapter=chapter.number,
                speaker=cue.speaker,
                confidence=cue.confidence,
                rule=cue.rule,
                text=cue.text,
                before=_tail(before, context_chars),
                after=_head(after, context_chars),
            )


def _tail(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else "\u2026" + text[-limit:]


def _head(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "\u2026"
