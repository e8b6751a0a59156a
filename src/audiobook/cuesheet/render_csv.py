"""The cue sheet as CSV: one row per cue, for a spreadsheet.

UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding), a header row, then one
row per cue in book order. A cell that would start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, so a spreadsheet shows it as text and never runs it as a formula.
"""

from __future__ import annotations

import csv
import io

from audiobook.cuesheet.model import CueSheet
from audiobook.cuesheet.timings import timecode

COLUMNS = (
    "cue", "id", "chapter", "chapter_title", "kind", "speaker", "line", "tag_before", "tag_after",
    "confirm", "confidence", "rule", "start", "end", "start_s", "end_s", "file", "voice",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(sheet: CueSheet) -> str:
    """The CSV text (starting with a UTF-8 byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    voices = {c.name: c.voice for c in sheet.characters}
    for chapter in sheet.chapters:
        for cue in chapter.cues:
            voice = voices.get(cue.speaker if cue.spoken else "Narrator", "")
            if not cue.spoken and chapter.pov:
                voice = voices.get(chapter.pov, voice)
            writer.writerow(
                _cell(v)
                for v in (
                    cue.number, cue.id, chapter.number, chapter.title, cue.kind, cue.speaker if cue.spoken else "",
                    cue.text, cue.before, cue.after, "yes" if cue.confirm else "", f"{cue.confidence:.2f}", cue.rule,
                    timecode(cue.start_s) if cue.start_s is not None else "",
                    timecode(cue.end_s) if cue.end_s is not None else "",
                    f"{cue.start_s:.3f}" if cue.start_s is not None else "",
                    f"{cue.end_s:.3f}" if cue.end_s is not None else "", cue.file or "", voice,
                )
            )  # fmt: skip
    return "\ufeff" + out.getvalue()
