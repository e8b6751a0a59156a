"""The cast sheet: who reads what, as ``audiobook cast`` shows it, and a person's changes to it.

``cast_sheet`` lists the narrator and every character with their lines, gender, profile and engine;
``recast`` applies ``CHARACTER=PROFILE`` changes (``Narrator=PROFILE`` changes the narrator) and
says which changes make two characters of one scene share a profile, which is allowed (a person
decides) but worth a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audiobook.casting.autocast import importance, line_counts, scene_partners
from audiobook.casting.cast import Cast, Role
from audiobook.casting.profile import VoiceProfile
from audiobook.errors import InputError
from audiobook.script.model import NARRATOR, Script


@dataclass(frozen=True)
class CastRow:
    character: str
    lines: int
    """Dialogue and thought cues; a POV character's narration is counted in ``narrates``."""
    gender: str
    profile: str
    engine: str
    narrates: int = 0
    """Narration cues of the chapters this character tells in the first person."""


def cast_sheet(script: Script, cast: Cast, profiles: dict[str, VoiceProfile]) -> list[CastRow]:
    """The narrator first, then characters by importance (lines plus POV narration)."""
    lines = line_counts(script)
    weight = importance(script)
    genders = {character.name: character.gender for character in script.characters}
    narrated: dict[str, int] = {}
    for chapter in script.chapters:
        if chapter.pov:
            narrated[chapter.pov] = narrated.get(chapter.pov, 0) + sum(
                1 for cue in chapter.cues if cue.kind in ("narration", "heading")
            )

    def engine(name: str) -> str:
        return profiles[name].engine if name in profiles else "?"

    narrator_lines = sum(1 for cue in script.cues() if cue.kind in ("narration", "heading")) - sum(narrated.values())
    rows = [CastRow(NARRATOR, narrator_lines, "-", cast.narrator, engine(cast.narrator))]
    speakers = {name for name in weight if name != NARRATOR} | set(cast.roles)
    for name in sorted(speakers, key=lambda n: (-weight.get(n, 0), n)):
        profile = cast.profile_for(name)
        rows.append(CastRow(name, lines.get(name, 0), genders.get(name, "U"), profile, engine(profile), narrated.get(name, 0)))
    return rows


def parse_assignment(text: str) -> tuple[str, str]:
    """``"Mara Quinn=hibari-heart-narrator"`` -> ("Mara Quinn", "hibari-heart-narrator")."""
    character, sep, profile = text.partition("=")
    if not sep or not character.strip() or not profile.strip():
        raise InputError(f"--set {text!r}: expected CHARACTER=PROFILE, e.g. --set 'Mara=hibari-heart-narrator'")
    return character.strip(), profile.strip()


def recast(
    script: Script, cast: Cast, profiles: dict[str, VoiceProfile], assignments: list[str], cast_path: Path | None = None
) -> tuple[Cast, list[str]]:
    """``cast`` with each ``CHARACTER=PROFILE`` applied, and warnings about shared scenes.

    A character must be in the script or already in the cast (matching ignores case); a profile must
    exist. ``Narrator`` names the narrator.
    """
    where = f"{cast_path}: " if cast_path else ""
    known = {character.name for character in script.characters} | set(importance(script)) | set(cast.roles)
    by_lower = {name.lower(): name for name in known}
    roles = dict(cast.roles)
    narrator = cast.narrator
    for text in assignments:
        character, profile = parse_assignment(text)
        if profile not in profiles:
            raise InputError(f"{where}no voice profile named {profile!r} (see `audiobook voices`)")
        if character.lower() == NARRATOR.lower():
            narrator = profile
            continue
        name = by_lower.get(character.lower())
        if name is None:
            raise InputError(f"{where}no character {character!r} in the script (see `audiobook cast`)")
        notes = roles[name].notes if name in roles else ""
        roles[name] = Role(profile, notes)
    result = Cast(narrator, roles)
    warnings = []
    partners = scene_partners(script)
    for name, others in sorted(partners.items()):
        for other in sorted(others):
            if name < other and result.profile_for(name) == result.profile_for(other):
                warnings.append(f"{name} and {other} speak in one scene and share {result.profile_for(name)}")
    for name in sorted(roles):
        if name in importance(script) and result.profile_for(name) == narrator:
            warnings.append(f"{name} shares the narrator's profile {narrator}")
    return result, warnings


@dataclass
class CastResult:
    """What ``audiobook cast`` shows: the cast file, the rows, and warnings about the changes."""

    cast_path: Path
    cast: Cast
    rows: list[CastRow]
    warnings: list[str]


def cast_production(source: Path, folder: Path | None = None, assignments: list[str] | None = None) -> CastResult:
    """Cast the production of ``source`` (a manuscript or a ``NAME.script.txt``), apply ``assignments``
    (``CHARACTER=PROFILE``), write ``cast.toml`` and return the sheet.

    A manuscript is parsed into ``folder`` (default ``output/NAME``) first, keeping a person's
    corrections; a script's folder is the one it is in. Auto-casting only adds missing roles.
    """
    from audiobook import production  # the pipeline imports this package: import it late
    from audiobook.casting.cast import write_cast
    from audiobook.script.scriptfile import SUFFIX, read_script

    source = Path(source)
    if not source.is_file():
        raise InputError(f"{source}: no such file")
    if source.name.endswith(SUFFIX):
        script = read_script(source)
        book = production.Production(Path(source.name[: -len(SUFFIX)] + ".txt"), source.parent)
    else:
        book = production.Production(source, folder if folder is not None else Path("output") / source.stem)
        script = production.parse(book)
    cast, profiles = production.cast(book, script)
    warnings: list[str] = []
    if assignments:
        cast, warnings = recast(script, cast, profiles, assignments, book.cast_path)
        write_cast(cast, book.cast_path)
    return CastResult(book.cast_path, cast, cast_sheet(script, cast, profiles), warnings)
