"""Auto-casting: give the narrator and every character a voice profile.

Rules, in order:

- Only profiles whose engine and voice are installed take part (a Piper profile without the
  ``neural`` extra is skipped); roles a cast file already has are never changed, installed or not.
- The narrator gets the best installed narrator voice: neural engines before espeak, profiles whose
  name says "narrator" first.
- Characters are cast in order of importance: their lines, plus the cues of the chapters they narrate
  as a point-of-view character. Each gets a profile of their gender (any gender when unknown) that
  neither the narrator nor any character sharing a scene with them has, so two characters who speak in
  the same scene never share a profile.
- Among those, a character gets, in order of preference: a profile nobody in the book uses yet; a
  neural engine before espeak; a voice (engine + voice id) used least so far, so that the most
  important characters get different voices rather than a pace/pitch variant of a voice already
  cast; then the variant farthest (in pitch and pace) from the variants of that voice already cast;
  then the variant closest to the voice as trained.
- Casting is stable: existing roles are never changed, so a cast file carried over from the previous
  book of a series keeps every old voice and only adds the new characters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import import_module
from importlib.metadata import entry_points

from audiobook.casting.cast import Cast, Role
from audiobook.casting.profile import VoiceProfile
from audiobook.errors import InputError
from audiobook.script.model import NARRATOR, Script

ENGINE_RANK = {"piper": 0, "hibari": 1, "espeak": 2}
"""Preference between engines for the narrator: neural voices first."""
NEURAL_ENGINES = frozenset({"piper", "hibari"})
PITCH_STEP_SEMITONES = 3.0
"""How far apart in pitch two variants of one voice must be to count as one step apart."""
PACE_STEP = 0.15
"""How far apart in pace two variants of one voice must be to count as one step apart."""


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
    """Dialogue and thought cues per speaker."""
    return Counter(cue.speaker for cue in script.cues() if cue.kind in ("dialogue", "thought"))


def importance(script: Script) -> Counter[str]:
    """Lines per speaker plus the cues of every chapter a speaker narrates as its POV character."""
    counts = line_counts(script)
    for chapter in script.chapters:
        if chapter.pov:
            counts[chapter.pov] += len(chapter.cues)
    return counts


def scene_partners(script: Script) -> dict[str, set[str]]:
    """For each speaker, the speakers who talk in at least one scene with them."""
    partners: dict[str, set[str]] = defaultdict(set)
    for scene in scenes(script):
        for speaker in scene:
            partners[speaker] |= scene - {speaker}
    return partners


def _engine_classes() -> dict[str, object]:
    classes: dict[str, object] = {}
    for point in entry_points(group="audiobook.engines"):
        try:
            classes[point.name] = point.load()
        except Exception:  # an engine package that cannot even be imported is not installed
            continue
    return classes


def installed(profiles: Iterable[VoiceProfile]) -> list[VoiceProfile]:
    """The profiles whose engine is registered and installed and whose voice that engine has.

    An engine module may offer ``has_voice(voice) -> bool`` (as Piper's and hibari's do); engines
    without it count as installed when their entry point loads.
    """
    classes = _engine_classes()
    usable = []
    for profile in profiles:
        engine = classes.get(profile.engine)
        if engine is None:
            continue
        has_voice = getattr(import_module(engine.__module__), "has_voice", None)
        if has_voice is None or has_voice(profile.voice):
            usable.append(profile)
    return usable


def voice_identity(profile: VoiceProfile) -> tuple[str, str]:
    """The voice a profile is a variant of: its engine and the engine's voice (espeak: without variant)."""
    voice = profile.voice.partition("+")[0] if profile.engine == "espeak" else profile.voice
    return profile.engine, voice.lower()


def variant_distance(a: VoiceProfile, b: VoiceProfile) -> float:
    """How different two variants of one voice sound, in steps of pitch and pace."""
    return abs(a.pitch - b.pitch) / PITCH_STEP_SEMITONES + abs(a.pace - b.pace) / PACE_STEP


def plainness(profile: VoiceProfile) -> float:
    """How far a profile moves its voice from the voice as trained (0 for pitch 0 and pace 1)."""
    return abs(profile.pitch) / PITCH_STEP_SEMITONES + abs(profile.pace - 1.0) / PACE_STEP


def _narrator_rank(profile: VoiceProfile) -> tuple[int, int, float, str]:
    return (ENGINE_RANK.get(profile.engine, 3), 0 if "narrator" in profile.name else 1, plainness(profile), profile.name)


def auto_cast(script: Script, profiles: dict[str, VoiceProfile], existing: Cast | None = None) -> Cast:
    """Cast every speaker of ``script``, keeping every role ``existing`` already has."""
    if not profiles:
        raise InputError("no voice profiles found: the voices/ folder is missing or empty")
    usable = installed(profiles.values())
    if not usable:
        raise InputError("no voice profile has an installed engine (see `audiobook voices`)")
    if existing is not None:
        narrator = existing.narrator
        roles = dict(existing.roles)
    else:
        narrator = min(usable, key=_narrator_rank).name
        roles = {}
    partners = scene_partners(script)
    genders = {character.name: character.gender for character in script.characters}

    def cast_profiles() -> list[VoiceProfile]:
        names = [narrator, *(role.profile for role in roles.values())]
        return [profiles[name] for name in names if name in profiles]

    for speaker, _ in sorted(importance(script).items(), key=lambda item: (-item[1], item[0])):
        if speaker in roles or speaker == NARRATOR:
            continue
        gender = genders.get(speaker, "U")
        taken = {roles[other].profile for other in partners.get(speaker, ()) if other in roles} | {narrator}
        candidates = [p for p in usable if p.name not in taken]
        matching = (
            [p for p in candidates if gender == "U" or p.gender == gender]
            or [p for p in candidates if p.gender == "U"]
            or candidates
            or usable
        )
        in_use = cast_profiles()
        profile_use = Counter(p.name for p in in_use)
        voice_use = Counter(voice_identity(p) for p in in_use)

        def preference(p: VoiceProfile) -> tuple[int, int, int, float, float, str]:
            siblings = [q for q in in_use if voice_identity(q) == voice_identity(p)]
            nearest = min((variant_distance(p, q) for q in siblings), default=99.0)
            return (
                profile_use[p.name],
                0 if p.engine in NEURAL_ENGINES else 1,
                voice_use[voice_identity(p)],
                -nearest,
                plainness(p),
                p.name,
            )

        roles[speaker] = Role(min(matching, key=preference).name)
    return Cast(narrator, roles)
