#!/usr/bin/env python
"""Benchmark `audiobook check` against ffmpeg's ebur128 meter (with true peak) on the same MP3.

Makes (or reuses, in a temp folder) a 60-minute mono 44.1 kHz CBR 192k MP3 of a speech-like signal
(band-limited noise in syllable-length bursts with pauses, over room tone at -70 dB), then times,
several times each and in the same run:

    audiobook check FILE --json                     (BS.1770 meter + true peak + ACX metrics)
    ffmpeg -i FILE -af ebur128=peak=true -f null -  (BS.1770 meter + true peak)

and prints the medians, their ratio and each command's peak memory (ru_maxrss of the child process,
which covers its own children too). With --two-hour it also makes a 120-minute file and reports the
peak memory of checking it, to show memory does not grow with length.

    python scripts/bench_check.py [--runs 3] [--minutes 60] [--two-hour] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.signal import butter, lfilter

from audiobook.mastering.ffmpeg import ffmpeg_exe
from audiobook.mastering.mp3 import Mp3Encoder

RATE = 44100


def make_speech_mp3(path: Path, minutes: float, seed: int = 7) -> Path:
    """Write a speech-like mono MP3 of ``minutes`` (about -20 dB RMS, room tone at -70 dB)."""
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    b, a = butter(2, [150 / (RATE / 2), 4000 / (RATE / 2)], "band")
    state = np.zeros(max(len(a), len(b)) - 1)
    envelope_state = np.zeros(1)
    block = RATE * 10
    with Mp3Encoder(path, RATE, channels=1, bitrate_kbps=192) as encoder:
        for _ in range(int(minutes * 6)):
            voice, state = lfilter(b, a, rng.standard_normal(block), zi=state)
            syllables = np.repeat((rng.random(block // 2205) ** 0.5) * (rng.random(block // 2205) > 0.25), 2205)
            envelope, envelope_state = lfilter([0.002], [1, -0.998], syllables, zi=envelope_state)
            signal = 0.3 * voice * envelope + 10 ** (-70 / 20) * rng.standard_normal(block)
            encoder.write(np.clip(signal, -0.7, 0.7).astype(np.float32))
    return path


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; (wall s, peak resident memory in MB, CPU s), each covering its children too."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1 is a check that ran and found failures
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (median reported)")
    parser.add_argument("--minutes", type=float, default=60.0, help="length of the benchmark file")
    parser.add_argument("--two-hour", action="store_true", help="also measure peak memory on a 120-minute file")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "audiobook-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    file = make_speech_mp3(args.workdir / f"speech-{args.minutes:g}min.mp3", args.minutes)
    print(f"file: {file} ({file.stat().st_size / 1e6:.0f} MB, made or reused in {time.perf_counter() - started:.0f} s)")
    check = [sys.executable, "-m", "audiobook.cli", "check", str(file), "--json"]
    ebur128 = [ffmpeg_exe(), "-nostdin", "-nostats", "-i", str(file), "-af", "ebur128=peak=true", "-f", "null", "-"]
    timed(check)  # warm-up: page cache, and numba's compiled-code cache on a fresh checkout
    ours, theirs = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine state
        ours.append(timed(check))
        theirs.append(timed(ebur128))
    t_ours, t_theirs = statistics.median(r[0] for r in ours), statistics.median(r[0] for r in theirs)
    cpu_ours, cpu_theirs = statistics.median(r[2] for r in ours), statistics.median(r[2] for r in theirs)
    for label, runs, wall, cpu in (("audiobook check", ours, t_ours, cpu_ours),
                                   ("ffmpeg ebur128=peak=true", theirs, t_theirs, cpu_theirs)):  # fmt: skip
        print(f"{label:<26} median {wall:.2f} s wall, {cpu:.2f} s CPU; runs {[round(r[0], 2) for r in runs]}; "
              f"peak memory {max(r[1] for r in runs):.0f} MB")  # fmt: skip
    print(f"ratio check / ebur128: {t_ours / t_theirs:.2f}x wall (target <= 1.0x), {cpu_ours / cpu_theirs:.2f}x CPU")
    if args.two_hour:
        long_file = make_speech_mp3(args.workdir / "speech-120min.mp3", 120.0)
        seconds, memory, _ = timed([sys.executable, "-m", "audiobook.cli", "check", str(long_file), "--json"])
        print(f"120-minute file: audiobook check {seconds:.2f} s, peak memory {memory:.0f} MB (target < 300 MB)")
    print(f"reproduce: python scripts/bench_check.py --runs {args.runs} --minutes {args.minutes:g}"
          + (" --two-hour" if args.two_hour else ""))  # fmt: skip


if __name__ == "__main__":
    main()
