"""Measure a delivered file in one decoding pass: loudness (BS.1770-5 / R 128) and ACX's metrics.

The file is decoded by ffmpeg (anything ffmpeg reads) in 10 s blocks on a reader thread, so the
decoder runs while the meters work on the previous block; memory stays bounded by a few blocks.
For MP3s the stream's bitrate, constant or variable bitrate, and joint stereo are read too.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from audiobook.errors import InputError
from audiobook.mastering.acx import AcxMeter, AcxResult
from audiobook.mastering.ffmpeg import StreamInfo, decode_blocks, probe
from audiobook.mastering.loudness import LoudnessMeter

#: The metrics a report carries, in report order, with their units.
METRICS = {
    "integrated_lufs": "LUFS",
    "loudness_range_lu": "LU",
    "max_momentary_lufs": "LUFS",
    "max_short_term_lufs": "LUFS",
    "true_peak_dbtp": "dBTP",
    "sample_peak_dbfs": "dBFS",
    "rms_dbfs": "dBFS",
    "noise_floor_dbfs": "dBFS",
    "head_room_tone_s": "s",
    "tail_room_tone_s": "s",
    "duration_s": "s",
    "sample_rate": "Hz",
    "channels": "",
    "bitrate_kbps": "kb/s",
    "cbr": "",
}

BLOCK_S = 10.0


@dataclass(eq=False)
class FileMetrics:
    """Everything measured on one file. None: not measurable here (e.g. the bitrate of a WAV)."""

    integrated_lufs: float | None
    loudness_range_lu: float | None
    max_momentary_lufs: float | None
    max_short_term_lufs: float | None
    true_peak_dbtp: float | None
    sample_peak_dbfs: float
    rms_dbfs: float
    noise_floor_dbfs: float | None
    head_room_tone_s: float
    tail_room_tone_s: float
    duration_s: float
    sample_rate: int
    channels: int
    bitrate_kbps: float | None
    cbr: bool | None
    joint_stereo: bool | None = None
    codec: str = ""
    speech_level_dbfs: float = -math.inf
    short_term_series: tuple[np.ndarray, np.ndarray] = field(default=(np.zeros(0), np.zeros(0)), repr=False)
    peak_series: tuple[np.ndarray, np.ndarray] = field(default=(np.zeros(0), np.zeros(0)), repr=False)

    def metric(self, name: str) -> float | int | bool | None:
        """The value of metric ``name`` (one of METRICS)."""
        return getattr(self, name)

    def as_dict(self) -> dict[str, float | int | bool | None]:
        """The METRICS as a dict, in report order."""
        return {name: self.metric(name) for name in METRICS}


@dataclass(frozen=True)
class Mp3Facts:
    """What an MP3 stream's headers say: kb/s (average for VBR), constant bitrate, joint stereo."""

    bitrate_kbps: float | None
    cbr: bool | None
    joint_stereo: bool | None


LOUDNESS_METRICS = frozenset({"integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs", "true_peak_dbtp"})
"""The metrics of the BS.1770 meter; the others come from the ACX meter and the stream's headers."""


def measure_file(path: str | Path, loudness: bool = True) -> FileMetrics:
    """Decode ``path`` once and measure it (InputError when it is missing or not audio).

    Without ``loudness`` the BS.1770 meter is skipped and its :data:`LOUDNESS_METRICS` are None (a
    master checked against ACX's rules, which set none of them, is verified in less time)."""
    path = Path(path)
    info = probe(path)
    meters = [AcxMeter(info.sample_rate, info.channels)]
    if loudness:
        meters.append(LoudnessMeter(info.sample_rate, info.channels))
    blocks = decode_blocks(path, block_s=BLOCK_S, sample_rate=info.sample_rate, channels=info.channels)
    for block in _read_ahead(blocks):
        for meter in meters:
            meter.add(block)
    return metrics_from(path, info, meters[0].result(), meters[1].result() if loudness else None)


def metrics_from(path: Path, info: StreamInfo, room: AcxResult, level=None) -> FileMetrics:
    """The file's metrics from its ACX measurements and (optionally) its BS.1770 ones, with what its
    MP3 headers say."""
    level = level or _NO_LOUDNESS
    facts = mp3_facts(path) if info.codec == "mp3" else Mp3Facts(None, None, None)
    return FileMetrics(
        integrated_lufs=level.integrated_lufs,
        loudness_range_lu=level.loudness_range_lu,
        max_momentary_lufs=level.max_momentary_lufs,
        max_short_term_lufs=level.max_short_term_lufs,
        true_peak_dbtp=level.true_peak_dbtp,
        sample_peak_dbfs=room.sample_peak_dbfs,
        rms_dbfs=room.rms_dbfs,
        noise_floor_dbfs=room.noise_floor_dbfs,
        head_room_tone_s=room.head_room_tone_s,
        tail_room_tone_s=room.tail_room_tone_s,
        duration_s=room.duration_s,
        sample_rate=info.sample_rate,
        channels=info.channels,
        bitrate_kbps=facts.bitrate_kbps,
        cbr=facts.cbr,
        joint_stereo=facts.joint_stereo,
        codec=info.codec,
        speech_level_dbfs=room.speech_level_dbfs,
        short_term_series=level.short_term_series,
        peak_series=room.peak_series,
    )


@dataclass(frozen=True)
class Stretch:
    """A stretch of an MP3 of MPEG-1 Layer III frames, to be decoded and metered on its own, after
    priming frames (:func:`audiobook.mastering.mp3.priming_frames`) whose samples are dropped."""

    first_byte: int
    """Where its decoder starts reading (the priming frames included)."""
    end_byte: int
    skip: int
    """Samples per channel of the priming frames, dropped."""
    start_frame: int
    """The 10 ms frame of the file it starts at, a 0.1 s hop boundary (see :meth:`AcxMeter.extend`)."""
    samples: int
    """Samples per channel it decodes to, after the priming."""


def meter_stretch(path: Path, info: StreamInfo, stretch: Stretch, stop: threading.Event | None = None) -> AcxMeter | None:
    """Decode one stretch of an MP3 and meter it at its place in the file; None when ``stop`` was set
    on the way, or the decoder gave another number of samples than the stretch's frames hold."""
    meter = AcxMeter(info.sample_rate, info.channels, stretch.start_frame)
    skip, seen = stretch.skip, 0
    span = (stretch.first_byte, stretch.end_byte, "mp3")
    blocks = decode_blocks(path, block_s=BLOCK_S, sample_rate=info.sample_rate, channels=info.channels, span=span)
    try:
        for block in blocks:
            if stop is not None and stop.is_set():
                return None
            dropped = min(skip, len(block))
            skip -= dropped
            meter.add(block[dropped:])
            seen += len(block) - dropped
    finally:
        blocks.close()  # stops the decoder when left early
    return meter if seen == stretch.samples else None


def fold(meters: list[AcxMeter | None]) -> AcxResult | None:
    """The measurements of consecutive stretches' meters folded in order (None if one is missing)."""
    if not meters or any(meter is None for meter in meters):
        return None
    try:
        for later in meters[1:]:
            meters[0].extend(later)
    except ValueError:  # the stretches do not meet: the caller measures the file whole
        return None
    return meters[0].result()


@dataclass(frozen=True)
class _Unmeasured:
    integrated_lufs: None = None
    loudness_range_lu: None = None
    max_momentary_lufs: None = None
    max_short_term_lufs: None = None
    true_peak_dbtp: None = None
    short_term_series: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))


_NO_LOUDNESS = _Unmeasured()
_END = object()


def _read_ahead(blocks: Iterator[np.ndarray], depth: int = 3) -> Iterator[np.ndarray]:
    """Run the ``blocks`` generator on a thread, ``depth`` blocks ahead of the consumer."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for block in blocks:
                while not stop.is_set():
                    try:
                        ready.put(block, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    break
        except BaseException as err:  # handed to the consumer, raised there
            ready.put(err)
            return
        finally:
            if stop.is_set():
                blocks.close()  # type: ignore[attr-defined]
        ready.put(_END)

    thread = threading.Thread(target=produce, name="audiobook-decode", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _END:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


# MPEG audio frame header tables (ISO/IEC 11172-3 and 13818-3), layer III only.
_BITRATES_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BITRATES_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_JOINT_STEREO = 1  # channel-mode bits 01
_MODE_SCAN_FRAMES = 64


def _frames(data: bytes, offset: int) -> Iterator[tuple[int, int, int, int]]:
    """(offset, bitrate kb/s, channel mode, length) of consecutive layer III frames from ``offset``."""
    end = len(data) - 4
    while offset <= end:
        header = int.from_bytes(data[offset : offset + 4], "big")
        version, layer = (header >> 19) & 3, (header >> 17) & 3
        bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
        if header >> 21 != 0x7FF or version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
            offset += 1  # not a frame header here: resynchronise byte by byte
            continue
        rate = _RATES[version][rate_index]
        kbps = (_BITRATES_V1 if version == 3 else _BITRATES_V2)[bitrate_index]
        per_frame = 144 if version == 3 else 72
        length = per_frame * kbps * 1000 // rate + ((header >> 9) & 1)
        yield offset, kbps, (header >> 6) & 3, length
        offset += length


def _first_frame(data: bytes) -> int:
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        return 10 + size
    return 0


def mp3_facts(path: str | Path) -> Mp3Facts:
    """Bitrate, CBR and joint stereo of an MP3, from mutagen and the frame headers themselves.

    mutagen reads the LAME/Xing header, whose own frame carries the stereo mode of the header frame,
    not of the audio: joint stereo is read from the first audio frames instead. When there is no
    Xing/Info header mutagen cannot tell CBR from VBR, and every frame's bitrate is compared.
    """
    import mutagen.mp3

    path = Path(path)
    try:
        info = mutagen.mp3.MP3(path).info
    except Exception as err:  # mutagen raises several types for damaged files
        raise InputError(f"{path}: cannot read MP3 headers ({err})") from err
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    frames = list(_take(_frames(head, _first_frame(head)), _MODE_SCAN_FRAMES + 1))
    audio = frames[1:] if frames and _is_info_frame(head, frames[0][0]) else frames
    joint = any(mode == _JOINT_STEREO for _, _, mode, _ in audio) if info.channels == 2 else False
    mode = info.bitrate_mode
    if mode == mutagen.mp3.BitrateMode.CBR:
        cbr: bool | None = True
    elif mode in (mutagen.mp3.BitrateMode.VBR, mutagen.mp3.BitrateMode.ABR):
        cbr = False
    else:
        cbr = _all_frames_same_bitrate(path)
    if cbr and audio:  # the nominal rate of the frames: mutagen's average can read 191.999 for 192
        kbps: float | None = float(audio[0][1])
    else:
        kbps = info.bitrate / 1000.0 if info.bitrate else None
    return Mp3Facts(bitrate_kbps=kbps, cbr=cbr, joint_stereo=joint)


def _take(frames: Iterator, count: int) -> Iterator:
    for index, frame in enumerate(frames):
        if index >= count:
            return
        yield frame


def _is_info_frame(data: bytes, offset: int) -> bool:
    window = data[offset + 4 : offset + 48]
    return b"Xing" in window or b"Info" in window


def _all_frames_same_bitrate(path: Path) -> bool | None:
    """Walk every frame header of a file without a Xing/Info header: CBR when all agree."""
    seen: set[int] = set()
    with path.open("rb") as handle:
        data = handle.read(1 << 20)
        base, offset = 0, _first_frame(data)
        while data:
            last_end = offset
            for start, kbps, _, length in _frames(data, offset):
                if start + length > len(data):
                    break
                seen.add(kbps)
                if len(seen) > 1:
                    return False
                last_end = start + length
            more = handle.read(1 << 20)
            if not more:
                break
            data = data[last_end:] + more
            base += last_end
            offset = 0
    return len(seen) == 1 if seen else None
