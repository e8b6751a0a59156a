"""The production's pronunciation lexicon: how to say the names and words an engine gets wrong.

File format
-----------
A TOML file, by default ``lexicon.toml`` beside the production script. Each entry is a table under
``[words]`` whose key is the word or phrase as written in the manuscript::

    format = 1

    [words.Siobhan]
    respelling = "shi-VAWN"          # plain letters any engine reads; capitals mark the stress
    espeak = "S@v'A:n"               # espeak-ng phoneme mnemonics (with or without [[ ]])
    piper = "ʃɪˈvɔːn"                # IPA, for engines that take phonemes (Piper)

    [words."Saint John"]             # a phrase: quote the key; any run of spaces matches
    respelling = "SIN-jin"

    [words.Reading]                  # the town, not the verb
    respelling = "REDDING"
    case_sensitive = true            # default false: "siobhan" and "SIOBHAN" match too

    [words.Ael]
    respelling = "ALE"
    whole_word = false               # default true: also inside "Aeldred"

Every entry needs at least one of ``respelling``, ``espeak`` or ``piper``. ``note`` (free text for
the narrator or director) is kept but never spoken.

What an engine gets (``Lexicon.apply(text, engine)``):

- ``espeak``: the espeak field as espeak-ng inline phoneme input ``[[S@v'A:n]]``, else the
  respelling. espeak-ng reads ``[[...]]`` as phonemes only when it is called with its
  ``espeakPHONEMES`` flag, which the project's espeak engine passes (without it espeak-ng spells
  the brackets and mnemonics out loud, measured: twice as long as the word).
- ``piper``: the IPA field as Piper's raw phoneme block ``[[ʃɪˈvɔːn]]`` (piper-tts 1.3+ splits
  text on ``[[...]]`` and sends the block's characters to the voice as phonemes), else the
  respelling.
- any other engine: the respelling. An entry with nothing the engine can use leaves the text alone.

Matching: longest entries first (so "Saint John" wins over "John"), each entry whole-word by
default and case-insensitive by default; leftmost match wins.

``Lexicon.to_pls()`` exports the W3C Pronunciation Lexicon Specification 1.0 (alphabet "ipa" from
the piper field, ``<alias>`` from respellings, espeak mnemonics as ``alphabet="x-espeak"``).

``suggest()`` lists the names and unusual words in a book that the lexicon lacks, with counts.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.atomic import write_text_atomic
from audiobook.casting import wordlist
from audiobook.casting.toml_text import toml_string
from audiobook.errors import InputError

DEFAULT_FILENAME = "lexicon.toml"
FORMAT_VERSION = 1
PHONEME_ENGINES = {"espeak": "espeak", "piper": "piper"}
"""Engine name -> the entry field holding phonemes that engine reads inside ``[[...]]``."""

_ENTRY_KEYS = {"respelling", "espeak", "piper", "case_sensitive", "whole_word", "note"}
PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"


@dataclass(frozen=True)
class LexiconEntry:
    """One word or phrase and how to say it.

    ``respelling`` is plain text any engine reads ("shi-VAWN"); ``espeak`` is espeak-ng phoneme
    mnemonics without the ``[[ ]]`` ("S@v'A:n"); ``piper`` is IPA ("ʃɪˈvɔːn").
    """

    word: str
    respelling: str | None = None
    espeak: str | None = None
    piper: str | None = None
    case_sensitive: bool = False
    whole_word: bool = True
    note: str | None = None

    def __post_init__(self) -> None:
        if self.espeak:
            object.__setattr__(self, "espeak", _strip_brackets(self.espeak))
        if self.piper:
            object.__setattr__(self, "piper", _strip_brackets(self.piper))

    def problem(self) -> str | None:
        """What is wrong with this entry, or None."""
        if not self.word.strip():
            return "the word is empty"
        if not (self.respelling or self.espeak or self.piper):
            return "needs a respelling, espeak or piper pronunciation"
        for name in ("respelling", "espeak", "piper"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                return f"{name} is empty"
            if value and ("[[" in value or "]]" in value):
                return f"{name} must not contain '[[' or ']]' inside"
        return None

    def spoken(self, engine: str) -> str | None:
        """What ``engine`` should get for this entry, or None when the entry has nothing for it."""
        phoneme_field = PHONEME_ENGINES.get(engine)
        phonemes = getattr(self, phoneme_field) if phoneme_field else None
        if phonemes:
            return f"[[{phonemes}]]"
        return self.respelling

    def pattern(self) -> str:
        """The regular expression (without flags) that finds this entry in text."""
        words = [re.escape(part) for part in self.word.split()]
        body = r"\s+".join(words)
        if not self.case_sensitive:
            body = f"(?i:{body})"
        if self.whole_word:
            body = rf"(?<!\w){body}(?!\w)"
        return body


def _strip_brackets(value: str) -> str:
    value = value.strip()
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2].strip()
    return value


@dataclass
class Lexicon:
    """A production's pronunciation lexicon: entries keyed by the word as written."""

    entries: list[LexiconEntry] = field(default_factory=list)
    path: Path | None = None
    _compiled: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _order: list[LexiconEntry] = field(default_factory=list, init=False, repr=False, compare=False)

    # -- reading and writing ------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Lexicon:
        """Read a lexicon file; a missing file is an empty lexicon.

        Raises InputError naming the file (and the entry) when the TOML or an entry is bad.
        """
        path = Path(path)
        if not path.exists():
            return cls(path=path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise InputError(f"{path}: lexicon is not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: lexicon is not valid TOML: {exc}") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read lexicon: {exc.strerror}") from None
        version = data.get("format", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise InputError(f"{path}: lexicon format {version!r} is not supported (expected 1)")
        unknown_top = set(data) - {"format", "words"}
        if unknown_top:
            raise InputError(
                f"{path}: unknown lexicon section {sorted(unknown_top)[0]!r} (entries go under [words])"
            )
        words = data.get("words", {})
        if not isinstance(words, dict):
            raise InputError(f"{path}: 'words' must be a table of entries")
        lexicon = cls(path=path)
        for word, spec in words.items():
            lexicon.entries.append(_entry_from_toml(path, word, spec))
        return lexicon

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the lexicon as TOML, atomically (temporary file, then rename). Returns the path."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise InputError("lexicon has no file name to save to")
        write_text_atomic(target, self.to_toml())
        self.path = target
        return target

    def to_toml(self) -> str:
        """The lexicon as TOML text in the documented format (entries sorted by word)."""
        lines = [
            "# Pronunciation lexicon for this production (see docs/lexicon.md).",
            f"format = {FORMAT_VERSION}",
        ]
        for entry in sorted(self.entries, key=lambda e: (e.word.lower(), e.word)):
            lines.append("")
            lines.append(f"[words.{_toml_key(entry.word)}]")
            for name in ("respelling", "espeak", "piper", "note"):
                value = getattr(entry, name)
                if value is not None:
                    lines.append(f"{name} = {toml_string(value)}")
            if entry.case_sensitive:
                lines.append("case_sensitive = true")
            if not entry.whole_word:
                lines.append("whole_word = false")
        return "\n".join(lines) + "\n"

    # -- editing and lookup -------------------------------------------------------------------

    def add(self, entry: LexiconEntry) -> None:
        """Add an entry, replacing one for the same word (same case rule). Raises InputError if bad."""
        problem = entry.problem()
        if problem:
            raise InputError(f"lexicon entry {entry.word!r}: {problem}")
        self.entries = [e for e in self.entries if not _same_key(e, entry)] + [entry]
        self._compiled = None

    def remove(self, word: str) -> bool:
        """Remove the entries for ``word`` (exact spelling, or any case for case-insensitive ones)."""
        before = len(self.entries)
        self.entries = [
            e for e in self.entries
            if not (e.word == word or (not e.case_sensitive and e.word.lower() == word.lower()))
        ]  # fmt: skip
        self._compiled = None
        return len(self.entries) != before

    def lookup(self, word: str) -> LexiconEntry | None:
        """The entry that a whole ``word`` (or phrase) would match, or None."""
        for entry in self._ordered():
            if re.fullmatch(entry.pattern(), word):
                return entry
        return None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self.entries)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.lookup(word) is not None

    # -- applying -----------------------------------------------------------------------------

    def _ordered(self) -> list[LexiconEntry]:
        if self._compiled is None:
            self._order = sorted(self.entries, key=lambda e: (-len(e.word), e.word))
            patterns = [f"({e.pattern()})" for e in self._order]
            self._compiled = re.compile("|".join(patterns)) if patterns else re.compile(r"(?!)")
        return self._order

    def segments(self, text: str, engine: str) -> list[tuple[str, bool]]:
        """Split ``text`` into (piece, replaced) pairs: replaced pieces are the lexicon's output
        for ``engine``, the others are the original text."""
        order = self._ordered()
        assert self._compiled is not None
        pieces: list[tuple[str, bool]] = []
        pos = 0
        for match in self._compiled.finditer(text):
            entry = order[(match.lastindex or 1) - 1]
            spoken = entry.spoken(engine)
            if spoken is None:
                continue
            if match.start() > pos:
                pieces.append((text[pos : match.start()], False))
            pieces.append((spoken, True))
            pos = match.end()
        if pos < len(text):
            pieces.append((text[pos:], False))
        return pieces

    def apply(self, text: str, engine: str) -> str:
        """Replace every lexicon word in ``text`` with what ``engine`` should read (see module doc)."""
        return "".join(piece for piece, _ in self.segments(text, engine))

    # -- export -------------------------------------------------------------------------------

    def to_pls(self, lang: str = "en-US") -> str:
        """The lexicon as W3C Pronunciation Lexicon Specification 1.0 XML.

        IPA (the piper field) becomes ``<phoneme>`` in the default "ipa" alphabet, espeak
        mnemonics ``<phoneme alphabet="x-espeak">``, respellings ``<alias>``.
        """
        ET.register_namespace("", PLS_NAMESPACE)
        ns = f"{{{PLS_NAMESPACE}}}"
        root = ET.Element(
            f"{ns}lexicon",
            {"version": "1.0", "alphabet": "ipa", "{http://www.w3.org/XML/1998/namespace}lang": lang},
        )
        for entry in sorted(self.entries, key=lambda e: (e.word.lower(), e.word)):
            lexeme = ET.SubElement(root, f"{ns}lexeme")
            ET.SubElement(lexeme, f"{ns}grapheme").text = entry.word
            if entry.piper:
                ET.SubElement(lexeme, f"{ns}phoneme").text = entry.piper
            if entry.espeak:
                ET.SubElement(lexeme, f"{ns}phoneme", {"alphabet": "x-espeak"}).text = entry.espeak
            if entry.respelling:
                ET.SubElement(lexeme, f"{ns}alias").text = entry.respelling
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def default_path(script_path: str | os.PathLike[str]) -> Path:
    """Where a production's lexicon lives: ``lexicon.toml`` beside its production script."""
    return Path(script_path).parent / DEFAULT_FILENAME


def _same_key(a: LexiconEntry, b: LexiconEntry) -> bool:
    if a.case_sensitive or b.case_sensitive:
        return a.word == b.word and a.case_sensitive == b.case_sensitive
    return a.word.lower() == b.word.lower()


def _entry_from_toml(path: Path, word: str, spec: object) -> LexiconEntry:
    where = f"{path}: entry {word!r}"
    if not isinstance(spec, dict):
        raise InputError(f"{where}: must be a table (write [words.{_toml_key(word)}])")
    unknown = set(spec) - _ENTRY_KEYS
    if unknown:
        raise InputError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    for name in ("respelling", "espeak", "piper", "note"):
        if name in spec and not isinstance(spec[name], str):
            raise InputError(f"{where}: {name} must be a string")
    for name in ("case_sensitive", "whole_word"):
        if name in spec and not isinstance(spec[name], bool):
            raise InputError(f"{where}: {name} must be true or false")
    entry = LexiconEntry(
        word=word,
        respelling=spec.get("respelling"),
        espeak=spec.get("espeak"),
        piper=spec.get("piper"),
        case_sensitive=spec.get("case_sensitive", False),
        whole_word=spec.get("whole_word", True),
        note=spec.get("note"),
    )
    problem = entry.problem()
    if problem:
        raise InputError(f"{where}: {problem}")
    return entry


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


# ---------------------------------------------------------------------------------------------
# espeak-ng's own reading of a word, as a starting point for an entry
# ---------------------------------------------------------------------------------------------


_PHONEMIZE = """
import ctypes, json, sys
import espeakng_loader
lib = ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
if lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0) < 0:
    sys.exit("espeak-ng did not start")
lib.espeak_SetVoiceByName(sys.argv[1].encode())
lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
result = []
for text in json.loads(sys.stdin.read()):
    pointer = ctypes.c_char_p(text.encode("utf-8"))
    parts = []
    while pointer.value:
        parts.append((lib.espeak_TextToPhonemes(ctypes.byref(pointer), 1, int(sys.argv[2])) or b"").decode())
    result.append(" ".join(p for p in parts if p))
print(json.dumps(result))
"""


def espeak_phonemes(words: list[str], *, ipa: bool = False, voice: str = "en-us") -> list[str]:
    """How espeak-ng says each of ``words`` now: its mnemonics ("SI2v'O:n") or, with ``ipa``,
    IPA ("ʃɪvˈɔːn"). A starting point for an entry's ``espeak`` or ``piper`` field.

    Runs espeak-ng in a child process (~0.3 s), because espeak-ng keeps one instance per process
    and the engine may already own it. Raises BuildError if espeak-ng cannot run.
    """
    import subprocess
    import sys

    from audiobook.errors import BuildError

    if not words:
        return []
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PHONEMIZE, voice, "2" if ipa else "0"],
            input=json.dumps(words), capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        return list(json.loads(done.stdout.strip().splitlines()[-1]))
    except (subprocess.SubprocessError, ValueError, IndexError) as exc:
        raise BuildError(f"espeak-ng could not phonemise the words: {exc}") from None


# ---------------------------------------------------------------------------------------------
# Suggestions: the names and unusual words a book needs entries for
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?:;\"\u201c\u201d\u2014(\n]\s*$|^\s*$")
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def _inflection_stems(word: str) -> Iterator[str]:
    """The word and the stems its common English endings may hide ("walked" -> "walk"), and the
    American spelling of British forms ("harbour" -> "harbor", "centre" -> "center")."""
    yield word
    for suffix, repl in (
        ("'s", ""), ("\u2019s", ""), ("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"),
        ("d", ""), ("ing", ""), ("ing", "e"), ("er", ""), ("er", "e"), ("est", ""), ("ly", ""),
        ("ness", ""), ("iness", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("ily", "y"),
        ("n't", ""), ("'ll", ""), ("'re", ""), ("'ve", ""), ("'d", ""), ("'m", ""),
        ("our", "or"), ("ours", "ors"), ("ise", "ize"), ("ised", "ize"), ("ising", "ize"),
        ("tre", "ter"), ("ogue", "og"), ("lled", "led"), ("lling", "ling"),
    ):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: len(word) - len(suffix)] + repl
            yield stem
            if len(stem) > 2 and stem[-1] == stem[-2] and suffix in ("ed", "ing", "er", "est"):
                yield stem[:-1]  # "stopped" -> "stopp" -> "stop"


def _known(word: str, vocabulary: Collection[str]) -> bool:
    return any(stem in vocabulary for stem in _inflection_stems(word.lower()))


def suggest(
    texts: Iterable[str],
    lexicon: Lexicon,
    known_words: Collection[str] | None = None,
    *,
    min_count: int = 1,
    engine_dictionary: bool = True,
) -> list[tuple[str, int]]:
    """The proper names and unusual words in ``texts`` that ``lexicon`` lacks, most frequent first.

    A word is *unusual* when neither it nor its stem (walked -> walk) is in ``known_words``
    (lower case; default: Webster's Second plus GCIDE, ~264k words, from ``english-words``).
    A word is a *name* when it appears capitalised in mid-sentence and never in lower case; a
    name is held to a stricter list, GCIDE's headwords (which know "London" and "Hope" but not
    Webster's long tail of rare names such as "Aoife"). With ``engine_dictionary`` (default) words that
    espeak-ng's own English dictionary spells out ("Siobhan", "Yosemite") are left out as well,
    since both espeak-ng and Piper already say them as that dictionary does.
    Initialisms in capitals and roman numerals are left to normalisation. Counts are
    occurrences in any capitalisation; the word is reported as most often written.
    """
    if known_words is None:
        vocabulary: Collection[str] = wordlist.dictionary_words()
        name_vocabulary: Collection[str] = wordlist.gcide_words()
    else:
        vocabulary = name_vocabulary = {w.lower() for w in known_words}
    engine_words = wordlist.espeak_dictionary_words() if engine_dictionary else frozenset()

    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    lower_seen: set[str] = set()
    capital_mid: set[str] = set()
    for text in texts:
        for match in _TOKEN.finditer(text):
            token = match.group(0)
            token = re.sub(r"['\u2019]s$", "", token)
            if len(token) < 2:
                continue
            key = token.lower()
            counts[key] += 1
            forms[key][token] += 1
            if token[0].islower():
                lower_seen.add(key)
            elif not _SENTENCE_END.search(text[max(0, match.start() - 40) : match.start()]):
                capital_mid.add(key)

    found: list[tuple[str, int]] = []
    for key, count in counts.items():
        if count < min_count:
            continue
        shown = forms[key].most_common(1)[0][0]
        if shown.isupper() and (len(shown) <= 6 or _ROMAN.fullmatch(shown)):
            continue  # initialisms and roman numerals: normalisation spells or reads them
        if lexicon.lookup(shown) is not None or key in engine_words:
            continue
        is_name = key in capital_mid and key not in lower_seen
        if is_name:
            if _known(key, name_vocabulary):
                continue
        elif _known(key, vocabulary):
            continue
        found.append((shown, count))
    found.sort(key=lambda item: (-item[1], item[0].lower()))
    return found

