"""The cue sheet: what a narrator and a director work from, built from the production script.

:func:`build_sheet` turns a :class:`~audiobook.script.model.Script`, its cast, its pronunciation
lexicon and (after a build) its cue timings into a :class:`CueSheet`. The renderers
(:mod:`audiobook.cuesheet.render_html` and friends) only format what is here, so every format shows
the same numbers, and the sheet never disagrees with the script the renderer reads.

- Cues are numbered 1..N through the whole book, in script order (the CSV's row order).
- A character's *lines* are their dialogue and thought cues; a quote broken by a tag ("Go," she said,
  "now.") is two lines.
- A dialogue cue's *tag or action* is the narration cue right before and right after it in the same
  paragraph (cue ids share the paragraph's hash before the dot).
- A line is marked *to confirm* when its attribution confidence is below the threshold (0.5, as
  ``audiobook review``) and no person has corrected it yet.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from audiobook.casting.cast import Cast
from audiobook.casting.lexicon import Lexicon, suggest
from audiobook.cuesheet.colours import NARRATOR_COLOUR, assign_colours
from audiobook.cuesheet.timings import BookTimings
from audiobook.script.model import NARRATOR, Chapter, Script

CONFIRM_BELOW = 0.5
"""Attribution confidence under which a line is marked for the narrator to confirm (0..1)."""

SPOKEN_KINDS = ("dialogue", "thought")


@dataclass
class SheetCue:
    """One numbered cue of the sheet. ``start_s``/``end_s`` are seconds into its chapter file, or None
    before a build."""

    number: int
    id: str
    chapter: int
    kind: str
    speaker: str
    text: str
    confidence: float
    rule: str
    confirm: bool
    before: str = ""
    """The narration cue just before this line in the same paragraph (its tag or action), if any."""
    after: str = ""
    """The narration cue just after this line in the same paragraph, if any."""
    paragraph: str = ""
    """The paragraph key shared by the cues of one paragraph (the id before the dot)."""
    start_s: float | None = None
    end_s: float | None = None
    file: str | None = None
    """The audio file ``start_s`` and ``end_s`` refer to (a long chapter is split into several)."""

    @property
    def spoken(self) -> bool:
        """A character's line (dialogue or thought), as opposed to narration or a heading."""
        return self.kind in SPOKEN_KINDS


@dataclass
class SheetChapter:
    number: int
    title: str
    cues: list[SheetCue] = field(default_factory=list)
    pov: str | None = None
    files: list[str] = field(default_factory=list)
    """The chapter's audio file names once built: one, or the parts of a chapter too long for one file."""
    duration_s: float | None = None
    """The running time of the chapter's files, in seconds."""


@dataclass
class CharacterEntry:
    """A character in the bible. ``lines`` maps chapter number -> number of lines in that chapter."""

    name: str
    aliases: list[str]
    gender: str
    colour: str
    lines: dict[int, int]
    first_chapter: int | None = None
    first_cue: int | None = None
    """The number of the character's first line (None for one who never speaks)."""
    voice: str = ""
    """The cast's voice profile name."""
    notes: str = ""
    """The cast file's free-text notes for the narrator."""
    narrator: bool = False
    """Narrates at least one chapter in the first person."""
    minor: bool = False
    pov_chapters: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.lines.values())


@dataclass
class PronunciationEntry:
    """A word the narrator should say a set way. ``in_lexicon`` is False for a name the book uses
    that the lexicon lacks (to confirm with the author). ``uses`` counts occurrences in the book."""

    word: str
    uses: int
    first_cue: int | None
    in_lexicon: bool
    respelling: str = ""
    ipa: str = ""
    espeak: str = ""
    note: str = ""


@dataclass
class CueSheet:
    title: str
    source: str
    chapters: list[SheetChapter]
    characters: list[CharacterEntry]
    """The narrator first, then the characters, most lines first."""
    pronunciations: list[PronunciationEntry]
    confirm_below: float = CONFIRM_BELOW
    narrator_voice: str = ""
    timed: bool = False
    """True when the cue timings of a build are in the sheet."""

    @property
    def source_name(self) -> str:
        """The manuscript's file name, without the folders of the machine that parsed it."""
        return re.split(r"[\\/]", self.source)[-1]

    def cues(self) -> list[SheetCue]:
        return [cue for chapter in self.chapters for cue in chapter.cues]

    def character(self, name: str) -> CharacterEntry | None:
        return next((c for c in self.characters if c.name == name), None)

    def colour(self, speaker: str) -> str:
        entry = self.character(speaker)
        return entry.colour if entry else NARRATOR_COLOUR

    def lines_of(self, name: str) -> list[SheetCue]:
        """Every line of one character, in book order."""
        return [cue for cue in self.cues() if cue.spoken and cue.speaker == name]

    def to_confirm(self) -> list[SheetCue]:
        return [cue for cue in self.cues() if cue.confirm]


def paragraph_key(cue_id: str) -> str:
    """The paragraph a cue belongs to: its id before the dot (a heading is its own paragraph)."""
    return cue_id.split(".", 1)[0]


def build_sheet(
    script: Script,
    cast: Cast | None = None,
    lexicon: Lexicon | None = None,
    timings: BookTimings | None = None,
    confirm_below: float = CONFIRM_BELOW,
    known_words: set[str] | None = None,
) -> CueSheet:
    """The cue sheet of ``script``.

    ``cast`` gives voices and notes, ``lexicon`` the pronunciation guide (its missing names are found
    with :func:`audiobook.casting.lexicon.suggest`; ``known_words`` replaces its dictionary, for
    tests), ``timings`` the cue start and end in seconds after a build: a chapter whose timed cues
    are not exactly the script's (the script changed since the build) gets no timings.
    """
    lexicon = lexicon if lexicon is not None else Lexicon()
    chapters: list[SheetChapter] = []
    number = 0
    for chapter in script.chapters:
        sheet_chapter = SheetChapter(chapter.number, chapter.title, pov=chapter.pov)
        for index, cue in enumerate(chapter.cues):
            number += 1
            before, after = _tag_and_action(chapter, index)
            sheet_chapter.cues.append(
                SheetCue(
                    number=number, id=cue.id, chapter=chapter.number, kind=cue.kind, speaker=cue.speaker,
                    text=cue.text, confidence=cue.confidence, rule=cue.rule,
                    confirm=cue.kind in SPOKEN_KINDS and cue.rule != "manual" and cue.confidence < confirm_below,
                    before=before, after=after, paragraph=paragraph_key(cue.id),
                )
            )  # fmt: skip
        chapters.append(sheet_chapter)
    timed = _apply_timings(chapters, timings) if timings else False
    characters = _characters(script, chapters, cast)
    sheet = CueSheet(
        title=script.title,
        source=script.source,
        chapters=chapters,
        characters=characters,
        pronunciations=_pronunciations(chapters, lexicon, known_words),
        confirm_below=confirm_below,
        narrator_voice=cast.narrator if cast else "",
        timed=timed,
    )
    return sheet


def _tag_and_action(chapter: Chapter, index: int) -> tuple[str, str]:
    cue = chapter.cues[index]
    if cue.kind not in SPOKEN_KINDS:
        return "", ""
    key = paragraph_key(cue.id)

    def neighbour(j: int) -> str:
        if 0 <= j < len(chapter.cues):
            other = chapter.cues[j]
            if other.kind == "narration" and paragraph_key(other.id) == key:
                return other.text
        return ""

    return neighbour(index - 1), neighbour(index + 1)


def _apply_timings(chapters: list[SheetChapter], timings: BookTimings) -> bool:
    timed = False
    for chapter in chapters:
        parts = timings.parts(chapter.number)
        wanted = [c.id for c in chapter.cues]
        found = {cue.id: (cue, part.file) for part in parts for cue in part.cues}
        if [i for part in parts for i in (c.id for c in part.cues) if i in set(wanted)] != wanted:
            continue  # not built, or built from an older script: no times rather than wrong ones
        chapter.files = [part.file for part in parts]
        chapter.duration_s = sum(part.duration_s for part in parts)
        for cue in chapter.cues:
            timing, cue.file = found[cue.id]
            cue.start_s, cue.end_s = timing.start_s, timing.end_s
        timed = True
    return timed


def _characters(script: Script, chapters: list[SheetChapter], cast: Cast | None) -> list[CharacterEntry]:
    known = {c.name: c for c in script.characters}
    speakers = [c.name for c in script.characters]
    for cue in (cue for chapter in chapters for cue in chapter.cues):
        if cue.spoken and cue.speaker not in known and cue.speaker not in speakers and cue.speaker != NARRATOR:
            speakers.append(cue.speaker)  # a speaker a person typed into the script without a [characters] row
    lines: dict[str, Counter[int]] = {name: Counter() for name in [NARRATOR, *speakers]}
    first: dict[str, SheetCue] = {}
    for chapter in chapters:
        for cue in chapter.cues:
            who = cue.speaker if cue.spoken else NARRATOR
            lines.setdefault(who, Counter())[chapter.number] += 1
            first.setdefault(who, cue)
    pov: dict[str, list[int]] = {}
    for chapter in chapters:
        if chapter.pov:
            pov.setdefault(chapter.pov, []).append(chapter.number)
    ordered = sorted(speakers, key=lambda name: (-sum(lines[name].values()), name))
    colours = assign_colours(ordered)
    entries = []
    narrator_entry = CharacterEntry(
        name=NARRATOR, aliases=[], gender="U", colour=NARRATOR_COLOUR,
        lines={n: lines[NARRATOR].get(n, 0) for n in (c.number for c in chapters)},
        first_chapter=first[NARRATOR].chapter if NARRATOR in first else None,
        first_cue=first[NARRATOR].number if NARRATOR in first else None,
        voice=cast.narrator if cast else "",
    )  # fmt: skip
    if cast and NARRATOR in cast.roles:
        narrator_entry.notes = cast.roles[NARRATOR].notes
    entries.append(narrator_entry)
    for name in ordered:
        character = known.get(name)
        role = cast.roles.get(name) if cast else None
        entries.append(
            CharacterEntry(
                name=name,
                aliases=list(character.aliases) if character else [],
                gender=character.gender if character else "U",
                colour=colours[name],
                lines={n: lines[name].get(n, 0) for n in (c.number for c in chapters)},
                first_chapter=first[name].chapter if name in first else None,
                first_cue=first[name].number if name in first else None,
                voice=(role.profile if role else cast.narrator) if cast else "",
                notes=role.notes if role else "",
                narrator=bool(character and character.narrator),
                minor=bool(character and character.minor),
                pov_chapters=pov.get(name, []),
            )
        )
    return entries


def _paragraph_texts(chapters: list[SheetChapter]) -> list[tuple[int, str]]:
    """(first cue number, text) per paragraph: cues joined, so a name after a quote reads as mid-sentence."""
    found: list[tuple[int, str]] = []
    for chapter in chapters:
        key = None
        for cue in chapter.cues:
            if cue.paragraph == key and found:
                found[-1] = (found[-1][0], f"{found[-1][1]} {cue.text}")
            else:
                found.append((cue.number, cue.text))
            key = cue.paragraph
    return found


_CONTRACTION_OF_I = re.compile(r"^I['\u2019][a-z]+$")
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)*")


def _lexicon_uses(paragraphs: list[tuple[int, str]], lexicon: Lexicon) -> dict[str, tuple[int, int | None]]:
    """Per entry word: (uses, first cue number). Each entry is counted on its own, so "Aodh" inside
    "Saint Aodh" counts for both entries. A paragraph is searched only if it holds the entry's first
    word in any case, which keeps a long book with a long lexicon fast."""
    lowered = [(number, text, text.lower()) for number, text in paragraphs]
    found: dict[str, tuple[int, int | None]] = {}
    for entry in lexicon:
        needle = entry.word.split()[0].lower() if entry.word.split() else entry.word.lower()
        pattern = re.compile(entry.pattern())
        uses, first = 0, None
        for number, text, lower in lowered:
            if needle in lower:
                count = len(pattern.findall(text))
                if count and first is None:
                    first = number
                uses += count
        found[entry.word] = (uses, first)
    return found


def _first_uses(paragraphs: list[tuple[int, str]]) -> dict[str, int]:
    """The first cue number where each word (lower case) appears."""
    first: dict[str, int] = {}
    for number, text in paragraphs:
        for token in _TOKEN.findall(text):
            first.setdefault(re.sub(r"['\u2019]s$", "", token).lower(), number)
    return first


def _pronunciations(chapters: list[SheetChapter], lexicon: Lexicon, known_words: set[str] | None) -> list[PronunciationEntry]:
    paragraphs = _paragraph_texts(chapters)
    uses = _lexicon_uses(paragraphs, lexicon)
    entries = [
        PronunciationEntry(
            word=entry.word, uses=uses[entry.word][0], first_cue=uses[entry.word][1], in_lexicon=True,
            respelling=entry.respelling or "", ipa=entry.piper or "", espeak=entry.espeak or "", note=entry.note or "",
        )
        for entry in lexicon
    ]  # fmt: skip
    entries.sort(key=lambda e: (e.uses == 0, e.word.lower()))
    first = _first_uses(paragraphs)
    missing = [
        PronunciationEntry(word=word, uses=count, first_cue=first.get(word.lower()), in_lexicon=False)
        for word, count in suggest((text for _, text in paragraphs), lexicon, known_words)
        if not _CONTRACTION_OF_I.match(word)  # "I'll", "I'm": the pronoun, not a name
    ]
    return entries + missing
