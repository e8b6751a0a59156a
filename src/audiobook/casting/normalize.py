"""Text normalisation for speech: turn written text into the words a narrator says.

``normalize_for_speech(text, heading=False)`` rewrites numbers, money, times, dates, abbreviations,
roman numerals, symbols and initialisms as words, so that a TTS engine reads "Dr. Ruiz paid $5.50
at 7:30 p.m." as "Doctor Ruiz paid five dollars and fifty cents at seven thirty P M". Everything
else is left as it was: ordinary words, quotes, and the punctuation that carries intonation
(``? ! , . ; :`` and dashes). A question still ends with "?".

Apply order (what the TTS stage does through ``audiobook.casting.speech_text.prepare_for_engine``):

1. the production's pronunciation lexicon first, so that a lexicon entry wins over normalisation
   (an entry for "Louis XIV" or "1984" is used as written);
2. ``normalize_for_speech`` on the rest. The lexicon's replacements are protected from this step:
   they are swapped for private-use placeholder characters (U+E000..U+F8FF), which every rule here
   leaves alone and treats as a capitalised name (so "St. <name>" still reads "Saint").

Conventions chosen here (American narration):

- cardinals without "and": 105 -> "one hundred five"; decimals digit by digit: 3.14 -> "three
  point one four"; a leading zero reads digit by digit: 007 -> "zero zero seven".
- years: 1999 -> "nineteen ninety-nine", 1905 -> "nineteen oh five", 1900 -> "nineteen hundred",
  2005 -> "two thousand five", 2010 -> "twenty ten". A bare four-digit number from 1000 to 2099
  is a year when a year-like word comes before it ("in", "since", "by", a month...), or when
  punctuation or the end of the text follows it; otherwise it is a count ("1234 people").
- times: 7:30 -> "seven thirty", 7:05 -> "seven oh five", 7:00 -> "seven o'clock", 19:00 ->
  "nineteen hundred"; a.m./p.m. -> "A- M" / "P M".
- slashed dates are month first (3/4/2021 -> "March fourth, twenty twenty-one") unless the first
  number cannot be a month; ``day_first=True`` reads them day first.
- initialisms are spelled as capital letters separated by spaces: "FBI" -> "F B I". The letter A
  is written "A-": espeak-ng (and Piper, which phonemises with espeak-ng) reads a lone "A" before
  another letter as the article "uh", and reads "A-" as the letter name. Acronyms said as words
  (NASA, NATO, UNESCO...) and shouted words ("STOP") stay as written.
- phone numbers are read digit by digit, "0" as "oh", groups separated by commas (short pauses).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from audiobook.casting import wordlist

# ---------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ["", "thousand", "million", "billion", "trillion", "quadrillion"]
_ORDINAL_IRREGULAR = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_DIGIT_WORDS = _ONES[:10]


def _under_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def _under_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        parts.append(f"{_ONES[hundreds]} hundred")
    if rest or not hundreds:
        parts.append(_under_hundred(rest))
    return " ".join(parts)


def cardinal(n: int) -> str:
    """Say an integer: 1234 -> "one thousand two hundred thirty-four", -5 -> "minus five".

    Numbers of 10**18 or more are read digit by digit.
    """
    if n < 0:
        return "minus " + cardinal(-n)
    if n < 1000:
        return _under_thousand(n)
    if n >= 10 ** (3 * len(_SCALES)):
        return digits(str(n))
    groups: list[str] = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            word = _under_thousand(group)
            groups.append(f"{word} {_SCALES[scale]}".strip())
        scale += 1
    return " ".join(reversed(groups))


def ordinal(n: int) -> str:
    """Say an ordinal: 1 -> "first", 22 -> "twenty-second", 103 -> "one hundred third"."""
    words = cardinal(n)
    head, sep, last = words.rpartition(" ")
    prefix, hyphen, tail = last.rpartition("-")
    if tail in _ORDINAL_IRREGULAR:
        tail = _ORDINAL_IRREGULAR[tail]
    elif tail.endswith("y"):
        tail = tail[:-1] + "ieth"
    else:
        tail += "th"
    return head + sep + prefix + hyphen + tail


def digits(text: str, zero: str = "zero") -> str:
    """Say a string of digits one by one: "907" -> "nine zero seven" (``zero`` names 0)."""
    return " ".join(zero if d == "0" else _DIGIT_WORDS[int(d)] for d in text if d.isdigit())


def decimal(text: str) -> str:
    """Say a written number with optional thousands separators and decimals: "1,234.5"."""
    text = text.replace(",", "")
    sign = ""
    if text[:1] in "-\u2212":
        sign, text = "minus ", text[1:]
    whole, _, frac = text.partition(".")
    if len(whole) > 1 and whole.startswith("0"):
        spoken = digits(whole)
    else:
        spoken = cardinal(int(whole)) if whole else ""
    if frac:
        spoken = (spoken + " " if spoken else "") + "point " + digits(frac)
    return sign + spoken


def year(n: int) -> str:
    """Say a year the way people do: 1999 "nineteen ninety-nine", 2005 "two thousand five",
    2010 "twenty ten", 1900 "nineteen hundred", 1905 "nineteen oh five"."""
    if not 1000 <= n <= 9999:
        return cardinal(n)
    hi, lo = divmod(n, 100)
    if n % 1000 == 0 or 2000 < n < 2010:
        return cardinal(n)
    if lo == 0:
        return f"{_under_hundred(hi)} hundred"
    if lo < 10:
        return f"{_under_hundred(hi)} oh {_ONES[lo]}"
    return f"{_under_hundred(hi)} {_under_hundred(lo)}"


def _pluralise_number(words: str) -> str:
    """ "nineteen eighty" -> "nineteen eighties", "nineteen hundred" -> "nineteen hundreds"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("x"):
        return words + "es"
    return words + "s"


# ---------------------------------------------------------------------------------------------
# Shared patterns and helpers
# ---------------------------------------------------------------------------------------------

_PROTECTED = "\ue000-\uf8ff"  # placeholders for lexicon replacements: never touched, read as names
_NAME_START = rf"[A-Z{_PROTECTED}]"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 1,234.5 or 1234.5
_CLOSERS = "\"'\u201d\u2019)]"
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_MONTH_ABBREVIATIONS = {
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June",
    "Jul": "July", "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October",
    "Nov": "November", "Dec": "December",
}  # fmt: skip
_MONTH_RE = (
    "(?:" + "|".join(_MONTHS) + "|(?:" + "|".join(_MONTH_ABBREVIATIONS) + r")\.?" + ")"
)


def _month_name(text: str) -> str:
    return _MONTH_ABBREVIATIONS.get(text.rstrip("."), text.rstrip("."))


def _ends_sentence(text: str, end: int) -> bool:
    """True when what follows ``end`` starts a new sentence (end of text or a capital after space)."""
    rest = text[end:]
    stripped = rest.lstrip(_CLOSERS)
    if not stripped.strip():
        return True
    if stripped[0] == "\n":
        return True
    return bool(re.match(r"\s+[\"'\u201c\u2018(]*[A-Z]", stripped))


_SENTENCE_OPENERS = frozenset(
    """The A An I He She It They We You His Her Its Their Our My Your This That These Those There
    Then But And So Yet Or Nor When While After Before If As At In On Now Still Later""".split()
)


def _ends_sentence_strict(text: str, end: int) -> bool:
    """Like ``_ends_sentence`` but for dotted abbreviations that often sit before a capitalised
    name ("the U.S. Army"): a new sentence only at the end of the text or a line, or when the next
    word is a common sentence opener ("He", "The", "Then")."""
    rest = text[end:].lstrip(_CLOSERS)
    if not rest.strip() or rest[0] == "\n":
        return True
    nxt = _next_word(text, end)
    return nxt in _SENTENCE_OPENERS


def _sentence_initial(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence (start of text, or after . ! ? : or a newline)."""
    before = text[:start].rstrip(" \t\"'\u201c\u2018(")
    return not before or before[-1] in ".!?:\n"


def _prev_word(text: str, start: int) -> str:
    match = re.search(r"([\w.'" + _PROTECTED + r"]+)[\s,]*$", text[:start])
    return match.group(1) if match else ""


def _next_word(text: str, end: int) -> str:
    match = re.match(r"\s+([\"'\u201c\u2018]*[\w" + _PROTECTED + r"]+)", text[end:])
    return match.group(1).lstrip("\"'\u201c\u2018") if match else ""


def _sub(pattern: str, repl: Callable[[re.Match[str]], str], text: str, flags: int = 0) -> str:
    return re.sub(pattern, repl, text, flags=flags)


def _two_digit_year(text: str) -> str:
    return f"oh {_ONES[int(text)]}" if text.startswith("0") else _under_hundred(int(text))


def _is_year_value(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2099


# ---------------------------------------------------------------------------------------------
# The rules, in the order they run. Each takes and returns the whole text.
# ---------------------------------------------------------------------------------------------

_UNICODE_FRACTIONS = {
    "\u00bd": (1, 2), "\u2153": (1, 3), "\u2154": (2, 3), "\u00bc": (1, 4), "\u00be": (3, 4),
    "\u215b": (1, 8), "\u215c": (3, 8), "\u215d": (5, 8), "\u215e": (7, 8),
}  # fmt: skip


def _fraction_words(num: int, den: int, mixed: bool = False) -> str:
    if den == 2:
        name = "half" if num == 1 else "halves"
    elif den == 4:
        name = "quarter" if num == 1 else "quarters"
    else:
        name = ordinal(den) + ("" if num == 1 else "s")
    count = "a" if (mixed and num == 1) else cardinal(num)
    return f"{count} {name}"


def _rule_unicode(text: str) -> str:
    text = text.replace("\u2212", "-")  # minus sign

    def fraction(m: re.Match[str]) -> str:
        num, den = _UNICODE_FRACTIONS[m.group(2)]
        if m.group(1):
            return f"{cardinal(int(m.group(1)))} and {_fraction_words(num, den, mixed=True)}"
        return _fraction_words(num, den)

    chars = "".join(_UNICODE_FRACTIONS)
    return _sub(rf"(?<![\w.])(?:(\d+)\s?)?([{chars}])", fraction, text)


def _date_words(month: int, day: int, year_text: str | None) -> str:
    spoken = f"{_MONTHS[month - 1]} {ordinal(day)}"
    if year_text:
        spoken += ", " + (year(int(year_text)) if len(year_text) == 4 else _two_digit_year(year_text))
    return spoken


def _rule_numeric_dates(text: str, day_first: bool) -> str:
    def iso(m: re.Match[str]) -> str:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return m.group(0)
        return _date_words(mo, d, m.group(1)) if y else m.group(0)

    text = _sub(r"(?<![\w./-])(\d{4})-(\d{2})-(\d{2})(?![\w/-])", iso, text)

    def slashed(m: re.Match[str]) -> str:
        a, b = int(m.group(1)), int(m.group(2))
        month, day = (b, a) if (day_first or a > 12) else (a, b)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        return _date_words(month, day, m.group(3))

    return _sub(r"(?<![\w./])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\w/]|\.\d)", slashed, text)


_RANGE_WORDS = r"(?:pages?|pp\.|chapters?|verses?|lines?|numbers?|nos\.|items?|steps?|rooms?)"


def _rule_phone_numbers(text: str) -> str:
    def say(m: re.Match[str]) -> str:
        raw = m.group(0)
        groups = re.findall(r"\d+", raw)
        spoken = ", ".join(digits(g, zero="oh") for g in groups)
        return ("plus " if raw.startswith("+") else "") + spoken

    # +44 20 7946 0958, +1 555-123-4567
    text = _sub(r"(?<![\w+])\+\d{1,3}(?:[ .-]\(?\d{1,4}\)?){2,4}(?![\w-])", say, text)
    # (555) 123-4567, 555-123-4567, 555.123.4567
    text = _sub(
        r"(?<![\w(-])(?:1[ .-])?(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w-])", say, text
    )

    # 555-0134 (a seven-digit local number), unless a page/chapter range
    def local(m: re.Match[str]) -> str:
        if re.search(_RANGE_WORDS + r"\s*$", text[: m.start()], flags=re.IGNORECASE):
            return m.group(0)
        return say(m)

    return _sub(r"(?<![\w.,-])\d{3}-\d{4}(?![\w-]|\.\d)", local, text)


_AMPM = r"(?:[ap]\.m\.|[AP]\.M\.|[ap]\.m\b|[ap]m\b|[AP]M\b)"


def _ampm_words(marker: str, text: str, end: int) -> str:
    spoken = "A- M" if marker.lower().startswith("a") else "P M"
    if marker.endswith(".") and _ends_sentence(text, end):
        spoken += "."
    return spoken


def _rule_times(text: str) -> str:
    def clock(m: re.Match[str]) -> str:
        hour, minute = int(m.group(1)), int(m.group(2))
        second = m.group(3)
        marker = m.group(4)
        if hour > 24:
            return m.group(0)
        if minute == 0:
            if marker:
                spoken = cardinal(hour)
            elif hour > 12 or m.group(1).startswith("0") and hour:
                spoken = f"{_under_hundred(hour)} hundred"
            elif hour == 0:
                spoken = "midnight"
            else:
                spoken = f"{cardinal(hour)} o'clock"
        elif minute < 10:
            spoken = f"{cardinal(hour)} oh {_ONES[minute]}"
        else:
            spoken = f"{cardinal(hour)} {_under_hundred(minute)}"
        if second:
            spoken += f" and {cardinal(int(second))} seconds"
        if marker:
            spoken += " " + _ampm_words(marker, m.string, m.end())
        return spoken

    text = _sub(
        rf"(?<![\d:.,])(\d{{1,2}}):([0-5]\d)(?::([0-5]\d))?(?![\d:])(?:\s?({_AMPM}))?", clock, text
    )

    def hour_only(m: re.Match[str]) -> str:
        hour = int(m.group(1))
        if not 1 <= hour <= 12:
            return m.group(0)
        return cardinal(hour) + " " + _ampm_words(m.group(2), m.string, m.end())

    return _sub(rf"(?<![\w.,:])(\d{{1,2}})\s?({_AMPM})", hour_only, text)


_CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "\u00a3": ("pound", "pounds", "penny", "pence"),
    "\u20ac": ("euro", "euros", "cent", "cents"),
    "\u00a5": ("yen", "yen", "", ""),
}
_MONEY_SCALES = {
    "thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion",
    "k": "thousand", "K": "thousand", "m": "million", "M": "million", "bn": "billion",
    "b": "billion", "B": "billion",
}  # fmt: skip


def _rule_money(text: str) -> str:
    def money(m: re.Match[str]) -> str:
        one, many, sub_one, sub_many = _CURRENCIES[m.group(1)]
        amount = m.group(2)
        scale = m.group(3)
        if scale:
            return f"{decimal(amount)} {_MONEY_SCALES[scale]} {many}"
        whole_text, _, frac = amount.replace(",", "").partition(".")
        whole = int(whole_text)
        if frac and (len(frac) > 2 or not sub_one):
            return f"{decimal(amount)} {many}"
        cents = int(frac.ljust(2, "0")) if frac else 0
        parts = []
        if whole or not cents:
            parts.append(f"{cardinal(whole)} {one if whole == 1 else many}")
        if cents:
            parts.append(f"{cardinal(cents)} {sub_one if cents == 1 else sub_many}")
        return " and ".join(parts)

    symbols = "".join(re.escape(s) for s in _CURRENCIES)
    scales = "|".join(sorted(_MONEY_SCALES, key=len, reverse=True))
    return _sub(rf"([{symbols}])\s?({_NUM})(?:\s?({scales})\b)?", money, text)


def _rule_percent(text: str) -> str:
    text = _sub(
        rf"(?<![\w.,])({_NUM})\s?[-\u2013]\s?({_NUM})\s?%",
        lambda m: f"{decimal(m.group(1))} to {decimal(m.group(2))} percent",
        text,
    )
    return _sub(
        rf"(?<![\w.,])(-?(?:{_NUM}))\s?%", lambda m: f"{decimal(m.group(1))} percent", text
    )


def _rule_temperature(text: str) -> str:
    def degrees(m: re.Match[str]) -> str:
        value = m.group(1)
        unit = {"C": " Celsius", "F": " Fahrenheit", "K": " kelvin"}.get(m.group(2) or "", "")
        word = "degree" if value in ("1", "-1") else "degrees"
        return f"{decimal(value)} {word}{unit}"

    return _sub(rf"(?<![\w.,])(-?(?:{_NUM}))\s?\u00b0\s?([CFK](?![a-z]))?", degrees, text)


# Titles that stand before a name: the period is dropped ("Mr. Ruiz" -> "Mister Ruiz").
_TITLES = {
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Prof": "Professor", "Capt": "Captain",
    "Sgt": "Sergeant", "Lt": "Lieutenant", "Gen": "General", "Col": "Colonel",
    "Rev": "Reverend", "Gov": "Governor", "Sen": "Senator", "Cmdr": "Commander",
    "Adm": "Admiral", "Cpl": "Corporal", "Pvt": "Private", "Mt": "Mount", "Ft": "Fort",
    "Vol": "Volume",
}  # fmt: skip
# Words that may end a sentence: the period stays when a new sentence follows.
_SUFFIXES = {
    "Jr": "Junior", "Sr": "Senior", "etc": "et cetera", "Ave": "Avenue", "Rd": "Road",
    "Blvd": "Boulevard", "Inc": "Incorporated", "Ltd": "Limited", "Bros": "Brothers",
    "approx": "approximately", "Dept": "Department",
}  # fmt: skip
# Never end a sentence: the period goes.
_CONNECTIVES = {"vs": "versus", "v": "versus", "cf": "compare"}


def _is_place_context(text: str, start: int) -> bool:
    """True when the word before ``start`` names a place: a number or a capitalised word that does
    not open the sentence ("Elm Dr.", "42 St.")."""
    match = re.search(r"([\w" + _PROTECTED + r"]+)\s+$", text[:start])
    if not match:
        return False
    word = match.group(1)
    if word[0].isdigit():
        return True
    return bool(re.match(_NAME_START, word)) and not _sentence_initial(text, match.start(1))


def _rule_abbreviations(text: str) -> str:
    def keep_period(spoken: str, m: re.Match[str]) -> str:
        return spoken + "." if _ends_sentence(m.string, m.end()) else spoken

    # Dr. / St.: a title before a name, a street type after one.
    def dr_st(m: re.Match[str]) -> str:
        word, dot = m.group(1), m.group(2)
        title, place = ("Doctor", "Drive") if word == "Dr" else ("Saint", "Street")
        nxt = _next_word(m.string, m.end())
        next_is_name = bool(nxt) and bool(re.match(_NAME_START, nxt))
        if _is_place_context(m.string, m.start()):
            return keep_period(place, m) if dot else place
        if next_is_name:
            return title
        if not dot:  # "Dr" or "St" without a period and no name after: leave it
            return m.group(0)
        prev = _prev_word(m.string, m.start())
        if nxt and nxt[0].islower() and prev[:1].isupper():
            return keep_period(place, m)
        return keep_period(title, m) if word == "Dr" else keep_period(place, m)

    text = _sub(rf"\b(Dr|St)(\.|(?=\s+{_NAME_START}))", dr_st, text)

    def title(m: re.Match[str]) -> str:
        return _TITLES[m.group(1)]

    names = "|".join(_TITLES)
    text = _sub(rf"\b({names})\.(?=\s)", title, text)
    text = _sub(rf"\b(Mr|Mrs|Ms)(?=\s+{_NAME_START})", title, text)

    suffixes = "|".join(_SUFFIXES)
    text = _sub(rf"\b({suffixes})\.", lambda m: keep_period(_SUFFIXES[m.group(1)], m), text)
    text = _sub(r"\b(vs|v|cf)\.(?=\s)", lambda m: _CONNECTIVES[m.group(1)], text)
    text = _sub(r"(?<![\w.])e\.g\.", "for example", text, flags=re.IGNORECASE)
    text = _sub(r"(?<![\w.])i\.e\.", "that is", text, flags=re.IGNORECASE)
    return text


def _rule_number_sign(text: str) -> str:
    text = _sub(r"#\s?(\d+)\b", lambda m: f"number {cardinal(int(m.group(1)))}", text)
    text = _sub(r"\bNo\.\s?(?=\d)", "number ", text)
    text = _sub(r"(?<![\w.])pp\.\s?(?=\d)", "pages ", text)
    text = _sub(r"(?<![\w.])p\.\s?(?=\d)", "page ", text)
    return _sub(r"\bNos\.\s?(?=\d)", "numbers ", text)


def _rule_month_dates(text: str) -> str:
    def month_day(m: re.Match[str]) -> str:
        day = int(m.group(2))
        if not 1 <= day <= 31:
            return m.group(0)
        spoken = f"{_month_name(m.group(1))} {ordinal(day)}"
        if m.group(3):
            spoken += ", " + year(int(m.group(3)))
        return spoken

    text = _sub(
        rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:,.]\d|\w)(?:,?\s+(\d{{4}})\b)?",
        month_day,
        text,
    )

    def day_month(m: re.Match[str]) -> str:
        day = int(m.group(1))
        if not 1 <= day <= 31:
            return m.group(0)
        article = "" if re.search(r"\bthe\s+$", m.string[: m.start()], re.IGNORECASE) else "the "
        spoken = f"{article}{ordinal(day)} of {_month_name(m.group(2))}"
        if m.group(3):
            spoken += ", " + year(int(m.group(3)))
        return spoken

    return _sub(
        rf"(?<![\w.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})(?![\w])(?:,?\s+(\d{{4}})\b)?",
        day_month,
        text,
    )


def _rule_decades(text: str) -> str:
    def decade(m: re.Match[str]) -> str:
        value = m.group(1)
        spoken = year(int(value)) if len(value) == 4 else cardinal(int(value))
        return _pluralise_number(spoken)

    return _sub(r"(?<![\w.,])'?(\d{1,3}0)'?s\b", decade, text)


def _rule_ranges(text: str) -> str:
    def rng(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if _is_year_value(left) and (_is_year_value(right) or len(right) == 2):
            return year(int(left)) + " to " + (
                year(int(right)) if len(right) == 4 else _two_digit_year(right)
            )
        return f"{decimal(left)} to {decimal(right)}"

    return _sub(rf"(?<![\w.,-])({_NUM})\s?[-\u2013]\s?({_NUM})(?![\w-]|[.,]\d)", rng, text)


def _rule_fractions(text: str) -> str:
    special = {"24/7": "twenty-four seven", "9/11": "nine eleven", "50/50": "fifty-fifty"}
    text = _sub(r"(?<![\w/])(24/7|9/11|50/50)(?![\w/])", lambda m: special[m.group(1)], text)

    def mixed(m: re.Match[str]) -> str:
        num, den = int(m.group(2)), int(m.group(3))
        if den == 0 or num >= den:
            return m.group(0)
        return f"{cardinal(int(m.group(1)))} and {_fraction_words(num, den, mixed=True)}"

    text = _sub(r"(?<![\w/.,])(\d+) (\d+)/(\d+)(?![\w/])", mixed, text)

    def simple(m: re.Match[str]) -> str:
        num, den = int(m.group(1)), int(m.group(2))
        if den == 0:
            return m.group(0)
        if den == 1:
            return f"{cardinal(num)} over one"
        return _fraction_words(num, den)

    return _sub(r"(?<![\w/.,])(\d+)/(\d+)(?![\w/]|\.\d)", simple, text)


def _rule_ordinals(text: str) -> str:
    return _sub(
        r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b",
        lambda m: ordinal(int(m.group(1).replace(",", ""))),
        text,
    )


_UNITS = {
    "km": ("kilometer", "kilometers"), "kg": ("kilogram", "kilograms"),
    "cm": ("centimeter", "centimeters"), "mm": ("millimeter", "millimeters"),
    "mg": ("milligram", "milligrams"), "ml": ("milliliter", "milliliters"),
    "mph": ("mile per hour", "miles per hour"), "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"), "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"), "oz": ("ounce", "ounces"), "ft": ("foot", "feet"),
}  # fmt: skip


def _rule_units(text: str) -> str:
    def unit(m: re.Match[str]) -> str:
        one, many = _UNITS[m.group(2)]
        return f"{decimal(m.group(1))} {one if m.group(1) == '1' else many}"

    names = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    return _sub(rf"(?<![\w.,])({_NUM})\s?({names})(?![\w/])", unit, text)


_YEAR_CONTEXT = {
    "in", "since", "by", "of", "until", "till", "from", "to", "year", "circa", "c.", "ca.",
    "around", "before", "after", "during", "summer", "winter", "spring", "autumn", "fall",
    "early", "late", "mid", "born", "died", "between", "and", "through", "about",
    "ad", "a.d.", "christmas", "easter",
} | {m.lower() for m in _MONTHS}  # fmt: skip


def _rule_years(text: str) -> str:
    def maybe_year(m: re.Match[str]) -> str:
        value = m.group(1)
        prev = _prev_word(m.string, m.start()).lower()
        after = m.string[m.end() :]
        nxt = _next_word(m.string, m.end())
        is_year = (
            prev in _YEAR_CONTEXT
            or not after.strip()
            or after[0] in ".,;:!?)]\"'\u201d\u2019\u2014\n"
            or nxt in ("AD", "BC", "BCE", "CE")
        )
        return year(int(value)) if is_year else cardinal(int(value))

    return _sub(r"(?<![\w.,$#-])(1\d{3}|20\d{2})(?![\w]|[.,]\d)", maybe_year, text)


def _rule_cardinals(text: str) -> str:
    def number(m: re.Match[str]) -> str:
        spoken = decimal((m.group(1) or "") + m.group(2))
        follower = m.string[m.end() : m.end() + 1]
        return spoken + (" " if follower.isalpha() else "")

    text = _sub(r"(?<![\w.])(-(?=\d))?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)", number, text)
    # ".5" -> "point five"
    return _sub(r"(?<![\w.])\.(\d+)\b", lambda m: "point " + digits(m.group(1)), text)


_ROMAN_RE = r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_SECTION_WORDS = (
    "Chapter|Part|Book|Volume|Vol\\.|Act|Scene|Section|Canto|Appendix|Episode|Phase|Stage|"
    "Round|Article|Psalm|Stanza|Movement|Level|Class|Type|War|Year"
)
_REGNAL_NAMES = frozenset(
    """Alexander Alfonso Amenhotep Anne Boniface Catherine Charles Christian Clement Constantine
    David Edward Elizabeth Ferdinand Francis Frederick George Gregory Gustav Gustavus Harold
    Henry Innocent Isabella James Joanna John Joseph Julius Leo Leopold Louis Ludwig Malcolm
    Mary Napoleon Nicholas Otto Paul Peter Philip Pius Ptolemy Ramesses Rameses Richard Robert
    Rudolf Sixtus Stephen Urban Victor Wilhelm William""".split()
)


_ROYAL_TITLES = "King|Queen|Pope|Emperor|Empress|Tsar|Czar|Tsarina|Kaiser|Pharaoh|Prince|Princess|Duke"


def roman_value(text: str) -> int | None:
    """The value of a valid upper-case roman numeral ("XIV" -> 14), or None."""
    if not text or not re.fullmatch(_ROMAN_RE, text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _rule_roman(text: str, heading: bool) -> str:
    def section(m: re.Match[str]) -> str:
        value = roman_value(m.group(2))
        if not value:
            return m.group(0)
        if m.group(2) == "I" and not heading and not m.group(1).lower().startswith("war"):
            # "the best part I remember": in prose a lone I after these words is the pronoun
            # unless punctuation or the end of the text follows it.
            after = m.string[m.end() :].lstrip(_CLOSERS)
            if after.strip() and after[0] not in ".,;:!?\u2014\u2013-\n":
                return m.group(0)
        return m.group(1) + cardinal(value)

    text = _sub(rf"\b((?i:{_SECTION_WORDS})\s+)([IVXLCDM]+)\b(?!['\u2019]\w)", section, text)

    def regnal(m: re.Match[str]) -> str:
        value = roman_value(m.group(2))
        if not value:
            return m.group(0)
        if m.group(2) == "I" and not m.group(3):
            # "Mary I love you": a lone I after a name is the pronoun, unless a royal title comes
            # first ("Queen Mary I") or punctuation, "of" or "and" follows ("Mary I of England").
            titled = re.search(rf"\b(?:{_ROYAL_TITLES})\s+$", m.string[: m.start()])
            after = m.string[m.end() :]
            if not titled and not re.match(r"\s*(?:$|[.,;:!?)\u2014\u2013]|(?:of|and)\b)", after):
                return m.group(0)
        return f"{m.group(1)} the {ordinal(value)}{m.group(3) or ''}"

    names = "|".join(sorted(_REGNAL_NAMES))
    text = _sub(rf"\b({names})\s+([IVXLCDM]+)\b(['\u2019]s\b)?(?!['\u2019]\w)", regnal, text)

    if heading:
        # A numeral that is the whole heading or opens it before punctuation: "IV", "IV. The Storm".
        def opening(m: re.Match[str]) -> str:
            value = roman_value(m.group(2))
            return m.group(1) + cardinal(value) if value else m.group(0)

        text = _sub(r"^(\s*)([IVXLCDM]+)(?=\s*$|\s*[.:)\u2014\u2013-])", opening, text)
    return text


# Acronyms read as words, not letters.
_SPOKEN_ACRONYMS = frozenset(
    """NASA NATO UNESCO UNICEF NAFTA OPEC FIFA UEFA SCUBA LASER RADAR SONAR TASER AIDS POTUS
    SCOTUS FLOTUS FEMA OSHA GIF JPEG RAM ROM SIM PIN ZIP SWAT WASP ANZAC NIMBY YOLO COVID DARPA
    INTERPOL SARS MERS CERN UNIX NORAD SEAL ASCII MASH ESPN OPSEC NASCAR""".split()
)
_ALWAYS_SPELLED = frozenset("UN EU UK USA TV ID".split())


def _spell(letters: str) -> str:
    return " ".join("A-" if ch == "A" else ch for ch in letters)


def _rule_initialisms(text: str) -> str:

    def dotted(m: re.Match[str]) -> str:
        spoken = _spell(m.group(0).replace(".", ""))
        return spoken + "." if _ends_sentence_strict(m.string, m.end()) else spoken

    text = _sub(r"(?<![\w.])(?:[A-Z]\.){2,}(?!\w)", dotted, text)
    text = _sub(r"\bPhD\b", "P H D", text)
    # "AT&T", "R&D": letters joined by an ampersand are always spelled.
    text = _sub(
        r"(?<![\w&])([A-Z]{1,4})&([A-Z]{1,4})(?![\w&])",
        lambda m: f"{_spell(m.group(1))} and {_spell(m.group(2))}",
        text,
    )

    def caps(m: re.Match[str]) -> str:
        token, plural = m.group(1), m.group(2)
        if token == "OK" and not plural:
            return "okay"
        if token in _SPOKEN_ACRONYMS or re.search(r"(.)\1\1", token):
            return m.group(0)
        if token == "US":
            before = m.string[: m.start()]
            if re.search(r"\bthe\s+$", before, flags=re.IGNORECASE):
                return _spell(token) + ("'s" if plural else "")
            return m.group(0)
        if token not in _ALWAYS_SPELLED and token.lower() in wordlist.common_words():  # loaded at the first capital token
            return m.group(0)
        return _spell(token) + ("'s" if plural else "")

    return _sub(r"(?<![\w'\u2019-])([A-Z]{2,6})(s?)(?![\w-])", caps, text)


_SYMBOLS = {"&": "and", "+": "plus", "=": "equals", "@": "at", "%": "percent", "\u00b0": "degrees",
            "\u00d7": "times"}  # fmt: skip


def _rule_symbols(text: str) -> str:
    return _sub(
        r"\s*([&+=@%\u00b0\u00d7])\s*",
        lambda m: " " + _SYMBOLS[m.group(1)] + " ",
        text,
    )


def _tidy(text: str) -> str:
    text = re.sub(r"\bA-(?=[.,;:!?)\]\"'\u201d\u2019]|\s*$)", "A", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?)])", r"\1", text)
    return re.sub(r"(^|\n) +", r"\1", text).rstrip(" ") if text.strip() else text


def normalize_for_speech(text: str, *, heading: bool = False, day_first: bool = False) -> str:
    """Rewrite ``text`` as the words a narrator says (see the module docstring for the rules).

    ``heading`` marks a chapter or part heading: roman numerals that open it are read as numbers
    ("IV. The Storm" -> "four. The Storm"); after "Chapter", "Part", "Book" and the like they are
    read as numbers everywhere. ``day_first`` reads 3/4/2021 as the third of April.
    """
    if not text:
        return text
    text = _rule_unicode(text)
    text = _rule_numeric_dates(text, day_first)
    text = _rule_phone_numbers(text)
    text = _rule_times(text)
    text = _rule_money(text)
    text = _rule_percent(text)
    text = _rule_temperature(text)
    text = _rule_abbreviations(text)
    text = _rule_number_sign(text)
    text = _rule_month_dates(text)
    text = _rule_decades(text)
    text = _rule_ranges(text)
    text = _rule_fractions(text)
    text = _rule_ordinals(text)
    text = _rule_units(text)
    text = _rule_years(text)
    text = _rule_cardinals(text)
    text = _rule_roman(text, heading)
    text = _rule_initialisms(text)
    text = _rule_symbols(text)
    return _tidy(text)
