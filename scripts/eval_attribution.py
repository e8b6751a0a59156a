#!/usr/bin/env python3
"""Speaker-attribution benchmark: run the attribution engine on every annotated novel in an
evaluation directory, score each with the directory's scorer, print a per-novel table, the
micro-averaged total and the speed in words per second.

    python scripts/eval_attribution.py [EVAL_DIR] [--gold-characters] [--out DIR] [--errors N]

EVAL_DIR (default ../shared/eval/attribution) holds NAME.txt, NAME.gold.json and
score_attribution.py. ``--gold-characters`` gives the engine the gold character list (name and
aliases) instead of letting it find its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from audiobook.manuscript.model import ChapterSpan
from audiobook.script.attribution import attribute, attribution_json
from audiobook.script.model import Character


def load_characters(data: object) -> list[Character]:
    """A character list from JSON: a list of {name, aliases} or {"characters": [...]}."""
    if isinstance(data, dict):
        data = data.get("characters", [])
    out = []
    for entry in data or []:
        name = str(entry.get("name", "")).strip()
        if not name:
            continue
        aliases = [str(a) for a in entry.get("aliases", []) if str(a).strip() and not str(a).startswith("_")]
        out.append(Character(name=name, aliases=aliases))
    return out


REVIEW_BELOW = 0.5
"""Lines under this confidence are the ones ``audiobook review`` lists for a person."""


def _load_scorer(path: Path):
    """The evaluation directory's scorer as a module (for per-line calibration), or None."""
    import importlib.util

    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("score_attribution", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("eval_dir", nargs="?", default="../shared/eval/attribution")
    ap.add_argument("--gold-characters", action="store_true", help="use the gold character lists")
    ap.add_argument("--out", help="directory for prediction JSON (default: a temporary one)")
    ap.add_argument("--errors", type=int, default=0, help="print N sample errors per novel")
    ap.add_argument("--novels", default="", help="comma-separated subset")
    ap.add_argument("--chapters", action="store_true", help="pass the gold chapter spans")
    args = ap.parse_args(argv)
    eval_dir = Path(args.eval_dir)
    names = sorted(p.name[:-4] for p in eval_dir.glob("*.txt"))
    if args.novels:
        wanted = {n.strip() for n in args.novels.split(",")}
        names = [n for n in names if n in wanted]
    out_dir = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="attribution-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    total_words = 0
    total_seconds = 0.0
    review = {"lines": 0, "low": 0, "sure_quotes": 0, "sure_correct": 0}
    scorer = _load_scorer(eval_dir / "score_attribution.py")
    for name in names:
        text = (eval_dir / f"{name}.txt").read_text(encoding="utf-8")
        characters = None
        chapters = None
        gold = None
        if args.gold_characters or args.chapters:
            gold = json.loads((eval_dir / f"{name}.gold.json").read_text(encoding="utf-8"))
        if args.gold_characters:
            characters = load_characters(gold)
        if args.chapters and gold.get("chapters"):
            chapters = [ChapterSpan(c["index"], c.get("title", ""), c["start"], c["start"], c["end"]) for c in gold["chapters"]]
        started = time.perf_counter()
        result = attribute(text, chapters=chapters, characters=characters)
        total_seconds += time.perf_counter() - started
        total_words += len(text.split())
        data = attribution_json(result)
        (out_dir / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
        if scorer is not None:
            # Calibration: accuracy of the lines a person would not review (confidence >= 0.5).
            gold_data = gold or json.loads((eval_dir / f"{name}.gold.json").read_text(encoding="utf-8"))
            sure = [(q["start"], q["end"], q["speaker"]) for q in data["quotes"] if q["confidence"] >= REVIEW_BELOW]
            review["lines"] += len(data["quotes"])
            review["low"] += len(data["quotes"]) - len(sure)
            counts = scorer.score(gold_data, sorted(sure))["attribution"]["all"]
            review["sure_quotes"] += counts["detected"]
            review["sure_correct"] += counts["correct"]
        if args.errors:
            subprocess.run([sys.executable, str(eval_dir / "score_attribution.py"), str(eval_dir / f"{name}.gold.json"),
                            str(out_dir / f"{name}.json"), "--errors", str(args.errors)], check=False)
    # Batch scoring: the scorer pairs PRED_DIR/<id>.json with GOLD_DIR/<id>.json.
    gold_dir = Path(tempfile.mkdtemp(prefix="attribution-gold-"))
    for name in names:
        (gold_dir / f"{name}.json").symlink_to((eval_dir / f"{name}.gold.json").resolve())
    report = out_dir / "report.json"
    proc = subprocess.run([sys.executable, str(eval_dir / "score_attribution.py"), "--batch", str(gold_dir), str(out_dir),
                           "--novels", ",".join(names), "--json-out", str(report)], capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout + proc.stderr)
        return 1
    data = json.loads(report.read_text(encoding="utf-8"))
    per_novel = data["per_novel"] if "per_novel" in data else [data]
    header = f"{'novel':32s} {'quotes':>6s} {'all':>6s} {'expl':>6s} {'anaph':>6s} {'impl':>6s} {'det P':>6s} {'det R':>6s} {'det F1':>6s}"
    print(header)
    print("-" * len(header))
    for res in per_novel:
        a = res["attribution"]
        d = res["detection"]
        row = [a.get(k, {}).get("acc_all") for k in ("all", "explicit", "anaphoric", "implicit")]
        print(f"{res['novel'] or '?':32s} {res['gold_quotes']:6d} " + " ".join(f"{v:6.3f}" if v is not None else f"{'-':>6s}" for v in row)
              + f" {d['precision'] or 0:6.3f} {d['recall'] or 0:6.3f} {d['f1'] or 0:6.3f}")
    if "total" in data:
        t = data["total"]
        m = t["micro"]
        d = t["detection"]
        print("-" * len(header))
        print(f"{'TOTAL (micro)':32s} {m['all']['n']:6d} " + " ".join(f"{m[k]['acc_all']:6.3f}" for k in ("all", "explicit", "anaphoric", "implicit"))
              + f" {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f}")
    if review["lines"]:
        print(f"review: {review['low']} of {review['lines']} lines ({review['low'] / review['lines']:.1%}) have confidence "
              f"< {REVIEW_BELOW}; accuracy of the others {review['sure_correct'] / max(1, review['sure_quotes']):.3f}")
    print(f"speed: {total_words} words in {total_seconds:.2f} s = {total_words / max(total_seconds, 1e-9):,.0f} words/s (one core)")
    print("characters: " + ("gold lists" if args.gold_characters else "found by the tool"))
    print("reproduce: python scripts/eval_attribution.py" + (" --gold-characters" if args.gold_characters else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
