"""The cue sheet as one self-contained HTML page, for the screen and for print.

Everything is inline (CSS, no scripts, no fonts or images fetched), so the file can be mailed to a
narrator and opened offline. Every piece of text from the book, the cast or the lexicon is escaped.

Print: each chapter and each part of the sheet starts on a new page, table headers repeat on every
page, rows never split across pages, and colours print as they show. The page box is left to the
printer (A4 or US Letter) unless ``paper`` fixes it; the layout is fluid and fits the narrower of the
two (A4: 210 mm, Letter: 215.9 mm wide) within the margins.
"""

from __future__ import annotations

import hashlib
from html import escape

from audiobook.cuesheet.model import CharacterEntry, CueSheet, SheetChapter, SheetCue
from audiobook.cuesheet.timings import timecode
from audiobook.script.model import NARRATOR

PAPER_SIZES = {"a4": "A4", "letter": "letter"}

_CSS = """
:root { --ink: #1c1c1c; --muted: #666; --rule: #d8d4cc; --paper: #fffdf8; --accent: #7a4b12;
        --confirm: #fff1c7; --confirm-ink: #7a5200; }
* { box-sizing: border-box; }
html { background: #efeae1; }
body { margin: 0 auto; max-width: 64rem; padding: 2.2rem 2.6rem 4rem; background: var(--paper); color: var(--ink);
       font: 15px/1.45 "Helvetica Neue", Arial, "Liberation Sans", sans-serif; box-shadow: 0 0 1.2rem rgba(0,0,0,.08); }
h1, h2, h3 { font-family: Georgia, "DejaVu Serif", "Liberation Serif", serif; font-weight: normal; line-height: 1.2; }
h1 { font-size: 2.1rem; margin: .1rem 0 .4rem; }
h2 { font-size: 1.45rem; margin: 2.4rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
a { color: inherit; }
.kicker { text-transform: uppercase; letter-spacing: .14em; font-size: .72rem; color: var(--accent); margin: 0; }
.meta, .chapter-meta, .note { color: var(--muted); font-size: .85rem; margin: .2rem 0 .8rem; }
.stats { display: flex; flex-wrap: wrap; gap: .5rem 1.6rem; margin: 1rem 0; padding: .7rem 1rem;
         border: 1px solid var(--rule); border-radius: 6px; background: #fff; }
.stats div { font-size: .8rem; color: var(--muted); }
.stats b { display: block; font-size: 1.25rem; color: var(--ink); font-weight: 600; }
nav.contents { columns: 2; font-size: .88rem; margin: .6rem 0 0; }
nav.contents a { text-decoration: none; border-bottom: 1px dotted var(--muted); }
nav.contents p { margin: .1rem 0; break-inside: avoid; }
table { width: 100%; border-collapse: collapse; font-size: .86rem; }
th { text-align: left; font-weight: 600; font-size: .72rem; text-transform: uppercase; letter-spacing: .05em;
     color: var(--muted); border-bottom: 1px solid var(--ink); padding: .35rem .4rem; vertical-align: bottom; }
td { padding: .32rem .4rem; vertical-align: top; border-bottom: 1px solid #ece8e0; overflow-wrap: break-word; }
td.nowrap { white-space: nowrap; }
table.compact { width: auto; min-width: 55%; }
th.fill, td.fill { width: 40%; }
table.bible td.voice { font-size: .8rem; }
table.bible .tags { display: block; margin: .1rem 0 0 1.2rem; }
table.bible .tag { margin: 0 .3rem 0 0; }
.per-chapter { font-size: .78rem; color: var(--muted); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.zero { color: #c4c0b8; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; margin-right: .4rem;
          vertical-align: -.05rem; }
.name { font-weight: 600; }
.tag { display: inline-block; font-size: .68rem; padding: 0 .35rem; margin-left: .3rem; border-radius: 3px;
       border: 1px solid var(--rule); color: var(--muted); font-weight: normal; white-space: nowrap; }
.ipa { font-family: "DejaVu Sans", "Noto Sans", "Lucida Sans Unicode", sans-serif; }
.say { font-weight: 600; letter-spacing: .02em; }
table.script { font-size: .92rem; }
table.script td.num { width: 3.2rem; text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; }
table.script td.time { width: 4.6rem; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap;
                       font-size: .8rem; padding-top: .42rem; }
table.script td.who { width: 9.5rem; font-size: .8rem; padding-top: .4rem; }
table.script tbody { border-top: 1px solid var(--rule); }
table.script tbody td { border-bottom: none; }
table.script tr.dialogue td.line, table.script tr.thought td.line { border-left: 4px solid var(--c); padding-left: .6rem;
                                                               font-family: Georgia, "DejaVu Serif", serif; }
table.script tr.thought td.line { font-style: italic; }
table.script tr.narration td.line { padding-left: calc(.6rem + 4px); color: #3a3a3a; }
table.script tr.heading td.line { padding-left: calc(.6rem + 4px); font-weight: 600; font-size: 1rem; }
table.script .name { color: var(--c); }
table.script tr.narration td.who, table.script tr.heading td.who { color: var(--muted); font-weight: normal; }
tr.confirm td { background: var(--confirm); }
.flag { display: inline-block; margin-left: .45rem; padding: 0 .4rem; border-radius: 3px; font: 600 .66rem/1.5 sans-serif;
        text-transform: uppercase; letter-spacing: .04em; color: var(--confirm-ink); border: 1px solid #e2c36b;
        background: #fff8e0; white-space: nowrap; font-style: normal; }
.part-mark { font-size: .66rem; text-transform: uppercase; letter-spacing: .05em; color: var(--accent); }
.context { color: var(--muted); font-size: .8rem; font-style: italic; }
.context::before { content: "\\2014\\00a0"; }
.character-view { break-inside: auto; }
.character-view h3 { border-left: 6px solid var(--c); padding-left: .55rem; }
.character-view .quote { font-family: Georgia, "DejaVu Serif", serif; }
ol.confirm-list { padding-left: 1.2rem; font-size: .88rem; }
ol.confirm-list li { margin: .25rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .75rem; border-top: 1px solid var(--rule); padding-top: .6rem; }
@page { margin: 14mm 12mm 15mm 12mm; }
@media print {
  html { background: none; }
  body { max-width: none; padding: 0; box-shadow: none; background: none; font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav.contents a { border: none; }
  section.chapter, section.by-character { break-before: page; }
  table.bible { font-size: 8.5pt; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  .character-view h3 { break-before: auto; }
  footer { display: none; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _paper_css(paper: str | None) -> str:
    if paper is None:
        return ""
    size = PAPER_SIZES.get(paper.lower())
    if size is None:
        raise ValueError(f"unknown paper size {paper!r} (a4 or letter)")
    return f"@page {{ size: {size}; }}\n"


def render_html(sheet: CueSheet, paper: str | None = None) -> str:
    """The whole cue sheet as HTML text. ``paper`` ("a4" or "letter") fixes the printed page size."""
    speakers = [c for c in sheet.characters if c.name != NARRATOR]
    # one class per voice (k0 the narrator) sets its colour, so a row carries no style of its own
    classes = {entry.name: f"k{i}" for i, entry in enumerate(sheet.characters)}
    voice_css = "".join(f".{classes[e.name]}{{--c:{_e(e.colour)}}}" for e in sheet.characters)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Cue sheet: {_e(sheet.title)}</title>",
        f"<style>{_CSS}{voice_css}\n{_paper_css(paper)}</style></head><body>",
        _cover(sheet, speakers),
        _bible(sheet),
        _pronunciation(sheet),
        _confirm_list(sheet),
        *(_chapter(sheet, chapter, classes) for chapter in sheet.chapters),
        _character_views(sheet, speakers),
        f"<footer>Made by audiobook from {_e(sheet.source_name)}. Cue numbers run through the book; "
        "the id after each number is the cue's id in the production script.</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _cover(sheet: CueSheet, speakers: list[CharacterEntry]) -> str:
    cues = sheet.cues()
    lines = sum(1 for cue in cues if cue.spoken)
    stats = [
        (len(sheet.chapters), "chapters"),
        (len(cues), "cues"),
        (lines, "character lines"),
        (len(speakers), "characters"),
        (len(sheet.to_confirm()), "lines to confirm"),
    ]
    if sheet.timed:
        total = sum(c.duration_s or 0.0 for c in sheet.chapters)
        stats.append((timecode(total), "running time"))
    contents = [
        '<p><a href="#characters">Character bible</a></p>',
        '<p><a href="#pronunciation">Pronunciation guide</a></p>',
        '<p><a href="#confirm">Lines to confirm</a></p>',
        *(f'<p><a href="#chapter-{c.number}">{c.number}. {_e(c.title)}</a></p>' for c in sheet.chapters),
        '<p><a href="#by-character">Lines by character</a></p>',
    ]
    timing_note = (
        "Times are where each cue starts in its chapter file."
        if sheet.timed
        else "No timings yet: build the book and make the cue sheet again to see where each cue starts."
    )
    return (
        '<header><p class="kicker">Narrator cue sheet</p>'
        f"<h1>{_e(sheet.title)}</h1>"
        f'<p class="meta">From {_e(sheet.source_name)}. {timing_note}</p>'
        '<div class="stats">' + "".join(f"<div><b>{_e(v)}</b>{_e(k)}</div>" for v, k in stats) + "</div>"
        '<nav class="contents">' + "".join(contents) + "</nav></header>"
    )


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{_e(colour)}"></span>'


def _anchor(name: str) -> str:
    """A fragment id for a character: readable, and unique because a hex digest of the name follows."""
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name.lower()).strip("-")[:24]
    return f"who-{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"


COLUMNS_UP_TO = 8
"""Up to this many chapters the bible has a column per chapter; past it, one cell lists the counts."""


def _bible(sheet: CueSheet) -> str:
    numbers = [c.number for c in sheet.chapters]
    columns = len(numbers) <= COLUMNS_UP_TO
    if columns:
        head = "".join(f'<th class="n" title="lines in chapter {n}">Ch&nbsp;{n}</th>' for n in numbers)
    else:
        head = "<th>Lines per chapter</th>"
    rows = []
    for entry in sheet.characters:
        tags = []
        if entry.name == NARRATOR:
            tags.append("narration and headings")
        if entry.narrator:
            tags.append("first-person narrator")
        if entry.minor:
            tags.append("minor")
        if entry.pov_chapters:
            tags.append("POV ch " + ", ".join(str(n) for n in entry.pov_chapters))
        name = _e(entry.name)
        if entry.name != NARRATOR and entry.total:
            name = f'<a href="#{_anchor(entry.name)}">{name}</a>'
        first = (
            f'ch {entry.first_chapter}, <a href="#cue-{entry.first_cue}">cue {entry.first_cue}</a>'
            if entry.first_cue
            else "&ndash;"
        )
        if columns:
            counts = "".join(f'<td class="n{"" if entry.lines[n] else " zero"}">{entry.lines[n]}</td>' for n in numbers)
        else:
            listed = ", ".join(f"{n}:&nbsp;{entry.lines[n]}" for n in numbers if entry.lines[n])
            counts = f'<td class="per-chapter">{listed or "&ndash;"}</td>'
        voice = f"<div>{_e(entry.voice)}</div>" if entry.voice else ""
        notes = f'<div class="note">{_e(entry.notes)}</div>' if entry.notes else ""
        tag_html = ('<span class="tags">' + "".join(f'<span class="tag">{_e(t)}</span>' for t in tags) + "</span>") if tags else ""
        rows.append(
            f'<tr><td>{_swatch(entry.colour)}<span class="name" style="color:{_e(entry.colour)}">{name}</span>{tag_html}'
            f"</td><td>{_e(', '.join(entry.aliases)) or '&ndash;'}</td><td class=\"nowrap\">{_gender(entry.gender)}</td>"
            f'<td class="nowrap">{first}</td>{counts}<td class="n"><b>{entry.total}</b></td>'
            f'<td class="voice">{voice}{notes}</td></tr>'
        )
    return (
        '<section class="part" id="characters"><h2>Character bible</h2>'
        '<p class="note">Lines are dialogue and thought cues (a quote broken by a tag counts twice); the '
        "narrator's count is narration and headings. Voice: the profile in cast.toml; notes: its notes field.</p>"
        '<table class="bible"><thead><tr><th>Character</th><th>Aliases</th><th>Gender</th><th>First line</th>'
        f'{head}<th class="n">Total</th><th>Voice &amp; notes</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _gender(code: str) -> str:
    return {"M": "male", "F": "female"}.get(code, '<span title="unknown">&ndash;</span>')


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _cue_link(number: int | None) -> str:
    return f'<a href="#cue-{number}">{number}</a>' if number else "&ndash;"


def _pronunciation(sheet: CueSheet) -> str:
    known = [p for p in sheet.pronunciations if p.in_lexicon]
    missing = [p for p in sheet.pronunciations if not p.in_lexicon]
    out = ['<section class="part" id="pronunciation"><h2>Pronunciation guide</h2>']
    if known:
        # only the columns some entry fills
        columns = [
            ("Say it", "say", lambda p: _e(p.respelling)),
            ("IPA", "ipa", lambda p: f"/{_e(p.ipa)}/" if p.ipa else ""),
            ("espeak", "", lambda p: f"<code>{_e(p.espeak)}</code>" if p.espeak else ""),
            ("Note", "", lambda p: _e(p.note)),
        ]
        fields = {"Say it": "respelling", "IPA": "ipa", "espeak": "espeak", "Note": "note"}
        columns = [c for c in columns if any(getattr(p, fields[c[0]]) for p in known)]
        head = "".join(f"<th>{title}</th>" for title, _, _ in columns)
        rows = "".join(
            f'<tr><td class="name">{_e(p.word)}</td>'
            + "".join(f'<td class="{css}">{cell(p)}</td>' for _, css, cell in columns)
            + f'<td class="n{"" if p.uses else " zero"}">{p.uses}</td><td class="n">{_cue_link(p.first_cue)}</td></tr>'
            for p in known
        )
        out.append(
            f'<table><thead><tr><th>Word</th>{head}<th class="n">Uses</th><th class="n">First cue</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    else:
        out.append('<p class="note">The production has no lexicon.toml yet.</p>')
    if missing:
        out.append(
            "<h3>Names the lexicon lacks</h3>"
            '<p class="note">Proper names and unusual words in the book with no lexicon entry: confirm how to '
            "say them with the author, then add them to lexicon.toml.</p>"
            '<table class="compact"><thead><tr><th>Word</th><th class="n">Uses</th><th class="n">First cue</th>'
            '<th class="fill">Say it (to fill in)</th></tr></thead><tbody>'
            + "".join(
                f'<tr><td class="name">{_e(p.word)}</td><td class="n">{p.uses}</td>'
                f'<td class="n">{_cue_link(p.first_cue)}</td><td class="fill"></td></tr>'
                for p in missing
            )
            + "</tbody></table>"
        )
    out.append("</section>")
    return "".join(out)


def _confirm_list(sheet: CueSheet) -> str:
    lines = sheet.to_confirm()
    head = (
        f'<section class="part" id="confirm"><h2>Lines to confirm</h2><p class="note">{_plural(len(lines), "line")} whose '
        f"speaker was chosen with confidence below {sheet.confirm_below:.2f}: check who says them before "
        "recording, and correct the speaker in the production script if it is wrong.</p>"
    )
    if not lines:
        return head + "</section>"
    items = "".join(
        f'<li><a href="#cue-{cue.number}">cue {cue.number}</a> (ch {cue.chapter}) '
        f'<b style="color:{_e(sheet.colour(cue.speaker))}">{_e(cue.speaker)}</b>? '
        f"&ldquo;{_e(cue.text)}&rdquo; "
        f'<span class="note">{cue.confidence:.2f}, {_e(cue.rule)}</span></li>'
        for cue in lines
    )
    return head + f'<ol class="confirm-list">{items}</ol></section>'


def _line_text(cue: SheetCue) -> str:
    if cue.kind == "dialogue":
        return f"&ldquo;{_e(cue.text)}&rdquo;"
    return _e(cue.text)


def _flag(cue: SheetCue) -> str:
    if not cue.confirm:
        return ""
    return f'<span class="flag" title="attribution {_e(cue.rule)}, confidence {cue.confidence:.2f}">confirm {cue.confidence:.2f}</span>'


def _time_cell(sheet: CueSheet, cue: SheetCue, css: str, part: int | None = None) -> str:
    """The cue's start in its file; ``part`` marks the first cue of each part of a split chapter."""
    if not sheet.timed:
        return ""
    marker = f'<div class="part-mark" title="{_e(cue.file or "")}">part {part}</div>' if part else ""
    return f'<td class="{css}">{marker}{timecode(cue.start_s) if cue.start_s is not None else ""}</td>'


def _chapter(sheet: CueSheet, chapter: SheetChapter, classes: dict[str, str]) -> str:
    meta = [_plural(len(chapter.cues), "cue")]
    if chapter.files:
        meta.append(" + ".join(_e(f) for f in chapter.files))
    if chapter.duration_s is not None:
        meta.append(timecode(chapter.duration_s))
    if chapter.pov:
        meta.append(f"first person: narration read as {_e(chapter.pov)}")
    groups: list[list[SheetCue]] = []
    for cue in chapter.cues:
        if groups and groups[-1][-1].paragraph == cue.paragraph:
            groups[-1].append(cue)
        else:
            groups.append([cue])
    bodies = []
    split = len(chapter.files) > 1
    previous_file: str | None = None
    for group in groups:
        rows = []
        for cue in group:
            part = chapter.files.index(cue.file) + 1 if split and cue.file in chapter.files else None
            new_part = part if part and cue.file != previous_file else None
            previous_file = cue.file
            voice = classes.get(cue.speaker if cue.spoken else NARRATOR, "k0")
            if cue.spoken:
                who = f'<span class="name">{_e(cue.speaker)}</span>'
            else:
                who = "heading" if cue.kind == "heading" else "narration"
            rows.append(
                f'<tr id="cue-{cue.number}" class="{_e(cue.kind)} {voice}{" confirm" if cue.confirm else ""}">'
                f'<td class="num" title="{_e(cue.id)}">{cue.number}</td>'
                f'{_time_cell(sheet, cue, "time", new_part)}<td class="who">{who}</td>'
                f'<td class="line">{_line_text(cue)}{_flag(cue)}</td></tr>'
            )
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    time_head = "<th>Time</th>" if sheet.timed else ""
    return (
        f'<section class="chapter" id="chapter-{chapter.number}"><h2>Chapter {chapter.number}: {_e(chapter.title)}</h2>'
        f'<p class="chapter-meta">{" &middot; ".join(meta)}</p>'
        f'<table class="script"><thead><tr><th class="n">Cue</th>{time_head}<th>Speaker</th><th>Line</th></tr></thead>'
        + "".join(bodies)
        + "</table></section>"
    )


def _character_views(sheet: CueSheet, speakers: list[CharacterEntry]) -> str:
    out = [
        '<section class="part by-character" id="by-character"><h2>Lines by character</h2>'
        '<p class="note">Every line of each character with its cue number, for preparing one voice at a time; '
        "the tag or action around a line is in grey.</p>"
    ]
    time_head = '<th class="n">Time</th>' if sheet.timed else ""
    for entry in speakers:
        lines = sheet.lines_of(entry.name)
        if not lines:
            continue
        facts = [_plural(len(lines), "line"), {"M": "male", "F": "female"}.get(entry.gender, "gender unknown")]
        if entry.aliases:
            facts.append("also " + ", ".join(entry.aliases))
        if entry.voice:
            facts.append(f"voice {entry.voice}")
        rows = []
        for cue in lines:
            context = "".join(f'<div class="context">{_e(text)}</div>' for text in (cue.before, cue.after) if text)
            rows.append(
                f'<tr class="{"confirm" if cue.confirm else ""}"><td class="n"><a href="#cue-{cue.number}">{cue.number}</a></td>'
                f'<td class="n">{cue.chapter}</td>{_time_cell(sheet, cue, "n")}'
                f'<td><span class="quote">{_line_text(cue)}</span>{_flag(cue)}{context}</td></tr>'
            )
        notes = f'<p class="note">{_e(entry.notes)}</p>' if entry.notes else ""
        out.append(
            f'<div class="character-view" id="{_anchor(entry.name)}" style="--c:{_e(entry.colour)}">'
            f'<h3 style="color:{_e(entry.colour)}">{_e(entry.name)}</h3>'
            f'<p class="meta">{_e(" · ".join(facts))}</p>{notes}'
            f'<table><thead><tr><th class="n">Cue</th><th class="n">Ch</th>{time_head}<th>Line</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
    out.append("</section>")
    return "".join(out)
