"""Book metadata: where it comes from (the script header, a manuscript's front matter or byline) and
whether a retailer would accept it.

The :class:`~audiobook.script.model.Metadata` data class lives with the script model, since the
production script file holds it; this module reads the optional sources in a manuscript and checks
the values against each retailer's rules (see docs/delivery.md for the source of each rule).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from audiobook.manuscript.markdown import FRONT_MATTER
from audiobook.script.model import Metadata, Script

RETAILERS = ("acx", "apple", "google")

COVER_MIN_PX = {"acx": 2400, "apple": 2400, "google": 1024}
"""Smallest cover side in pixels: ACX cover art requirements (2400 x 2400, square), Apple Books
audiobook artwork (2400 x 2400), Google Play Books partner help (1,024 to 7,200 pixels)."""
COVER_MAX_PX = {"google": 7200}
COVER_MUST_BE_SQUARE = {"acx": True, "apple": True, "google": False}
"""Google only recommends a square cover; ACX and Apple require one."""

_BYLINE = re.compile(r"^\s*(?:written\s+)?by\s+(.+?)\s*$", re.I)
_FRONT_KEYS = {
    "title": "title",
    "subtitle": "subtitle",
    "author": "authors",
    "authors": "authors",
    "narrator": "narrators",
    "narrators": "narrators",
    "publisher": "publisher",
    "year": "year",
    "date": "year",
    "language": "language",
    "lang": "language",
    "isbn": "isbn",
    "series": "series",
    "series_number": "series_number",
    "series-number": "series_number",
    "description": "description",
    "cover": "cover",
    "cover-image": "cover",
    "cover_image": "cover",
}


@dataclass(frozen=True)
class MetadataProblem:
    """One broken rule: ``severity`` is "error" (the retailer rejects the book) or "warning"."""

    severity: str
    retailer: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.message} [{self.retailer}]"


def from_manuscript(path: Path) -> tuple[str, Metadata]:
    """(title, metadata) found in the manuscript's front matter or title-page byline; "" for no title.

    Front matter is a block of ``key: value`` lines between ``---`` lines at the very top of a Markdown
    or text manuscript (YAML style; lists as ``[a, b]`` or ``- a`` lines). A byline is a line
    ``by NAME`` (or ``written by NAME``) among the first lines of the manuscript.
    """
    metadata = Metadata()
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace") if Path(path).suffix.lower() in (".md", ".markdown", ".txt") else ""
    except OSError:
        return "", metadata
    title = ""
    match = FRONT_MATTER.match(text)
    if match:
        for key, value in _front_matter(match.group(1)).items():
            name = _FRONT_KEYS.get(key.lower())
            if name == "title":
                title = _one(value)
            elif name in ("authors", "narrators"):
                names = value if isinstance(value, list) else [part.strip() for part in re.split(r";|\s&\s|\band\b", value)]
                setattr(metadata, name, [n for n in names if n])
            elif name == "year":
                found = re.search(r"\b(\d{4})\b", _one(value))
                metadata.year = int(found.group(1)) if found else None
            elif name:
                setattr(metadata, name, _one(value))
        text = text[match.end() :]
    if not metadata.authors:
        for line in [line for line in text.splitlines() if line.strip()][:8]:
            byline = _BYLINE.match(line.strip("#*_ \t"))
            if byline:
                metadata.authors = [n.strip() for n in re.split(r"\s+and\s+|\s*&\s*|;", byline.group(1)) if n.strip()]
                break
    return title, metadata


def _one(value: str | list[str]) -> str:
    return "; ".join(value) if isinstance(value, list) else value


def _front_matter(block: str) -> dict[str, str | list[str]]:
    found: dict[str, str | list[str]] = {}
    key = None
    for line in block.splitlines():
        item = re.match(r"^\s+-\s+(.*)$", line)
        if item and key is not None:
            current = found.get(key)
            found[key] = [*(current if isinstance(current, list) else []), _unquote(item.group(1))]
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not pair:
            continue
        key, value = pair.group(1), pair.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            found[key] = [_unquote(part) for part in value[1:-1].split(",") if part.strip()]
        else:
            found[key] = _unquote(value)
    return found


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def isbn_valid(isbn: str) -> bool:
    """Whether ``isbn`` (hyphens and spaces allowed) is an ISBN-10 or ISBN-13 with a right check digit."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def cover_path(script: Script, script_path: Path) -> Path | None:
    """The cover image's path (relative paths are taken from the script file's folder), or None."""
    if not script.metadata.cover:
        return None
    path = Path(script.metadata.cover).expanduser()
    return path if path.is_absolute() else Path(script_path).parent / path


def cover_facts(path: Path) -> tuple[str, int, int]:
    """(format, width, height) of an image: format is "JPEG", "PNG" or what Pillow says; ValueError if unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return str(image.format), int(image.width), int(image.height)
    except (OSError, UnidentifiedImageError) as error:
        raise ValueError(str(error)) from None


def check_metadata(script: Script, script_path: Path, retailers: tuple[str, ...] | list[str]) -> list[MetadataProblem]:
    """The metadata rules ``script`` breaks for each retailer in ``retailers`` (errors first).

    Every message is one line naming the script file and the field.
    """
    metadata = script.metadata
    where = str(script_path)
    problems: list[MetadataProblem] = []

    def add(severity: str, retailer: str, message: str) -> None:
        problems.append(MetadataProblem(severity, retailer, f"{where}: {message}"))

    for retailer in retailers:
        if not script.title.strip():
            add("error", retailer, "title: the book needs a title")
        if not metadata.authors:
            add("error", retailer, "author: name the author(s); the opening credits and the tags need them")
        if not metadata.narrators:
            add("error" if retailer == "acx" else "warning", retailer, "narrator: name the narrator(s) (for a synthetic voice e.g. 'Virtual Voice')")
        if metadata.isbn and not isbn_valid(metadata.isbn):
            add("error", retailer, f"isbn: {metadata.isbn!r} is not an ISBN-10 or ISBN-13 with a valid check digit")
        this_year = datetime.date.today().year
        if metadata.year is not None and not 1450 <= metadata.year <= this_year + 2:
            add("error", retailer, f"year: {metadata.year} is not a plausible year of publication")
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", metadata.language or ""):
            add("error", retailer, f"language: {metadata.language!r} is not a language code such as en or en-GB")
        if metadata.series_number and not metadata.series:
            add("warning", retailer, "series-number is set but series is empty")
        problems.extend(_cover_problems(script, script_path, retailer, where))
    problems.sort(key=lambda problem: problem.severity != "error")
    return problems


def _cover_problems(script: Script, script_path: Path, retailer: str, where: str) -> list[MetadataProblem]:
    path = cover_path(script, script_path)
    if path is None:
        return [MetadataProblem("warning", retailer, f"{where}: cover: no cover image; the retailer asks for one, the files carry no art")]
    if not path.is_file():
        return [MetadataProblem("error", retailer, f"{where}: cover: {path} does not exist")]
    try:
        kind, width, height = cover_facts(path)
    except ValueError:
        return [MetadataProblem("error", retailer, f"{where}: cover: {path} is not an image")]
    problems = []
    if kind not in ("JPEG", "PNG"):
        problems.append(MetadataProblem("error", retailer, f"{where}: cover: {path} is {kind}; use a JPEG or PNG"))
    smallest = COVER_MIN_PX[retailer]
    if min(width, height) < smallest:
        problems.append(MetadataProblem("error", retailer, f"{where}: cover: {path} is {width}x{height}; {retailer} needs at least {smallest}x{smallest} pixels"))
    largest = COVER_MAX_PX.get(retailer)
    if largest and max(width, height) > largest:
        problems.append(MetadataProblem("error", retailer, f"{where}: cover: {path} is {width}x{height}; {retailer} takes at most {largest} pixels a side"))
    if width != height:
        severity = "error" if COVER_MUST_BE_SQUARE[retailer] else "warning"
        problems.append(MetadataProblem(severity, retailer, f"{where}: cover: {path} is {width}x{height}; {retailer} wants a square cover"))
    return problems
