"""Cleanup of the artefacts manuscripts carry, keeping source offsets.

- mis-decoded punctuation (UTF-8 read as Windows-1252: "â€œ" for a curly quote) is repaired;
- exotic quote marks (« » „ ‟ ″) become curly double quotes; curly quotes themselves stay, because
  their direction helps quote detection;
- a drop cap split from its word at the start of a chapter ("O ne call") is joined ("One call"): the
  paragraph must open the file or follow a short line (a heading);
- a stray question mark before a dash ("like that?—", a word joiner lost in conversion) is removed;
- non-breaking and zero-width spaces become plain spaces or nothing; Windows line ends become "\n".
"""

from __future__ import annotations

import re

from audiobook.manuscript.textmap import MappedText

_MOJIBAKE = {
    "â€œ": "\u201c", "â€\x9d": "\u201d", "â€™": "\u2019", "â€˜": "\u2018",
    "â€”": "\u2014", "â€“": "\u2013", "â€¦": "\u2026",
}  # fmt: skip
_QUOTE_VARIANTS = {"«": "\u201c", "»": "\u201d", "„": "\u201c", "‟": "\u201c", "″": '"'}

# A capital letter alone at a paragraph start, then a space and the rest of its word in lower case.
# "A" and "I" are words on their own, so they are never joined.
_DROP_CAP = re.compile(r"(?m)^([ \t]*[B-HJ-Z]) ([a-z]{1,20})\b")
_STRAY_QUESTION = re.compile(r"(?<=[A-Za-z])\?(?=[\u2014\u2013])")


def clean(text: MappedText) -> MappedText:
    """Apply every cleanup step; the result's index still points into the original source."""
    text = text.replace(re.compile(r"\r\n?"), "\n")
    text = text.replace(re.compile("|".join(map(re.escape, _MOJIBAKE))), lambda m: _MOJIBAKE[m.group(0)])
    text = text.replace(re.compile("[«»„‟″]"), lambda m: _QUOTE_VARIANTS[m.group(0)])
    text = text.replace(re.compile("[\u00a0\u2007\u202f]"), " ")
    text = text.replace(re.compile("[\u200b\u200c\u200d\u2060\ufeff]"), "")
    source = text.text
    text = text.replace(_DROP_CAP, lambda m: _join_drop_cap(source, m))
    text = text.replace(_STRAY_QUESTION, "")
    return text


def _join_drop_cap(source: str, match: re.Match[str]) -> str:
    before = source[: match.start()].rstrip("\n \t")
    previous_line = before[before.rfind("\n") + 1 :]
    if before and len(previous_line.split()) > 8:
        return match.group(0)
    return match.group(1) + match.group(2)
