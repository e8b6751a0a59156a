#!/usr/bin/env python
"""Benchmark the cue sheet on a long book: building the sheet and rendering each format.

Makes a synthetic production script (default 40 chapters x 300 paragraphs x 3 cues = 36,040 cues,
about the cue count of a 150,000-word novel), 40 speakers and a 200-entry lexicon, then times, several
times each and in the same run:

    build_sheet(script, cast, lexicon)     (bible, tags and actions, pronunciation guide)
    render(sheet, FORMAT)                  for html, md, csv and json

and prints the medians and the size of each output.

    python scripts/bench_cuesheet.py [--runs 3] [--chapters 40] [--paragraphs 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from audiobook.casting.cast import Cast, Role
from audiobook.casting.lexicon import Lexicon, LexiconEntry
from audiobook.cuesheet import FORMATS, render
from audiobook.cuesheet.model import build_sheet
from audiobook.script.model import Chapter, Character, Cue, Script

WORDS = "the sea lamp harbour wind quay rope tide light keeper boat night beam reef gull stone".split()


def make_book(chapters: int, paragraphs: int, seed: int = 1) -> tuple[Script, Cast, Lexicon]:
    rng = random.Random(seed)
    names = [f"Speaker {chr(65 + i % 26)}{i}" for i in range(40)]
    book = []
    for number in range(1, chapters + 1):
        cues = [Cue(f"h{number:04d}", "heading", f"Chapter {number}", pause="chapter")]
        for p in range(paragraphs):
            for k in range(3):
                dialogue = rng.random() < 0.5
                text = " ".join(rng.choices(WORDS, k=14)).capitalize() + (" Kilvarra." if rng.random() < 0.1 else ".")
                cues.append(
                    Cue(f"{number:03d}{p:05d}.{k}", "dialogue" if dialogue else "narration", text,
                        rng.choice(names) if dialogue else "Narrator", rng.random(), "beat" if dialogue else "narration")
                )  # fmt: skip
        book.append(Chapter(number, f"Chapter {number}", cues))
    script = Script("A Long Book", "long.md", book, [Character(name) for name in names])
    cast = Cast("espeak-narrator-us-m", {name: Role("espeak-us-f-warm", "steady") for name in names})
    lexicon = Lexicon()
    for i in range(199):
        lexicon.add(LexiconEntry(f"Placename{i}", respelling=f"PLACE-{i}"))
    lexicon.add(LexiconEntry("Kilvarra", respelling="kil-VARR-a"))
    return script, cast, lexicon


def median_time(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chapters", type=int, default=40)
    parser.add_argument("--paragraphs", type=int, default=300)
    args = parser.parse_args()
    script, cast, lexicon = make_book(args.chapters, args.paragraphs)
    cues = sum(len(c.cues) for c in script.chapters)
    build_sheet(script, cast, lexicon)  # warm the word lists suggest() loads once per process
    seconds, sheet = median_time(args.runs, lambda: build_sheet(script, cast, lexicon))
    print(f"{cues} cues, {len(script.characters)} characters, {len(lexicon)} lexicon entries")
    print(f"build_sheet: {seconds:.2f} s (median of {args.runs})")
    for fmt in FORMATS:
        seconds, text = median_time(args.runs, lambda fmt=fmt: render(sheet, fmt))
        print(f"render {fmt:<4}: {seconds:.2f} s, {len(text.encode('utf-8')) / 1e6:.1f} MB")
    print(f"command: python scripts/bench_cuesheet.py --runs {args.runs} --chapters {args.chapters} --paragraphs {args.paragraphs}")


if __name__ == "__main__":
    main()
