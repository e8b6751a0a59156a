"""Character discovery: proper names and honorifics found in the text, clustered into characters.

"Mr. Hale", "Hale", "Tobias Hale" and "Mr. H." become one character; "Mrs. Hale" stays apart
from "Mr. Hale". Gender comes from honorifics, a list of given names and the pronouns that follow a
name. The result is a :class:`Cast`: the characters plus every mention of them in the text, which the
attribution sieve reads (names in speech tags, recency, vocatives).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from audiobook.script.lexicon import (
    DIMINUTIVES,
    FEMALE_NAMES,
    HONORIFICS,
    MALE_NAMES,
    NOT_NAMES,
    PRONOUN_GENDER,
)
from audiobook.script.model import Character
from audiobook.script.speech_tags import SPEECH_VERBS

_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f](?:[A-Za-z\u00c0-\u024f'\u2019]|-(?=[A-Za-z\u00c0-\u024f]))*\.?")
_CONNECTORS = {"de", "van", "von", "du", "le", "la", "del", "della", "di", "da", "der", "den", "St.", "St"}
_SENTENCE_END = set(".!?\u2026")
_OPENERS = set("\"'\u201c\u2018(\u2014-_*[")
_ABBREVIATED = {"Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Mme", "Mlle", "Capt", "Col", "Prof", "Rev", "Lt", "Sgt", "M"}
_KIN_WORDS = {
    "Grandmamma": ("Grandmother",), "Grandmama": ("Grandmother",), "Grandma": ("Grandmother",),
    "Granny": ("Grandmother",), "Gran": ("Grandmother",), "Grandpapa": ("Grandfather",),
    "Grandpa": ("Grandfather",), "Grandad": ("Grandfather",), "Granddad": ("Grandfather",),
    "Mamma": ("Mother",), "Mama": ("Mother",), "Mum": ("Mother",), "Mummy": ("Mother",), "Mom": ("Mother",),
    "Papa": ("Father",), "Pa": ("Father",), "Dad": ("Father",), "Daddy": ("Father",),
}
"""What a family member is called in speech -> the word the narration uses after "the"."""
_NUMBER_WORDS = {"One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve"}
_PEERAGE = {"Duke", "Duchess", "Earl", "Countess", "Marquis", "Marquise", "Baron", "Baroness", "Count"}
"""Titles of nobility that make a name with "of" and a place ("the Duchess of Selvay")."""
_SIDE_BY_SIDE = 5
"""How often each word of a once-seen two-word name must stand alone for the pair to be two people."""
_PLACE_PREPOSITIONS = {"in", "at", "from", "to", "near", "into", "towards", "toward", "through", "across", "of", "on"}


@dataclass
class Mention:
    """A name in the text: ``start``/``end`` offsets (end exclusive), which character, and the form."""

    start: int
    end: int
    character: int
    form: str


@dataclass
class Cast:
    """Characters and their mentions, sorted by offset."""

    characters: list[Character]
    mentions: list[Mention] = field(default_factory=list)
    person: list[bool] = field(default_factory=list)
    """Whether each character shows evidence of being a person (speech tags, honorifics, given name)."""
    form_index: dict[str, int] = field(default_factory=dict)
    """Every known form (lowercase) -> character index."""

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        if not self.person:
            self.person = [True] * len(self.characters)

    def mention_at(self, offset: int) -> Mention | None:
        """The mention starting exactly at ``offset``."""
        i = bisect_left(self._starts, offset)
        if i < len(self.mentions) and self.mentions[i].start == offset:
            return self.mentions[i]
        return None

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """Mentions that start in ``[start, end)``."""
        i = bisect_left(self._starts, start)
        j = bisect_left(self._starts, end)
        return self.mentions[i:j]

    def index_of(self, name: str) -> int | None:
        return self.form_index.get(name.lower())

    def add(self, character: Character, person: bool = True) -> int:
        """Add a character (a minor speaker found later); returns its index."""
        self.characters.append(character)
        self.person.append(person)
        index = len(self.characters) - 1
        for form in [character.name, *character.aliases]:
            self.form_index.setdefault(form.lower(), index)
        return index


@dataclass
class _Form:
    title: str  # honorific ("Mr"), "the", or ""
    words: tuple[str, ...]
    count: int = 0

    @property
    def text(self) -> str:
        if self.title == "the":
            return "The " + " ".join(self.words)
        if self.title:
            title = self.title + ("." if self.title in ("Mr", "Mrs", "Ms", "Dr", "Mx", "St", "Mme", "Mlle", "Capt", "Col", "Prof", "Rev", "Lt", "Sgt") else "")
            return title + " " + " ".join(self.words)
        return " ".join(self.words)


def _strip_dot(word: str) -> str:
    return word[:-1] if word.endswith(".") else word


def _honorific(word: str) -> str | None:
    bare = _strip_dot(word)
    return bare if bare in HONORIFICS else None


def _tokens(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, word, sentence_start) for every word; a trailing full stop is kept on titles only."""
    out = []
    prev_end = 0
    sentence_start = True
    for match in _TOKEN.finditer(text):
        word = match.group()
        start, end = match.span()
        gap = text[prev_end:start]
        if prev_end == 0 or any(c in _SENTENCE_END for c in gap) or "\n\n" in gap or any(c in _OPENERS for c in gap):
            sentence_start = True
        if word.endswith("."):
            bare = word[:-1]
            if not (bare in _ABBREVIATED or len(bare) == 1):
                word = bare
                end -= 1
            else:
                # An initial or a title: the full stop does not end the sentence.
                pass
        out.append((start, end, word, sentence_start))
        sentence_start = text[end:end + 1] in _SENTENCE_END and not word.endswith(".")
        prev_end = end
    return out


def _name_words(tokens: list[tuple[int, int, str, bool]]) -> set[str]:
    cap_mid: Counter[str] = Counter()
    cap_any: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for i, (_, _, word, start) in enumerate(tokens):
        if word[0].isupper():
            cap_any[word] += 1
            if not start or (i + 1 < len(tokens) and tokens[i + 1][2] in SPEECH_VERBS):
                cap_mid[word] += 1
        else:
            lower[word] += 1
    # A surname that is also a common word ("Rose", "Small", "Hope"): capitalised mid-sentence right
    # after a given name at least twice, and alone mid-sentence (not after another capital) at least twice.
    after_given: Counter[str] = Counter()
    alone_mid: Counter[str] = Counter()
    for i in range(1, len(tokens)):
        word, start = tokens[i][2], tokens[i][3]
        if start or not word[0].isupper():
            continue
        prev = tokens[i - 1][2]
        if prev in MALE_NAMES or prev in FEMALE_NAMES:
            if tokens[i][0] - tokens[i - 1][1] == 1:
                after_given[word] += 1
        elif not prev[0].isupper():
            alone_mid[word] += 1
    names = set()
    for word, count in after_given.items():
        if count >= 2 and alone_mid.get(word, 0) >= 2 and word not in NOT_NAMES and not _honorific(word) \
                and not word.isupper() and not word.endswith(("'s", "\u2019s")) and word not in MALE_NAMES and word not in FEMALE_NAMES:
            names.add(word)
    for word, count in cap_any.items():
        if word in _NUMBER_WORDS:
            # "said Nine", "Eleven nodded": a number written with a capital mid-sentence and rarely
            # never in lower case is a name
            if cap_mid.get(word, 0) >= 2 and lower.get(word.lower(), 0) <= 0.5 * cap_mid[word]:
                names.add(word)
            continue
        if word in NOT_NAMES or _honorific(word) or word.isupper() and len(word) > 1 and word not in MALE_NAMES:
            if not (word.isupper() and word.title() in (MALE_NAMES | FEMALE_NAMES)):
                continue
        low = lower.get(word.lower(), 0)
        if word.endswith(("'s", "\u2019s")):
            continue
        mid = cap_mid.get(word, 0)
        given = word in MALE_NAMES or word in FEMALE_NAMES
        if given and low <= max(2, mid):
            names.add(word)
        elif mid >= 2 and low <= 0.15 * mid and mid >= 0.3 * count:
            names.add(word)
    return names


def _possessive(word: str) -> tuple[str, bool]:
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)], True
    return word, False


def _scan_forms(text: str, tokens, names: set[str]):
    """Yield (start, end, title, words) for every name-like stretch."""
    n = len(tokens)
    i = 0
    while i < n:
        start, end, word, sent_start = tokens[i]
        title = None
        j = i
        if word in ("the", "The") and i + 2 < n and _honorific(tokens[i + 1][2]) in _PEERAGE and tokens[i + 2][2] == "of":
            i += 1  # "the Duchess of Selvay": the title and its place make the name, not "the Duchess"
            continue
        hon = _honorific(word)
        if hon in _PEERAGE and i + 2 < n and tokens[i + 1][2] == "of" and tokens[i + 2][2][:1].isupper() \
                and tokens[i + 2][2] not in NOT_NAMES and re.fullmatch(r"\s+of\s+", text[end:tokens[i + 2][0]]):
            # "the Duchess of Selvay": a title of nobility and its place are a name
            place, _ = _possessive(tokens[i + 2][2])
            yield start, tokens[i + 2][0] + len(place), hon, ("of", place)
            i += 3
            continue
        if hon and word[0].isupper() and i + 1 < n:
            nxt = tokens[i + 1][2]
            nxt_bare, _ = _possessive(nxt)
            if nxt[0].isupper() and text[end:tokens[i + 1][0]].strip() == "" and (nxt_bare in names or not _honorific(nxt_bare) and nxt_bare not in NOT_NAMES):
                title = hon
                j = i + 1
        elif word in ("the", "The") and i + 1 < n and text[end:tokens[i + 1][0]] == " ":
            nxt_bare, _ = _possessive(tokens[i + 1][2])
            proper = nxt_bare in names or _honorific(nxt_bare) or (nxt_bare not in NOT_NAMES and len(nxt_bare) > 1 and not nxt_bare.isupper())
            if nxt_bare[0].isupper() and proper and not (nxt_bare in MALE_NAMES or nxt_bare in FEMALE_NAMES):
                title = "the"
                j = i + 1
        if title is None:
            bare, _ = _possessive(word)
            if (word in _CONNECTORS or word.lower() in _CONNECTORS) and i + 1 < n and _possessive(tokens[i + 1][2])[0] in names and text[end:tokens[i + 1][0]] == " ":
                # "de Vries", "van Loon": the particle belongs to the name
                rest = list(_scan_forms(text, tokens[i + 1:i + 6], names))
                if rest and rest[0][0] == tokens[i + 1][0]:
                    r_start, r_end, r_title, r_words = rest[0]
                    if not r_title:
                        yield start, r_end, "", (word[0].upper() + word[1:],) + r_words
                        i += 1 + len([t for t in tokens[i + 1:i + 6] if t[1] <= r_end])
                        continue
            if bare not in names:
                i += 1
                continue
        words: list[str] = []
        k = j
        last_end = end
        while k < n:
            w_start, w_end, w, _ = tokens[k]
            if k > j:
                gap = text[last_end:w_start]
                if gap not in (" ", "\n") and not (gap == " " and False):
                    break
            bare, poss = _possessive(w)
            if w in _CONNECTORS and k + 1 < n and tokens[k + 1][2][:1].isupper() and words:
                words.append(w)
                last_end = w_end
                k += 1
                continue
            accept = bare in names or (title and title != "the" and k == j and bare[:1].isupper() and bare not in NOT_NAMES)
            if title == "the" and k == j and bare[:1].isupper():
                accept = True
            if title and title != "the" and len(bare) == 2 and bare.endswith(".") and bare[0].isupper():
                accept = True  # Mr. H.
            if not accept or not bare[:1].isupper():
                break
            words.append(bare)
            last_end = w_end - (len(w) - len(bare))
            k += 1
            if poss:
                break
            if title == "the" and len(words) >= 3:
                break
        while words and words[-1] in _CONNECTORS:
            words.pop()
        if words:
            yield (start if title else tokens[j][0]), last_end, title or "", tuple(words)
            i = k
        else:
            i += 1


_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself|its|itself)\b", re.IGNORECASE)


def _pronoun_after(text: str, end: int) -> str | None:
    """"M", "F" or "N" (its/itself): the first third-person pronoun in the 120 characters after a mention that ends at
    ``end`` (same paragraph), unless a quote or a capitalised word comes first ("Tom shrugged his
    shoulders", not "Tom looked at Nell and she laughed"); None when there is none."""
    window = text[end:end + 120].split("\n\n")[0]
    found = _PRONOUN.search(window)
    if not found:
        return None
    between = window[:found.start()]
    if any(ch in between for ch in '"\u201c\u201d') or any(w not in NOT_NAMES for w in re.findall(r"\b[A-Z][a-z]+", between)):
        return None
    return PRONOUN_GENDER.get(found.group(1).lower(), "N")


def _gender_from_votes(votes: Counter, ranked: bool = False) -> str:
    """"M" or "F" when one kind of pronoun follows a name or noun at least twice as often as the other
    (and at least once), else "U". ``ranked``: the name carries a title that says nothing of gender
    (Colonel, Doctor); then a plain majority of at least three votes will do, as the pronouns after
    such a title are mostly the holder's own."""
    m, f = votes.get("M", 0), votes.get("F", 0)
    if votes.get("N", 0) >= max(2, m + f):
        return "U"  # "the Beetle ... its feelers": a creature the book calls "it"
    if m >= 2 * f + 1 or ranked and m + f >= 3 and m > f:
        return "M"
    if f >= 2 * m + 1 or ranked and m + f >= 3 and f > m:
        return "F"
    return "U"


def _gender_of_words(title: str, words: tuple[str, ...]) -> str:
    if title and title != "the":
        g = HONORIFICS.get(title, "U")
        if g != "U":
            return g
    if title == "the" and words and words[-1] in HONORIFICS:
        return HONORIFICS[words[-1]]
    first = words[0] if words else ""
    if first in MALE_NAMES and first not in FEMALE_NAMES:
        return "M"
    if first in FEMALE_NAMES and first not in MALE_NAMES:
        return "F"
    for word in words:
        # a Russian patronymic, as translations keep them: Lukitch and Semyonovitch are men, Semyonovna a woman
        if len(word) >= 7 and word.endswith(_PATRONYMIC_MALE):
            return "M"
        if len(word) >= 7 and word.endswith(_PATRONYMIC_FEMALE):
            return "F"
    return "U"


_PATRONYMIC_MALE = ("ovitch", "evitch", "ovich", "evich", "itch")
_PATRONYMIC_FEMALE = ("ovna", "evna", "ichna", "inichna")


_GIVEN_NAME_TITLES = {"Sir", "Lady", "Lord", "Aunt", "Uncle", "Dame", "Prince", "Princess", "Father", "Sister", "Brother",
                      "Mother", "Auntie", "Cousin", "Grandma", "Grandpa", "Granny"}
"""Titles written before a given name (Sir John, Aunt Polly) rather than a surname."""

_MARRIED = {"Mrs", "Missus", "Madame", "Mme", "Frau", "Signora", "Senora", "Señora", "Lady"}
_UNMARRIED = {"Miss", "Mlle", "Mademoiselle", "Fraulein"}


def _title_class(title: str) -> str:
    g = HONORIFICS.get(title, "U")
    if title in _UNMARRIED:
        return "Fu"
    if g == "F":
        return "F"
    return g


def discover(text: str, quote_spans: Sequence[tuple[int, int]] = ()) -> Cast:
    """Find the characters of ``text`` and all their mentions (in narration and in quotes)."""
    tokens = _tokens(text)
    names = _name_words(tokens)
    raw = list(_scan_forms(text, tokens, names))
    forms: dict[tuple[str, tuple[str, ...]], _Form] = {}
    for _, _, title, words in raw:
        key = (title, words)
        if key not in forms:
            forms[key] = _Form(title, words)
        forms[key].count += 1

    # --- clustering -------------------------------------------------------------------------------
    parent: dict[tuple, tuple] = {key: key for key in forms}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    apart = _named_together(text, raw)

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    def side_by_side(key) -> bool:
        """A two-word "full name" seen once whose words are each used alone often: two people written
        next to each other ("Grigor and Vera<line break>Grigor in his coat"), not one."""
        words = key[1]
        return (forms[key].count == 1 and len(words) == 2
                and all(forms.get(("", (w,)), _Form("", ())).count >= _SIDE_BY_SIDE for w in words))

    full = [k for k in forms if k[0] == "" and len(k[1]) >= 2 and (forms[k].count >= 2 or _gender_of_words("", k[1]) != "U")
            and not side_by_side(k)]
    by_first: dict[str, list] = defaultdict(list)
    by_last: dict[str, list] = defaultdict(list)
    for key in full:
        by_first[key[1][0]].append(key)
        by_last[key[1][-1]].append(key)
    titled = [k for k in forms if k[0] not in ("", "the")]
    titled_by_last: dict[str, list] = defaultdict(list)
    for key in titled:
        if key[1][0] != "of":  # "the Duchess of Selvay" is not a Mrs. Selvay
            titled_by_last[key[1][-1]].append(key)
        if len(key[1]) >= 2 and ("", key[1]) in forms:
            union(("", key[1]), key)  # Mr. Tobias Hale ~ Tobias Hale
    # Titled single names: Mr. Hale joins Tobias Hale when he is the only Hale of that gender.
    for key in titled:
        title, words = key
        cls = _title_class(title)
        if len(words) == 1 and not words[0].endswith("."):
            w = words[0]
            candidates = [f for f in by_last.get(w, []) if _compatible(_gender_of_words("", f[1]), cls)
                          and frozenset((key, f)) not in apart]  # "Mrs. Hale looked up as Kate Hale came in"
            full_gender = _gender_of_words("", candidates[0][1]) if len(candidates) == 1 else "U"
            same_last_titles = {_title_class(t[0]) for t in titled_by_last.get(w, []) if _compatible(full_gender, _title_class(t[0]))}
            if len(candidates) == 1 and full_gender != "U":
                by_last_w = [f for f in by_last.get(w, []) if _compatible(full_gender, _title_class(f[0]) if f[0] else _gender_of_words("", f[1]))]
            else:
                by_last_w = by_last.get(w, [])
            if len(candidates) == 1 and len(by_last_w) == 1 and len(same_last_titles) == 1:
                union(candidates[0], key)
            elif not candidates:
                firsts = [f for f in by_first.get(w, []) if _compatible(_gender_of_words("", f[1]), cls)]
                if len(firsts) > 1:
                    # Lord Edmund: of Edmund Hale and Edmund Roe, the one also written "Lord Edmund Hale"
                    firsts = [f for f in firsts if (title, f[1]) in forms] or firsts
                miss_given = title in _UNMARRIED and w in FEMALE_NAMES  # Miss Nora is Nora
                if len(firsts) == 1 and (cls in ("M", "F", "U") and title in _GIVEN_NAME_TITLES or miss_given):
                    union(firsts[0], key)
                elif not firsts and miss_given and ("", (w,)) in forms:
                    union(("", (w,)), key)
        elif len(words) >= 2:
            inner = ("", words)
            if inner not in forms:
                # Mr. Tobias Hale with no bare full form: join Mr. Hale, unless the book names another
                # of the same kind with that surname (Miss Hale is the eldest of Lottie and Prue Hale).
                # A married woman is named after her husband (Mrs. Tobias Hale), so a Lottie Hale
                # does not stand in her way.
                short = (title, (words[-1],))
                others = {k[1][0] for k in titled if len(k[1]) > 1 and k[1][-1] == words[-1] and _title_class(k[0]) == cls}
                if title not in _MARRIED:
                    others |= {f[1][0] for f in by_last.get(words[-1], []) if _compatible(_gender_of_words("", f[1]), cls)}
                if short in forms and not others - {words[0]}:
                    union(short, key)
    # Mrs. Tabitha is Mrs. Tabitha Hale: a title before a given name alone joins the one person the
    # book names in full with a title of the same kind and that given name, when the word is nobody's
    # surname.
    for key in titled:
        title, words = key
        w = words[0]
        if len(words) != 1 or w.endswith(".") or by_last.get(w) or any(len(k[1]) > 1 and k[1][-1] == w for k in titled):
            continue
        longer = {find(k) for k in titled if len(k[1]) > 1 and k[1][0] == w and _title_class(k[0]) == _title_class(title)}
        if len(longer) == 1:
            union(next(iter(longer)), key)
    # Same-class titles with the same surname: "Mr Hale" and "Mr. Hale" are one.
    # Initials: Mr. H. joins the only same-class titled name starting with D.
    for key in titled:
        title, words = key
        if len(words) == 1 and words[0].endswith(".") and len(words[0]) == 2:
            cls = _title_class(title)
            matches = {find(k) for k in titled if k != key and _title_class(k[0]) == cls and k[1][-1].startswith(words[0][0]) and not k[1][-1].endswith(".")}
            if len(matches) == 1:
                union(next(iter(matches)), key)
    # Bare single names.
    for key in forms:
        title, words = key
        if title or len(words) != 1:
            continue
        w = words[0]
        firsts = by_first.get(w, [])
        lasts = by_last.get(w, [])
        titled_here = titled_by_last.get(w, [])
        male_titled = [k for k in titled_here if HONORIFICS.get(k[0]) == "M"]
        if len({find(f) for f in firsts}) == 1 and firsts:
            union(firsts[0], key)
        elif not firsts and male_titled:
            union(max(male_titled, key=lambda k: forms[k].count), key)
        elif not firsts and len({find(f) for f in lasts}) == 1 and lasts:
            union(lasts[0], key)
        elif not firsts:
            if titled_here:
                # The bare surname goes to the most mentioned titled form (usually the man: "Hale").
                best = max(titled_here, key=lambda k: (HONORIFICS.get(k[0]) == "M", forms[k].count))
                union(best, key)
            elif lasts:
                best = max(lasts, key=lambda k: forms[k].count)
                union(best, key)
    # "the" forms: the Heron joins the Grey Heron when that is the only one ending so.
    the_forms = [k for k in forms if k[0] == "the"]
    for key in the_forms:
        words = key[1]
        if len(words) == 1:
            longer = [k for k in the_forms if len(k[1]) > 1 and k[1][-1] == words[0]]
            if len({find(k) for k in longer}) == 1 and longer:
                union(longer[0], key)
        bare = ("", words)
        if bare in forms:
            union(key, bare)

    # "Kate Oduya" is "Katherine Oduya": a pet name with the surname of the full name.
    for key in forms:
        title, words = key
        if len(words) == 2 and words[0] in DIMINUTIVES:
            for full_name in DIMINUTIVES[words[0]]:
                for t in ("", title):
                    other = (t, (full_name, words[1]))
                    if other in forms:
                        union(other, key)
    # "Grandmamma!" is the one the narration calls "the Grandmother": a family word joins its "the" form.
    for key in forms:
        title, words = key
        if title or len(words) != 1:
            continue
        for kin in _KIN_WORDS.get(words[0], ()):
            if ("the", (kin,)) in forms:
                union(("the", (kin,)), key)
                break
    _join_pet_names(forms, raw, quote_spans, find, union)

    clusters: dict[tuple, list[tuple]] = defaultdict(list)
    for key in forms:
        clusters[find(key)].append(key)

    # --- evidence: speech tags, pronouns, places ----------------------------------------------------
    key_of_mention = []
    for start, end, title, words in raw:
        key_of_mention.append(find((title, words)))
    tag_votes: Counter = Counter()
    pronoun_votes: dict[tuple, Counter] = defaultdict(Counter)
    place_votes: Counter = Counter()
    vocative_votes: Counter = Counter()
    totals: Counter = Counter()
    for (start, end, title, words), root in zip(raw, key_of_mention):
        totals[root] += 1
        after = text[end:end + 40].lower()
        before = text[max(0, start - 30):start].lower()
        m = re.match(r"[\s,]*(\w+(?: \w+)?)", after)
        if m and re.search(r"[\"\u201d\u2019'][\s,]*(?:[Tt]he\s+)?$", before):
            w = m.group(1).split()
            if w and (w[0] in SPEECH_VERBS or " ".join(w[:2]) in SPEECH_VERBS):
                tag_votes[root] += 1
        if re.search(r"(?:,|[\"\u201c\u2018]|\bdear)\s*$", before) and re.match(r"[,!?.;][\"\u201d\u2019]?(?:\s|$)", after):
            vocative_votes[root] += 1  # "You came back, Mara," / "Mara, wait!" / "It is late, Mara." / "My dear Mara,"
        bm = re.search(r"(\w+)(?:\s+the)?[\s,]*$", before)
        if bm and bm.group(1) in SPEECH_VERBS and re.search(r"[\"\u201d\u2019'][\s,]*\w+(?:\s+the)?[\s,]*$", text[max(0, start - 40):start]):
            tag_votes[root] += 1
        if bm and bm.group(1) in _PLACE_PREPOSITIONS:
            place_votes[root] += 1
        elif title != "the":
            pm2 = re.search(r"\b(\w+) ([A-Z][a-z]+) $", text[max(0, start - 30):start])
            if pm2 and pm2.group(1) in _PLACE_PREPOSITIONS and pm2.group(2) not in names and not _honorific(pm2.group(2)):
                place_votes[root] += 1  # "at Long Meadows" when only "Meadows" is taken for a name
        gender = _pronoun_after(text, end)
        if gender:
            pronoun_votes[root][gender] += 1

    characters: list[Character] = []
    person: list[bool] = []
    root_index: dict[tuple, int] = {}
    form_index: dict[str, int] = {}
    for root, keys in clusters.items():
        count = sum(forms[k].count for k in keys)
        titled_keys = [k for k in keys if k[0] not in ("", "the")]
        gender = "U"
        title_genders = {HONORIFICS.get(k[0], "U") for k in titled_keys} - {"U"}
        if len(title_genders) == 1:
            gender = next(iter(title_genders))
        else:
            named = Counter(_gender_of_words(k[0], k[1]) for k in keys for _ in range(forms[k].count))
            named.pop("U", None)
            if named:
                gender = named.most_common(1)[0][0]
        votes = pronoun_votes.get(root, Counter())
        if gender == "U":
            gender = _gender_from_votes(votes, ranked=bool(titled_keys))
        is_person = bool(
            titled_keys
            or tag_votes.get(root, 0) >= 1
            or vocative_votes.get(root, 0) >= 2
            or any(_gender_of_words("", k[1]) != "U" for k in keys if k[0] == "")
            or (sum(votes.values()) >= 2 and place_votes.get(root, 0) < 0.3 * count)
        )
        if place_votes.get(root, 0) >= 0.5 * count and tag_votes.get(root, 0) == 0 and not titled_keys:
            is_person = False
        if all(k[0] == "the" for k in keys if forms[k].count) and not tag_votes.get(root, 0) and not any(k[1][-1] in HONORIFICS for k in keys):
            is_person = False
        if all(k[0] in ("", "the") and len(k[1]) == 1 for k in keys) and tag_votes.get(root, 0) == 0 and sum(votes.values()) < 3:
            is_person = is_person and (any(_gender_of_words("", k[1]) != "U" for k in keys)
                                       or vocative_votes.get(root, 0) >= 3)
        name = _canonical(keys, forms)
        aliases = sorted({forms[k].text for k in keys} - {name})
        root_index[root] = len(characters)
        characters.append(Character(name=name, aliases=aliases, gender=gender))
        person.append(is_person)
    for root, keys in clusters.items():
        for k in keys:
            form_index.setdefault(forms[k].text.lower(), root_index[root])
            if k[0] == "the":
                form_index.setdefault(" ".join(k[1]).lower(), root_index[root])
    mentions = [
        Mention(start, end, root_index[root], forms[(title, words)].text)
        for (start, end, title, words), root in zip(raw, key_of_mention)
    ]
    cast = Cast(characters=characters, mentions=mentions, person=person, form_index=form_index)
    cast.tag_votes = [tag_votes.get(root, 0) for root in clusters]  # type: ignore[attr-defined]
    cast.counts = [sum(forms[k].count for k in keys) for keys in clusters.values()]  # type: ignore[attr-defined]
    return cast


def _join_pet_names(forms: dict, raw: list, quote_spans: Sequence[tuple[int, int]], find, union) -> None:
    """Katie joins Katherine, Ned joins Lord Edward: a pet name that people use when they speak to or of
    someone (at least 80% of its mentions inside quotes) joins the one character called by the full
    name in the narration. A pet name the narration itself uses is taken as a name of its own."""
    if not quote_spans:
        return
    spans = sorted(quote_spans)
    starts = [a for a, _ in spans]

    def quoted(offset: int) -> bool:
        i = bisect_left(starts, offset + 1) - 1
        return i >= 0 and offset < spans[i][1]

    inside: Counter = Counter()
    total: Counter = Counter()
    for start, _, title, words in raw:
        total[(title, words)] += 1
        if quoted(start):
            inside[(title, words)] += 1
    weight: Counter = Counter()
    for key, count in total.items():
        weight[find(key)] += count
    members: dict[tuple, list[tuple]] = defaultdict(list)
    for key in forms:
        members[find(key)].append(key)
    for key in list(forms):
        title, words = key
        if title or len(words) != 1 or words[0] not in DIMINUTIVES:
            continue
        own = find(key)
        if any(len(k[1]) > 1 or (k[0] and k[1] != words) for k in members[own]):
            continue  # "Ned Hale": a name of its own ("Miss Katie" is still the pet name)
        said = sum(inside[k] for k in members[own])
        if said < 0.8 * sum(total[k] for k in members[own]):
            continue
        gender = _gender_of_words("", words)
        full_names = set(DIMINUTIVES[words[0]])
        targets: Counter = Counter()
        for other in forms:
            o_title, o_words = other
            if o_title == "the" or o_words[0] not in full_names or find(other) == own:
                continue
            if o_title and (o_title not in _GIVEN_NAME_TITLES or not _compatible(gender, _title_class(o_title))):
                continue  # Mr. James is a surname; Lady Henry is someone else
            if not o_title and not _compatible(gender, _gender_of_words("", o_words)):
                continue
            targets[find(other)] = weight[find(other)]
        ranked = targets.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] >= 4 * ranked[1][1]):
            union(ranked[0][0], key)


def _named_together(text: str, raw: list) -> set[frozenset]:
    """Pairs of forms named in one sentence (no sentence end, paragraph break or quote mark between):
    "Mrs. Hale looked up as Kate Hale came in" names two people."""
    pairs: set[frozenset] = set()
    run: list[tuple] = []
    last_end = 0
    for start, end, title, words in raw:
        gap = text[last_end:start]
        if run and (re.search(r"[.!?;\"\u201c\u201d]|\n\n", gap) or start - last_end > 200):
            run = []
        key = (title, words)
        pairs.update(frozenset((key, other)) for other in run if other != key)
        run.append(key)
        last_end = end
    return pairs


def _compatible(gender: str, cls: str) -> bool:
    if gender == "U" or cls == "U":
        return True
    return gender == cls[0]


def _canonical(keys: list[tuple], forms: dict) -> str:
    def score(k):
        f = forms[k]
        tokens = len(f.words) + (1 if f.title and f.title != "the" else 0)
        weight = f.count * (1.5 if f.title and f.title != "the" and len(f.words) == 1 else 1.0)
        if tokens > 2:
            weight *= 0.5
        if len(f.words) == 1 and f.words[0].endswith("."):
            weight *= 0.1
        return (weight, -tokens)
    best = forms[max(keys, key=score)]
    if not best.title and len(best.words) == 1:
        # a bare surname ("Small") is named by the full form when there is one ("Jonathan Small")
        full = [forms[k] for k in keys if not forms[k].title and len(forms[k].words) == 2
                and forms[k].count >= 2 and forms[k].words[1] == best.words[0]
                and (forms[k].words[0] in MALE_NAMES or forms[k].words[0] in FEMALE_NAMES)]
        if full:
            return max(full, key=lambda f: f.count).text
    return best.text


def cast_from_characters(text: str, characters: Iterable[Character]) -> Cast:
    """A :class:`Cast` for a given character list: every name and alias found in the text."""
    chars = list(characters)
    form_index: dict[str, int] = {}
    for i, ch in enumerate(chars):
        for form in [ch.name, *ch.aliases]:
            form = form.strip()
            if form:
                form_index.setdefault(form.lower(), i)
    # Also allow "the X" written lowercase in the text for a form "The X".
    patterns = sorted(form_index, key=len, reverse=True)
    mentions: list[Mention] = []
    if patterns:
        regex = re.compile(r"(?<![\w])(" + "|".join(re.escape(p) for p in patterns) + r")(?![\w])", re.IGNORECASE)
        for match in regex.finditer(text):
            found = match.group(1)
            if not found[0].isupper() and not found.lower().startswith("the "):
                continue
            if found.lower().startswith("the ") and not found[4:5].isupper():
                continue
            mentions.append(Mention(match.start(), match.end(), form_index[found.lower()], found))
    votes: dict[int, Counter] = defaultdict(Counter)
    for mention in mentions:
        gender = _pronoun_after(text, mention.end)
        if gender:
            votes[mention.character][gender] += 1
    for i, ch in enumerate(chars):
        if ch.gender not in ("M", "F"):
            ch.gender = _guess_gender(ch)
        if ch.gender not in ("M", "F"):
            ch.gender = _gender_from_votes(votes[i])
    return Cast(characters=chars, mentions=mentions, person=[True] * len(chars), form_index=form_index)


def _guess_gender(ch: Character) -> str:
    for form in [ch.name, *ch.aliases]:
        words = form.replace(".", " ").split()
        if not words:
            continue
        if words[0] in HONORIFICS and HONORIFICS[words[0]] != "U":
            return HONORIFICS[words[0]]
        if words[0].lower() == "the" and len(words) > 1 and words[-1] in HONORIFICS and HONORIFICS[words[-1]] != "U":
            return HONORIFICS[words[-1]]
        g = _gender_of_words("", tuple(words))
        if g != "U":
            return g
    return "U"
