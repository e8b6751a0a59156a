"""The production script: Book -> Chapter -> Cue, plus the characters who speak.

Data classes only; the file format lives in :mod:`audiobook.script.scriptfile`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NARRATOR = "Narrator"
"""Speaker of narration and headings. A first-person narrator who is also a character speaks their own
dialogue under their character name; narration stays with the narrator voice."""

CUE_KINDS = ("heading", "narration", "dialogue", "thought")
"""``thought``: an italic line of thought or remembered speech (Markdown/EPUB/DOCX emphasis)."""

PAUSES = ("sentence", "paragraph", "scene", "chapter")
"""The pause after a cue, shortest first: within a paragraph, end of paragraph, scene break, heading."""


@dataclass
class Character:
    """Someone who speaks. ``gender`` is "M", "F" or "U" (unknown)."""

    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str = "U"
    narrator: bool = False
    """The first-person narrator of at least one chapter."""
    minor: bool = False
    """An unnamed speaker (the voice on the phone, the driver)."""


@dataclass
class Cue:
    """One line of the script: read by one voice, rendered as one take.

    ``start``/``end`` are offsets into the manuscript's source text (end exclusive); ``rule`` names the
    attribution rule that chose ``speaker`` ("manual" for a person's correction).
    """

    id: str
    kind: str
    text: str
    speaker: str = NARRATOR
    confidence: float = 1.0
    rule: str = ""
    start: int = 0
    end: int = 0
    pause: str = "sentence"


@dataclass
class Chapter:
    number: int
    title: str
    cues: list[Cue] = field(default_factory=list)
    pov: str | None = None
    """The first-person narrator of this chapter, when known."""


VIRTUAL_VOICE = "Virtual Voice"
"""The narrator name a retailer shows for a synthetic voice, unless the script names another."""


@dataclass
class Metadata:
    """What a retailer shows of the book, besides its title (``Script.title``); a person edits it.

    ``cover`` is an image path, relative to the script file's folder unless absolute; ``year`` is the
    year of publication. Validation against each retailer's rules is in :mod:`audiobook.delivery.metadata`.
    """

    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    narrators: list[str] = field(default_factory=lambda: [VIRTUAL_VOICE])
    publisher: str = ""
    year: int | None = None
    language: str = "en"
    isbn: str = ""
    series: str = ""
    series_number: str = ""
    description: str = ""
    cover: str = ""


@dataclass
class Script:
    """A whole production script."""

    title: str
    source: str
    """The manuscript's path as given, relative to the script file where possible."""
    chapters: list[Chapter] = field(default_factory=list)
    characters: list[Character] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)

    def cues(self):
        for chapter in self.chapters:
            yield from chapter.cues

    def character(self, name: str) -> Character | None:
        for character in self.characters:
            if character.name == name:
                return character
        return None
