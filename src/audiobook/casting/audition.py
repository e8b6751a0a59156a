"""Auditions: a voice profile reading a line, written to a WAV or MP3 file to listen to.

The line goes through the same lexicon and normalisation as a build's takes, so an audition is what the
book will sound like. The sample is levelled to AUDITION_RMS_DBFS plus the profile's gain (peaks held
below AUDITION_PEAK_DBFS), so auditions of different engines play at comparable loudness.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from audiobook.atomic import atomic_path
from audiobook.casting.lexicon import Lexicon
from audiobook.casting.profile import VoiceProfile
from audiobook.casting.speech_text import prepare_for_engine
from audiobook.errors import InputError

AUDITION_RMS_DBFS = -20.0
"""RMS level of an audition before the profile's gain, in dBFS."""
AUDITION_PEAK_DBFS = -1.0
"""Highest sample peak of an audition, in dBFS."""
FORMATS = (".wav", ".mp3")


@dataclass(frozen=True)
class Audition:
    path: Path
    duration_s: float
    spoken: str
    """The text the engine was given (after the lexicon and normalisation)."""
    engine_version: str


def level(samples: np.ndarray, gain_db: float = 0.0) -> np.ndarray:
    """``samples`` at AUDITION_RMS_DBFS + ``gain_db`` RMS, scaled down if a peak would pass AUDITION_PEAK_DBFS."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    if rms < 1e-6:
        return np.asarray(samples, dtype=np.float32)
    scaled = samples * (10 ** ((AUDITION_RMS_DBFS + gain_db) / 20) / rms)
    peak = float(np.abs(scaled).max())
    ceiling = 10 ** (AUDITION_PEAK_DBFS / 20)
    if peak > ceiling:
        scaled *= ceiling / peak
    return scaled.astype(np.float32)


def audition(profile: VoiceProfile, text: str, out_path: Path, lexicon: Lexicon | None = None) -> Audition:
    """Render ``text`` with ``profile`` into ``out_path`` (.wav or .mp3), atomically."""
    from audiobook.mastering.mp3 import Mp3Encoder
    from audiobook.tts.engine import load_engine

    out_path = Path(out_path)
    if out_path.suffix.lower() not in FORMATS:
        raise InputError(f"{out_path}: an audition is written as .wav or .mp3")
    if not text.strip():
        raise InputError("audition: the text to read is empty")
    engine = load_engine(profile.engine)
    spoken = prepare_for_engine(text, lexicon or Lexicon(), profile.engine)
    audio = engine.synthesize(spoken, profile)
    samples = level(audio.samples, profile.gain)
    if out_path.suffix.lower() == ".wav":
        with atomic_path(out_path) as tmp:
            soundfile.write(tmp, samples, audio.sample_rate, format="WAV", subtype="PCM_16")
    else:
        with Mp3Encoder(out_path, audio.sample_rate) as encoder:
            encoder.write(samples)
    return Audition(out_path, audio.duration_s, spoken, engine.version())
