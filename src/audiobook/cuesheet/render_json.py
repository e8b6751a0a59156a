"""The cue sheet as JSON: the whole sheet model, for other tools.

Top level: ``format`` (1), ``title``, ``source``, ``confirm_below``, ``narrator_voice``, ``timed``,
``characters`` (the bible: ``lines`` maps chapter number -> lines), ``pronunciations`` and
``chapters`` with their ``cues`` (``start_s``/``end_s`` in seconds into the chapter file, or null).
"""

from __future__ import annotations

import json
from dataclasses import asdict

from audiobook.cuesheet.model import CueSheet

FORMAT_VERSION = 1


def render_json(sheet: CueSheet) -> str:
    payload = {"format": FORMAT_VERSION, **asdict(sheet)}
    for character in payload["characters"]:
        character["lines"] = {str(k): v for k, v in character["lines"].items()}
        character["total"] = sum(character["lines"].values())
    # compact: with ``indent`` the json module falls back to its pure-Python encoder (5x slower)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
