"""The attribution contract of ``audiobook attribute FILE --json``: a manuscript in, speakers out.

``{"characters": [{"name", "aliases", "gender"}], "quotes": [{"start", "end", "speaker", "confidence",
"rule"}]}`` with offsets into the file's decoded text (quote marks excluded). A given character list is a
JSON list of ``{"name", "aliases"}`` or an object with such a ``characters`` list.
"""

from __future__ import annotations

import json
from pathlib import Path

from audiobook.errors import InputError
from audiobook.manuscript.reader import read_manuscript
from audiobook.script.attribution import attribute, attribution_json
from audiobook.script.model import Character


def characters_from_json(data: object, where: str = "<characters>") -> list[Character]:
    """Characters from parsed JSON; aliases starting with "_" (annotation markers) are dropped."""
    if isinstance(data, dict):
        data = data.get("characters")
    if not isinstance(data, list):
        raise InputError(f"{where}: expected a list of characters or an object with a \"characters\" list")
    out: list[Character] = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
            raise InputError(f"{where}: character {i + 1} has no name")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise InputError(f"{where}: character {entry['name']!r}: aliases must be a list")
        gender = str(entry.get("gender", "U")).upper()
        out.append(Character(
            name=str(entry["name"]).strip(),
            aliases=[str(a).strip() for a in aliases if str(a).strip() and not str(a).startswith("_")],
            gender=gender if gender in ("M", "F") else "U",
        ))
    return out


def read_characters(path: Path) -> list[Character]:
    """A character list file (JSON)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a JSON character list ({error.__class__.__name__})") from None
    return characters_from_json(data, str(path))


def attribute_manuscript(path: Path, characters_path: Path | None = None) -> dict:
    """Attribute every quote of the manuscript at ``path``; offsets are into its decoded text."""
    manuscript = read_manuscript(Path(path))
    characters = read_characters(characters_path) if characters_path else None
    result = attribute(manuscript.text, manuscript.chapters, characters, manuscript.emphasis)
    return attribution_json(result, manuscript.to_source)
