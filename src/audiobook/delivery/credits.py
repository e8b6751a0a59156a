"""Opening and closing credits: short sections of their own, spoken by the narrator's voice.

ACX Audio Submission Requirements: the opening credits name the title (and subtitle), the author(s)
and the narrator(s); the closing credits must at least say "The End". ACX's recommended closing
restates title, authors and narrators ("You have been listening to ...") and concludes with "The End".
The credits are ordinary chapters (cues with ids, pauses and the narrator's voice), so they are
rendered into the same take store and mastered by the same chain as the book's chapters.
"""

from __future__ import annotations

from audiobook.script.model import NARRATOR, Chapter, Cue, Script

OPENING_TITLE = "Opening Credits"
CLOSING_TITLE = "Closing Credits"


def spoken_names(names: list[str]) -> str:
    """Names as read aloud: "A", "A and B", "A, B and C"."""
    names = [name for name in names if name.strip()]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _cue(cue_id: str, kind: str, text: str, pause: str) -> Cue:
    return Cue(cue_id, kind, text, NARRATOR, 1.0, "credits", 0, 0, pause)


def opening_credits(script: Script) -> Chapter:
    """The opening credits: title (and subtitle), "Written by ...", "Narrated by ...".

    Numbered 0, before the first chapter.
    """
    metadata = script.metadata
    title = script.title.strip().rstrip(".")
    cues = [_cue("credits-open.0", "heading", f"{title}.", "paragraph")]
    if metadata.subtitle.strip():
        cues.append(_cue("credits-open.1", "narration", f"{metadata.subtitle.strip().rstrip('.')}.", "paragraph"))
    if metadata.authors:
        cues.append(_cue("credits-open.2", "narration", f"Written by {spoken_names(metadata.authors)}.", "sentence"))
    if metadata.narrators:
        cues.append(_cue("credits-open.3", "narration", f"Narrated by {spoken_names(metadata.narrators)}.", "paragraph"))
    cues[-1].pause = "paragraph"
    return Chapter(0, OPENING_TITLE, cues)


def closing_credits(script: Script, number: int) -> Chapter:
    """The closing credits: "You have been listening to TITLE, written by ..., narrated by ...", then
    "The End." Numbered ``number`` (one after the last chapter)."""
    metadata = script.metadata
    line = f"You have been listening to {script.title.strip().rstrip('.')}"
    if metadata.authors:
        line += f", written by {spoken_names(metadata.authors)}"
    if metadata.narrators:
        line += f", narrated by {spoken_names(metadata.narrators)}"
    cues = [_cue("credits-close.0", "narration", line + ".", "paragraph")]
    if metadata.year and (metadata.publisher or metadata.authors):
        holder = metadata.publisher or spoken_names(metadata.authors)
        cues.append(_cue("credits-close.1", "narration", f"Copyright {metadata.year} by {holder}.", "paragraph"))
    cues.append(_cue("credits-close.2", "heading", "The End.", "paragraph"))
    return Chapter(number, CLOSING_TITLE, cues)
