"""Auto-casting: give the narrator and every character a voice profile.

- The narrator gets the best installed narrator voice (neural engines before espeak; profiles whose
  name says "narrator" first).
- Characters are cast in order of how much they speak. Each gets a profile of their gender (any
  gender when unknown) that no character sharing a scene with them already has, preferring profiles
  used least so far; the narrator's profile is kept for the narrator.
- Casting is stable: existing roles are never changed, so a cast file carried over from the previous
  book of a series keeps every old voice and only adds the new characters.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from audiobook.casting.cast import Cast, Role
from audiobook.casting.profile import VoiceProfile
from audiobook.errors import InputError
from audiobook.script.model import NARRATOR, Script

ENGINE_RANK = {"piper": 0, "hibari": 1, "espeak": 2}
"""Preference between engines for the narrator: neural voices first."""


def scenes(script: Script) -> list[set[str]]:
    """Speakers of dialogue in each scene (a scene ends at a scene break or a chapter's end)."""
    found: list[set[str]] = []
    for chapter in script.chapters:
        current: set[str] = set()
        for cue in chapter.cues:
            if cue.kind in ("dialogue", "thought") and cue.speaker != NARRATOR:
                current.add(cue.speaker)
            if cue.pause == "scene":
                found.append(current)
                current = set()
        found.append(current)
    return [scene for scene in found if scene]


def line_counts(script: Script) -> Counter[str]:
    return Counter(cue.speaker for cue in script.cues() if cue.kind in ("dialogue", "thought"))


def _narrator_rank(profile: VoiceProfile) -> tuple[int, int, str]:
    return (ENGINE_RANK.get(profile.engine, 3), 0 if "narrator" in profile.name else 1, profile.name)


def auto_cast(script: Script, profiles: dict[str, VoiceProfile], existing: Cast | None = None) -> Cast:
    """Cast every speaker of ``script``, keeping every role ``existing`` already has."""
    if not profiles:
        raise InputError("no voice profiles found: the voices/ folder is missing or empty")
    if existing is not None:
        narrator = existing.narrator
        roles = dict(existing.roles)
    else:
        narrator = min(profiles.values(), key=_narrator_rank).name
        roles = {}
    counts = line_counts(script)
    genders = {character.name: character.gender for character in script.characters}
    partners: dict[str, set[str]] = defaultdict(set)
    for scene in scenes(script):
        for speaker in scene:
            partners[speaker] |= scene - {speaker}
    # POV narrators read their chapters' narration: cast them like the most important characters.
    for chapter in script.chapters:
        if chapter.pov:
            counts[chapter.pov] += len(chapter.cues)
    usage = Counter(role.profile for role in roles.values())
    for speaker, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if speaker in roles or speaker == NARRATOR:
            continue
        gender = genders.get(speaker, "U")
        taken = {roles[other].profile for other in partners[speaker] if other in roles} | {narrator}
        candidates = [p for p in profiles.values() if p.name not in taken]
        matching = [p for p in candidates if gender == "U" or p.gender == gender] or [
            p for p in candidates if p.gender == "U"
        ] or candidates or list(profiles.values())
        choice = min(matching, key=lambda p: (usage[p.name], ENGINE_RANK.get(p.engine, 3), "narrator" in p.name, p.name))
        roles[speaker] = Role(choice.name)
        usage[choice.name] += 1
    return Cast(narrator, roles)
