"""Post-processing of neural engines' output: a pitch shift, and trimming of silence around sentences.

Pitch, for engines that have no pitch control of their own (Piper, hibari), is a shift in post.

The shift resamples the take: played back ``ratio`` times faster, a voice is ``12 * log2(ratio)``
semitones higher and ``ratio`` times shorter, with its formants moved by the same factor (the same
voice, a slightly smaller or larger speaker). The engine is asked to speak ``ratio`` times slower
beforehand (:func:`engine_pace`), so the take keeps roughly the profile's pace. Roughly: Piper's
length scale and hibari's speed move a take's length less than in proportion (measured on a 21 s
paragraph: asking for 10% faster made it 2-5% shorter, asking for 40% faster 19-33% shorter), so a
pitched variant comes out a few percent off its pace.

Measured against ffmpeg's rubberband filter (formants preserved) on a 9.6 s hibari take shifted by
+3 semitones (scripts/bench_voices.py): resampling costs ~3 ms per take (over 3,000x real time) and
a round trip up and down again leaves the spectrum within 0.1 dB of the original below 8 kHz;
rubberband costs 110-180 ms per take (an ffmpeg process plus a phase vocoder; 55-90x real time,
against hibari's own ~125x) and its round trip is 5.4 dB away (phasing, smeared transients). Its
formant-preserving shift also keeps a variant closer to the voice it comes from, where casting wants
the variants distinct. Resampling it is.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

MAX_SHIFT_SEMITONES = 3.0
"""A post shift is limited to this many semitones either way; beyond it voices sound processed."""


def shift_ratio(semitones: float) -> float:
    """The frequency ratio of a shift of ``semitones`` (clamped to +/- MAX_SHIFT_SEMITONES)."""
    clamped = float(np.clip(semitones, -MAX_SHIFT_SEMITONES, MAX_SHIFT_SEMITONES))
    return 2.0 ** (clamped / 12.0)


def engine_pace(pace: float, semitones: float) -> float:
    """The rate to ask the engine for so that, after the shift, the take has ``pace``."""
    return pace / shift_ratio(semitones)


def shift_pitch(samples: np.ndarray, semitones: float) -> np.ndarray:
    """``samples`` (mono float32) ``semitones`` higher (lower when negative), by resampling.

    The result is ``shift_ratio(semitones)`` times shorter. A shift below 0.01 semitones returns the
    samples unchanged.
    """
    if abs(semitones) < 0.01 or len(samples) == 0:
        return np.asarray(samples, dtype=np.float32)
    from scipy.signal import resample_poly  # here, not at the top: loading an engine's module (to list voices) stays quick

    ratio = Fraction(shift_ratio(semitones)).limit_denominator(400)
    # Read the samples ``ratio`` times faster: up by the denominator, down by the numerator.
    return resample_poly(samples, ratio.denominator, ratio.numerator).astype(np.float32)


SILENCE_THRESHOLD = 10 ** (-40 / 20)
"""Samples below -40 dBFS (absolute) count as silence when trimming."""


def trim_silence(samples: np.ndarray, sample_rate: int, keep_s: float = 0.05) -> np.ndarray:
    """``samples`` without the silence before the first and after the last sound beyond ``keep_s`` seconds.

    Engines pad each sentence differently (hibari ~0.3 s each side, Piper ~0.1 s); trimming to the
    same margin lets the script's pauses, not the engine, decide the silence between cues.
    """
    loud = np.flatnonzero(np.abs(samples) > SILENCE_THRESHOLD)
    if len(loud) == 0:
        return np.zeros(0, dtype=np.float32)
    keep = round(keep_s * sample_rate)
    return np.asarray(samples[max(0, loud[0] - keep) : loud[-1] + 1 + keep], dtype=np.float32)
