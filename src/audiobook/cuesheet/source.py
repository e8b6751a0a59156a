"""Where a cue sheet's material comes from: a manuscript or a production script, and its folder.

- A production script (``NAME.script.txt``) is read as it is; its folder holds ``cast.toml``,
  ``lexicon.toml`` and, after a build, ``timings.json``.
- A manuscript is parsed into its production folder first (as ``audiobook parse`` does, keeping a
  person's corrections in an existing script) and cast (keeping every existing role).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audiobook.casting.cast import CAST_FILE, Cast, read_cast
from audiobook.casting.lexicon import Lexicon
from audiobook.casting.lexicon import default_path as lexicon_default_path
from audiobook.cuesheet.model import CONFIRM_BELOW, CueSheet, build_sheet
from audiobook.cuesheet.timings import TIMINGS_FILE, BookTimings, read_timings
from audiobook.errors import InputError
from audiobook.script.model import Script
from audiobook.script.scriptfile import SUFFIX, read_script


@dataclass
class SheetSource:
    """Everything a cue sheet is built from."""

    script_path: Path
    script: Script
    cast: Cast | None
    lexicon: Lexicon
    timings: BookTimings | None


def is_script_file(path: Path) -> bool:
    return Path(path).name.endswith(SUFFIX)


def load_source(path: Path, folder: Path | None = None) -> SheetSource:
    """Read (or, for a manuscript, first write) the production at ``path``.

    ``folder`` is the production folder of a manuscript (default ``output/NAME``, as the build uses);
    a script's folder is the one it is in. Raises InputError when the input is missing or unreadable.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if is_script_file(path):
        script_path = path
        script = read_script(path)
        cast = read_cast(path.parent / CAST_FILE)
    else:
        from audiobook import production  # the pipeline imports this package: import it late

        prod = production.Production(path, folder if folder is not None else Path("output") / path.stem)
        script = production.parse(prod)
        cast, _ = production.cast(prod, script)
        script_path = prod.script_path
    lexicon = Lexicon.load(lexicon_default_path(script_path))
    timings = read_timings(script_path.parent / TIMINGS_FILE)
    return SheetSource(script_path, script, cast, lexicon, timings)


def load_sheet(path: Path, folder: Path | None = None, confirm_below: float = CONFIRM_BELOW) -> CueSheet:
    """The cue sheet of a manuscript or production script (see :func:`load_source`)."""
    source = load_source(path, folder)
    return build_sheet(source.script, source.cast, source.lexicon, source.timings, confirm_below)
