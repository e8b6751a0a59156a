"""Benchmark the render engine with espeak on synthetic manuscripts (made on the fly).

Measures, and prints with the command that reproduces each figure:

- overhead: a full build with one worker; pipeline overhead = everything except engine synthesis
  (parse, attribution, casting, keying, scheduling, take writes, mastering, encoding, verifying) as a
  percentage of synthesis time, with the render and mastering stages shown apart;
- incremental: one paragraph of a 10-minute chapter changes; the rebuild's JSON summary and time;
- scaling: render throughput (takes/s) of two workers against one on the same takes;
- kill: SIGKILL a build mid-render, rebuild, compare every chapter MP3 with a clean build's;
- neural (``--only neural``): the overhead build with the neural cast (Piper and hibari, as cast when
  the neural extra is installed);
- encoder (``--only encoder``): LAME's quality settings on espeak speech, encode time and fidelity;
- memory (--memory, slow): a synthetic N-hour book built with espeak; peak RSS of the largest
  process, and the whole process tree's peak PSS and RSS (sampled), in MB.

Usage::

    python scripts/bench_render.py                  # overhead, incremental, scaling, kill
    python scripts/bench_render.py --memory --hours 20
    python scripts/bench_render.py --only incremental   # one run of the default set
    python scripts/bench_render.py --only encoder       # LAME quality settings: time and fidelity
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

WORDS = (
    "harbour lantern river stone window morning thunder copper meadow winter orchard ladder kettle "
    "shutter compass blanket candle pebble anchor bridge garden letter island mirror needle pocket "
    "saddle thistle valley whistle basket cellar feather hollow jacket marble pepper ribbon sparrow"
).split()
VERBS = "carried counted folded mended noticed painted polished questioned remembered watched".split()
CAST = 'narrator = "espeak-narrator-us-m"\n\n[characters."Ned"]\nprofile = "espeak-gb-m"\n\n[characters."Ivy"]\nprofile = "espeak-us-f-warm"\n'
NEURAL_CAST = 'narrator = "piper-joe-narrator"\n\n[characters."Ned"]\nprofile = "piper-joe-deep"\n\n[characters."Ivy"]\nprofile = "hibari-heart-narrator"\n'
"""The cast a build chooses when the neural extra is installed: Piper narrates, hibari and Piper speak."""
WORDS_PER_MINUTE = 170
"""About how many words espeak-ng reads per minute of finished audio, pauses included."""


def synthetic_book(chapters: int, minutes_per_chapter: float, seed: int = 1) -> str:
    """A manuscript of distinct sentences, paragraphs of one to three sentences, some dialogue."""
    rng = random.Random(seed)
    counter = 0
    parts = ["# A Synthetic Book\n"]
    for number in range(1, chapters + 1):
        parts.append(f"\n## Chapter {number}\n")
        words = 0
        while words < minutes_per_chapter * WORDS_PER_MINUTE:
            counter += 1
            sentences = []
            for _ in range(rng.randint(1, 3)):
                a, b, verb = rng.choice(WORDS), rng.choice(WORDS), rng.choice(VERBS)
                sentences.append(f"The {a} was {verb} beside the {b} for the {counter} time that day.")
            paragraph = " ".join(sentences)
            if counter % 5 == 0:
                speaker = "Ned" if counter % 2 else "Ivy"
                paragraph = f'"{sentences[0]}" {speaker} said.'
            parts.append(f"\n{paragraph}\n")
            words += len(paragraph.split())
    return "".join(parts)


def prepared(folder: Path, cast: str = CAST) -> Path:
    """``folder`` made, with the benchmark's cast file in it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cast.toml").write_text(cast, encoding="utf-8")
    return folder


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "audiobook.cli", *args]


def cli_build(source: Path, out: Path, jobs: int) -> tuple[dict, float]:
    if not (out / "cast.toml").exists():
        prepared(out)
    started = time.perf_counter()
    result = subprocess.run(command("build", str(source), "-o", str(out), "--json", "--jobs", str(jobs)), capture_output=True, text=True)
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout), time.perf_counter() - started


def bench_overhead(work: Path, minutes: float, cast: str = CAST, name: str = "overhead") -> None:
    from audiobook.production import Production, build

    source = work / f"{name}.md"
    source.write_text(synthetic_book(3, minutes / 3), encoding="utf-8")
    out = prepared(work / name, cast)
    chapters = [0]

    def on_chapter(master) -> None:
        chapters[0] += 1

    started = time.perf_counter()
    report = build(Production(source, out), workers=1, on_chapter=on_chapter)
    wall = time.perf_counter() - started
    render = report.render
    synthesis = render.synthesis_seconds
    print(f"\n[{name}] full build, 1 worker: {render.takes_total} takes, {render.audio_seconds / 60:.1f} min of audio, "
          f"{chapters[0]} chapters")  # fmt: skip
    print(f"  wall {wall:.2f} s = synthesis {synthesis:.2f} s + overhead {wall - synthesis:.2f} s "
          f"({100 * (wall - synthesis) / synthesis:.0f} % of synthesis)")  # fmt: skip
    print(f"  render stage {render.wall_seconds:.2f} s (synthesis, and the chapters mastered as their takes came in); "
          f"after it {wall - render.wall_seconds:.2f} s (parse, cast, the last chapters' masters, timings)")  # fmt: skip
    print(f"  the engines synthesise {render.audio_seconds / synthesis:.0f}x real time; the whole build runs "
          f"{render.audio_seconds / wall:.0f}x real time")  # fmt: skip
    out2 = prepared(work / f"{name}-2", cast)
    started = time.perf_counter()
    report = build(Production(source, out2), workers=2)
    wall = time.perf_counter() - started
    spread = report.render.synthesis_seconds / 2
    print(f"  the same build with 2 workers (the default here): wall {wall:.2f} s against synthesis spread over two "
          f"workers {spread:.2f} s: overhead {100 * (wall - spread) / spread:.0f} %")  # fmt: skip


def bench_incremental(work: Path) -> None:
    source = work / "chapter.md"
    source.write_text(synthetic_book(1, 10.0, seed=2), encoding="utf-8")
    out = work / "incremental"
    first, first_wall = cli_build(source, out, 2)
    text = source.read_text(encoding="utf-8").splitlines()
    index = next(i for i in range(len(text) // 2, len(text)) if text[i].startswith("The "))
    text[index] = text[index].replace("The ", "Then the ", 1)
    source.write_text("\n".join(text) + "\n", encoding="utf-8")
    from audiobook.production import Production, build

    started = time.perf_counter()
    report = build(Production(source, out), workers=2)
    library_wall = time.perf_counter() - started
    cli_walls = []
    for word in ("quietly", "slowly", "gravely", "softly", "warily"):  # five more edits, each a new take
        text[index] = re.sub(r"^Then (\w+ )?the ", f"Then {word} the ", text[index], count=1)
        source.write_text("\n".join(text) + "\n", encoding="utf-8")
        summary, cli_wall = cli_build(source, out, 2)
        cli_walls.append(cli_wall)
    print(f"\n[incremental] a {first['audio_seconds'] / 60:.1f}-minute chapter, {first['takes_total']} takes "
          f"(first build {first_wall:.1f} s); one paragraph edited:")  # fmt: skip
    print(f"  library build(): {library_wall:.2f} s, rendered {report.render.takes_rendered}, mastered {report.chapters_mastered}")
    print(f"  CLI (process start included), five edits: median {statistics.median(cli_walls):.2f} s "
          f"({min(cli_walls):.2f}-{max(cli_walls):.2f} s); last summary {json.dumps(summary)}")  # fmt: skip


def _render_set(store_root: Path, workers: int, count: int) -> tuple[float, float, float]:
    """(wall seconds, audio seconds, seconds the workers spent in synthesis) for ``count`` takes."""
    from audiobook.casting.profile import load_profiles
    from audiobook.tts.executor import LocalProcessExecutor
    from audiobook.tts.render import engine_versions, make_job, render_takes
    from audiobook.tts.takes import TakeStore

    store = TakeStore(store_root)
    profile = load_profiles()["espeak-narrator-us-m"]
    rng = random.Random(3)
    texts = [f"The {rng.choice(WORDS)} was {rng.choice(VERBS)} beside the {rng.choice(WORDS)}, {i} times." for i in range(count)]
    with LocalProcessExecutor(workers) as executor:  # worker processes in both runs, so only their number differs
        version = engine_versions(["espeak"], executor)["espeak"]
        # warm-up: the pool starts workers on demand, so give every worker takes before the clock starts
        warm_store = TakeStore(store_root.with_name(store_root.name + "-warm-up"))
        render_takes([make_job(f"Warm up {i}.", profile, warm_store, version) for i in range(16 * workers)], warm_store, executor)
        jobs = [make_job(text, profile, store, version) for text in texts]
        started = time.perf_counter()
        summary = render_takes(jobs, store, executor)
        return time.perf_counter() - started, summary.audio_seconds, summary.synthesis_seconds


def bench_scaling(work: Path, count: int) -> None:
    one, audio, one_cpu = _render_set(work / "scale-1", 1, count)
    two, _, two_cpu = _render_set(work / "scale-2", 2, count)
    print(f"\n[scaling] {count} takes ({audio / 60:.1f} min of audio), engines already loaded:")
    print(f"  1 worker {count / one:.1f} takes/s, 2 workers {count / two:.1f} takes/s: {one / two:.2f}x")
    print(f"  per take: synthesis (forked engine, in the worker) {1000 * one_cpu / count:.2f} ms with 1 worker, "
          f"{1000 * two_cpu / count:.2f} ms each with 2; everything else in the worker and the hand-over "
          f"{1000 * (one - one_cpu) / count:.2f} ms with 1, {1000 * (2 * two - two_cpu) / count:.2f} ms each with 2")  # fmt: skip


def bench_kill(work: Path) -> None:
    source = work / "kill.md"
    source.write_text(synthetic_book(3, 2.0, seed=4), encoding="utf-8")
    clean, _ = cli_build(source, work / "kill-clean", 2)
    out = prepared(work / "kill")
    process = subprocess.Popen(command("build", str(source), "-o", str(out), "--json"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    while len(list((out / ".takes").glob("*/*.flac"))) < clean["takes_total"] // 2:
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kept = len(list((out / ".takes").glob("*/*.flac")))
    summary, _ = cli_build(source, out, 2)
    names = sorted(p.name for p in (work / "kill-clean").glob("*.mp3"))
    same = all((out / n).read_bytes() == (work / "kill-clean" / n).read_bytes() for n in names)
    print(f"\n[kill] SIGKILL after {kept} of {clean['takes_total']} takes; rebuild cached {summary['takes_cached']}, "
          f"rendered {summary['takes_rendered']}; {len(names)} chapter MP3s byte-identical to a clean build: {same}")  # fmt: skip


def bench_encoder(work: Path) -> None:
    """LAME's quality settings on espeak speech at 192 kbps mono: encode time and what decodes back."""
    import soundfile
    from scipy.signal import resample_poly, stft

    from audiobook.mastering.ffmpeg import decode
    from audiobook.mastering.mp3 import STREAM_DELAY, LameStream
    from audiobook.production import Production, build

    source = work / "encoder.md"
    source.write_text(synthetic_book(1, 8.0, seed=6), encoding="utf-8")
    out = prepared(work / "encoder")
    build(Production(source, out), workers=2)
    takes = sorted((out / ".takes").glob("*/*.flac"))
    speech = np.concatenate([resample_poly(soundfile.read(path, dtype="float32")[0], 2, 1) for path in takes]).astype(np.float32)
    speech *= np.float32(0.1 / np.sqrt(np.mean(speech.astype(np.float64) ** 2)))  # -20 dB RMS, as mastered
    print(f"\n[encoder] {len(speech) / 44100 / 60:.1f} min of espeak takes, 192 kbps mono:")
    for quality in (3, 5, 7, 9):
        stream = LameStream(44100, 1, 192, quality=quality)
        started = time.process_time()
        data = stream.encode(speech) + stream.flush()
        spent = time.process_time() - started
        (work / "q.mp3").write_bytes(data)
        decoded = decode(work / "q.mp3")[0][STREAM_DELAY : STREAM_DELAY + len(speech), 0]
        snr = 10 * np.log10(np.sum(speech.astype(np.float64) ** 2) / np.sum((decoded - speech).astype(np.float64) ** 2))
        freqs, _, original = stft(speech, 44100, nperseg=1024)
        _, _, coded = stft(decoded, 44100, nperseg=1024)
        band = freqs < 8000
        heard = np.abs(original[band]) > 1e-3
        difference = np.abs(20 * np.log10(np.abs(original[band]) + 1e-6) - 20 * np.log10(np.abs(coded[band]) + 1e-6))[heard].mean()
        print(f"  quality {quality}: {spent:.2f} s of CPU ({len(speech) / 44100 / spent:.0f}x real time), SNR {snr:.2f} dB, "
              f"log-spectral difference below 8 kHz {difference:.3f} dB")  # fmt: skip


def _tree_memory_mb(root: int) -> tuple[float, float]:
    """(RSS, PSS) of ``root`` and all its descendants now, in MB (from /proc). RSS counts a page shared
    by several processes (libraries, an espeak take's forked child) once per process; PSS divides it
    among them, so the tree's PSS is the memory the build really holds."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    rss = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith(("Rss:", "Pss:")):
                    kilobytes = int(line.split()[1])
                    rss, pss = (rss + kilobytes, pss) if line.startswith("Rss:") else (rss, pss + kilobytes)
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return rss / 1e3, pss / 1e3


def bench_memory(work: Path, hours: float) -> None:
    chapters = max(1, round(hours * 60 / 25))
    source = work / "long.md"
    source.write_text(synthetic_book(chapters, hours * 60 / chapters, seed=5), encoding="utf-8")
    out = prepared(work / "long")
    started = time.perf_counter()
    process = subprocess.Popen(command("build", str(source), "-o", str(out), "--json"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_rss = peak_pss = 0.0
    while process.poll() is None:
        rss, pss = _tree_memory_mb(process.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.5)
    stdout, stderr = process.communicate()
    if process.returncode:
        sys.exit(stderr)
    wall = time.perf_counter() - started
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3  # kB on Linux
    summary = json.loads(stdout)
    print(f"\n[memory] {summary['audio_seconds'] / 3600:.1f} hours of audio in {chapters} chapters, {summary['takes_total']} takes, "
          f"built in {wall / 60:.1f} min")  # fmt: skip
    print(f"  peak RSS of the largest process {largest:.0f} MB; whole process tree, sampled every 0.5 s: "
          f"PSS {peak_pss:.0f} MB (shared pages counted once), RSS {peak_rss:.0f} MB (counted in every process)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=15.0, help="Audio length of the overhead build [15].")
    parser.add_argument("--takes", type=int, default=400, help="Takes in the scaling run [400].")
    parser.add_argument("--memory", action="store_true", help="Only the long-book memory run.")
    parser.add_argument("--only", default="overhead,incremental,scaling,kill", help="Comma-separated subset of the default runs.")
    parser.add_argument("--hours", type=float, default=20.0, help="Length of the long book [20].")
    args = parser.parse_args()
    print("reproduce: python scripts/bench_render.py " + " ".join(sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        work = Path(folder)
        if args.memory:
            bench_memory(work, args.hours)
            return
        runs = {
            "overhead": lambda: bench_overhead(work, args.minutes),
            "incremental": lambda: bench_incremental(work),
            "scaling": lambda: bench_scaling(work, args.takes),
            "kill": lambda: bench_kill(work),
            "encoder": lambda: bench_encoder(work),
            "neural": lambda: bench_overhead(work, args.minutes, NEURAL_CAST, "neural"),
        }
        for name in args.only.split(","):
            runs[name.strip()]()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
