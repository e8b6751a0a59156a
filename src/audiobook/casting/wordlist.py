"""English word lists that decide what counts as an ordinary word, a name, or an initialism.

Three sources, all shipped inside installed packages (nothing is fetched at run time):

- ``english-words`` (PyPI, MIT): Webster's Second International ("web2", 234k entries, with a
  long tail of rare words and names) and the GNU Collaborative International Dictionary of English
  ("gcide", 115k headwords, which also lists well-known places and some abbreviations such as
  "dna"). Neither has inflected forms, so callers strip endings; irregular forms are listed here.
- espeak-ng's compiled English dictionary ``en_dict`` (shipped by ``espeakng-loader``): only the
  ~6,800 words whose pronunciation does not follow espeak-ng's letter-to-sound rules, among them
  many names ("siobhan", "yosemite"). espeak-ng ships no plain ``en_list`` word list, so the words
  are read back out of the compiled hash table here.

All loaders are cached: the first call costs ~0.2 s, later calls nothing.
"""

from __future__ import annotations

import functools
import os
import struct


@functools.lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Lower-case words in either dictionary (web2 or gcide): "is this spelling English at all?"."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True)) | IRREGULAR_FORMS


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case words that both dictionaries list: a stricter test for "ordinary word".

    An all-capital token like "STOP" whose lower case is here is a shouted word, not an
    initialism; "DNA" (gcide only) and "UN" (web2 only) are not here and so get spelled out.
    """
    from english_words import get_english_words_set

    return (
        frozenset(get_english_words_set(["web2"], lower=True) & get_english_words_set(["gcide"], lower=True))
        | IRREGULAR_FORMS
    )


@functools.lru_cache(maxsize=1)
def gcide_words() -> frozenset[str]:
    """Lower-case GCIDE headwords: a general dictionary that also lists well-known places and
    people ("london", "elizabeth") but not Webster's Second's long tail of rare names ("aoife")."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["gcide"], lower=True)) | IRREGULAR_FORMS


IRREGULAR_FORMS = frozenset(
    """arose awoke awoken beaten became begun began bent bet bid bit bitten bled blew blown bore
    borne bought bound bred broke broken brought built burnt caught chose chosen clung came crept
    dealt did done drank drunk drawn drew dreamt driven drove dug dwelt eaten ate fallen fed felt
    fell fled flew flown flung fled forbade forgave forgiven forgot forgotten fought found froze
    frozen gave given gone went got gotten grew grown ground had heard held hid hidden hung hurt
    kept knelt knew known laid leapt led left lent lit lost made meant met mistook paid proven
    quit ran rang read rid ridden rode risen rose rung said sang sank saw seen sent shaken shook
    shone shot shown shrank shrunk shut slain slept slid slung sold sought spat sped spent spilt
    spoke spoken sprang sprung spun stank stood stole stolen strode struck stuck stung stunk
    swam swept swore sworn swum swung taken taught tore torn thought threw thrown told took trod
    trodden understood undertook undid wept woke woken won wore worn wound wove woven wrote
    written men women children feet teeth geese mice people lives wives knives leaves halves
    selves shelves wolves thieves loaves""".split()
)
"""Irregular verb forms and plurals, which no stemming rule reaches from the headword."""


def _unpack_6bit(raw: bytes) -> str:
    """Decode espeak-ng's 6-bit packed spelling (code 1..26 = 'a'..'z'); other codes become '?'."""
    acc = 0
    bits = 0
    out: list[str] = []
    for byte in raw:
        acc = (acc << 8) | byte
        bits += 8
        while bits >= 6:
            bits -= 6
            code = (acc >> bits) & 0x3F
            if code == 0:
                return "".join(out)
            out.append(chr(0x60 + code) if code <= 26 else "?")
    return "".join(out)


@functools.lru_cache(maxsize=1)
def espeak_dictionary_words() -> frozenset[str]:
    """Words with an explicit entry in espeak-ng's compiled English dictionary (lower case).

    The file is a table of 1024 hash chains after an 8-byte header; each entry starts with its
    length in bytes and a byte whose low 6 bits give the spelling's length and whose bit 6 says
    the spelling is packed 6 bits per letter. Returns an empty set when espeak-ng's data is absent.
    """
    try:
        import espeakng_loader

        path = os.path.join(espeakng_loader.get_data_path(), "en_dict")
        with open(path, "rb") as handle:
            data = handle.read()
    except (ImportError, OSError):
        return frozenset()
    words: set[str] = set()
    try:
        n_chains, _rules_offset = struct.unpack("<ii", data[:8])
        pos = 8
        for _ in range(n_chains):
            while True:
                length = data[pos]
                if length == 0:
                    pos += 1
                    break
                flags = data[pos + 1]
                raw = data[pos + 2 : pos + 2 + (flags & 0x3F)]
                word = _unpack_6bit(raw) if flags & 0x40 else raw.decode("utf-8", "replace")
                if word.isalpha() and word.isascii():
                    words.add(word.lower())
                pos += length
    except (IndexError, struct.error):
        return frozenset(words)
    return frozenset(words)
