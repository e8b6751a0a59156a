"""The cast file: which voice profile reads the narration and each character.

``cast.toml`` is written by auto-casting next to the production script and is meant to be edited::

    narrator = "espeak-narrator-us-m"

    [characters."Mara Quinn"]
    profile = "espeak-us-f-warm"
    notes = "Dry humour; slows down when she lies."

A person's change is kept: auto-casting only adds characters that are missing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.atomic import write_text_atomic
from audiobook.casting.toml_text import toml_string
from audiobook.errors import InputError

CAST_FILE = "cast.toml"


@dataclass
class Role:
    profile: str
    notes: str = ""


@dataclass
class Cast:
    narrator: str
    roles: dict[str, Role] = field(default_factory=dict)

    def profile_for(self, speaker: str) -> str:
        """The profile name that reads ``speaker`` (the narrator's for unknown speakers)."""
        role = self.roles.get(speaker)
        return role.profile if role else self.narrator


def read_cast(path: Path) -> Cast | None:
    """The cast in ``path``, or None when the file does not exist."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path}: cannot read cast file ({error})") from None
    narrator = data.get("narrator")
    if not isinstance(narrator, str) or not narrator:
        raise InputError(f"{path}: the cast needs a 'narrator' profile name")
    roles: dict[str, Role] = {}
    for name, entry in (data.get("characters") or {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("profile"), str):
            raise InputError(f"{path}: character {name!r} needs a 'profile' name")
        roles[name] = Role(entry["profile"], str(entry.get("notes", "")))
    return Cast(narrator, roles)


def format_cast(cast: Cast) -> str:
    lines = [
        "# audiobook cast: the voice profile for the narrator and each character.",
        "# Change a profile (see `audiobook voices`) and build again; only that character's lines re-render.",
        f"narrator = {toml_string(cast.narrator)}",
    ]
    for name, role in cast.roles.items():
        lines += ["", f"[characters.{toml_string(name)}]", f"profile = {toml_string(role.profile)}"]
        lines.append(f"notes = {toml_string(role.notes)}")
    return "\n".join(lines) + "\n"


def write_cast(cast: Cast, path: Path) -> None:
    write_text_atomic(Path(path), format_cast(cast))
