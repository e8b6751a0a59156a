"""MP3 encoding with LAME in process (the lameenc wheel), and the frame arithmetic of its streams.

A LAME stream decodes to whole MPEG-1 Layer III frames of 1152 samples. Its audio starts
:data:`STREAM_DELAY` samples in (LAME's 576-sample encoder delay plus the decoder's 529-sample
filterbank delay, as documented in LAME's technical notes on gapless playback), and LAME's flush ends it
one frame after the frame that holds the last input sample, so the decoded length of ``n`` input
samples is known before encoding (:func:`decoded_frames`). Because every stream starts with an empty
bit reservoir, streams encoded separately can be joined byte for byte into one valid CBR file: a
chapter master is built from sections encoded on their own this way (see :mod:`.master`).
"""

from __future__ import annotations

import os
from pathlib import Path

import lameenc
import numpy as np

FRAME = 1152
"""Samples per MPEG-1 Layer III frame."""
STREAM_DELAY = 576 + 529
"""Samples of silence a decoder puts before the first input sample of a LAME stream."""
QUALITY = 7
"""LAME's algorithm quality (0 best and slowest, 9 fastest; LAME's default is 3). At 192 kbps mono the
bits are plentiful: on seven minutes of espeak speech, qualities 3 and 7 decode to the same
signal-to-noise ratio (30.23 and 30.24 dB) and log-spectral difference below 8 kHz (0.268 and 0.267 dB),
and 7 takes 29 % less CPU (``python scripts/bench_render.py --only encoder``)."""
SAMPLE_RATE = 44100

_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)
MPEG1_RATES = frozenset(_RATES)


def decoded_frames(samples: int) -> int:
    """How many samples a decoder gives back for a LAME stream of ``samples`` input samples."""
    return (-(-samples // FRAME) + 1) * FRAME


class LameStream:
    """One LAME stream: float blocks at ``sample_rate`` in, MP3 bytes (CBR, MPEG-1 at ``out_rate``) out."""

    def __init__(self, sample_rate: int, channels: int = 1, bitrate_kbps: int = 192, out_rate: int = SAMPLE_RATE, quality: int = QUALITY):
        self.channels = channels
        self._encoder = lameenc.Encoder()
        self._encoder.set_bit_rate(bitrate_kbps)
        self._encoder.set_in_sample_rate(sample_rate)
        self._encoder.set_out_sample_rate(out_rate)
        self._encoder.set_channels(channels)
        self._encoder.set_quality(quality)

    def encode(self, block: np.ndarray) -> bytes:
        """MP3 bytes for float samples in [-1, 1], shaped (frames,) or (frames, channels)."""
        pcm = np.rint(np.clip(np.asarray(block, dtype=np.float32), -1.0, 1.0) * 32767.0).astype("<i2")
        return bytes(self._encoder.encode(pcm.tobytes()))

    def flush(self) -> bytes:
        return bytes(self._encoder.flush())


def _frame_bytes(header: int) -> int | None:
    """The length of the MPEG-1 Layer III frame with this 4-byte header, or None if it is not one."""
    bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
    if header >> 17 != 0x7FFD or bitrate_index in (0, 15) or rate_index == 3:  # sync, MPEG-1, Layer III
        return None
    return 144 * _BITRATES_KBPS[bitrate_index] * 1000 // _RATES[rate_index] + ((header >> 9) & 1)


def priming_frames(bitrate_kbps: int, sample_rate: int = SAMPLE_RATE) -> int:
    """How many frames to decode before a stretch of a CBR stream, and drop, for the stretch to decode
    to exactly the samples a decoder reading from the start gives there.

    A Layer III frame's samples overlap those of the frame before (the inverse MDCT's overlap-add and
    the synthesis filterbank's history, both shorter than a frame), so that frame must decode right
    too; and a frame's data may begin up to 511 bytes back, in the frames before it (the bit
    reservoir, ISO/IEC 11172-3 2.4.1.7). So: the frame before, and the frames the reservoir reaches
    back from it (at 192 kbps two in all; one gives other samples, ``tests/test_sections.py``)."""
    smallest = 144 * bitrate_kbps * 1000 // sample_rate
    return -(-511 // smallest) + 1


def count_frames(data: bytes) -> int | None:
    """The number of MPEG-1 Layer III frames in ``data``, or None unless ``data`` is exactly a run
    of such frames (a cut or damaged stream)."""
    position = frames = 0
    view = memoryview(data)
    while position + 4 <= len(data):
        length = _frame_bytes(int.from_bytes(view[position : position + 4], "big"))
        if length is None:
            return None
        position += length
        frames += 1
    return frames if position == len(data) else None


def skip_frames(data, position: int, frames: int) -> int:
    """The byte offset ``frames`` frames after the frame at ``position`` in ``data`` (bytes or an mmap
    of a run of MPEG-1 Layer III frames); ValueError where the run is broken."""
    for _ in range(frames):
        length = _frame_bytes(int.from_bytes(data[position : position + 4], "big")) if position + 4 <= len(data) else None
        if length is None:
            raise ValueError(f"no MP3 frame at byte {position}")
        position += length
    return position


class Mp3Encoder:
    """Encode float blocks to a CBR MP3 file at ``path``, written atomically.

    Use as a context manager; on error the temporary file is removed and nothing appears at ``path``.
    """

    def __init__(self, path: Path, sample_rate: int, channels: int = 1, bitrate_kbps: int = 192):
        self.path = Path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        self._stream = LameStream(sample_rate, channels, bitrate_kbps)
        self._file = None

    def __enter__(self) -> Mp3Encoder:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.tmp, "wb")
        return self

    def write(self, block: np.ndarray) -> None:
        """Append float samples in [-1, 1], shaped (frames,) or (frames, channels)."""
        self._file.write(self._stream.encode(block))

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._file.write(self._stream.flush())
            self._file.close()
            if exc_type is None:
                self.tmp.replace(self.path)
        finally:
            self.tmp.unlink(missing_ok=True)
