"""Writing TOML by hand (the standard library reads TOML but does not write it)."""

from __future__ import annotations

import json


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes (\\" \\\\ \\n \\uXXXX) are all valid TOML escapes."""
    return json.dumps(value, ensure_ascii=False)
