"""The text an engine is given for a cue: lexicon first, then normalisation for speech.

``prepare_for_engine`` is the one call the TTS stage makes per cue. The order matters:

1. ``Lexicon.apply`` replaces every lexicon word with what the engine should read (a phoneme block
   ``[[...]]`` for espeak-ng or Piper, otherwise the respelling). A lexicon entry therefore wins
   over normalisation: an entry for "1984" or "Louis XIV" is said as the entry says.
2. Each replacement is swapped for a private-use placeholder character (U+E000 onwards) that no
   normalisation rule touches, ``normalize_for_speech`` runs on the text, and the replacements are
   put back. So a respelling such as "shi-VAWN" is not spelled out as an initialism, and the
   mnemonics inside ``[[S@v'A:n]]`` are not read as numbers or symbols.

Any ``[[`` or ``]]`` already in the manuscript is broken up ("[ [") so that it cannot switch an
engine into phoneme input.
"""

from __future__ import annotations

from audiobook.casting.lexicon import Lexicon
from audiobook.casting.normalize import normalize_for_speech

_PLACEHOLDER_BASE = 0xE000
_PLACEHOLDER_LIMIT = 0xF8FF - _PLACEHOLDER_BASE + 1


def _defuse_brackets(text: str) -> str:
    while "[[" in text or "]]" in text:
        text = text.replace("[[", "[ [").replace("]]", "] ]")
    return text


def prepare_for_engine(text: str, lexicon: Lexicon, engine: str, heading: bool = False) -> str:
    """The words ``engine`` should speak for ``text``: the lexicon applied, then normalisation.

    ``heading`` is passed to :func:`normalize_for_speech` (roman numerals that open a heading are
    read as numbers). ``engine`` is the engine's name ("espeak", "piper", "hibari", ...).
    """
    pieces = lexicon.segments(text, engine)
    replacements: list[str] = []
    parts: list[str] = []
    for piece, replaced in pieces:
        if replaced and len(replacements) < _PLACEHOLDER_LIMIT:
            parts.append(chr(_PLACEHOLDER_BASE + len(replacements)))
            replacements.append(piece)
        else:
            parts.append(piece if replaced else _defuse_brackets(piece))
    spoken = normalize_for_speech("".join(parts), heading=heading)
    if replacements:
        spoken = "".join(
            replacements[ord(ch) - _PLACEHOLDER_BASE]
            if _PLACEHOLDER_BASE <= ord(ch) < _PLACEHOLDER_BASE + len(replacements)
            else ch
            for ch in spoken
        )
    return spoken
