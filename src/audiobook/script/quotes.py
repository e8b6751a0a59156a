"""Quote detection: where the spoken words are.

Handles straight and curly double quotes, British single-quote dialogue (told apart from apostrophes),
quotes nested inside quotes (kept inside the outer quote), speeches running over several paragraphs
(an opening mark with no closing mark at the paragraph's end, the next paragraph opening again), quotes
split by a tag, and lines cut off by a dash before the closing mark. Offsets are into the text; a
quote's span is its words without the marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from audiobook.manuscript.paragraphs import Paragraph

DOUBLE_OPEN = "\u201c"
DOUBLE_CLOSE = "\u201d"
SINGLE_OPEN = "\u2018"
SINGLE_CLOSE = "\u2019"
LOW_OPEN = "\u201e"  # German-style low opening mark, closed by a curly or straight mark

_OPENING_CONTEXT = set(" \t\n([{\u2014\u2013-:;,/")
_ELISIONS = (
    "tis", "twas", "twere", "twill", "em", "im", "er", "til", "till", "cause", "cos", "bout", "round",
    "n", "ere", "ow", "owt", "nowt", "appen", "ave", "alf", "ad", "e", "is", "un", "uns", "allo",
    "ello", "scuse", "fraid", "spose", "course", "nother",
)
_ELISION_RE = re.compile(r"(?:%s)\b" % "|".join(_ELISIONS), re.IGNORECASE)
_DIGIT_ELISION = re.compile(r"\d\d?s?\b")


@dataclass
class QuoteSpan:
    """A stretch of quoted words (marks excluded), offsets into the text, ``end`` exclusive.

    ``paragraph`` is the index of its paragraph; ``mark_start``/``mark_end`` include the marks;
    ``continued`` is true when the speech runs on into the next paragraph without a closing mark;
    ``group`` numbers the speech the piece belongs to (pieces of one multi-paragraph speech share it).
    """

    start: int
    end: int
    mark_start: int
    mark_end: int
    paragraph: int
    closed: bool = True
    continued: bool = False
    group: int = 0


def quote_style(text: str) -> str:
    """"double" when dialogue uses double quotes, "single" for British single-quote dialogue."""
    doubles = text.count('"') / 2 + text.count(DOUBLE_OPEN)
    singles = text.count(SINGLE_OPEN)
    if not singles:
        # Straight single quotes: count the ones that look like an opening mark.
        singles = 0
        for match in re.finditer(r"(?:^|(?<=[\s(\u2014]))'(?=[A-Za-z])", text):
            if not _ELISION_RE.match(text, match.end()):
                singles += 1
    if singles >= 1 and singles > 1.5 * doubles:
        return "single"
    return "double"


def _is_opening_context(text: str, i: int, start: int) -> bool:
    return i == start or text[i - 1] in _OPENING_CONTEXT or text[i - 1] in "\"'\u201c\u2018"


def _double_marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, "open"|"close"|"either") for every double quote mark in the paragraph."""
    marks = []
    for match in re.finditer('["\u201c\u201d\u201e]', text[start:end]):
        i = start + match.start()
        ch = text[i]
        if ch in (DOUBLE_OPEN, LOW_OPEN):
            marks.append((i, "open"))
        elif ch == DOUBLE_CLOSE:
            marks.append((i, "close"))
        else:
            marks.append((i, "either"))
    return marks


def _single_marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, kind) for single marks that can be quote marks (apostrophes inside words left out)."""
    marks = []
    for match in re.finditer("['\u2018\u2019]", text[start:end]):
        i = start + match.start()
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if before.isalnum() and after.isalnum():
            continue  # don't, O'Brien
        opening = (i == start or before in _OPENING_CONTEXT or before in "\"\u201c") and not after.isspace()
        closing = not before.isspace() and (i + 1 >= end or not after.isalnum())
        if opening and (_ELISION_RE.match(text, i + 1) or _DIGIT_ELISION.match(text, i + 1)):
            opening = text[i] == SINGLE_OPEN  # 'tis, '90s: apostrophes unless typeset as an opening mark
        if text[i] == SINGLE_OPEN and opening:
            marks.append((i, "open"))
        elif opening:
            marks.append((i, "open"))
        elif closing:
            marks.append((i, "close"))
    return marks


def _pair_marks(
    text: str, para: Paragraph, marks: list[tuple[int, str]], carried: bool, single: bool
) -> tuple[list[tuple[int, int, bool]], bool]:
    """Pair marks into spans (open offset, close offset or paragraph end, closed?).

    ``carried``: the paragraph continues a speech left open by the previous one. Returns the spans and
    whether the paragraph ends inside a quote.
    """
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    if carried and (not marks or marks[0][1] == "close" or (marks[0][1] == "either" and not _is_opening_context(text, marks[0][0], para.start))):
        open_at = para.start - 1  # speech continues without a new opening mark
    depth = 0
    for k, (i, kind) in enumerate(marks):
        if open_at is None:
            if kind in ("open", "either"):
                open_at = i
                depth = 0
            continue
        if kind == "open":
            # An opening mark inside an open quote: a quote nested in it (closed by its own mark).
            if not single:
                depth += 1
            continue
        if kind == "close" and depth > 0:
            depth -= 1
            continue
        if single and kind == "close":
            before = text[i - 1]
            after = text[i + 1] if i + 1 < para.end else " "
            # Plural possessive (the boys' room): an apostrophe when another closing mark follows.
            if before in "sS" and after == " " and i + 2 < para.end and text[i + 2].islower():
                if any(kk == "close" for _, kk in marks[k + 1:]):
                    continue
        spans.append((open_at, i, True))
        open_at = None
    if open_at is not None:
        spans.append((open_at, para.end, False))
        return spans, True
    return spans, False


def find_quotes(text: str, paragraphs: Sequence[Paragraph], style: str | None = None) -> tuple[list[QuoteSpan], list[str]]:
    """All quoted spans in text order, and warnings (one line each) about marks that never close."""
    style = style or quote_style(text)
    single = style == "single"
    quotes: list[QuoteSpan] = []
    warnings: list[str] = []
    unclosed = 0
    carried = False
    group = 0
    for p_index, para in enumerate(paragraphs):
        marks = _single_marks(text, para.start, para.end) if single else _double_marks(text, para.start, para.end)
        spans, open_at_end = _pair_marks(text, para, marks, carried, single)
        next_para = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
        continues = False
        if open_at_end and next_para is not None:
            first = text[next_para.start]
            continues = first in ('"', DOUBLE_OPEN, LOW_OPEN) if not single else first in ("'", SINGLE_OPEN)
        for k, (mark_open, mark_close, closed) in enumerate(spans):
            inner_start = mark_open + 1
            inner_end = mark_close
            while inner_start < inner_end and text[inner_start].isspace():
                inner_start += 1
            while inner_end > inner_start and text[inner_end - 1].isspace():
                inner_end -= 1
            last = k == len(spans) - 1
            split = False
            if k > 0 and spans[k - 1][2]:
                # "Fine," she snaps, "go.": a quote interrupted by a tag continues the same speech
                prev_inner = text[spans[k - 1][0] + 1:spans[k - 1][1]].rstrip()
                gap = text[spans[k - 1][1] + 1:mark_open]
                split = prev_inner[-1:] in (",", "\u2014", "-") and len(gap) <= 100 and not re.search(r"[.!?]\s*$", gap.strip()[:-1] if gap.strip().endswith((",", ":")) else gap.strip() + ".")
            if not (carried and k == 0) and not split:
                group += 1
            if inner_end <= inner_start:
                continue
            quote = QuoteSpan(
                start=inner_start,
                end=inner_end,
                mark_start=max(mark_open, para.start),
                mark_end=min(mark_close + 1, para.end) if closed else para.end,
                paragraph=p_index,
                closed=closed,
                continued=last and continues,
                group=group,
            )
            if not closed and not quote.continued:
                unclosed += 1
                if unclosed <= 20:
                    line = text.count("\n", 0, mark_open) + 1
                    warnings.append(f"quote opened at line {line} is not closed before its paragraph ends")
            quotes.append(quote)
        carried = open_at_end and continues
    if unclosed > 20:
        warnings.append(f"{unclosed - 20} more quotes are not closed before their paragraph ends")
    return quotes, warnings


def nesting_depth(text: str, quote: QuoteSpan) -> int:
    """How many levels of quotes sit inside the quote (0: none), counted from its marks."""
    inner = text[quote.start:quote.end]
    depth = 0
    if re.search("(?:^|[\\s(])['\u2018][A-Za-z].*?[A-Za-z.,!?]['\u2019](?:$|[\\s.,!?;:])", inner, re.S):
        depth = 1
        if re.search('(?:^|[\\s(])["\u201c].*?["\u201d]', inner, re.S) and "'" in inner:
            depth = 2
    return depth
