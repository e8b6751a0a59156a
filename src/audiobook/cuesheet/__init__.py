"""The narrator cue sheet and the cue timings of a build.

- :mod:`~audiobook.cuesheet.model`: the sheet built from a script, cast, lexicon and timings;
- :mod:`~audiobook.cuesheet.timings`: cue timings after a build, as JSON, WebVTT and a CUE sheet;
- :mod:`~audiobook.cuesheet.source`: reading a manuscript or production script and its folder;
- ``render_html``, ``render_markdown``, ``render_csv``, ``render_json``: one renderer per format;
- :func:`write_cuesheet`: render and write one file atomically.

The pipeline imports :mod:`audiobook.cuesheet.timings`, so this package imports nothing at load time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audiobook.cuesheet.model import CueSheet

FORMATS = ("html", "md", "csv", "json")
_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json"}


def format_for(path: Path, given: str | None = None) -> str:
    """The format to write: ``given``, else the one the file name's suffix says, else HTML."""
    if given:
        return given
    return _SUFFIXES.get(Path(path).suffix.lower(), "html")


def render(sheet: CueSheet, fmt: str = "html", paper: str | None = None) -> str:
    """The cue sheet as text in ``fmt`` (html, md, csv or json)."""
    if fmt == "html":
        from audiobook.cuesheet.render_html import render_html

        return render_html(sheet, paper)
    if fmt == "md":
        from audiobook.cuesheet.render_markdown import render_markdown

        return render_markdown(sheet)
    if fmt == "csv":
        from audiobook.cuesheet.render_csv import render_csv

        return render_csv(sheet)
    if fmt == "json":
        from audiobook.cuesheet.render_json import render_json

        return render_json(sheet)
    raise ValueError(f"unknown cue sheet format {fmt!r} (one of {', '.join(FORMATS)})")


def write_cuesheet(
    source: Path,
    out: Path,
    fmt: str | None = None,
    folder: Path | None = None,
    paper: str | None = None,
    confirm_below: float | None = None,
) -> CueSheet:
    """Make the cue sheet of a manuscript or production script and write it to ``out`` atomically.

    Returns the :class:`~audiobook.cuesheet.model.CueSheet` written.
    """
    from audiobook.atomic import write_bytes_atomic
    from audiobook.cuesheet.model import CONFIRM_BELOW
    from audiobook.cuesheet.source import load_sheet

    sheet = load_sheet(Path(source), folder, CONFIRM_BELOW if confirm_below is None else confirm_below)
    text = render(sheet, format_for(out, fmt), paper)
    write_bytes_atomic(Path(out), text.encode("utf-8"))
    return sheet
