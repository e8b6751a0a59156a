"""Section-wise masters: LAME stream geometry, timings of the joined file, and reuse after an edit."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from audiobook.check.measure import measure_file
from audiobook.mastering.ffmpeg import decode, decode_blocks
from audiobook.mastering.master import MasterSettings, master_chapter
from audiobook.mastering.mp3 import FRAME, STREAM_DELAY, LameStream, count_frames, decoded_frames, priming_frames, skip_frames
from audiobook.mastering.timeline import PAUSE_S, Segment, Timeline
from audiobook.tts.engine import Audio
from audiobook.tts.executor import LocalProcessExecutor
from audiobook.tts.takes import TakeStore

RATE = 22050


def click(length: int, at: int) -> np.ndarray:
    x = np.zeros(length, np.float32)
    x[at] = 0.8
    return x


@pytest.mark.parametrize("length", [1, 1151, 1152, 1153, 4096, 47_000, 100_003])
def test_a_lame_stream_decodes_to_the_length_and_delay_the_timeline_counts_on(tmp_path: Path, length: int) -> None:
    stream = LameStream(44100)
    data = stream.encode(click(length, length // 2)) + stream.flush()
    assert count_frames(data) is not None and count_frames(data) * 1152 == decoded_frames(length)
    path = tmp_path / "s.mp3"
    path.write_bytes(data)
    samples, _ = decode(path)
    assert len(samples) == decoded_frames(length)
    if length > 1000:
        assert int(np.argmax(np.abs(samples[:, 0]))) == STREAM_DELAY + length // 2


def test_a_cut_or_damaged_stream_is_not_a_run_of_frames() -> None:
    stream = LameStream(44100)
    data = stream.encode(click(20_000, 100)) + stream.flush()
    assert count_frames(data[:-10]) is None
    assert count_frames(b"ID3" + data) is None
    assert count_frames(data + data) == 2 * count_frames(data)


def speech_like(seconds: float, seed: int) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    syllables = 0.6 + 0.4 * np.sin(2 * np.pi * (3.0 + seed % 5 * 0.4) * t)
    tone = 0.2 * np.sin(2 * np.pi * (150 + 17 * (seed % 11)) * t) + 0.07 * np.sin(2 * np.pi * (900 + seed) * t)
    edge = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)  # no click at either end
    return (tone * syllables * edge).astype(np.float32)


def chapter(store: TakeStore, names: list[str], loud: str = "") -> Timeline:
    """A take per name (the one named ``loud`` three times as loud), a sentence or paragraph pause after each."""
    segments = []
    for index, name in enumerate(names):
        key = hashlib.sha256(name.encode()).hexdigest()
        if not store.is_valid(key):
            store.save(key, Audio(speech_like(2.0 + index % 3, index) * (3.0 if name == loud else 1.0), RATE))
        segments.append(Segment(f"c{index}", key, 0.0, PAUSE_S["paragraph"] if index % 2 else PAUSE_S["sentence"]))
    return Timeline(segments)


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("sections")
    store = TakeStore(folder / "takes")
    names = [f"line {i}" for i in range(60)]
    before = chapter(store, names)
    sections = before.sections(store)
    assert len(sections) >= 4  # content-chosen boundaries: one paragraph end in eight on average
    changed = sections[len(sections) // 2].first + 1
    names[changed] = "a line rewritten by the author"
    after = chapter(store, names)
    first = master_chapter(before, store, folder / "a.mp3", MasterSettings())
    again = master_chapter(after, store, folder / "a.mp3", MasterSettings(), previous=first.sections)
    fresh = master_chapter(after, store, folder / "fresh.mp3", MasterSettings())
    return {"folder": folder, "store": store, "names": names, "before": before, "after": after, "first": first, "again": again,
            "fresh": fresh}  # fmt: skip


def test_an_edit_encodes_only_its_section_again_and_gives_the_clean_build_bytes(edited) -> None:
    first, again, fresh = edited["first"], edited["again"], edited["fresh"]
    assert first.sections_encoded == len(first.sections) >= 4
    assert again.sections_encoded == 1
    assert (edited["folder"] / "a.mp3").read_bytes() == (edited["folder"] / "fresh.mp3").read_bytes()
    kept = {entry["sha256"] for entry in first.sections} & {entry["sha256"] for entry in again.sections}
    assert len(kept) == len(again.sections) - 1
    assert fresh.sections_encoded == len(fresh.sections)


def test_a_damaged_previous_master_is_not_reused(edited) -> None:
    folder, store, after, again = edited["folder"], edited["store"], edited["after"], edited["again"]
    damaged = folder / "damaged.mp3"
    data = bytearray((folder / "a.mp3").read_bytes())
    data[again.sections[0]["offset"] + 700] ^= 0xFF
    damaged.write_bytes(bytes(data))
    redone = master_chapter(after, store, damaged, MasterSettings(), previous=again.sections)
    assert redone.sections_encoded == 1
    assert damaged.read_bytes() == (folder / "fresh.mp3").read_bytes()


def test_timings_of_the_joined_sections_are_those_of_the_decoded_file(edited) -> None:
    store, after = edited["store"], edited["after"]
    samples, rate = decode(edited["folder"] / "fresh.mp3")
    x = np.abs(samples[:, 0])
    assert len(x) == after.total_frames(store)
    for timing in after.timings(store):
        start, end = round(timing.start_s * rate), round(timing.end_s * rate)
        assert x[start - 400 : start - 40].max() < 10 ** (-50 / 20)  # room tone just before the take
        assert x[start + 40 : start + 800].max() > 10 ** (-30 / 20)  # its first sound right at the start
        assert x[end - 800 : end - 40].max() > 10 ** (-30 / 20)
        assert x[end + 300 : end + 1500].max() < 10 ** (-50 / 20)


def test_worker_processes_and_cached_envelopes_give_the_same_bytes(edited, tmp_path: Path, monkeypatch) -> None:
    store, after, folder = edited["store"], edited["after"], edited["folder"]
    monkeypatch.setattr("audiobook.tts.executor.INLINE_JOBS", 0)  # every section to a worker process
    envelopes = tmp_path / "envelopes"
    with LocalProcessExecutor(2) as executor:
        pooled = master_chapter(after, store, tmp_path / "pooled.mp3", MasterSettings(), envelopes=envelopes, run=executor.run)
        assert executor._pools  # the sections went to workers
    assert (tmp_path / "pooled.mp3").read_bytes() == (folder / "fresh.mp3").read_bytes()
    assert sorted(p.stem for p in envelopes.glob("*.npy")) == sorted(entry["envelope"] for entry in pooled.sections)
    damaged = next(envelopes.glob("*.npy"))
    damaged.write_bytes(b"not an envelope")
    again = master_chapter(after, store, tmp_path / "again.mp3", MasterSettings(), envelopes=envelopes)
    assert (tmp_path / "again.mp3").read_bytes() == (folder / "fresh.mp3").read_bytes()
    assert np.load(damaged).dtype == np.float32  # measured again and kept
    assert again.sections_encoded == len(again.sections)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # no scratch left behind


def _decoded_stretch(path: Path, data: bytes, frame: int, count: int, priming: int) -> np.ndarray:
    """``count`` frames from ``frame`` on, decoded after ``priming`` frames that are dropped."""
    first, end = skip_frames(data, 0, frame - priming), skip_frames(data, 0, frame + count)
    part = np.concatenate(list(decode_blocks(path, sample_rate=44100, channels=1, span=(first, end, "mp3"))))[:, 0]
    return part[priming * FRAME :]


def test_a_stretch_decoded_after_its_priming_frames_gives_the_samples_of_the_whole_file(edited) -> None:
    path = edited["folder"] / "fresh.mp3"
    data, whole = path.read_bytes(), decode(path)[0][:, 0]
    frames, priming = len(whole) // FRAME, priming_frames(192)
    assert priming == 2
    section_starts = [section.start // FRAME for section in edited["after"].sections(edited["store"])]
    for frame in [2, 7, frames // 3, frames // 2 + 1, frames - 40, *section_starts[1:4]]:  # inside streams and where they meet
        count = min(30, frames - frame)
        assert np.array_equal(_decoded_stretch(path, data, frame, count, priming), whole[frame * FRAME : (frame + count) * FRAME]), frame
    one = [np.array_equal(_decoded_stretch(path, data, f, 30, 1), whole[f * FRAME : (f + 30) * FRAME]) for f in (7, frames // 3)]
    assert not all(one)  # one frame before is not enough: it was itself decoded without its reservoir


def test_a_low_bitrate_stream_needs_more_priming_frames_and_gets_them(tmp_path: Path) -> None:
    """At 64 kb/s a frame's data may begin three frames back (the bit reservoir)."""
    stream = LameStream(44100, bitrate_kbps=64)
    signal = np.concatenate([speech_like(4.0, seed) for seed in range(5)])
    data = stream.encode(np.interp(np.arange(len(signal) * 2) / 2, np.arange(len(signal)), signal)) + stream.flush()
    path = tmp_path / "low.mp3"
    path.write_bytes(data)
    whole, frames, priming = decode(path)[0][:, 0], count_frames(data), priming_frames(64)
    assert priming == 4
    for frame in (5, frames // 4, frames // 2, frames - 60):
        assert np.array_equal(_decoded_stretch(path, data, frame, 40, priming), whole[frame * FRAME : (frame + 40) * FRAME]), frame


def _metrics_equal(got, expected) -> None:
    for name in ("sample_peak_dbfs", "head_room_tone_s", "tail_room_tone_s", "duration_s", "speech_level_dbfs", "bitrate_kbps", "cbr"):
        assert got.metric(name) == expected.metric(name), name
    for name in ("rms_dbfs", "noise_floor_dbfs"):  # sums taken in another order
        assert got.metric(name) == pytest.approx(expected.metric(name), abs=1e-6), name
    assert np.array_equal(got.peak_series[1], expected.peak_series[1])


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_an_edited_master_is_verified_by_decoding_only_around_the_change(edited, tmp_path: Path, monkeypatch, where: str) -> None:
    """The old master's head and tail are decoded while the changed section is made; the figures are
    those of the whole new file all the same, wherever the edit is."""
    store, names, fresh = edited["store"], list(edited["names"]), edited["fresh"]
    sections = fresh.sections
    section = {"first": 0, "middle": len(sections) // 2, "last": len(sections) - 1}[where]
    index = edited["after"].sections(store)[section].first
    names[index] = f"the {where} section's line, rewritten"
    path = tmp_path / "a.mp3"
    path.write_bytes((edited["folder"] / "fresh.mp3").read_bytes())
    monkeypatch.setattr("audiobook.mastering.verify.measure_file", lambda *a, **k: pytest.fail("decoded the whole file"))
    report = master_chapter(chapter(store, names), store, path, MasterSettings(), previous=sections, loudness=False)
    assert report.sections_encoded == 1
    _metrics_equal(report.metrics, measure_file(path, loudness=False))


def test_when_the_edit_moves_the_chapter_gain_the_whole_new_file_is_measured(edited, tmp_path: Path, monkeypatch) -> None:
    store, names, fresh = edited["store"], list(edited["names"]), edited["fresh"]
    names[5] = "a line shouted"
    path = tmp_path / "a.mp3"
    path.write_bytes((edited["folder"] / "fresh.mp3").read_bytes())
    whole = []
    monkeypatch.setattr("audiobook.mastering.verify.measure_file", lambda *a, **k: whole.append(a) or measure_file(*a, **k))
    report = master_chapter(chapter(store, names, loud=names[5]), store, path, MasterSettings(), previous=fresh.sections,
                            loudness=False)
    assert report.sections_encoded == len(report.sections)  # a new gain: every stream is new
    assert len(whole) == 1
    _metrics_equal(report.metrics, measure_file(path, loudness=False))


def test_an_old_master_that_will_not_decode_leaves_the_new_one_measured_whole(edited, tmp_path: Path, monkeypatch) -> None:
    from audiobook.errors import InputError
    from audiobook.mastering import verify

    store, names, fresh = edited["store"], list(edited["names"]), edited["fresh"]
    names[len(names) // 2] = "a line the decoder of the old file never reaches"
    path = tmp_path / "a.mp3"
    path.write_bytes((edited["folder"] / "fresh.mp3").read_bytes())
    real = verify.meter_stretch

    def failing_on_the_old_file(source, *args):
        if source == path:
            raise InputError(f"{source}: cannot decode audio (damaged)")
        return real(source, *args)

    monkeypatch.setattr(verify, "meter_stretch", failing_on_the_old_file)
    report = master_chapter(chapter(store, names), store, path, MasterSettings(), previous=fresh.sections, loudness=False)
    assert report.sections_encoded == 1
    _metrics_equal(report.metrics, measure_file(path, loudness=False))
