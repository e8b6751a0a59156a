"""Benchmark: speed of text normalisation, lexicon application and lexicon suggestions.

Usage: python scripts/bench_normalize.py [MANUSCRIPT] [--repeat N]
Prints characters per second for normalize_for_speech and prepare_for_engine over the
manuscript's paragraphs (repeated N times), and the time suggest() takes, word lists included.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from audiobook.casting import wordlist
from audiobook.casting.lexicon import Lexicon, suggest
from audiobook.casting.normalize import normalize_for_speech
from audiobook.casting.speech_text import prepare_for_engine

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manuscript", nargs="?", default="examples/gull-point.md")
    parser.add_argument("--lexicon", default="examples/lexicon.toml")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    text = (ROOT / args.manuscript).read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()] * args.repeat
    chars = sum(len(p) for p in paragraphs)
    lexicon = Lexicon.load(ROOT / args.lexicon)

    start = time.perf_counter()
    wordlist.common_words()
    load_s = time.perf_counter() - start

    for paragraph in paragraphs[:200]:  # warm up: compile and cache the patterns
        normalize_for_speech(paragraph)
        prepare_for_engine(paragraph, lexicon, "espeak")
    start = time.perf_counter()
    for paragraph in paragraphs:
        normalize_for_speech(paragraph)
    normalize_s = time.perf_counter() - start

    start = time.perf_counter()
    for paragraph in paragraphs:
        prepare_for_engine(paragraph, lexicon, "espeak")
    prepare_s = time.perf_counter() - start

    wordlist.dictionary_words.cache_clear()
    wordlist.gcide_words.cache_clear()
    wordlist.espeak_dictionary_words.cache_clear()
    start = time.perf_counter()
    found = suggest(paragraphs, lexicon)
    suggest_s = time.perf_counter() - start

    print(f"text: {chars:,} characters in {len(paragraphs):,} paragraphs ({args.repeat}x {args.manuscript})")
    print(f"word list load (first call): {load_s:.2f} s")
    print(f"normalize_for_speech: {chars / normalize_s:,.0f} characters/s")
    print(f"prepare_for_engine (lexicon of {len(lexicon)} + normalisation): {chars / prepare_s:,.0f} characters/s")
    print(f"suggest (word lists loaded in the call): {suggest_s:.2f} s, {len(found)} words")
    print(f"reproduce: python scripts/bench_normalize.py {args.manuscript} --repeat {args.repeat}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
