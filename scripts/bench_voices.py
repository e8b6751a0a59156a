"""Benchmark the TTS engines: model load time, real-time factor on one core and with two worker
processes, peak memory; and the post pitch shift (resampling against ffmpeg's rubberband filter).

    python scripts/bench_voices.py [--paragraphs 12] [--engines espeak,piper,hibari]

Each engine runs in processes of its own (never two engine families in one process). Text: the first
paragraphs of examples/gull-point.md, prepared as a build prepares them. Real-time factor = seconds of
audio / seconds of wall time; with two workers the clock starts once both have loaded their engine.
"RTF per CPU s" divides by the CPU time the worker (and the per-take children it forks) used
instead: close to the one-core figure on an idle machine, and much less disturbed by other work.
Peak memory is the largest resident set (ru_maxrss) of a worker. On a shared machine run it more than
once: other work changes every figure, the ratios between engines less so.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VOICES = {"espeak": "gmw/en-us+m3", "piper": "joe", "hibari": "heart"}


def paragraphs(count: int) -> list[str]:
    from audiobook.casting.lexicon import Lexicon
    from audiobook.casting.speech_text import prepare_for_engine

    text = (ROOT / "examples" / "gull-point.md").read_text(encoding="utf-8")
    found = [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith(("#", "*"))]
    return [prepare_for_engine(p, Lexicon(), "espeak") for p in found[:count]]


def _worker(engine_name: str, texts: list[str], ready, start, results) -> None:
    import os

    os.environ["OMP_NUM_THREADS"] = "1"
    from audiobook.casting.profile import VoiceProfile
    from audiobook.tts.engine import load_engine

    profile = VoiceProfile("bench", engine_name, VOICES[engine_name])
    began = time.perf_counter()
    engine = load_engine(engine_name)
    engine.synthesize("Ready.", profile)
    load_s = time.perf_counter() - began
    ready.set()
    start.wait()
    began, cpu_began = time.perf_counter(), _cpu_s()
    audio_s = sum(engine.synthesize(text, profile).duration_s for text in texts)
    wall_s, cpu_s = time.perf_counter() - began, _cpu_s() - cpu_began
    results.put((load_s, audio_s, wall_s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpu_s))


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the engines fork a child per take)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(engine_name: str, texts: list[str], workers: int) -> dict[str, float]:
    """Render ``texts`` split over ``workers`` spawned processes; figures for the batch."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    shares = [texts[i::workers] for i in range(workers)]
    events = [context.Event() for _ in shares]
    processes = [context.Process(target=_worker, args=(engine_name, share, event, start, results)) for share, event in zip(shares, events)]
    for process in processes:
        process.start()
    for event in events:
        event.wait()
    began = time.perf_counter()
    start.set()
    figures = [results.get() for _ in processes]
    wall_s = time.perf_counter() - began
    for process in processes:
        process.join()
    audio_s = sum(f[1] for f in figures)
    return {
        "load_s": max(f[0] for f in figures),
        "audio_s": audio_s,
        "rtf": audio_s / wall_s,
        "rtf_cpu": audio_s / sum(f[4] for f in figures),
        "peak_mib": max(f[3] for f in figures),
    }


def pitch_comparison(semitones: float = 3.0) -> None:
    """Cost and round-trip damage (up then down again, compared with the original) of both pitch shifts."""
    from audiobook.casting.profile import VoiceProfile
    from audiobook.mastering.ffmpeg import ffmpeg_exe
    from audiobook.tts.engine import load_engine
    from audiobook.tts.post import shift_pitch

    engine = load_engine("hibari")
    take = engine.synthesize(paragraphs(2)[1], VoiceProfile("b", "hibari", "heart"))
    samples, rate = take.samples, take.sample_rate

    def rubberband(x: np.ndarray, st: float) -> np.ndarray:
        command = [
            ffmpeg_exe(), "-v", "error", "-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "-",
            "-af", f"rubberband=pitch={2 ** (st / 12):.6f}:formant=preserved", "-f", "f32le", "-",
        ]  # fmt: skip
        return np.frombuffer(subprocess.run(command, input=x.astype("<f4").tobytes(), capture_output=True, check=True).stdout, "<f4")

    def spectral_distance_db(reference: np.ndarray, other: np.ndarray) -> float:
        """Mean absolute difference of the log magnitude spectra (dB), frames with speech only: blind
        to phase, which a phase vocoder changes without being heard."""
        from scipy.signal import stft

        n = min(len(reference), len(other))
        _, _, a = stft(reference[:n], rate, nperseg=1024)
        _, _, b = stft(other[:n], rate, nperseg=1024)
        a_db, b_db = (20 * np.log10(np.abs(x) + 1e-6) for x in (a, b))
        frames = a_db.max(axis=0) > a_db.max() - 40
        band = slice(0, int(a.shape[0] * 8000 / (rate / 2)))  # up to 8 kHz, below what a +3 semitone resample drops
        return float(np.mean(np.abs(a_db[band, frames] - b_db[band, frames])))

    print(f"pitch shift of a {take.duration_s:.1f} s hibari take by +{semitones:g} semitones:")
    for name, shift in (("resample", shift_pitch), ("rubberband", rubberband)):
        times = []
        for _ in range(3):
            began = time.perf_counter()
            up = shift(samples, semitones)
            times.append(time.perf_counter() - began)
        back = shift(up, -semitones)
        print(
            f"  {name:<10} {1000 * min(times):7.1f} ms per take ({take.duration_s / min(times):7.0f}x real time), "
            f"length {len(up) / len(samples):.3f}x, round trip spectral distance {spectral_distance_db(samples, back):4.1f} dB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=12, help="paragraphs of the example to render")
    parser.add_argument("--engines", default="espeak,piper,hibari")
    parser.add_argument("--no-pitch", action="store_true", help="skip the pitch shift comparison")
    args = parser.parse_args()
    from audiobook.casting.autocast import installed
    from audiobook.casting.profile import VoiceProfile

    texts = paragraphs(args.paragraphs)
    print(f"{len(texts)} paragraphs, {sum(len(t) for t in texts)} characters; machine: {multiprocessing.cpu_count()} cores")
    print(f"{'engine':<8} {'load s':>7} {'audio s':>8} {'RTF 1 core':>11} {'RTF per CPU s':>14} {'RTF 2 workers':>14} {'peak MiB':>9}")
    for name in args.engines.split(","):
        if not installed([VoiceProfile("b", name, VOICES[name])]):
            print(f"{name:<8} not installed")
            continue
        one = run(name, texts, 1)
        two = run(name, texts, 2)
        print(
            f"{name:<8} {one['load_s']:7.2f} {one['audio_s']:8.1f} {one['rtf']:10.1f}x {one['rtf_cpu']:13.1f}x "
            f"{two['rtf']:13.1f}x {max(one['peak_mib'], two['peak_mib']):9.0f}"
        )
    if not args.no_pitch and installed([VoiceProfile("b", "hibari", "heart")]):
        pitch_comparison()
    print(f"command: python scripts/bench_voices.py --paragraphs {args.paragraphs} --engines {args.engines}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
