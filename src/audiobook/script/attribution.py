"""Speaker attribution: who says each quote, as a sieve of rules from the most certain to the least.

1. ``tag-after`` / ``tag-before``: a speech tag next to the quote with a name ("said Mara", "Mara
   whispered,") or "I" for the first-person narrator (0.95).
2. ``tag-pronoun``: a tag with he/she ("she snapped") resolved by gender, by who takes part in the
   conversation and by who was mentioned last (0.6-0.85).
3. ``beat``: an action beat in the same paragraph ("She glares at me." then the quote) (0.6-0.8).
4. ``continuation``: another piece of the same speech (split by a tag, or running over a paragraph
   break) takes that piece's speaker.
5. ``addressee``: the person a line calls by name answers it (0.65).
6. ``turn-taking``: in a run of untagged lines two speakers alternate (0.45-0.7, less the further from
   a known speaker); ``story``: a story resumed in a conversation is told by its earlier teller.
7. ``nearest``: the nearest person mentioned before the quote (0.3).

A quote that calls someone by name (a vocative) is never given to that person by rules 3-7.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Collection, Sequence

from audiobook.manuscript.chapters import is_heading_line
from audiobook.manuscript.model import ChapterSpan
from audiobook.script.characters import Cast, Mention, cast_from_characters, discover
from audiobook.script.lexicon import GENDERED_NOUNS, HONORIFICS, NOT_NAMES, PERSON_NOUNS
from audiobook.script.model import NARRATOR, Character
from audiobook.manuscript.paragraphs import Paragraph, split_paragraphs
from audiobook.script.quotes import QuoteSpan, find_quotes
from audiobook.script.speech_tags import SPEECH_VERBS, TAG_BEAT_VERBS, speech_verb_at

CONFIDENCE = {
    "tag-after": 0.95,
    "tag-before": 0.93,
    "tag-pronoun": 0.8,
    "tag-noun": 0.45,
    "tag-epithet": 0.45,
    "beat": 0.75,
    "beat-pronoun": 0.65,
    "beat-before": 0.55,
    "self-named": 0.75,
    "continuation": 0.9,
    "addressee": 0.62,
    "turn-taking": 0.6,
    "story": 0.6,
    "thought": 0.45,
    "nearest": 0.3,
}
"""Starting confidence of each rule (0..1); lines below 0.5 are the ones to review."""

TURN_DECAY = 0.0
"""Confidence lost per untagged turn between a turn-taking line and the last line with evidence."""
CROWD_PENALTY = 0.1
"""Confidence lost by a turn-taking line in a conversation with three or more known speakers."""

TURN_EXPECT_WEIGHT = 1.25
"""Score added, when a he/she tag is resolved, to the speaker that A-B-A turn-taking expects (the one
two lines back): a hint, not a verdict, since three people often share a scene."""

PREVIOUS_SPEAKER_PENALTY = 0.25
"""Score taken from the previous line's speaker when a he/she tag is resolved: a slight lean to a new
speaker (a large one sent "he muttered" away from someone who goes on talking after a beat)."""

TAG_VERB_REACH = 20
"""Words back from a line's opening mark within which a tag before it looks for its speech verb ("she was
calm enough to whisper to Amy, with a look of grave reflection, soon after they sat down,")."""

SCENE_NARRATION = 700
"""Characters of narration between two lines that end a conversation; a paragraph that long is no beat
for the line after it either."""

REDECIDE_ROUNDS = 1
"""Rounds of resolving he/she tags and beats again once the untagged lines have speakers (a second round
scored lower on the development novels)."""

STORY_PARAGRAPHS = 4
"""A speech running over this many paragraphs is a story told inside a quote: only tags in its first two
paragraphs say who tells it."""

OWNER_PENALTY = 3.0
"""Score taken, for "said her mother" / "his friend replied", from the people the possessive most
likely points at (who spoke the line before, whom it called by name): they are not the speaker."""

TALKER_WEIGHT = 0.5
"""Score added to the only person of the pronoun's gender a name tag makes speak in the conversation."""

CHAIN_REACH = 8
"""Paragraphs a he/she subject is followed back to find its name."""

ANSWER_PENALTY = 1.5
"""``PREVIOUS_SPEAKER_PENALTY`` when the line opens a paragraph right after another line with no
narration between: in such back-and-forth a he/she is the other person."""

KIN_MARGIN = 1.0
"""Lead under which a "said her aunt" is resolved to whom such tags were clearly resolved to before."""
KIN_VOTES = 2
"""Clear resolutions of a "said her aunt" that make its memory (one more: a lean in every scene with them)."""
KIN_WEIGHT = 2.0
"""Score added to the remembered "her aunt" when she is in the scene."""

REPLY_WEIGHT = 2.0
"""Further score of the person the line before called by name when the tag answers ("he replied")."""

TAIL_NARRATION = 40
"""Characters of narration after a paragraph's last line that make it a beat for a he/she in the next paragraph."""

RELATIVE_OWNERS = 2
"""Last people of a possessive's gender tried, in turn, as the owner of "her father" in the narration."""

PARTICIPANT_WEIGHT = 1.0
"""Score of someone who spoke or was called by name in the last lines but is not named in the narration."""

FOCUS_WEIGHT = {"para": 4.0, "chain": 3.0, "prev": 3.0}
"""Score added to the person a he/she continues (see ``_Sieve.focus``), by where the subject was found."""

NAMED_IN_LINE_PENALTY = 3.0
"""Score taken from a person the line itself speaks of by name (not calling them): people seldom name
themselves."""

FOCUS_ON_PREVIOUS = 1.25
"""Further score when that person spoke the line before: the narration since is about them, and they go
on after the beat rather than hand the turn on (outweighs ``TURN_EXPECT_WEIGHT`` and the previous
speaker's mark-down)."""


@dataclass
class Utterance:
    """A quoted line (or an italic thought) and who speaks it.

    ``start``/``end``: offsets into the text of the words without the quote marks (end exclusive).
    ``kind``: "dialogue" or "thought". ``confidence``: 0..1. ``rule``: the sieve rule that decided.
    ``group``: pieces of one interrupted quote or one multi-paragraph speech share a group.
    """

    start: int
    end: int
    kind: str
    speaker: str
    confidence: float
    rule: str
    group: int = 0


@dataclass
class Attribution:
    characters: list[Character]
    utterances: list[Utterance]
    pov: dict[int, str]
    warnings: list[str] = field(default_factory=list)


# --- small text helpers -------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f](?:[A-Za-z\u00c0-\u024f'\u2019]|-(?=[A-Za-z\u00c0-\u024f]))*\.?")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself|mine)\b")
_ADVERB_SKIP = {"then", "again", "thus", "once", "soon", "at", "now", "still", "only", "just", "also", "quietly", "softly", "suddenly", "finally", "slowly", "quickly", "presently", "coldly", "gently", "eagerly", "calmly", "not", "immediately", "hastily", "instantly", "simply"}
_LEAD_SKIP = {"then", "and", "but", "so", "now", "still", "finally", "suddenly", "slowly", "instead", "meanwhile", "yet", "here", "there", "at", "last", "once", "again", "oh", "well"}
_SUBJECT_PRONOUNS = {"he": "M", "she": "F", "i": "I", "they": "P", "we": "P", "it": "N"}
_POSSESSIVE = {"his": "M", "her": "F", "my": "I"}
_GENERIC_PERSONS = {"man", "woman", "lady", "gentleman", "girl", "boy", "fellow", "child", "youth", "lad", "person",
                    "creature", "visitor", "companion", "friend", "guest", "host", "hostess", "other", "elder", "younger"}
_RELATIONS = {
    "wife": ("Mrs", "Lady", "Madame", "Mme"), "mother": ("Mrs", "Lady", "Madame", "Mme"), "lady": ("Mrs", "Lady"),
    "husband": ("Mr", "Sir", "Lord", "Monsieur"), "father": ("Mr", "Sir", "Lord", "Monsieur"),
    "brother": ("Mr", "Sir", "Lord", "Monsieur", ""), "sister": ("Miss", ""), "daughter": ("Miss",), "son": ("Mr",),
}
"""Relation -> the titles the relative goes by with the possessor's surname; "" a given name (a sister
"Prue Hale" as well as "Miss Hale")."""
_RELATIVE_MENTION = re.compile(r"\b([Hh]is|[Hh]er|[Tt]heir) ((?:[a-z]+ )?)(wife|husband|mother|father|brother|sister|daughter|son)\b")
"""A relative named by a possessive in the narration: "his wife", "her anxious mother"."""
_EPITHET = re.compile(r"\b[Tt]he ((?:(?:old|young|little|poor|tall|fat|thin|pretty|stout|small|big|pale|dark|fair|"
                      r"handsome|beautiful)\s+)?)(lad|girl|boy|man|woman|lady|gentleman|youth|fellow|child)\b")
"""A descriptive epithet a novel may use for one of its people: "the lad", "the old lady"."""
EPITHET_VOTES = 5.0
"""Recency votes an epithet needs before it is taken for one character (see ``_Sieve._epithet_mentions``)."""
_TITLE_NOUNS = {"duke": ("Duke",), "duchess": ("Duchess",), "earl": ("Earl",), "countess": ("Countess",),
                "baron": ("Baron",), "baroness": ("Baroness",), "marquis": ("Marquis",), "count": ("Count",),
                "prince": ("Prince",), "princess": ("Princess",), "baronet": ("Sir",), "lord": ("Lord",),
                "colonel": ("Colonel", "Col"), "captain": ("Captain", "Capt"), "major": ("Major",),
                "inspector": ("Inspector",), "doctor": ("Dr", "Doctor"), "professor": ("Professor", "Prof"),
                "sergeant": ("Sergeant", "Sgt"), "lieutenant": ("Lieutenant", "Lt")}
"""A title used as a noun -> the titles of the people it may stand for ("the baronet": a Sir)."""
_APPOSITION = re.compile(r",\s+(?:the|our|his|her|my|their)\s+(?:[a-z]+\s+)?([a-z]+)(?=[,;.])")
"""A role in apposition after a name: "Hester, the cook, came in" / "Hale, our landlord,"."""
APPOSITION_REACH = 5000
"""Characters after an apposition within which "said the cook" is the person it named."""
_TITLE_CALL = re.compile(r"\b(%s)(?=[,!?.;])" % "|".join(n.capitalize() for n in _TITLE_NOUNS if n not in ("lord", "baronet")))
_CALL_OPENER = re.compile(r"(?:[,;!?.]\s|[Dd]ear\s|Oh,?\s)$")
"""A title calling its holder in a line: "Yes, Colonel." / "We are back at last, Countess."."""
_TITLE_EPITHET = re.compile(r"\b[Tt]he ((?:[a-z]+ )?)(%s)\b" % "|".join(_TITLE_NOUNS))
"""A title used as a noun for the person who holds it: "the duchess", "the young lord"."""
VOICE_REACH = 400
"""Characters after a line said by "a voice" within which the narration names whose voice it was."""
TITLE_REACH = 20000
"""Characters back from "the duchess" within which the last Duchess named is looked for."""
EPITHET_REACH = 15000
"""Characters either side of an epithet within which its other uses may name someone else locally."""
_KIN_TITLES = {"aunt": ("Aunt", "Auntie"), "uncle": ("Uncle",), "grandmother": ("Grandmother", "Granny", "Grandma"),
               "grandfather": ("Grandfather", "Grandpa")}
"""Titles a relative is named by ("Aunt Hester"): "his aunt" is the one person so named."""
_FAMILY = {*_RELATIONS, *_KIN_TITLES, "niece", "nephew", "cousin", "grandson", "granddaughter"}
_OPENING_VERBS = {"began", "begins", "continued", "continues", "resumed", "resumes", "proceeded", "spoke", "speaks"}
"""Verbs that end a narration paragraph introducing the line after it ("Then he began.")."""
_PRONOUN_RULES = ("tag-pronoun", "beat")
"""Rules whose decision depends on who spoke the lines around (re-decided once those are known)."""
_UNTAGGED_RULES = ("turn-taking", "addressee", "nearest")
"""Rules of lines without evidence of their own, decided again after the he/she tags are."""
_THINKING_VERBS = {"think", "wonder"}
"""Verbs whose clause subject is not taken from a long sentence ("..., and thought:" may be anyone's)."""
_ANSWERING_VERBS = {"reply", "answer", "return", "rejoin", "retort", "respond"}
"""Tag verbs that make a line the answer to the line before."""
_CONTINUING_VERBS = {"continue", "go on", "resume", "add", "pursue", "persist", "repeat", "proceed", "conclude"}
_BACKGROUNDING = {"since", "as", "because", "though", "although", "whereas", "unless"}
"""Words opening a subordinate clause whose subject is seldom the one a later sentence's he/she continues."""
_CLAUSE_OPENERS = {"then", "and", "but", "when", "while", "whilst", "as", "so", "till", "until", "now", "here", "there",
                   "whereupon", "though", "although", "because", "if", "once", "where", "yet", "before", "after", "since"}
_PREPOSITIONS = {"to", "at", "with", "on", "upon", "for", "from", "of", "by", "towards", "toward", "about", "beside",
                 "behind", "near", "into", "over", "under", "like", "than", "against", "between", "among", "round", "around"}
_FUNCTION_WORDS = {"as", "with", "in", "who", "and", "to", "at", "from", "of", "on", "for", "but", "or", "that", "which",
                   "while", "when", "then", "after", "before", "by", "into", "upon", "he", "she", "it", "i", "they",
                   "his", "her", "its", "their", "was", "is", "had", "has", "not", "no", "so", "very", "too", "all"}
_AUXILIARIES = {"had", "has", "have", "was", "were", "is", "would", "could", "should", "did", "will", "must", "might", "then", "had", "now"}
_SENTENCE_CUT = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Z])(?<!\bMrs)(?<!\bMr)(?<!\bDr)(?<!\bMs)(?<!\bSt)[.!?\u2026][\"'\u201d\u2019)]*\s+|\n\s*\n")
_SUBORDINATORS = {"where", "which", "who", "whom", "whose", "that", "when", "while", "whilst", "as", "if", "though",
                  "although", "because", "since", "till", "until", "whereupon", "whom", "than"}
_SILENCE = re.compile(r"\b(?:no\s+(?:answer|reply|response)|(?:was|remained|kept|fell)\s+silent|said\s+nothing|"
                      r"did\s+not\s+(?:answer|reply|speak)|could\s+not\s+(?:answer|reply|speak)|made\s+no|silently|"
                      r"in\s+(?:silent\s+\w+|silence)|without\s+(?:a\s+word|speaking|replying|answering)|"
                      r"make\s+any\s+(?:answer|reply))\b", re.IGNORECASE)
"""Narration that says its subject did not speak ("He made no answer."): not a beat for the next line."""
_REPORTED_SPEECH = re.compile(r"\b(?:asked|told|inquired|enquired|replied|answered|explained|assured|informed|begged|reminded|promised)"
                              r"\b(?:\W+\w+){0,4}?\W+(?:that|what|whether|if|how|why|where|when|who|in\s+the\s+(?:affirmative|negative))\b"
                              r"|\b(?:agreed|consented|assented|acquiesced|refused|declined)\b")
"""A narration sentence reporting what its subject said ("She replied that she was.", "I asked her what had
happened.", "He answered in the affirmative.", "He agreed."), not one introducing the line ("Ann answered,
smiling.")."""
_NARRATOR_SPOKE = re.compile(r"\bI\s+(?:[a-z]+\s+){0,2}?(?:explained|told|replied|answered|said|asked|assured|informed|remarked|observed)\b")
"""Narration in which the first-person narrator speaks ("I assured the clerk that ...")."""
_CLEFT = re.compile(r"(?:^|(?<=\n)|(?<=[.!?]\s))(?:It was (?P<a>(?:[A-Z][\w'.-]*\s?){1,3}) who\s|(?P<b>(?:[A-Z][\w'.-]*\s){1,3})it was who\s)")
"""A cleft sentence naming a speaker: "It was Ann who spoke." / "Ann it was who spoke up."."""
_SPOKEN_TO = re.compile(r"\b(?:(\w+)\s+(?:\w+ly\s+|aside\s+|again\s+)?to|asked|told|addressing)\s+(?:the\s+)?$")
"""Words before a name in a tag that make it the person spoken to: "asked Ann", "added sharply to Ann"
(a speech verb or "turning" before "to": not "agreeable to Ann")."""
_BEFORE_NAME = {"even", "only", "poor", "little", "dear", "old", "young", "both"}
"""Words that may stand between a clause opening and its subject's name ("and even Mary could ...")."""
_INDEFINITES = {"all", "everything", "anything", "something", "nothing", "much", "little"}
"""Words after which "that" opens a relative clause ("everything that Ben said")."""
_REPLY_NOUNS = {"reply", "answer", "comment", "words", "summing", "remark", "response", "retort", "rejoinder", "observation", "greeting",
                "verdict", "question", "exclamation", "reproof", "reproach", "protest", "assent"}
_SUBJECT_AFTER_NAME = re.compile(r",\s+(?:(?:who|whom|whose|which)\b|[^,.!?;\"\u201c\u201d]{1,40},\s+(?:is|was|has|had|did|does|will|would|can|could|must|may|might|should|shall|[a-z]{3,}ed|[a-z]{3,}s)\b)")
"""After a name in a quote: a relative clause, or a parenthesis and a verb: the name is no vocative."""
_KIN_CALL = re.compile(r"(?:^|[,;!?]\s+|\b(?:[Dd]ear|[Oo]h|[Yy]es|[Nn]o|[Ww]ell),?\s+)(mother|mamma|mama|mum|father|papa|dad)(?=\s*[,!?.;])",
                       re.IGNORECASE)
"""A parent called by what a child calls them: "Mother, where is my coat?" / "But, mama, ..."."""
_KIN_CALLED = {"mother": "mother", "mamma": "mother", "mama": "mother", "mum": "mother",
               "father": "father", "papa": "father", "dad": "father"}
_SELF_NAMING = re.compile(r"(?:\b[Mm]y name is|\bI am|\bI'm|\bI\u2019m)\s+$")
_NAME_OWNED = re.compile(r"[\s,.!]*(?:[Tt]hat is|[Tt]hat's|[Tt]hat\u2019s|[Ii]t is|[Ii]t's|[Ii]t\u2019s) my name\b")
"""A line that names its own speaker ("My name is Nell Ward"; "Nell Ward. That is my name")."""
_NAME_ASKED = re.compile(r"\byour name\b[^.!]*\?|\b[Ww]ho are you\?")
"""A line asking for a name, which a bare name answers: "What is your name?" / "Who are you?"."""
_NESTED_QUOTE = re.compile(r"(?:^|(?<=[\s(\u2014]))['\u2018](?=[A-Z])[^'\u2018\u2019\"\u201c\u201d]*?[.,!?]['\u2019](?![A-Za-z])")
"""A quote inside a double-quoted line, in single marks ("He said, 'Go home.'")."""
_VOICE_OF = re.compile(r"[,\s]*(?:came|sounded|rang\s+out|broke)\s+(?:from\s+)?(?:(the\s+(?:[a-z-]+\s+){0,3}?(?:voice|accents|tones)\s+of)\s+)?")
"""After a line: "came from X's lips" / "sounded the soft accents of X": X speaks it."""
_WHEN_WORDS = {"in", "a", "moment", "at", "once", "last", "then", "soon", "afterwards", "presently"}
"""Words of time that may stand between a verb and the "that" of reported speech ("guessed in a moment that")."""
_NEGATED = re.compile(r"\s*(?:\S+\s+){1,3}?(?:did|does|do|would|could)\s+not\s+[a-z]+\b[^,;]*[.!?]?\s*$")
"""A short sentence whose subject does nothing ("She did not withdraw it."): no beat for a line beside it."""
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "my", "our", "your", "that", "this", "one", "another"}


@dataclass
class _Word:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        w = self.text.lower()
        return w[:-1] if w.endswith(".") else w


def _words(text: str, start: int, end: int) -> list[_Word]:
    return [_Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


@dataclass
class _Ref:
    """Who a tag or beat points at: a character, a pronoun (gender M/F/I), or a new minor speaker."""

    kind: str  # "char", "pron", "noun"; "none" for nobody
    verb: str = ""
    char: int = -1
    gender: str = "U"
    noun: str = ""
    offset: int = 0


@dataclass
class _QuoteInfo:
    quote: QuoteSpan
    after: tuple[_Ref, str] | None = None  # (referent, "tag"|"beat")
    before: tuple[_Ref, str] | None = None
    beats: list[_Ref] = field(default_factory=list)
    prev_beat: _Ref | None = None
    vocatives: set[int] = field(default_factory=set)
    spoken_to: set[int] = field(default_factory=set)  # "she added to the Major": not the speaker
    speaker: int = -2
    rule: str = ""
    shared_tag: bool = False
    silent: _Ref | None = None  # "He made no answer." just before: who did not speak
    self_named: int | None = None  # "I'm Nell Ward," said the girl: who the line says is speaking
    confidence: float = 0.0
    chapter: int = 1


class _Sieve:
    def __init__(self, text: str, paragraphs: list[Paragraph], quotes: list[QuoteSpan], cast: Cast,
                 chapters: Sequence[ChapterSpan]):
        self.text = text
        self.paragraphs = paragraphs
        self.quotes = quotes
        self.cast = cast
        self.chapters = list(chapters)
        self.mark_starts = [q.mark_start for q in quotes]
        self.mark_ends = [q.mark_end for q in quotes]
        self.narration_mentions = [m for m in cast.mentions if not self.in_quote(m.start)]
        self.narration_starts = [m.start for m in self.narration_mentions]
        self.para_starts = [p.start for p in paragraphs]
        self.quote_paras = [q.paragraph for q in quotes]
        self._titled: dict[str, set[int]] | None = None
        self._appositions: dict[str, list[tuple[int, int]]] | None = None
        self._kin_calls: dict[int, str | None] = {}  # quote start -> the parent its line calls ("mother")
        self.epithet_mentions = self._epithet_mentions()
        self.former_latter = self._former_latter()
        self.epithet_mentions.update(self._title_mentions())
        self.role_mentions = {**self._relative_mentions(), **self.epithet_mentions, **self.former_latter}
        """Narration mentions of people by a role, not a name: "his wife", "the lad" (offset -> mention)."""
        if self.role_mentions:
            self.narration_mentions = sorted(self.narration_mentions + list(self.role_mentions.values()), key=lambda m: m.start)
            self.narration_starts = [m.start for m in self.narration_mentions]
        self._subjects: dict[int, list[_Ref]] = {}
        self.tag_names: dict[int, list[_Ref]] = {}  # paragraph -> people named in its speech tags
        self.narrator: dict[int, int] = {}  # chapter number -> character index
        self.minor: dict[str, int] = {}
        self.epithets: dict[str, Counter] = {}
        self.kin_said: dict[str, Counter] = {}  # "her aunt" -> whom such tags were clearly resolved to

    # -- geometry
    def in_quote(self, offset: int) -> bool:
        i = bisect_right(self.mark_starts, offset) - 1
        return i >= 0 and offset < self.mark_ends[i]

    def chapter_of(self, offset: int) -> int:
        for ch in self.chapters:
            if ch.heading_start <= offset < ch.end:
                return ch.number
        return self.chapters[-1].number if self.chapters else 1

    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect_right(self.para_starts, offset) - 1)

    # -- referents
    def _new_name(self, words: list[_Word], k: int) -> tuple[_Ref, int] | None:
        """"said Small": a capitalised word after a speech verb names a speaker even when discovery missed it."""
        if k >= len(words):
            return None
        w = words[k]
        bare = w.text.rstrip(".")
        if bare in HONORIFICS and k + 1 < len(words) and words[k + 1].text[:1].isupper() \
                and not self.text[w.end:words[k + 1].start].strip() and len(words[k + 1].text) > 1:
            # "cried Mrs. Stone": a title and a name not found before (even a common word: Stone, Marsh)
            name = w.text + " " + words[k + 1].text.rstrip(".")
            index = self.cast.index_of(name)
            if index is None:
                index = self.cast.add(Character(name=name, gender=HONORIFICS[bare]))
            return _Ref("char", char=index, offset=w.start), k + 2
        if not bare[:1].isupper() or bare in NOT_NAMES or bare.title() in NOT_NAMES or bare.isupper() or len(bare) < 2 \
                or bare in HONORIFICS:
            return None  # "cried Mme. de Vries": a title alone is nobody's name
        if k + 1 < len(words) and words[k + 1].start == w.end + 1 and words[k + 1].text[:1].isupper():
            return None
        index = self.cast.index_of(bare)
        if index is None:
            index = self.cast.add(Character(name=bare))
        return _Ref("char", char=index, offset=w.start), k + 1

    def _noun_phrase(self, words: list[_Word], k: int, need_verb: bool) -> tuple[_Ref, int] | None:
        """"the croupier", "a young officer" (any noun) in a tag; ``need_verb``: a speech verb must follow."""
        if k >= len(words) or words[k].lower not in ("the", "a", "an", "one", "another"):
            return None
        lows = [w.lower for w in words]
        for span in (1, 2, 3):
            h = k + span
            named = lows[k] in ("a", "an") and words[h].text[:1].isupper() if h < len(words) else False
            if h >= len(words) or not words[h].text.isalpha() or not (words[h].text.islower() or named):
                return None  # ("cried a young Baxter": an unnamed one of a family or a kind, "A Young Baxter")
            if self.text[words[h - 1].end:words[h].start].strip():
                return None  # "said the painter, keeping his eyes down": the phrase ends at the comma
            head = lows[h]
            if head in _FUNCTION_WORDS or head in SPEECH_VERBS or (span > 1 and head.endswith("ing")):
                return None
            nxt = h + 1
            if need_verb:
                ok = speech_verb_at(lows, self._skip_adverbs(words, nxt)) is not None
            else:
                ok = nxt >= len(words) or lows[nxt] in _FUNCTION_WORDS or lows[nxt].endswith("ly") \
                    or "," in self.text[words[h].end:words[nxt].start]  # "said the painter, deep in his work"
            if ok and not head.endswith("ly"):
                if head in _GENERIC_PERSONS or (words[k + 1].lower in ("old", "young", "little") and head in GENDERED_NOUNS):
                    return _Ref("pron", gender=GENDERED_NOUNS.get(head, "U"), noun=head, offset=words[k].start), h + 1
                phrase = " ".join(lows[k + 1:h + 1])
                return _Ref("noun", noun=phrase, gender=_phrase_gender(phrase), offset=words[k].start), h + 1
        return None

    def _subject_at(self, words: list[_Word], k: int) -> tuple[_Ref, int] | None:
        """A subject starting at ``words[k]``: name, pronoun or "the driver"; returns it and the next index."""
        if k >= len(words):
            return None
        w = words[k]
        mention = self.cast.mention_at(w.start) or self.former_latter.get(w.start)
        if mention is None and w.lower in ("de", "van", "von", "du", "le", "la", "di", "da", "the") and k + 1 < len(words):
            mention = self.cast.mention_at(words[k + 1].start)  # "the Bosun" when the name is "Bosun"
            if mention is None and w.lower == "the" and k + 2 < len(words) and words[k + 1].text[:1].isupper():
                mention = self.cast.mention_at(words[k + 2].start)  # "the June Bug" when "June" is not a name
        if mention is not None:
            j = k
            while j < len(words) and words[j].start < mention.end:
                j += 1
            return _Ref("char", char=mention.character, offset=w.start), j
        low = w.lower
        if low in _SUBJECT_PRONOUNS and (w.text[0].isupper() or low != "i"):
            g = _SUBJECT_PRONOUNS[low]
            if g == "P":
                return None
            if g == "N" and not (k + 1 < len(words) and not self.text[w.end:words[k + 1].start].strip()
                                 and speech_verb_at([x.lower for x in words[k + 1:k + 3]], 0)):
                return None  # "it" speaks only right before a speech verb ("it said"; not "glancing at it, said")
            return _Ref("pron", gender=g, offset=w.start), k + 1
        if low in _DETERMINERS and k + 1 < len(words):
            # the driver, his wife, the old man, a voice
            for span in (1, 2, 3):
                if k + span >= len(words):
                    break
                head = words[k + span].lower
                if head in PERSON_NOUNS or head in GENDERED_NOUNS:
                    gender = GENDERED_NOUNS.get(head, "U")
                    if low in ("his", "her", "my", "our", "your", "their") or head in _GENERIC_PERSONS:
                        # "his wife", "our visitor", "the little man": someone already in the scene
                        return _Ref("pron", gender=gender, noun=head, offset=w.start), k + span + 1
                    phrase = " ".join(x.lower for x in words[k + 1:k + span + 1])
                    return _Ref("noun", noun=phrase, gender=_phrase_gender(phrase), offset=w.start), k + span + 1
                if not words[k + span].text.islower():
                    break
        return None

    def _relative_mentions(self) -> dict[int, Mention]:
        """"his wife", "her father" in the narration as mentions of the relative they name: the wife of
        the last man named before, by surname and title (see ``_relative_of``), so that a "she" after
        "He left the room, and his wife sighed." can find her."""
        found: dict[int, Mention] = {}
        relatives: dict[tuple[int, str], int | None] = {}
        for m in _RELATIVE_MENTION.finditer(self.text):
            if self.in_quote(m.start()):
                continue
            noun = m.group(3)
            owner_gender = {"his": "M", "her": "F"}.get(m.group(1).lower())  # "their mother": of either
            i = bisect_left(self.narration_starts, m.start())
            owners = [x for x in reversed(self.narration_mentions[max(0, i - 10):i])
                      if m.start() - x.start < 1500 and self.cast.person[x.character]
                      and (owner_gender is None or self.gender(x.character) == owner_gender)]
            # "He waited on Ben Hale. ... his daughter": not the man after a preposition, when a subject is near
            subject = next((x.character for x in owners[:3] if self._subject_weight(x.start) >= 0), None)
            relative = None
            candidates = dict.fromkeys(c for c in [subject, *(x.character for x in owners)] if c is not None)
            for owner in list(candidates)[:RELATIVE_OWNERS]:
                # "Her father was waiting." after "she sat with Kate" (whose surname the book never gives): the
                # first of the last two women named who has one
                if (owner, noun) not in relatives:
                    relatives[owner, noun] = self.relative_named(owner, noun)
                relative = relatives[owner, noun]
                if relative is not None:
                    break
            if relative is not None:
                found[m.start()] = Mention(m.start(), m.end(), relative, m.group())
        return found

    def _epithet_mentions(self) -> dict[int, Mention]:
        """"the lad", "the old lady" in the narration as mentions of the person the book calls so.

        Each narration use votes for the last three people of the epithet's gender named before it (1,
        1/2, 1/4), leaving out anyone named in the same sentence; being named in the same sentence counts
        twice against ("Tom looked at the lad": the lad is someone else). An epithet is taken for a
        person with at least ``EPITHET_VOTES`` votes and twice the score of the runner-up, who shares
        at most 15% of its sentences; "the man" spread over many men is taken for none. Where the uses
        of the same chapter within ``EPITHET_REACH`` clearly name someone else, that person is taken
        there ("the lad" of one chapter is the hero's rival). Not to be confused with ``epithets``, the
        memory of whom tags such as "said the painter" were resolved to."""
        uses: list[tuple[int, str, int, list[int], set[int]]] = []
        for m in _EPITHET.finditer(self.text):
            if self.in_quote(m.start()):
                continue
            phrase = (m.group(1) + m.group(2)).strip().lower()
            gender = GENDERED_NOUNS.get(m.group(2), "U")
            para = self.paragraphs[self.paragraph_of(m.start())]
            sentence_start = max(para.start, self.text.rfind(". ", para.start, m.start()))
            sentence_end = self.text.find(". ", m.end(), para.end)
            named = {x.character for x in self.cast.mentions_between(sentence_start, para.end if sentence_end < 0 else sentence_end)}
            i = bisect_left(self.narration_starts, m.start())
            recent: list[int] = []
            for x in reversed(self.narration_mentions[max(0, i - 40):i]):
                if m.start() - x.start > 1500 or len(recent) == 3:
                    break
                c = x.character
                if self.cast.person[c] and c not in recent and c not in named and (gender == "U" or self.gender(c) in (gender, "U")):
                    recent.append(c)
            uses.append((m.start(), phrase, self.chapter_of(m.start()), recent, named))

        def referent(selected: list[tuple[int, str, int, list[int], set[int]]], least: float) -> int | None:
            votes: Counter = Counter()
            together: Counter = Counter()
            for _, _, _, recent, named in selected:
                together.update(named)
                for rank, c in enumerate(recent):
                    votes[c] += 0.5 ** rank
            ranked = sorted(((v - 2 * together[c], c) for c, v in votes.items()), reverse=True)
            if not ranked:
                return None
            top, best = ranked[0]
            runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
            ok = votes[best] >= least and top >= 2 * max(runner_up, 0.5) and together[best] <= 0.15 * len(selected)
            return best if ok else None

        found: dict[int, Mention] = {}
        for phrase in {u[1] for u in uses}:
            of_phrase = [u for u in uses if u[1] == phrase]
            book = referent(of_phrase, EPITHET_VOTES)
            if book is None:
                continue
            for start, _, chapter, _, _ in of_phrase:
                nearby = [u for u in of_phrase if u[2] == chapter and abs(u[0] - start) <= EPITHET_REACH]
                person = referent(nearby, 2.0) or book
                found[start] = Mention(start, start + len("the " + phrase), person, phrase)
        return found

    def _title_mentions(self) -> dict[int, Mention]:
        """"the duchess" in the narration as a mention of the last person named with that title before
        it ("the Duchess of Selvay ... the duchess"), or of whom the last "the duchess" stood for when
        that is nearer: a long scene goes on calling her "the duchess" after her name was last used."""
        found: dict[int, Mention] = {}
        chained: dict[str, Mention] = {}
        for m in _TITLE_EPITHET.finditer(self.text):
            if self.in_quote(m.start()):
                continue
            last = self._last_holder(m.group(2), m.start())
            before = chained.get(m.group(2))
            if before is not None and m.start() - before.start < TITLE_REACH and (last is None or before.start > last.start):
                last = before
            if last is not None:
                found[m.start()] = chained[m.group(2)] = Mention(m.start(), m.end(), last.character, m.group().lower())
        return found

    def apposed(self, noun: str, offset: int) -> int | None:
        """The person last given the role ``noun`` in apposition ("Hester, the cook,") within
        ``APPOSITION_REACH`` characters before ``offset``."""
        if self._appositions is None:
            self._appositions = {}
            for m in self.narration_mentions:
                if not m.form[:1].isupper():
                    continue
                found = _APPOSITION.match(self.text, m.end)
                if found and found.group(1) not in _FUNCTION_WORDS:
                    self._appositions.setdefault(found.group(1), []).append((m.start, m.character))
        last = next(((start, c) for start, c in reversed(self._appositions.get(noun, [])) if start < offset), None)
        return last[1] if last is not None and offset - last[0] < APPOSITION_REACH else None

    def _last_holder(self, noun: str, offset: int) -> Mention | None:
        """The last narration mention before ``offset`` (within ``TITLE_REACH``) of someone holding the
        title ``noun`` stands for ("duchess": a Duchess)."""
        if self._titled is None:
            self._titled = {}
            for c, ch in enumerate(self.cast.characters):
                for form in [ch.name, *ch.aliases]:
                    self._titled.setdefault(form.split()[0].rstrip("."), set()).add(c)
        holders = set().union(*(self._titled.get(t, set()) for t in _TITLE_NOUNS[noun]))
        if not holders:
            return None
        i = bisect_left(self.narration_starts, offset)
        return next((x for x in reversed(self.narration_mentions[max(0, i - 200):i])
                     if x.character in holders and offset - x.start < TITLE_REACH), None)

    def _former_latter(self) -> dict[int, Mention]:
        """"the former" / "the latter" in the narration as mentions of the first or second of the last
        two people named before ("When Jane and Ann were alone, the former ...": Jane)."""
        found: dict[int, Mention] = {}
        for m in re.finditer(r"\b[Tt]he (former|latter)\b", self.text):
            if self.in_quote(m.start()):
                continue
            i = bisect_left(self.narration_starts, m.start())
            last_two: list[Mention] = []
            for x in reversed(self.narration_mentions[max(0, i - 10):i]):
                if m.start() - x.start > 600:
                    break
                if self.cast.person[x.character] and all(x.character != y.character for y in last_two):
                    last_two.append(x)
                    if len(last_two) == 2:
                        break
            if len(last_two) == 2:
                person = last_two[1] if m.group(1) == "former" else last_two[0]
                found[m.start()] = Mention(m.start(), m.end(), person.character, m.group())
        return found

    def epithet_at(self, offset: int) -> int | None:
        """The person the epithet at ``offset`` ("the lad") stands for, if the book uses it for one."""
        mention = self.epithet_mentions.get(offset)
        return mention.character if mention is not None else None

    def _relative(self, ref: _Ref, scores: dict[int, float], compatible, owners: Sequence[int] = ()) -> int | None:
        """"his wife", "her brother": the relative (same surname, fitting title) of the person meant.

        The owner ("her") is looked for first among ``owners`` (in a conversation: whom the line calls by
        name, who spoke the last line, then whom it called by name: "said her mother" answers the
        daughter), then among the last
        people of that gender named in the narration; the first owner with such a relative wins."""
        possessor_gender = {"his": "M", "her": "F"}.get(self.text[ref.offset:ref.offset + 4].strip().lower())
        if possessor_gender is None:
            return None
        title_wanted = _RELATIONS[ref.noun]
        candidates: list[int] = [c for c in owners if c >= 0 and self.cast.person[c] and self.gender(c) == possessor_gender]
        i = bisect_left(self.narration_starts, ref.offset)
        for m in reversed(self.narration_mentions[max(0, i - 30):i]):
            if self.cast.person[m.character] and self.gender(m.character) == possessor_gender and m.character not in candidates:
                candidates.append(m.character)
                if len(candidates) >= len(owners) + 3:
                    break
        for possessor in candidates:
            relative = self._relative_of(possessor, title_wanted, scores, compatible)
            if relative is not None:
                return relative
        return None

    def relative_named(self, person: int, relation: str) -> int | None:
        """``person``'s relative called ``relation`` ("mother", "brother"): a person of that relation's
        gender found by title and surname (``_relative_of``)."""
        gender = GENDERED_NOUNS.get(relation, "U")
        return self._relative_of(person, _RELATIONS[relation], {}, lambda c: self.cast.person[c] and self.gender(c) in (gender, "U"))

    def _relative_of(self, possessor: int, title_wanted: tuple[str, ...], scores: dict[int, float], compatible) -> int | None:
        surnames = set()
        for form in [self.cast.characters[possessor].name, *self.cast.characters[possessor].aliases]:
            parts = form.replace(".", "").split()
            if len(parts) >= 2:
                surnames.add(parts[-1])
        best = None
        counts = getattr(self.cast, "counts", [])
        for c, ch in enumerate(self.cast.characters):
            if c == possessor or not compatible(c):
                continue
            for form in [ch.name, *ch.aliases]:
                parts = form.replace(".", "").split()
                if len(parts) >= 2 and parts[-1] in surnames and (parts[0] in title_wanted or ("" in title_wanted or not title_wanted) and parts[0] not in HONORIFICS):
                    weight = scores.get(c, 0.0) + (counts[c] if c < len(counts) else 0) / 1000
                    if best is None or weight > best[1]:
                        best = (c, weight)
        return best[0] if best else None

    def _subject_weight(self, offset: int) -> float:
        """+1 for a name that opens a clause (likely a subject), -0.5 after a preposition (an object)."""
        before = self.text[max(0, offset - 30):offset]
        m = re.search(r"([A-Za-z]+)?([^A-Za-z]*)$", before)
        word = (m.group(1) or "").lower() if m else ""
        gap = m.group(2) if m else ""
        if not word or any(c in gap for c in ".!?;:\u201c\u201d\"\n") and "\n" not in gap.strip(" ") or "," in gap:
            return 1.0
        if word in _CLAUSE_OPENERS:
            return 1.0
        if word in _PREPOSITIONS:
            return -0.5
        return 0.0

    def _skip_adverbs(self, words: list[_Word], k: int, limit: int = 2) -> int:
        n = 0
        while k < len(words) and n < limit and (words[k].lower in _ADVERB_SKIP or (words[k].lower.endswith("ly") and words[k].text.islower() and words[k].lower not in SPEECH_VERBS)):
            k += 1
            n += 1
        return k

    def tag_after(self, q: QuoteSpan, limit: int) -> _Ref | None:
        """A speech tag right after the closing mark: "said Mara", "she whispered", "I say"."""
        if not q.closed:
            return None
        start = q.mark_end
        stop = min(limit, start + 120)
        m = next((m for m in re.finditer(r"[.!?;:\"\u201c\u201d]", self.text[start:stop])
                  if not (m.group() == "." and self._abbrev_before(start + m.start()))), None)  # "said Mr. Bell"
        if m and m.start() == 0 and self.text[start] in ".;:":
            return None
        if m:
            stop = start + m.start()
        words = _words(self.text, start, stop)
        if not words:
            return None
        k = 0
        if words[0].lower in ("then", "and"):
            k = 1
        reply = self._reply_noun(words)
        if reply is not None:
            return reply
        if k < len(words) and words[k].lower == "from" and self.text[q.mark_end - 2:q.mark_end - 1] in ("!", "?"):
            # 'an occasional exclamation of "Ah!" from Tom'
            sub = self._subject_at(words, k + 1)
            if sub is not None and sub[0].kind == "char":
                return sub[0]
        voice = _VOICE_OF.match(self.text, start, stop)
        if voice is not None:
            # '"No!" came from Tom's tight lips.' / '"Madame," sounded the soft accents of Tom.'
            mention = self.cast.mention_at(voice.end())
            if mention is not None and self.cast.person[mention.character] and \
                    (voice.group(1) or re.match(r"(?:['\u2019]| )s\s+(?:[a-z-]+\s+){0,2}(?:lips|mouth)\b", self.text[mention.end:stop])):
                return _Ref("char", char=mention.character, offset=mention.start)
        verb = speech_verb_at([w.lower for w in words], k)
        if verb is None and k < len(words) and words[k].lower in TAG_BEAT_VERBS and \
                self.text[q.mark_end - 2:q.mark_end - 1] in (",", "!", "?", "\u2014", "-"):
            verb = (TAG_BEAT_VERBS[words[k].lower], 1)  # "I forget," smiled Ann.
        if verb:
            j = self._skip_adverbs(words, k + verb[1])
            lows = [w.lower for w in words]
            if lows[j:j + 2] == ["or", "rather"] and speech_verb_at(lows, j + 2):
                j = self._skip_adverbs(words, j + 2 + speech_verb_at(lows, j + 2)[1])  # "muttered or, rather, growled Tom"
            subject = self._subject_at(words, j) or self._noun_phrase(words, j, need_verb=False) or self._new_name(words, j)
            if subject is None and j < len(words) and words[j].lower == "the":
                # "exclaimed the horrified Mrs. Oduya", "rejoined the now mollified General"
                for n in range(j + 1, min(len(words), j + 4)):
                    if not words[n].text[:1].isupper():
                        continue
                    mention = self.cast.mention_at(words[n].start)
                    index = mention.character if mention is not None else self.cast.index_of(words[n].text.rstrip("."))
                    if index is not None and self.cast.person[index]:  # "the General" is known as a form
                        subject = (_Ref("char", char=index, offset=words[j].start), n + 1)
                    break
            if subject:
                subject[0].verb = verb[0]
                return subject[0]
        subject = self._subject_at(words, k) or self._noun_phrase(words, k, need_verb=True)
        if subject:
            ref, j = subject
            j = self._skip_adverbs(words, j)
            verb = speech_verb_at([w.lower for w in words], j)
            # not '"Is it true?" Ann replied (in a moment) that it was.': what follows "that" is reported
            reported = verb is not None and any(
                words[n].lower == "that" and not re.search(r"[,;:]", self.text[words[j + verb[1] - 1].end:words[n].start])
                and all(w.lower in _WHEN_WORDS or w.lower.endswith("ly") for w in words[j + verb[1]:n])
                for n in range(j + verb[1], min(len(words), j + verb[1] + 4)))
            if verb and not reported:
                ref.verb = verb[0]
                return ref
        return None

    def _reply_noun(self, words: list[_Word]) -> _Ref | None:
        """'"Yes," was Ann's reply.' / '"No," was my answer.' / '"Go," were Mrs. Ann Bell's last words.':
        the owner of the reply speaks (up to two words between owner and noun: "final", "emphatic")."""
        if len(words) < 3 or words[0].lower not in ("was", "were", "came"):
            return None
        owner = words[1]
        if owner.lower in ("my", "his", "her"):
            if not any(w.lower in _REPLY_NOUNS for w in words[2:5]):
                return None
            return _Ref("pron", gender=_POSSESSIVE[owner.lower], offset=owner.start)
        mention = self.cast.mention_at(owner.start)
        if mention is None and owner.lower == "the":
            mention = self.cast.mention_at(words[2].start)
        if mention is None:
            return None
        after = 2
        while after < len(words) and words[after].start < mention.end:
            after += 1
        possessive = self.text[mention.end:mention.end + 1] in ("'", "\u2019")
        if not possessive and after < len(words) and words[after].start == mention.end + 1 \
                and words[after].text[:1].isupper() and words[after].lower.endswith(("'s", "\u2019s")):
            after, possessive = after + 1, True  # "Mrs. Ruth Oduya's" when only "Mrs. Ruth" is a known form
        if possessive and any(w.lower in _REPLY_NOUNS for w in words[after:after + 3]):
            return _Ref("char", char=mention.character, offset=owner.start)
        return None

    def _abbrev_before(self, dot: int) -> bool:
        m = re.search(r"([A-Za-z]+)$", self.text[max(0, dot - 6):dot])
        return bool(m and m.group(1) in HONORIFICS)

    def tag_before(self, q: QuoteSpan, limit: int, end: int | None = None) -> tuple[_Ref, bool] | None:
        """A speech tag ending right before the opening mark: "Mara said," / "the voice speaks."."""
        end = q.mark_start if end is None else end
        start = max(limit, end - 160)
        segment = self.text[start:end]
        stripped = segment.rstrip()
        if not stripped:
            return None
        full_stop = stripped[-1] in ".!?"
        body_end = start + len(stripped) - (1 if stripped[-1] in ",:.!?;\u2014-" else 0)
        # the last sentence: after the previous sentence end
        clause_start = start
        for m in _SENTENCE_CUT.finditer(self.text, start, body_end):
            clause_start = m.end()
        words = _words(self.text, clause_start, body_end)
        if not words:
            return None
        lows = [w.lower for w in words]
        for i in range(len(words) - 1, max(-1, len(words) - 1 - TAG_VERB_REACH), -1):
            verb = speech_verb_at(lows, i)
            if not verb:
                continue
            k = i + verb[1]
            if k + 1 < len(words) and lows[k] == "by" and lows[i].endswith("ed"):
                # "when thus addressed by Miss Varga," (a passive speech verb): the agent speaks
                agent = self._subject_at(words, k + 1)
                if agent and agent[0].kind == "char":
                    return agent[0], full_stop
            # subject immediately before the verb (adverbs allowed)
            j = i - 1
            while j >= 0 and (lows[j] in _ADVERB_SKIP or lows[j] in _AUXILIARIES or (lows[j].endswith("ly") and words[j].text.islower())):
                j -= 1
            if i > 0 and lows[i].endswith("ing") and ";" in self.text[words[i - 1].end:words[i].start]:
                # 'Ann replied that he was; adding, "..."': the participle is the main clause's
                subject = self._clause_subject(words[i].start)
                if subject is not None:
                    return subject, full_stop
            if j > 0 and lows[j] == "who":
                # "The King looked at Tom, who said in a low voice,": the name before "who" speaks
                before = self.cast.mentions_between(words[j - 1].start - 40, words[j].start)
                if before and before[-1].end >= words[j - 1].end and self.cast.person[before[-1].character]:
                    return _Ref("char", char=before[-1].character, offset=before[-1].start), full_stop
            if j >= 0 and lows[j] in ("and", "but", "to") and j > 0:
                # "she turned to him and said,": the subject opens the clause (after a semicolon: "Ann was
                # told to hush; but Mr. Bell, much annoyed, put down his paper, and said,")
                opens = max((n + 1 for n in range(j) if re.search(r"[;:]", self.text[words[n].end:words[n + 1].start])), default=0)
                while opens < j and lows[opens] in _LEAD_SKIP:
                    opens += 1
                who = next((n for n in range(j - 1, opens, -1) if lows[n] == "who"), None)
                if who is not None and not any(self._subject_at(words, n) for n in range(who + 1, j)):
                    # "she argued with Tom, who at length grew cross, and would only say,"
                    subject = self._clause_subject(words[who].end)
                    if subject is not None:
                        return subject, full_stop
                for k0 in range(opens, min(j, opens + 3)):
                    subject = self._subject_at(words, k0)
                    if subject and subject[0].kind != "noun" and not (subject[1] < len(words) and lows[subject[1]] in _PREPOSITIONS):
                        # not "and Ann at that moment coming in, he rose and said": Ann has no verb of her own
                        return subject[0], full_stop
                # a long sentence: "When Ann had gone, Tom, who had been asleep all along, woke and said:"
                subject = self._clause_subject(words[j].start, roles=True)
                if subject is not None and verb[0] not in _THINKING_VERBS:
                    return subject, full_stop
                continue
            if j < 0:
                # verb first: "said Mara:" is rare before a quote; "Said he," at sentence start
                after = self._subject_at(words, i + verb[1])
                if after:
                    return after[0], full_stop
                continue
            found = None
            for back in range(j, max(-1, j - 4), -1):
                subject = self._subject_at(words, back)
                if subject and subject[1] == j + 1:
                    found = subject[0]
                    break
            if found is None and j >= 1 and (j < 2 or lows[j - 2] in _CLAUSE_OPENERS or lows[j - 2] in _SUBORDINATORS):
                # "when the croupier cried out," (a noun the lists do not know as a person's)
                phrase = self._noun_phrase(words, j - 1, need_verb=True)
                if phrase is not None and phrase[1] == j + 1:
                    found = phrase[0]
            if found is not None and not (found.kind == "char" and self._subject_weight(found.offset) < 0
                                          and "," in self.text[words[j].end:words[i].start]):
                # "for Tom called out," is a clause ("for" = because); "bowing to the Major, said" is not
                found.verb = verb[0]
                return found, full_stop
            if found is not None:
                # "bowing to the General, said": the name is an object; the subject opens the clause
                for k0 in range(0, min(j, 3)):
                    subject = self._subject_at(words, k0)
                    if subject and subject[0].kind != "noun":
                        return subject[0], full_stop
            if "," in self.text[words[j].end:words[j + 1].start]:
                # "Mr. Bell, turning to Ann, said": a phrase between subject and verb
                subject = self._clause_subject(words[i].start, participle=lows[i].endswith("ing"))
                if subject is not None:
                    subject.verb = verb[0]
                    return subject, full_stop
            continue
        return None

    def same_person_goes_on(self, speaker: int, start: int, end: int, gender: str) -> bool:
        """Whether a he/she at ``end`` can only be ``speaker``, named in a tag at ``start`` in the same
        paragraph: the gender fits and nobody else of that gender is named in the narration between."""
        if gender not in ("M", "F") or self.gender(speaker) not in (gender, "U"):
            return False
        for m in self.narration_mentions[bisect_left(self.narration_starts, start):bisect_left(self.narration_starts, end)]:
            if m.character == speaker or not self.cast.person[m.character] or self.gender(m.character) not in (gender, "U"):
                continue
            if self.text[m.end:m.end + 1] not in ("'", "\u2019") and self._subject_weight(m.start) >= 0:
                return False  # someone else who may act ("this Ann thought"), not "Ann's shoulder", "to Ann"
        return True

    def cleft(self, start: int, end: int) -> _Ref | None:
        """"It was Ruth who spoke." / "Tom it was who spoke up.": a sentence in ``[start, end)``
        that names who spoke the line next to it."""
        for m in _CLEFT.finditer(self.text, start, end):
            mention = self.cast.mention_at(m.start("a") if m.group("a") else m.start("b"))
            if mention is not None and self.cast.person[mention.character] and \
                    speech_verb_at([w.lower for w in _words(self.text, m.end(), min(end, m.end() + 30))], 0):
                return _Ref("char", char=mention.character, offset=m.start())
        return None

    def spoken_to(self, q: QuoteSpan, start: int, end: int) -> set[int]:
        """People a tag next to the quote names as spoken to: "she added to the Major", "he asked
        Tom", "turning to Ann, said" (the sentences of narration right before and after the quote)."""
        before = self.text[start:q.mark_start]
        cut = [m.end() for m in _SENTENCE_CUT.finditer(before.rstrip())]
        region_start = start + (cut[-1] if cut else 0)
        after = _SENTENCE_CUT.search(self.text, q.mark_end, end)
        found = set()
        for lo, hi in ((region_start, q.mark_start), (q.mark_end, after.start() if after else end)):
            for m in self.cast.mentions_between(lo, hi):
                spoken = _SPOKEN_TO.search(self.text, max(lo, m.start - 30), m.start)
                if spoken and (spoken.group(1) is None or spoken.group(1).lower() in SPEECH_VERBS
                               or spoken.group(1).lower() in ("turning", "turned", "turn")) and self.cast.person[m.character]:
                    found.add(m.character)
        return found

    def answers_line_before(self, q: QuoteSpan) -> bool:
        """Whether ``q`` opens its paragraph right after a paragraph that ends with a quote (lines going
        back and forth with no narration between them)."""
        para = q.paragraph
        if para == 0 or self.paragraphs[para].start != q.mark_start:
            return False
        before = self._quotes_near(para - 1)
        if not before:
            return False
        last = self.quotes[before[-1]]
        return not self.text[last.mark_end:self.paragraphs[para - 1].end].strip(" \n\t.,;:!?")

    def one_sentence(self, start: int, end: int) -> bool:
        """Whether the narration ``[start, end)`` is at most one sentence (no sentence end inside it)."""
        body = self.text[start:end].rstrip().rstrip("\"'\u201c\u201d\u2018\u2019").rstrip()
        body = body[:-1] if body[-1:] in ".!?:;," else body
        return _SENTENCE_CUT.search(body) is None

    def subordinate(self, offset: int) -> bool:
        """Whether the word at ``offset`` is the subject of a relative clause ("all that Ben said",
        "whom Ben called"), not of a result clause ("so eagerly that Ben said")."""
        m = re.search(r"([A-Za-z]+)\W+([A-Za-z]+)\W*$", self.text[max(0, offset - 30):offset])
        if not m:
            return False
        word, last = m.group(1).lower(), m.group(2).lower()
        return last in ("who", "whom", "whose", "which", "what") or last == "that" and word in _INDEFINITES

    def _clause_subject(self, verb_start: int, reach: int = 300, participle: bool = False,
                        roles: bool = False) -> _Ref | None:
        """The subject of a verb set off by a phrase: the nearest name or he/she before ``verb_start``
        in the same sentence that is not the object of a preposition (quotes skipped). A participle
        ("..., saying") belongs to the nearest clause, subordinate or not ("while Tom poured, saying").
        ``roles``: "her sister" and "the old man" count as subjects too."""
        start = max(0, verb_start - reach)
        for m in _SENTENCE_CUT.finditer(self.text, start, verb_start):
            start = m.end()
        words = [w for w in _words(self.text, start, verb_start) if not self.in_quote(w.start)]
        for b in range(len(words) - 1, -1, -1):
            if words[b].lower == "who" and b > 0:
                # "met by Mrs. Lund, who, running to her, cried": the name before "who" is the subject
                before = self.cast.mentions_between(words[b - 1].start - 40, words[b].start)
                if before and before[-1].end >= words[b - 1].end and self.cast.person[before[-1].character]:
                    return _Ref("char", char=before[-1].character, offset=before[-1].start)
            subject = self._subject_at(words, b)
            if subject is None or subject[0].kind == "noun":
                continue
            if subject[0].kind == "pron" and subject[0].noun and not roles:
                continue
            after = subject[1]
            set_off = after < len(words) and "," in self.text[words[after - 1].end:words[after].start]
            if b > 0 and words[b - 1].lower in _SUBORDINATORS and not participle and not set_off:
                # "Ann, going to the door, where Ben stood, said": Ben is in a subordinate clause ("..., till
                # Ann, looking up, said": the verb's own clause)
                continue
            if self._subject_weight(words[b].start) >= 0:
                return subject[0]
        return None

    def narration_subjects(self, start: int, end: int) -> list[_Ref]:
        """Names and he/she in subject position in the narration of ``[start, end)`` (quotes skipped),
        in text order: at a sentence or clause start and followed by a lowercase word (a verb)."""
        para = self.paragraph_of(start)
        whole = self.paragraphs[para]
        if whole.start == start and end <= whole.end:
            if para not in self._subjects:
                self._subjects[para] = self._narration_subjects(whole.start, whole.end)
            return [r for r in self._subjects[para] if r.offset < end]
        return self._narration_subjects(start, end)

    def _narration_subjects(self, start: int, end: int) -> list[_Ref]:
        refs: list[_Ref] = []
        words = [w for w in _words(self.text, start, end) if not self.in_quote(w.start)]
        k = 0
        while k < len(words):
            w = words[k]
            gap = self.text[words[k - 1].end:w.start] if k > 0 else "."
            prev = words[k - 1].text if k > 0 else ""
            opens = (k == 0 or any(c in gap for c in ".!?;:,\u2014\"\u201c\u201d")
                     or (prev.endswith(".") and prev[:-1] not in HONORIFICS and len(prev) > 2)
                     or words[k - 1].lower in _CLAUSE_OPENERS
                     or (words[k - 1].text[0].isupper() and words[k - 1].lower in _LEAD_SKIP)  # "Finally Ann stepped in."
                     or k >= 2 and words[k - 2].lower == "the" and words[k - 1].text.islower() and w.text[:1].isupper()
                     and (k == 2 or words[k - 3].lower in _CLAUSE_OPENERS  # "whilst the luckless Nora sat on"
                          or any(c in self.text[words[k - 3].end:words[k - 2].start] for c in ".!?;:,"))
                     or words[k - 1].lower in _BEFORE_NAME and (k == 1 or words[k - 2].lower in _CLAUSE_OPENERS
                                                                or any(c in self.text[words[k - 2].end:words[k - 1].start] for c in ".!?;:,")))
            low = w.lower
            if low in ("he", "she"):
                refs.append(_Ref("pron", gender=_SUBJECT_PRONOUNS[low], offset=w.start))
                k += 1
                continue
            mention = (self.cast.mention_at(w.start) or self.role_mentions.get(w.start)) if opens else None
            if mention is None:
                k += 1
                continue
            j = k
            while j < len(words) and words[j].start < mention.end:
                j += 1
            follows = self.text[mention.end:words[j].start] if j < len(words) else ""
            nxt = words[j].lower if j < len(words) else ""
            if follows.strip() == ",":
                verb_like = nxt not in ("who", "whom", "whose", "which", "that", "and", "or")  # "Ann, turning, said"
                if nxt in ("who", "whom", "whose") and (k == 0 or any(c in gap for c in ".!?;,\u201c\u201d\"")):
                    verb_like = True  # "Nora, who had waited, stood up.": a sentence opened by a name and a relative
                    # clause is about that person (not "He saw Nora, who smiled.")
            elif follows.strip() in ("'s", "\u2019s") and (k == 0 or any(c in gap for c in ".!?\n")):
                verb_like = True  # "Nora's astonishment was great. She ...": a sentence opened so is about Nora
            else:
                verb_like = not follows.strip() and nxt not in _FUNCTION_WORDS - {"was", "is", "had", "has"}
            if k >= 2 and words[k - 1].lower == "and" and (self.cast.mention_at(words[k - 2].start) is not None
                                                          or self.cast.mentions_between(words[k - 2].start, words[k - 2].end)):
                verb_like = False  # "Tom and Ben sat down.": two people, not the one a he continues
            if nxt and verb_like and words[j].text[:1].islower() and self.cast.person[mention.character]:
                refs.append(_Ref("char", char=mention.character, offset=w.start))
            k = j
        return refs

    def focus(self, offset: int, gender: str, compatible) -> tuple[int, str] | None:
        """Who a he/she at ``offset`` most likely continues: the last subject of that gender in the
        narration of the paragraph before it (a pronoun subject followed back to its name), or, when the
        paragraph opens with the quote, in the narration paragraph just before. ("para"|"chain"|"prev")."""
        if gender not in ("M", "F"):
            return None
        para = self.paragraph_of(offset)
        start = self.paragraphs[para].start

        aside: list[int] = []  # subjects of a subordinate clause of an earlier sentence: the last resort

        def chain(refs: list[_Ref], later: int) -> int | None:
            for ref in reversed(refs):
                if ref.kind == "char" and self.gender(ref.char) == gender and compatible(ref.char):
                    if self._backgrounded(ref.offset, later):
                        aside.append(ref.char)
                        continue
                    return ref.char
            return None

        here = self.narration_subjects(start, offset)
        where = "para"
        if not any(r.kind == "char" or r.gender == gender for r in here):
            if para == 0:
                return None
            prev = self.paragraphs[para - 1]
            spoken = self._quotes_near(para - 1)
            if spoken:
                # a paragraph of dialogue ending in narration ('"No." He turned to the window.'): its last subject
                # (the sentences after the one with the line, and not a tag leading into this line)
                last = self.quotes[spoken[-1]]
                if self.text[last.start:last.end].rstrip()[-1:] in (".", "!", "?") and \
                        re.match(r"\s*[A-Z]", self.text[last.mark_end:prev.end]):
                    tail = last.mark_end  # '"Nor will there be." Amy went to the window.'
                else:
                    cut = next((m for m in _SENTENCE_CUT.finditer(self.text, last.mark_end, prev.end)
                                if not self._abbrev_before(m.start())), None)
                    if cut is not None:
                        tail = cut.end()
                    elif self.quotes[spoken[0]].mark_start > prev.start:
                        tail = prev.start  # narration quoting a word or two in passing: all of it
                    else:
                        tail = prev.end
                if prev.end - tail < TAIL_NARRATION or self.text[prev.end - 1] not in ".!?":
                    return None
                here = self.narration_subjects(tail, prev.end)
            else:
                here = self.narration_subjects(prev.start, prev.end)
            where = "prev"
        for n in range(len(here) - 1, -1, -1):
            ref = here[n]
            if ref.kind == "char":
                g = self.gender(ref.char)
                if g == gender and compatible(ref.char):
                    return ref.char, where
                if g not in ("U", gender):
                    continue
                continue
            if ref.gender != gender:
                continue
            # a pronoun subject: its antecedent is the last named subject of that gender before it
            found = chain(here[:n], ref.offset)
            if found is None:
                # no named subject before it in the paragraph: the last person of that gender named before
                # the first he/she of the run ("She had expected Ann; she knew ...": not Ann)
                x = next((r.offset for r in here[:n] if r.kind == "pron" and r.gender == gender), ref.offset)
                x_start = self.paragraphs[self.paragraph_of(x)].start
                i = bisect_left(self.narration_starts, x)
                for m in reversed(self.narration_mentions[max(0, i - 20):i]):
                    if m.start < x_start:
                        break
                    if self.gender(m.character) == gender and compatible(m.character):
                        if self._backgrounded(m.start, x):
                            aside.append(m.character)
                            continue
                        found = m.character
                        break
            back = para - (1 if where == "para" else 2)
            while found is None and back >= max(0, para - CHAIN_REACH):
                p = self.paragraphs[back]
                # the people named in that paragraph's speech tags ("said Tom") are subjects too
                found = chain(sorted(self.narration_subjects(p.start, p.end) + self.tag_names.get(back, []),
                                     key=lambda r: r.offset), p.end)
                back -= 1
            if found is None and aside:
                found = aside[0]
            return (found, "chain") if found is not None else None
        return None

    def _backgrounded(self, offset: int, later: int) -> bool:
        """Whether the name at ``offset`` is the subject of a subordinate clause ("since Nora was sixteen",
        "As soon as Nora had read it") in a sentence before ``later``: a he/she there continues the main
        clause's subject rather than it."""
        m = re.search(r"([A-Za-z]+)[^A-Za-z.!?;]*$", self.text[max(0, offset - 20):offset])
        return bool(m and m.group(1).lower() in _BACKGROUNDING) and _SENTENCE_CUT.search(self.text, offset, later) is not None

    def _quotes_near(self, para: int) -> range:
        i = bisect_left(self.quote_paras, para)
        j = bisect_right(self.quote_paras, para)
        return range(i, j)

    def beats_in(self, start: int, end: int) -> list[_Ref]:
        """Subjects of the narration sentences in ``[start, end)``, in text order."""
        refs = []
        segment = self.text[start:end]
        for m in re.finditer(r"[^.!?\u2026]+[.!?\u2026]*", segment):
            s = start + m.start()
            words = _words(self.text, s, start + m.end())
            if not words or _SILENCE.search(m.group()) or _NEGATED.match(m.group()):
                continue  # "The Major did not answer.": not the speaker of the line beside it
            if m.group().lstrip().startswith("("):
                continue  # "(Rex was the dog.)": an aside of the narrator, nobody's beat
            k = 0
            while k < len(words) - 1 and words[k].lower in _LEAD_SKIP:
                k += 1
            w = words[k]
            low = w.lower
            if low in _POSSESSIVE and k + 2 <= len(words) and w.text[0].isupper():
                refs.append(_Ref("pron", gender=_POSSESSIVE[low], offset=w.start))
                continue
            subject = self._subject_at(words, k)
            if subject is None:
                continue
            ref, j = subject
            if ref.kind == "noun" or ref.gender == "N":
                continue  # "It was late.": no beat
            if j < len(words) and words[j].text[0].islower() or (j < len(words) and words[j].lower in ("i",)):
                refs.append(ref)
        return refs

    def vocatives(self, q: QuoteSpan, previous: QuoteSpan | None = None) -> set[int]:
        """Characters the quote calls by name ("Be brave, Leo." / "Mara, wait!"), not in a speech it
        reports ("She said, 'Ah! Mrs. Bell, we shall see.'": that calls someone else). A name asked back
        from the ``previous`` line ("Is Leo here?" "Leo? He left.") calls nobody."""
        echoed = {m.character for m in self.cast.mentions_between(previous.start, previous.end)} if previous else set()
        asked = previous is not None and self.text[previous.start:previous.end].rstrip().endswith("?")
        nested = [(q.start + m.start(), q.start + m.end()) for m in _NESTED_QUOTE.finditer(self.text[q.start:q.end])]
        found = set()
        for mention in self.cast.mentions_between(q.start, q.end):
            if any(s <= mention.start < e for s, e in nested):
                continue  # "She said to me, 'Go home, Leo.'": someone else's call, told in the line
            if _nested_open(self.text[q.start:mention.start], self.text[q.mark_start]):
                continue
            before = self.text[max(q.start, mention.start - 12):mention.start]
            after = self.text[mention.end:min(q.end + 1, mention.end + 2)]
            tail = re.match(r" [A-Z][a-z]+(?=[,!?.;])", self.text[mention.end:min(q.end + 1, mention.end + 20)])
            if tail:  # "Jonathan Small," where the surname was not recognised as a name
                after = self.text[mention.end + tail.end():mention.end + tail.end() + 1]
            at_start = mention.start == q.start or re.search(r"(?:^|[\s])(?:[Oo]h|[Dd]ear|[Mm]y dear|[Mm]y|[Yy]es|[Nn]o|[Ww]ell)\s*,?\s*$", before) is not None
            after_ok = after[:1] in (",", "!", "?", ".", ";", "\u2014", "-") or mention.end >= q.end
            # a sentence opened by a name and a comma calls that person ("... too hot. Leo, let us go.")
            sentence_start = re.search(r"\b[a-z]{2,}[.]\s+$", before) is not None and after[:1] in (",", "!")
            before_ok = at_start or sentence_start or re.search(r"(?:[,;!?]|\.\.\.|\u2026|--|\u2014)\s*$", before) is not None or re.search(r"\b(?:dear|my)\s+$", before) is not None
            rest = self.text[mention.end:q.end]
            if mention.start == q.start and rest.strip() == "," and q.closed and self._sentence_goes_on(q):
                continue  # "Mrs. Lund," she replied, "has ...": the subject of a split sentence
            if mention.start == q.start and rest.strip() == "." and q.closed:
                continue  # "Who was it?" "Baxter.": a name given as an answer calls nobody
            if mention.start == q.start and asked and (re.match(r"\s*(?:,\s*(?:sir|madam|ma'am|miss|madame|monsieur)\s*)?[.?!]", rest, re.IGNORECASE)
                                                       or rest.strip() == "," and q.closed):
                continue  # "Whom?" "The Major?" / "Who called?" "Mr. Hall, sir.": the answer names someone
            if mention.character in echoed and after[:1] in ("?", "!") and (mention.start == q.start or re.search(r"[.!?]\s+$", before)):
                continue  # "The Major?": a name asked back, not a call
            if _SUBJECT_AFTER_NAME.match(rest):
                continue  # "Ann, with her limp, is slow." / "the cook, Ann, who ...": a subject or an apposition
            if after_ok and before_ok:
                found.add(mention.character)
        for call in _TITLE_CALL.finditer(self.text, q.start, q.end):
            # "We are back at last, Countess.": the countess of the scene
            if call.start() > q.start and not _CALL_OPENER.search(self.text, max(q.start, call.start() - 5), call.start()):
                continue
            holder = self._last_holder(call.group(1).lower(), q.start)
            if holder is not None:
                found.add(holder.character)
        return found

    def parent_called(self, q: QuoteSpan, speaker: int | None) -> int | None:
        """The mother (father) of ``speaker`` when the line calls "Mother!" ("Papa, ..."): the person of
        that title and surname (see ``_relative_of``)."""
        if speaker is None or speaker < 0:
            return None
        if q.start not in self._kin_calls:
            call = _KIN_CALL.search(self.text[q.start:q.end])
            self._kin_calls[q.start] = _KIN_CALLED[call.group(1).lower()] if call else None
        relation = self._kin_calls[q.start]
        if relation is None:
            return None
        return self.relative_named(speaker, relation)

    def self_named(self, q: QuoteSpan, following: QuoteSpan | None, previous: QuoteSpan | None = None) -> int | None:
        """The person a line names as its speaker: "I'm Nell Ward of the mill," / "Mr. Tobias Hale," said
        the old carter. "That is my name." / a bare name answering "What is your name?" (``following``:
        the next piece of the same speech; ``previous``: the line before)."""
        asked = previous is not None and previous.paragraph != q.paragraph \
            and _NAME_ASKED.search(self.text[previous.start:previous.end]) is not None
        named = None
        for mention in self.cast.mentions_between(q.start, q.end):
            if mention.form.startswith("The "):
                continue  # "I am the Lady Isolde!": a part played, not a name
            rest = self.text[mention.end:q.end]
            bare = mention.start == q.start and not rest.strip(" ,.!")
            owned = _NAME_OWNED.match(rest) or bare and (asked or following is not None
                                                          and _NAME_OWNED.match(self.text[following.start:following.end]))
            if _SELF_NAMING.search(self.text[max(q.start, mention.start - 16):mention.start]) or owned:
                if named is not None and named != mention.character:
                    return None
                named = mention.character
        return named

    def turned_to(self, para: int) -> set[int]:
        """People the tags of a paragraph's quotes turn to: '"Well?" she asked of Ann.' / 'he said, turning
        to Ann' / 'Walking towards Ann, he said, "..."' (the narration sentence touching a quote)."""
        p = self.paragraphs[para]
        found = set()
        for m in self.cast.mentions_between(p.start, p.end):
            if self.in_quote(m.start) or not self.cast.person[m.character] or self.text[m.end:m.end + 1] in ("'", "\u2019"):
                continue
            if not re.search(r"\b(?:to|of|at|towards|toward)\s+(?:the\s+)?$", self.text[max(p.start, m.start - 12):m.start]):
                continue
            i = bisect_right(self.mark_starts, m.start) - 1
            after_quote = i >= 0 and self.mark_ends[i] > p.start and not re.search(r"[.!?]\s", self.text[self.mark_ends[i]:m.start])
            before_quote = i + 1 < len(self.mark_starts) and self.mark_starts[i + 1] < p.end and \
                not re.search(r"[.!?]\s", self.text[m.end:self.mark_starts[i + 1]])
            if after_quote or before_quote:
                found.add(m.character)
        return found

    def _sentence_goes_on(self, q: QuoteSpan) -> bool:
        """Whether the next piece of ``q``'s speech in its paragraph carries on its sentence with a
        verb ("Mrs. Lund," she replied, "has ...") rather than starting anew ("Ben," said Tom,
        "I had better go.": then "Ben" calls him)."""
        i = bisect_right(self.mark_starts, q.mark_start)
        if i >= len(self.quotes) or self.quotes[i].paragraph != q.paragraph:
            return True
        first = re.match(r"\W*([A-Za-z']+)", self.text[self.quotes[i].start:self.quotes[i].end])
        return first is None or (first.group(1).islower() and first.group(1) != "i") or first.group(1).lower() in _AUXILIARIES

    # -- characters made on the fly
    def narrator_of(self, chapter: int) -> int:
        if chapter in self.narrator:
            return self.narrator[chapter]
        if "*" in self.narrator:  # type: ignore[comparison-overlap]
            return self.narrator["*"]  # type: ignore[index]
        index = self.cast.index_of(NARRATOR)
        if index is None:
            index = self.cast.add(Character(name=NARRATOR, narrator=True, gender="U"))
        self.narrator["*"] = index  # type: ignore[index]
        return index

    def minor_speaker(self, noun: str, gender: str, article: str = "The") -> int:
        """A minor character for a noun-phrase speaker: "The Driver", or "A Man" for "said a man" (an
        indefinite one-off speaker)."""
        name = article + " " + " ".join(w.capitalize() for w in noun.split())
        index = self.cast.index_of(name)
        if index is None and article == "The":
            index = self.cast.index_of(noun.split()[-1])  # "the Miller" is "Miller"; "a young Baxter" is not Baxter
        if index is None:
            index = self.cast.add(Character(name=name, gender=gender, minor=True))
        return index

    def owner_of_voice(self, q: QuoteSpan, previous: int | None) -> int | None:
        """"said a hoarse voice behind him. ... Old Pellow had come in": a speaker heard before being
        seen is the one the answer calls by name ("Anyone at home?" called a voice. / "Come in, Hale."),
        else the first person the narration names after the line (within ``VOICE_REACH``
        characters), other than whoever hears it (named in the narration of its paragraph before the
        line) and whoever spoke last."""
        k = bisect_right(self.mark_starts, q.mark_start)
        if k < len(self.quotes) and self.quotes[k].paragraph in (q.paragraph + 1, q.paragraph + 2):
            called = self.vocatives(self.quotes[k], q) - {previous}
            if len(called) == 1:
                return called.pop()
        para = self.paragraphs[q.paragraph]
        hearers = {m.character for m in self.narration_mentions[bisect_left(self.narration_starts, para.start):
                                                                bisect_left(self.narration_starts, q.mark_start)]}
        i = bisect_left(self.narration_starts, q.mark_end)
        for m in self.narration_mentions[i:i + 8]:
            if m.start - q.mark_end > VOICE_REACH:
                break
            if self.cast.person[m.character] and m.character not in hearers and m.character != previous:
                return m.character
        return None

    # -- resolution
    def gender(self, index: int) -> str:
        return self.cast.characters[index].gender

    def resolve_pronoun(self, ref: _Ref, info: _QuoteInfo, turn_expect: Sequence[int], prev_speaker: int | None,
                        first_person: bool, narrator: int | None, addressed: set[int] | None = None,
                        participants: Sequence[int] = (), talkers: Collection[int] = ()) -> tuple[int, float] | None:
        """A he/she (or "I", "his wife", "the old man") to a character: by gender, conversation, recency."""
        gender, offset = ref.gender, ref.offset
        if gender == "I":
            return (narrator if narrator is not None else self.narrator_of(info.chapter)), 0.95
        known = self.epithet_at(offset) if ref.noun else None
        if known is not None and known not in info.vocatives:
            return known, CONFIDENCE["tag-pronoun"]  # "said the lad" in a book where the lad is Tom
        if ref.noun == "other" and turn_expect and turn_expect[0] not in info.vocatives:
            return turn_expect[0], CONFIDENCE["tag-pronoun"]  # "replied the other": the other one of the two talking
        para = self.paragraph_of(offset)
        para_start = self.paragraphs[para].start

        def compatible(c: int) -> bool:
            if not self.cast.person[c] or (first_person and c == narrator):
                return False
            g = self.gender(c)
            if gender == "N":
                return g == "U"  # "it said": a creature or a voice, never a man or a woman
            return gender not in ("M", "F") or g in (gender, "U")

        scores: dict[int, float] = {}
        i = bisect_left(self.narration_starts, offset)
        for reach, weight in ((4, 1.0), (25, 0.4)):
            window_start = self.paragraphs[max(0, para - reach)].start
            rank = 0
            for m in reversed(self.narration_mentions[max(0, i - 60 * reach // 4):i]):
                if m.start < window_start:
                    break
                c = m.character
                if not compatible(c):
                    continue
                bonus = (3.0 if m.start >= para_start else 1.0) * weight
                bonus += max(0.0, 1.0 - 0.3 * rank) * weight
                bonus += self._subject_weight(m.start) * weight
                if self.gender(c) == "U" and gender != "N":
                    bonus -= 1.0
                scores[c] = max(scores.get(c, -9), bonus)
                rank += 1
            if scores:
                break
        focus = self.focus(offset, gender, compatible)
        if focus is not None:
            if ref.noun and _POSSESSIVE.get(self.text[offset:offset + 4].strip().lower()) == gender:
                # "said her aunt": the woman the narration follows is "her", not the aunt
                scores[focus[0]] = scores.get(focus[0], 0.0) - OWNER_PENALTY
            elif not (ref.noun in _GENERIC_PERSONS and self.text[offset:offset + 4].lower() == "the "):
                # (not for "said the man": the narration would go on calling the one it follows "he")
                scores[focus[0]] = scores.get(focus[0], 0.0) + FOCUS_WEIGHT[focus[1]]
                if focus[0] == prev_speaker:
                    # "Ben sat down by the fire. / 'It is late,' he said.": after the beat he goes on
                    scores[focus[0]] += FOCUS_ON_PREVIOUS
        expected = next((c for c in turn_expect if compatible(c)), None)
        if expected is not None:
            scores[expected] = scores.get(expected, 0.0) + TURN_EXPECT_WEIGHT - (1.0 if self.gender(expected) == "U" and gender != "N" else 0.0)
        for c in addressed or ():
            if compatible(c):
                # "Are you ill, Tom?" / "Not at all," he replied: the one called answers
                scores[c] = scores.get(c, 0.0) + 3.0 + (REPLY_WEIGHT if ref.verb in _ANSWERING_VERBS or self.answers_line_before(info.quote) else 0.0)
        for c in set(participants):
            # a speaker of unknown gender (the voice on the phone) is never found by gendered mentions
            if c >= 0 and c != prev_speaker and compatible(c) and self.cast.characters[c].minor:
                scores[c] = scores.get(c, 0.0) + 2.0
            elif c >= 0 and c != prev_speaker and compatible(c) and c not in scores:
                scores[c] = PARTICIPANT_WEIGHT  # in the scene though the narration has not named them lately
        fitting = [c for c in talkers if compatible(c) and self.gender(c) == gender]
        if len(fitting) == 1 and gender in ("M", "F"):
            # the one man (woman) named as a speaker in this conversation
            scores[fitting[0]] = scores.get(fitting[0], 0.0) + TALKER_WEIGHT
        owners = [*sorted(info.vocatives), *([prev_speaker] if prev_speaker is not None and prev_speaker >= 0 else []), *sorted(addressed or ())]
        if ref.noun in _RELATIONS:
            relative = self._relative(ref, scores, compatible, owners)
            if relative is not None:
                return relative, 0.75
        if ref.noun in _KIN_TITLES:
            # "cried his aunt" in a book with one "Aunt Hester"
            titled = {c for c, ch in enumerate(self.cast.characters) if compatible(c) and c not in info.vocatives
                      and any(form.split()[0] in _KIN_TITLES[ref.noun] for form in [ch.name, *ch.aliases] if form)}
            if len(titled) == 1:
                return titled.pop(), 0.75
        if ref.noun and self.text[ref.offset:ref.offset + 4].lower() in ("his ", "her "):
            # "said her mother" answers the daughter: the one the last line spoke to or who spoke it is "her"
            possessor = _POSSESSIVE[self.text[ref.offset:ref.offset + 3].lower()]
            for c in owners:
                if c in scores and not (c == prev_speaker and ref.verb in _CONTINUING_VERBS) \
                        and self.gender(c) in (possessor, "U"):  # "his friend" is not owned by a woman
                    scores[c] -= OWNER_PENALTY
        continuing = ref.verb in _CONTINUING_VERBS
        if prev_speaker is not None and prev_speaker >= 0:
            if continuing and compatible(prev_speaker):
                scores[prev_speaker] = scores.get(prev_speaker, 0.0) + 3.0
            elif prev_speaker in scores:
                scores[prev_speaker] -= ANSWER_PENALTY if self.answers_line_before(info.quote) else PREVIOUS_SPEAKER_PENALTY
        for c in info.vocatives | info.spoken_to:
            if c in scores:
                scores[c] -= 5.0
        for c in {m.character for m in self.cast.mentions_between(info.quote.start, info.quote.end)} - info.vocatives:
            if c in scores:
                scores[c] -= NAMED_IN_LINE_PENALTY  # "Your friend Mr. Holt is a wonderful man," said he: not Holt
        if not scores and prev_speaker is not None and prev_speaker >= 0 and compatible(prev_speaker) \
                and self.gender(prev_speaker) == gender and prev_speaker not in info.vocatives:
            return prev_speaker, 0.45  # nobody else of that gender nearby: the one who spoke before goes on
        if not scores:
            # Nobody of that gender nearby: the most mentioned such person in the book.
            counts = getattr(self.cast, "counts", None)
            best = None
            for c in range(len(self.cast.characters)):
                if compatible(c) and self.gender(c) == gender and c not in info.vocatives:
                    weight = counts[c] if counts and c < len(counts) else 1
                    if best is None or weight > best[1]:
                        best = (c, weight)
            return (best[0], 0.4) if best else None
        # "said her aunt", "said my companion" (a first-person narrator's): whom such tags clearly named before (in
        # the scene: a lean; not settled by it: the answer)
        owner_word = self.text[offset:offset + 4].lower().split(" ")[0]
        kin = f"{owner_word} {ref.noun}" if ref.noun and (ref.noun in _FAMILY and owner_word in ("his", "her") or owner_word == "my") else ""
        remembered = self.kin_said[kin].most_common(1)[0] if kin in self.kin_said else None
        if remembered is not None and remembered[1] >= KIN_VOTES + 1 and remembered[0] in scores:
            scores[remembered[0]] += KIN_WEIGHT
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if kin:
            weak = ranked[0][1] <= 0 or len(ranked) > 1 and ranked[0][1] - ranked[1][1] < KIN_MARGIN
            if not weak:
                self.kin_said.setdefault(kin, Counter())[ranked[0][0]] += 1
            elif remembered is not None and remembered[1] >= KIN_VOTES and compatible(remembered[0]) \
                    and remembered[0] not in info.vocatives and remembered[0] not in owners:
                return remembered[0], 0.55
        best, best_score = ranked[0]
        margin = best_score - ranked[1][1] if len(ranked) > 1 else 3.0
        confidence = 0.5 + min(0.35, 0.1 * margin)
        return best, confidence


def _nested_open(inside: str, outer_mark: str) -> bool:
    """Whether the text of a quote up to here, ``inside``, has opened a quote of the other kind that is
    still open (a single-quoted speech inside a double-quoted one, or the reverse)."""
    if outer_mark in "'\u2018":
        opened = len(re.findall(r"(?:^|[\s(])[\"\u201c](?=\w)", inside))
        closed = len(re.findall(r"(?<=[\w.,!?\-])[\"\u201d]", inside))
    else:
        opened = len(re.findall(r"(?:^|[\s(])['\u2018](?=[A-Za-z])", inside))
        closed = len(re.findall(r"(?<=[.,!?\-])['\u2019]|\u2019(?=[\s.,;:!?]|$)|(?<=[A-Za-z])'(?=[\s.,;:!?]|$)", inside))
    return opened > closed


def _phrase_gender(phrase: str) -> str:
    """Gender of a noun-phrase speaker: its head noun's ("the waitress"), else a gendered owner's
    ("a man's voice", "the girl's mother" is the head's: F)."""
    words = phrase.split()
    if not words:
        return "U"
    if words[-1] in GENDERED_NOUNS:
        return GENDERED_NOUNS[words[-1]]
    owners = [GENDERED_NOUNS[w[:-2]] for w in words[:-1] if w.endswith(("'s", "’s")) and w[:-2] in GENDERED_NOUNS]
    return owners[-1] if owners else "U"


def _is_first_person(text: str, spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Narration (outside quotes) of ``[start, end)`` uses I/me/my often: a first-person chapter."""
    pieces = []
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        pieces.append(text[pos:max(pos, s)])
        pos = max(pos, e)
    pieces.append(text[pos:end])
    narration = " ".join(pieces)
    words = max(1, len(narration.split()))
    count = len(_FIRST_PERSON.findall(narration))
    return words >= 12 and count / words >= 0.012


_TITLE_NAME = re.compile(r"^(?:(?:chapter|part)\s+[\w]+\s*[:.\-\u2013\u2014]?\s*)?([A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\-]+(?:\s+[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\-]+)?)\s*$", re.IGNORECASE)


def _pov_title_name(title: str) -> str | None:
    """The name in a point-of-view heading ("Mara", "Chapter 2: Mara", "ALESSANDRO"), if it is one."""
    m = _TITLE_NAME.match(title.strip())
    if not m:
        return None
    name = m.group(1)
    words = name.split()
    if any(w.lower() in ("chapter", "part", "prologue", "epilogue", "book", "the", "a", "an", "of", "and") for w in words):
        return None
    if re.fullmatch(r"[IVXLCDM]+", name.upper()) and name.isupper():
        return None
    if any(w.title() in NOT_NAMES for w in words):
        return None
    if not all(w[0].isupper() for w in words):
        return None
    return " ".join(w.title() if w.isupper() else w for w in words)


def attribute(text: str, chapters: Sequence[ChapterSpan] | None = None,
              characters: Sequence[Character] | None = None,
              emphasis: Sequence[tuple[int, int]] = ()) -> Attribution:
    """Find the quotes of ``text`` and who speaks each.

    ``chapters``: spans into ``text`` (None: the whole text is chapter 1). ``characters``: a given cast
    (name + aliases) to use instead of discovering one. ``emphasis``: italic spans (offsets into
    ``text``); a whole italic sentence or paragraph outside quotes becomes a "thought" utterance.
    """
    if not chapters:
        chapters = [ChapterSpan(1, "", 0, 0, len(text))]
    paragraphs = split_paragraphs(text)
    quotes, warnings = find_quotes(text, paragraphs)
    quotes = [q for q in quotes if not _is_scare_quote(text, q, paragraphs)]
    given = characters is not None and len(characters) > 0
    cast = cast_from_characters(text, [Character(c.name, list(c.aliases), c.gender, c.narrator, c.minor) for c in characters]) if given else discover(text, [(q.mark_start, q.mark_end) for q in quotes])
    spans = [(q.mark_start, q.mark_end) for q in quotes]

    sieve = _Sieve(text, paragraphs, quotes, cast, chapters)
    pov: dict[int, str] = {}
    first_person: dict[int, bool] = {}
    for ch in chapters:
        first_person[ch.number] = _is_first_person(text, spans, ch.heading_end, ch.end)
        name = _pov_title_name(ch.title) if ch.title else None
        if name and first_person[ch.number]:
            index = cast.index_of(name)
            if index is None:
                index = cast.add(Character(name=name, narrator=True))
            cast.characters[index].narrator = True
            sieve.narrator[ch.number] = index
    if any(first_person.values()):
        _name_narrator(text, sieve, first_person)

    infos = _run_sieve(sieve, first_person)
    if any(first_person.values()):
        # What others call "I": the name other speakers use when talking to the narrator.
        if _rename_narrator_from_vocatives(sieve, infos, first_person):
            infos = _run_sieve(sieve, first_person)

    utterances: list[Utterance] = []
    used: set[int] = set()
    for info in infos:
        q = info.quote
        speaker = info.speaker
        if speaker < 0:
            speaker = sieve.narrator_of(info.chapter) if first_person.get(info.chapter) else _most_mentioned(sieve)
        used.add(speaker)
        utterances.append(Utterance(q.start, q.end, "dialogue", cast.characters[speaker].name,
                                    round(min(1.0, max(0.0, info.confidence)), 2), info.rule or "nearest", q.group))
    utterances.extend(_thoughts(text, emphasis, quotes, paragraphs, sieve, first_person, used))
    utterances.sort(key=lambda u: u.start)
    for ch in chapters:
        if first_person.get(ch.number):
            index = sieve.narrator.get(ch.number, sieve.narrator.get("*"))  # type: ignore[call-overload]
            if index is not None:
                pov[ch.number] = cast.characters[index].name
                cast.characters[index].narrator = True
    if not quotes:
        warnings.append("no dialogue found: every line goes to the narrator")
    deep = sum(1 for q in quotes if _nesting(text, q) >= 2)
    if deep:
        warnings.append(f"{deep} quotes hold quotes nested two deep: check that the inner speakers read right")
    low = sum(1 for u in utterances if u.confidence < 0.5)
    if utterances and low > 0.3 * len(utterances):
        warnings.append(f"{low} of {len(utterances)} lines have low confidence: review them")
    if given:
        characters_out = list(cast.characters)
    else:
        characters_out = [c for i, c in enumerate(cast.characters) if i in used or c.narrator or (cast.person[i] and getattr(cast, "counts", [0] * len(cast.characters))[i:i + 1] and cast.counts[i] >= 3)]  # type: ignore[attr-defined]
    return Attribution(characters=characters_out, utterances=utterances, pov=pov, warnings=warnings)


def _most_mentioned(sieve: _Sieve) -> int:
    counts = Counter(m.character for m in sieve.cast.mentions if sieve.cast.person[m.character])
    if counts:
        return counts.most_common(1)[0][0]
    index = sieve.cast.index_of("Unknown")
    if index is None:
        index = sieve.cast.add(Character(name="Unknown", minor=True))
    return index


def _nesting(text: str, q: QuoteSpan) -> int:
    inner = text[q.start:q.end]
    singles = len(re.findall("(?:^|[\\s(])['\u2018][A-Za-z]", inner))
    doubles = len(re.findall('(?:^|[\\s(])["\u201c][A-Za-z]', inner))
    return (1 if singles else 0) + (1 if doubles else 0)


def _is_scare_quote(text: str, q: QuoteSpan, paragraphs: list[Paragraph]) -> bool:
    """A short quoted phrase inside a narration sentence ('she "ran" the circle'), not dialogue."""
    inner = text[q.start:q.end]
    if len(inner.split()) > 4 or re.search(r"[.!?,\u2014]$", inner) or not q.closed:
        return False
    before = text[max(0, q.mark_start - 2):q.mark_start]
    after = text[q.mark_end:q.mark_end + 2]
    if not re.fullmatch(r"[a-z,]\s", before[-2:] if len(before) == 2 else ""):
        return False
    if not re.match(r"\s[a-z]|[,;.]", after):
        return False
    # "said Mara" right after means it is a spoken line after all
    tail = text[q.mark_end:q.mark_end + 30].lower().split()
    if tail and tail[0].strip(",.") in SPEECH_VERBS:
        return False
    head = text[max(0, q.mark_start - 30):q.mark_start].lower().split()
    if head and head[-1].strip(",:") in SPEECH_VERBS:
        return False
    return True


def _name_narrator(text: str, sieve: _Sieve, first_person: dict[int, bool]) -> None:
    """Name the first-person narrator from "my name is X" / "I am X" / "call me X"."""
    if "*" in sieve.narrator:  # type: ignore[comparison-overlap]
        return
    counts: Counter[int] = Counter()
    for m in re.finditer(r"\b(?:[Mm]y name is|[Cc]all me|[Nn]ame's)\s+((?:[A-Z][\w'\-]+\.?\s?){1,3})", text):
        mention = sieve.cast.mention_at(m.start(1))
        if mention is not None:
            counts[mention.character] += 1
    if counts:
        index = counts.most_common(1)[0][0]
        sieve.cast.characters[index].narrator = True
        sieve.narrator["*"] = index  # type: ignore[index]


def _rename_narrator_from_vocatives(sieve: _Sieve, infos: list[_QuoteInfo], first_person: dict[int, bool]) -> bool:
    """When the narrator is unnamed, take the name others call them by.

    In first-person chapters the narrator is "I" in the narration and a name only in other people's
    lines: the person most often called by name in quotes who is (almost) never named in the narration.
    """
    generic = sieve.narrator.get("*")  # type: ignore[call-overload]
    if generic is None or sieve.cast.characters[generic].name != NARRATOR:
        return False
    called = Counter(c for info in infos if first_person.get(info.chapter) for c in info.vocatives)
    in_narration = Counter(m.character for m in sieve.narration_mentions)
    mentioned = Counter(m.character for m in sieve.cast.mentions)
    ranked = []
    for c, n in called.most_common():
        limit = max(1, 0.15 * mentioned[c])
        if in_narration[c] <= limit:
            # the more the narration names someone, the less likely they are "I": weighed down to half
            ranked.append((n * (1 - 0.5 * in_narration[c] / limit), n, c))
    if not ranked:
        return False
    ranked.sort(key=lambda r: -r[0])
    strength, count, index = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    if count < 2 or strength < 1.5 * runner_up:
        return False
    sieve.cast.characters[index].narrator = True
    sieve.cast.person[index] = True
    sieve.narrator["*"] = index  # type: ignore[index]
    sieve.cast.characters[generic].narrator = False
    return True


def _run_sieve(sieve: _Sieve, first_person: dict[int, bool]) -> list[_QuoteInfo]:
    text = sieve.text
    quotes = sieve.quotes
    infos = [_QuoteInfo(q, chapter=sieve.chapter_of(q.start)) for q in quotes]
    by_para: dict[int, list[int]] = {}
    for k, q in enumerate(quotes):
        by_para.setdefault(q.paragraph, []).append(k)

    # Pass 1: evidence next to each quote.
    for para_index, members in by_para.items():
        para = sieve.paragraphs[para_index]
        for n, k in enumerate(members):
            q = quotes[k]
            info = infos[k]
            prev_end = quotes[members[n - 1]].mark_end if n > 0 else para.start
            next_start = quotes[members[n + 1]].mark_start if n + 1 < len(members) else para.end
            info.vocatives = sieve.vocatives(q, quotes[k - 1] if k > 0 else None)
            info.self_named = sieve.self_named(q, quotes[members[n + 1]] if n + 1 < len(members) else None,
                                               quotes[k - 1] if k > 0 else None)
            info.vocatives.discard(info.self_named)
            info.spoken_to = sieve.spoken_to(q, prev_end, next_start)
            ref = sieve.tag_after(q, next_start)
            if ref is None and n + 1 == len(members) and para_index + 1 < len(sieve.paragraphs) and para_index + 1 not in by_para:
                # "It was Ruth who spoke." opening the paragraph after the line
                following = sieve.paragraphs[para_index + 1]
                ref = sieve.cleft(following.start, min(following.end, following.start + 120))
            if ref:
                info.after = (ref, "tag")
            before = sieve.tag_before(q, prev_end)
            if n > 0 and infos[members[n - 1]].after is not None and (
                    before and infos[members[n - 1]].after[0].offset == before[0].offset
                    or sieve.one_sentence(prev_end, q.mark_start) and (before is None or sieve.subordinate(before[0].offset)
                                                                       or before[0].verb in _THINKING_VERBS)):
                # "Go," he said, "now." / "No," said Ann, in a hurry. "Why?": one tag between two pieces, the
                # second piece continues the first (a name in a clause of the tag, "who agreed with all that
                # Ben said;", is not a new speaker)
                before = None
                info.shared_tag = True
            if before:
                info.before = (before[0], "tag")
            elif n == 0 and para_index > 0 and not ((para_index - 1) in by_para and quotes[by_para[para_index - 1][-1]].continued):
                # "Mr. Lund replied thus,<blank line>"My dear ...": a tag closing the paragraph before
                # (also after that paragraph's own lines: '"No." A pause, and Ann began again.' /
                # '"Well," he said, and he looked at the fire. At last he went on:<blank line>"The ...').
                prev_para = sieve.paragraphs[para_index - 1]
                spoken = by_para.get(para_index - 1)
                narration_start = quotes[spoken[-1]].mark_end if spoken else prev_para.start
                tail = text[max(narration_start, prev_para.end - 3):prev_para.end]
                opening = re.search(r"(?:[,:]|--|\u2014|\u2013)\s*$", tail)
                if not opening:
                    # "Mr. Baxter began." / "Mrs. Hale began again.": a paragraph ending on its speech verb
                    last = re.search(r"\b([a-z]+(?: [a-z]+)?)(?: (?:again|thus|so|first|at last))?\.\s*$", text[max(narration_start, prev_para.end - 40):prev_para.end])
                    opening = last and any(w in _OPENING_VERBS for w in last.group(1).split())
                if opening and prev_para.end - narration_start > 3:
                    before = sieve.tag_before(q, narration_start, prev_para.end)
                    if before:
                        info.before = (before[0], "tag")
                if info.before is None and not spoken:
                    cleft = sieve.cleft(max(narration_start, prev_para.end - 120), prev_para.end)  # "Tom it was who spoke."
                    if cleft is not None:
                        info.before = (cleft, "tag")
                sentence = prev_para.start
                for m in _SENTENCE_CUT.finditer(text, prev_para.start, prev_para.end):
                    sentence = m.end() if m.end() < prev_para.end else sentence
                if info.before is None and not spoken and _REPORTED_SPEECH.search(text, sentence, prev_para.end) \
                        and text[prev_para.end - 1] in ".!?":
                    # "She replied that she was.": the subject has had their say; the line is the other's
                    heads = sieve.beats_in(sentence, prev_para.end)
                    info.silent = heads[0] if heads else None
                elif info.before is None and not spoken:
                    # the subject of the narration just before opens the conversation (weak)
                    last = sieve.narration_subjects(prev_para.start, prev_para.end)
                    silence = _SILENCE.search(text, prev_para.start, prev_para.end)
                    if last and not silence and prev_para.end - prev_para.start <= SCENE_NARRATION:
                        info.prev_beat = last[-1]
                    elif last:
                        info.silent = last[0]
                    elif silence:
                        info.silent = _Ref("none")  # "No answer.": nobody took the turn
            for tag in (info.after, info.before):
                if tag is not None and tag[0].kind == "char":
                    sieve.tag_names.setdefault(para_index, []).append(tag[0])
            info.beats = sieve.beats_in(prev_end, q.mark_start)[::-1] + sieve.beats_in(q.mark_end, next_start)
        # Pieces of one interrupted speech share whom they call by name.
        by_group: dict[int, set[int]] = {}
        for k in members:
            by_group.setdefault(quotes[k].group, set()).update(infos[k].vocatives)
        for k in members:
            infos[k].vocatives = set(by_group[quotes[k].group])

    # Turns: paragraphs with quotes; a speech continued over paragraphs is one turn.
    turns: list[list[int]] = []
    for para_index in sorted(by_para):
        members = by_para[para_index]
        first = quotes[members[0]]
        if turns and first.mark_start == sieve.paragraphs[para_index].start and quotes[turns[-1][-1]].continued:
            turns[-1].extend(members)
        else:
            turns.append(list(members))
    def is_story(t: int) -> bool:
        """A speech running over many paragraphs: a story told inside a quote."""
        return quotes[turns[t][-1]].paragraph - quotes[turns[t][0]].paragraph + 1 >= STORY_PARAGRAPHS

    # A speech over many paragraphs is a story told by its speaker: a tag deep inside it ("said I",
    # "he answered") belongs to the story, not to the speech; the speech is decided at its start.
    for t, members in enumerate(turns):
        first_para = quotes[members[0]].paragraph
        if is_story(t):
            for k in members:
                if quotes[k].paragraph >= first_para + 2:
                    infos[k].after = infos[k].before = None
                    infos[k].beats = []
    # Conversations: runs of turns with little narration between them.
    conv_of_turn: list[int] = []
    conv = 0
    for t, members in enumerate(turns):
        if t > 0:
            prev_q = quotes[turns[t - 1][-1]]
            this_q = quotes[members[0]]
            gap_paras = sieve.paragraph_of(this_q.start) - prev_q.paragraph - 1
            gap_text = text[prev_q.mark_end:this_q.mark_start]
            narration = len(gap_text) - gap_text.count("\n")
            # a scene break or a heading between two lines ends the conversation
            scene = any(sieve.paragraphs[p].scene_break_before or is_heading_line(text[sieve.paragraphs[p].start:sieve.paragraphs[p].end])
                        for p in range(prev_q.paragraph + 1, this_q.paragraph + 1))
            if gap_paras >= 2 or narration > SCENE_NARRATION or scene or infos[members[0]].chapter != infos[turns[t - 1][-1]].chapter:
                conv += 1
        conv_of_turn.append(conv)

    def speaker_of_turn(t: int) -> int:
        for k in turns[t]:
            if infos[k].speaker >= 0:
                return infos[k].speaker
        return -1

    def turn_expectation(t: int) -> tuple[list[int], int | None]:
        """(speakers A-B-A turn-taking expects, most likely first; previous turn's speaker) within the
        conversation: the speaker two turns back, then the other known speakers before (a he/she takes
        the first of its gender: with three people in a scene, the one two back may not fit)."""
        prev = speaker_of_turn(t - 1) if t > 0 and conv_of_turn[t - 1] == conv_of_turn[t] else None
        expected: list[int] = []
        if prev is None or prev < 0:
            return expected, prev
        for u in range(t - 2, max(-1, t - 7), -1):
            if conv_of_turn[u] != conv_of_turn[t]:
                break
            s = speaker_of_turn(u)
            if u == t - 2 and s == prev:
                break  # the same person twice running: no alternation to expect
            if s >= 0 and s != prev and s not in expected:
                expected.append(s)
        return expected, prev

    def decide(k: int, t: int, allow_beats: bool) -> None:
        info = infos[k]
        chapter = info.chapter
        fp = first_person.get(chapter, False)
        narrator = sieve.narrator_of(chapter) if fp or chapter in sieve.narrator else None
        expect, prev = turn_expectation(t)
        addressed: set[int] = set()
        if t > 0 and conv_of_turn[t - 1] == conv_of_turn[t]:
            for kk in turns[t - 1]:
                addressed |= infos[kk].vocatives | infos[kk].spoken_to
                addressed.add(sieve.parent_called(quotes[kk], prev))
            addressed.discard(None)
            if prev is not None:
                addressed.discard(prev)
            if fp and _NARRATOR_SPOKE.search(text, quotes[turns[t - 1][-1]].mark_end, info.quote.mark_start):
                addressed = set()  # "I assured the clerk that ...": the narrator answered in between
        participants = [speaker_of_turn(u) for u in range(max(0, t - 4), t) if conv_of_turn[u] == conv_of_turn[t]]
        participants += [c for u in range(max(0, t - 4), t) if conv_of_turn[u] == conv_of_turn[t]
                         for kk in turns[u] for c in infos[kk].vocatives]  # called by name: in the scene
        candidates = []
        if info.after:
            candidates.append((info.after[0], "tag-after"))
        if info.before:
            candidates.append((info.before[0], "tag-before"))
            if info.before[0].kind == "char" and info.after and info.after[0].kind == "pron" \
                    and sieve.gender(info.before[0].char) in (info.after[0].gender, "U"):
                candidates.reverse()  # 'Ben interrupted: "No," he said': the name says who "he" is
        earlier = [infos[j].speaker for j in turns[t] if j < k and infos[j].speaker >= 0]
        # A name tag earlier in the paragraph: "Oh no," put in Tom. "And you," he added.
        named = next((j for j in reversed(turns[t][:turns[t].index(k)])
                      if quotes[j].paragraph == info.quote.paragraph and infos[j].speaker >= 0
                      and infos[j].rule in ("tag-after", "tag-before")), None)
        for ref, rule in candidates:
            if named is not None and ref.kind == "pron" and not ref.noun and sieve.same_person_goes_on(
                    infos[named].speaker, quotes[named].mark_end, info.quote.mark_start, ref.gender):
                info.speaker, info.rule, info.confidence = infos[named].speaker, "tag-pronoun", CONFIDENCE["tag-pronoun"]
                return
            # '"No," put in Ann. "And you," she added': she goes on from the piece before, not the turn before
            went_on = earlier[-1] if earlier and ref.verb in _CONTINUING_VERBS else prev
            result = _resolve(sieve, ref, info, expect, went_on, fp, narrator, addressed, participants, named_talkers.get(conv_of_turn[t], ()))
            if result is not None:
                speaker, conf, how = result
                info.speaker = speaker
                info.rule = rule if how == "char" else {"pron": "tag-pronoun", "epithet": "tag-epithet"}.get(how, "tag-noun")
                info.confidence = conf if how != "char" else CONFIDENCE[rule]
                return
        if info.self_named is not None and not candidates and info.self_named not in info.vocatives:
            # '"Nell Ward," she stammered' with no tag found: the line says whose it is
            info.speaker, info.rule, info.confidence = info.self_named, "self-named", CONFIDENCE["self-named"]
            return
        if not allow_beats or info.shared_tag:
            return
        for ref in info.beats:
            result = _resolve(sieve, ref, info, expect, prev, fp, narrator, addressed, participants, named_talkers.get(conv_of_turn[t], ()))
            if result is None:
                continue
            speaker, conf, how = result
            if speaker in info.vocatives:
                continue
            info.speaker = speaker
            info.rule = "beat"
            info.confidence = CONFIDENCE["beat"] if how == "char" or ref.gender == "I" else min(conf, CONFIDENCE["beat-pronoun"])
            return
        opens = t == 0 or conv_of_turn[t - 1] != conv_of_turn[t]
        if info.prev_beat is not None and k == turns[t][0]:
            result = _resolve(sieve, info.prev_beat, info, expect, prev, fp, narrator, addressed, participants, named_talkers.get(conv_of_turn[t], ()))
            if result is not None and result[0] not in info.vocatives:
                info.speaker = result[0]
                info.rule = "beat-before"
                info.confidence = CONFIDENCE["beat-before"]

    named_talkers: dict[int, set[int]] = {}  # conversation -> people a name tag makes speak in it

    def continue_turn(members: list[int]) -> None:
        """Continuation inside a turn: pieces without evidence take the turn's speaker (a piece sharing a
        tag with the piece before takes that piece's)."""
        known = [infos[k] for k in members if infos[k].speaker >= 0 and infos[k].rule.startswith(("tag", "beat"))]
        if known:
            for n, k in enumerate(members):
                info = infos[k]
                if info.speaker < 0 or info.rule == "continuation":
                    nearest = min(known, key=lambda kn: abs(kn.quote.start - info.quote.start))
                    if info.shared_tag and n > 0 and infos[members[n - 1]] in known:
                        nearest = infos[members[n - 1]]  # the piece whose tag it shares
                    info.speaker = nearest.speaker
                    info.rule = "continuation"
                    info.confidence = min(CONFIDENCE["continuation"], nearest.confidence)

    def evidence_pass(rules: tuple[str, ...] | None) -> None:
        """Tags and beats, in text order so pronouns see the speakers before them (``rules``: only
        re-decide quotes decided by these rules)."""
        named_talkers.clear()
        for t, members in enumerate(turns):
            for k in members:
                if infos[k].rule in ("tag-after", "tag-before"):
                    named_talkers.setdefault(conv_of_turn[t], set()).add(infos[k].speaker)
        for t, members in enumerate(turns):
            for k in members:
                if rules is None or infos[k].rule in rules:
                    decide(k, t, allow_beats=True)
            continue_turn(members)

    def untagged_pass() -> None:
        """Pass 3: untagged turns by addressee and alternation."""
        evidence = [speaker_of_turn(t) >= 0 for t in range(len(turns))]
        talkers: dict[int, set[int]] = {}
        for t in range(len(turns)):
            if evidence[t]:
                talkers.setdefault(conv_of_turn[t], set()).add(speaker_of_turn(t))
        since = 0
        for t, members in enumerate(turns):
            since = 0 if evidence[t] or (t > 0 and conv_of_turn[t - 1] != conv_of_turn[t]) else since + 1
            if speaker_of_turn(t) >= 0:
                continue
            speaker, conf, rule = _turn_taking(sieve, t, turns, conv_of_turn, infos, speaker_of_turn, first_person, evidence)
            if is_story(t):
                # a story resumed ("Go on with your story," said Tom.): told by the one who told the
                # story before in this conversation
                teller = next((speaker_of_turn(u) for u in range(t - 1, -1, -1)
                               if conv_of_turn[u] == conv_of_turn[t] and is_story(u) and speaker_of_turn(u) >= 0), None)
                if teller is not None:
                    speaker, conf, rule = teller, CONFIDENCE["story"], "story"
            silent = infos[members[0]].silent
            if silent is not None and t > 0 and conv_of_turn[t - 1] == conv_of_turn[t]:
                # "He made no answer." between two lines: the one who spoke before goes on
                quiet = silent.char if silent.kind in ("char", "none") else None
                if silent.kind == "pron":
                    found = sieve.resolve_pronoun(silent, infos[members[0]], (), None, first_person.get(infos[members[0]].chapter, False), None)
                    quiet = found[0] if found else None
                before = speaker_of_turn(t - 1)
                if quiet is not None and before >= 0 and before != quiet:
                    speaker, conf, rule = before, CONFIDENCE["turn-taking"], "turn-taking"
            if rule == "turn-taking":
                # the further from a line with evidence, and the more people in the scene, the less sure
                crowd = len(talkers.get(conv_of_turn[t], ())) >= 3
                conf = max(0.3, conf - TURN_DECAY * max(0, since - 1) - (CROWD_PENALTY if crowd else 0.0))
            for k in members:
                infos[k].speaker = speaker
                infos[k].confidence = round(conf, 2)
                infos[k].rule = rule

    # Pass 2: tags and beats.
    evidence_pass(None)
    # Pass 3: untagged turns.
    untagged_pass()
    for _ in range(REDECIDE_ROUNDS):
        # Pass 4: with every line given a speaker (the turn-taking a he/she expects is known now), the
        # he/she tags and beats are resolved again, and the untagged lines follow.
        evidence_pass(_PRONOUN_RULES)
        for info in infos:
            if info.rule in _UNTAGGED_RULES:
                info.speaker, info.rule = -1, ""
        untagged_pass()
    return infos


def _resolve(sieve: _Sieve, ref: _Ref, info: _QuoteInfo, expect, prev, fp: bool, narrator, addressed=None,
             participants: Sequence[int] = (), talkers: Collection[int] = ()) -> tuple[int, float, str] | None:
    if ref.kind == "char":
        return ref.char, 0.95, "char"
    if info.self_named is not None and ref.gender != "I" and (ref.gender in ("U", "N") or sieve.gender(info.self_named) in (ref.gender, "U")):
        return info.self_named, CONFIDENCE["tag-pronoun"], "pron"  # "I'm Nell Ward," said the girl
    if ref.noun and ref.noun.split()[-1] == "voice" and re.match(r"(?:an?|the)\s", sieve.text[ref.offset:ref.offset + 4], re.IGNORECASE):
        owner = sieve.owner_of_voice(info.quote, prev)
        if owner is not None:
            return owner, CONFIDENCE["tag-noun"], "epithet"
    indefinite = re.match(r"(an?)\s", sieve.text[ref.offset:ref.offset + 3], re.IGNORECASE) if ref.noun else None
    if indefinite:
        # "said a man", "cried a young Baxter": someone not met before, never one of the people in the scene
        return sieve.minor_speaker(ref.noun, ref.gender, indefinite.group(1).capitalize()), CONFIDENCE["tag-noun"], "noun"
    if ref.kind == "noun":
        # "said the painter": an epithet of someone in the scene, or a new minor speaker ("the driver").
        apposed = sieve.apposed(ref.noun.split()[-1], ref.offset)  # "Hester, the cook, ..."
        if apposed is not None and apposed not in info.vocatives:
            return apposed, CONFIDENCE["tag-epithet"], "epithet"
        known = sieve.epithet_at(ref.offset)  # "rejoined the baronet" after "Sir Walter"
        if known is not None and known not in info.vocatives:
            return known, CONFIDENCE["tag-epithet"], "epithet"
        memory = sieve.epithets.get(ref.noun)
        if memory:
            best, votes = memory.most_common(1)[0]
            if votes >= 2 and votes >= 0.6 * sum(memory.values()) and best not in info.vocatives:
                return best, CONFIDENCE["tag-noun"], "epithet"
        result = sieve.resolve_pronoun(_Ref("pron", gender=ref.gender, noun=ref.noun, offset=ref.offset), info, expect, prev, fp, narrator, addressed, participants, talkers)
        if result is not None and _named_by_another_role(sieve.cast.characters[result[0]].name, ref.noun):
            result = None  # "the croupier" is not someone the book calls "the Grandmother"
        if result is not None and (result[0] in expect[:1] or result[0] in (addressed or ()) or (result[1] >= 0.75 and ref.gender != "U")) and (ref.gender == "U" or sieve.cast.characters[result[0]].gender in (ref.gender, "U")):
            sieve.epithets.setdefault(ref.noun, Counter())[result[0]] += 1
            return result[0], min(result[1], CONFIDENCE["tag-epithet"]), "epithet"
        article = {"a": "A", "an": "An"}.get(sieve.text[ref.offset:ref.offset + 3].split()[0].lower(), "The")
        return sieve.minor_speaker(ref.noun, ref.gender, article), CONFIDENCE["tag-noun"], "noun"
    result = sieve.resolve_pronoun(ref, info, expect, prev, fp, narrator, addressed, participants, talkers)
    if result is None:
        return None
    return result[0], result[1], "pron" if ref.gender != "I" else "char"


def _named_by_another_role(name: str, noun: str) -> bool:
    """Whether a character named by a role ("The Grandmother", "The Captain") is named by a role
    other than the head of ``noun`` ("croupier"): such a character is not that epithet."""
    parts = name.split()
    return len(parts) >= 2 and parts[0] == "The" and parts[-1].lower() != noun.split()[-1].lower()


def _turn_taking(sieve: _Sieve, t: int, turns, conv_of_turn, infos, speaker_of_turn, first_person, evidence) -> tuple[int, float, str]:
    conv = conv_of_turn[t]
    chapter = infos[turns[t][0]].chapter
    fp = first_person.get(chapter, False)
    narrator = sieve.narrator_of(chapter) if fp else None
    vocs = set()
    for k in turns[t]:
        vocs |= infos[k].vocatives
    # Addressee: the previous line called someone by name and they answer.
    if t > 0 and conv_of_turn[t - 1] == conv:
        prev_speaker = speaker_of_turn(t - 1)
        prev_vocs = set()
        for k in turns[t - 1]:
            prev_vocs |= infos[k].vocatives | infos[k].spoken_to
            prev_vocs.add(sieve.parent_called(sieve.quotes[k], prev_speaker))
        prev_vocs.discard(None)
        prev_vocs.discard(prev_speaker)
        prev_vocs -= vocs
        if len(prev_vocs) == 1 and prev_speaker >= 0:
            return next(iter(prev_vocs)), CONFIDENCE["addressee"], "addressee"
        # the narration of the previous line says whom it was said to ("she asked of Ann", "turning to Ann")
        told = sieve.turned_to(sieve.quotes[turns[t - 1][-1]].paragraph) - {prev_speaker} - vocs
        if len(told) == 1 and prev_speaker >= 0:
            return next(iter(told)), CONFIDENCE["addressee"], "addressee"
    # Two people alternating between two lines with evidence (A x x B) fix every line between. The later
    # line must be named by its tag: a he/she there was itself resolved with the help of turn-taking.
    before = next((d for d in range(1, 13) if t - d >= 0 and conv_of_turn[t - d] == conv and evidence[t - d]), None)
    after = next((d for d in range(1, 13) if t + d < len(turns) and conv_of_turn[t + d] == conv and evidence[t + d]), None)
    if before is not None and after is not None:
        a, b = speaker_of_turn(t - before), speaker_of_turn(t + after)
        named = max(infos[k].confidence for k in turns[t + after]) >= CONFIDENCE["continuation"]
        if a != b and (before + after) % 2 == 1 and named:
            speaker = a if before % 2 == 0 else b
            if speaker not in vocs:
                return speaker, CONFIDENCE["turn-taking"], "turn-taking"
    # Nearest known turns in the same conversation, before and after.
    before = next((d for d in range(1, 8) if t - d >= 0 and conv_of_turn[t - d] == conv and speaker_of_turn(t - d) >= 0), None)
    after = next((d for d in range(1, 8) if t + d < len(turns) and conv_of_turn[t + d] == conv and speaker_of_turn(t + d) >= 0), None)
    options = []
    if before is not None:
        options.append((before, t - before, -1))
    if after is not None:
        options.append((after, t + after, 1))
    options.sort(key=lambda o: (o[0], o[2] == 1))
    for distance, anchor, direction in options:
        a = speaker_of_turn(anchor)
        if distance % 2 == 0:
            if a in vocs:
                continue
            return a, max(0.4, CONFIDENCE["turn-taking"] - 0.06 * (distance - 1)), "turn-taking"
        other = _other_participant(sieve, anchor, a, turns, conv_of_turn, infos, speaker_of_turn, narrator, t)
        if other is not None and other not in vocs:
            return other, max(0.4, CONFIDENCE["turn-taking"] - 0.06 * (distance - 1)), "turn-taking"
    q = infos[turns[t][0]].quote
    prev_speaker = speaker_of_turn(t - 1) if t > 0 and conv_of_turn[t - 1] == conv else -1
    if options and prev_speaker >= 0 and prev_speaker not in vocs:
        # everyone alternation offers is called by the line: the one who spoke before goes on
        return prev_speaker, CONFIDENCE["turn-taking"] - 0.1, "turn-taking"
    # Nothing known in the conversation: the nearest person mentioned before the quote.
    i = bisect_left(sieve.narration_starts, q.start)
    for m in reversed(sieve.narration_mentions[max(0, i - 30):i]):
        if sieve.cast.person[m.character] and m.character not in vocs and m.character != prev_speaker:
            if fp and narrator is not None and q.start - m.start > 1500:
                break
            return m.character, CONFIDENCE["nearest"], "nearest"
    if fp and narrator is not None and narrator != prev_speaker:
        return narrator, CONFIDENCE["nearest"], "nearest"
    return -1, 0.2, "nearest"


def _other_participant(sieve: _Sieve, anchor: int, a: int, turns, conv_of_turn, infos, speaker_of_turn, narrator, t) -> int | None:
    conv = conv_of_turn[anchor]
    # the addressee of the anchor's line
    vocs = set()
    for k in turns[anchor]:
        vocs |= infos[k].vocatives
    vocs.discard(a)
    if len(vocs) == 1:
        return next(iter(vocs))
    for d in range(1, 10):
        for u in (anchor - d, anchor + d):
            if 0 <= u < anchor and conv_of_turn[u] == conv:
                # a person who acts in the narration between two lines has joined the exchange since
                gap_start = sieve.quotes[turns[u][-1]].mark_end
                gap_end = sieve.quotes[turns[u + 1][0]].mark_start
                if sieve.paragraph_of(gap_end) - sieve.paragraph_of(gap_start) >= 2:
                    for ref in reversed(sieve._narration_subjects(gap_start, gap_end)):
                        if ref.kind == "char" and ref.char != a and sieve.cast.person[ref.char]:
                            return ref.char
            if 0 <= u < len(turns) and conv_of_turn[u] == conv:
                s = speaker_of_turn(u)
                if s >= 0 and s != a:
                    return s
    if narrator is not None and narrator != a:
        return narrator
    q = infos[turns[t][0]].quote
    i = bisect_left(sieve.narration_starts, q.start)
    for m in reversed(sieve.narration_mentions[max(0, i - 30):i]):
        if sieve.cast.person[m.character] and m.character != a:
            return m.character
    return None


def _thoughts(text: str, emphasis: Sequence[tuple[int, int]], quotes: list[QuoteSpan], paragraphs: list[Paragraph],
              sieve: _Sieve, first_person: dict[int, bool], used: set[int]) -> list[Utterance]:
    """Italic sentences or paragraphs outside quotes: thought or remembered speech."""
    out: list[Utterance] = []
    for start, end in emphasis:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start < 2 or sieve.in_quote(start) or len(text[start:end].split()) < 3:
            continue
        para = sieve.paragraphs[sieve.paragraph_of(start)]
        para_text = text[para.start:para.end]
        whole_paragraph = end - start >= 0.8 * len(para_text.strip())
        sentence_start = start == para.start or re.search(r"[.!?]\s*$", text[para.start:start]) is not None
        sentence_end = re.match(r"[.!?\u2026]", text[end - 1:end + 1]) is not None
        if not (whole_paragraph or (sentence_start and sentence_end)):
            continue
        chapter = sieve.chapter_of(start)
        if first_person.get(chapter):
            speaker = sieve.narrator_of(chapter)
        else:
            i = bisect_left(sieve.narration_starts, start)
            speaker = next((m.character for m in reversed(sieve.narration_mentions[max(0, i - 30):i]) if sieve.cast.person[m.character]), -1)
            if speaker < 0:
                continue
        used.add(speaker)
        out.append(Utterance(start, end, "thought", sieve.cast.characters[speaker].name, CONFIDENCE["thought"], "thought"))
    return out


def attribution_json(attribution: Attribution, to_source: Callable[[int], int] | None = None) -> dict:
    """The evaluation contract: characters and quotes, offsets mapped through ``to_source``.

    ``{"characters": [{"name", "aliases", "gender"}], "quotes": [{"start", "end", "speaker",
    "confidence", "rule"}]}``; thoughts are included with "kind": "thought".
    """
    mapper = to_source or (lambda offset: offset)
    return {
        "characters": [{"name": c.name, "aliases": list(c.aliases), "gender": c.gender} for c in attribution.characters],
        "quotes": [
            {"start": mapper(u.start), "end": mapper(u.end), "speaker": u.speaker, "confidence": u.confidence,
             "rule": u.rule, **({"kind": u.kind} if u.kind != "dialogue" else {})}
            for u in attribution.utterances
        ],
        "pov": {str(k): v for k, v in attribution.pov.items()},
        "warnings": list(attribution.warnings),
    }
