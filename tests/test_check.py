"""The check gate on real MP3s encoded by the bundled ffmpeg: CBR/VBR and joint stereo detection,
a passing ACX chapter, a file that breaks each rule, spec files, reports and the CLI's exit codes."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from click.testing import CliRunner

from audiobook.check import check_file, check_metrics, load_spec, measure_file, mp3_facts
from audiobook.check.report import junit_xml, to_json
from audiobook.check.spec import parse_spec
from audiobook.cli import main
from audiobook.errors import InputError
from audiobook.mastering.ffmpeg import ffmpeg_exe

RATE = 44100


def chapter(seconds: float = 20.0, head_s: float = 0.75, tail_s: float = 2.5, rate: int = RATE, channels: int = 1,
            room_dbfs: float | None = -68.0, gain_db: float = 0.0, ceiling: float = 0.5, seed: int = 3) -> np.ndarray:  # fmt: skip
    """Speech-like narration at about -20 dB RMS, peaks clipped at ``ceiling``, framed by room tone."""
    rng = np.random.default_rng(seed)
    n, head, tail = int(seconds * rate), int(head_s * rate), int(tail_s * rate)
    body = n - head - tail
    syllable = rate // 20
    gates = np.repeat(rng.random(body // syllable + 1) > 0.25, syllable)[:body].astype(float)
    gates[:syllable] = gates[-syllable:] = 1.0
    speech = rng.standard_normal((body, channels)) * gates[:, None]
    speech *= 10 ** (-18.5 / 20) / np.sqrt(np.mean(speech**2))
    speech = np.clip(speech * 10 ** (gain_db / 20), -ceiling, ceiling)
    signal = np.zeros((n, channels))
    signal[head : head + body] = speech
    if room_dbfs is not None:
        signal += 10 ** (room_dbfs / 20) * rng.standard_normal((n, channels))
    return signal.astype(np.float32)


def encode(path: Path, signal: np.ndarray, rate: int = RATE, bitrate: str = "192k", vbr: bool = False,
           extra: tuple[str, ...] = ()) -> Path:  # fmt: skip
    """Encode float samples to MP3 with the bundled ffmpeg (CBR at ``bitrate``, or LAME VBR -q:a 2)."""
    quality = ["-q:a", "2"] if vbr else ["-b:a", bitrate]
    cmd = [ffmpeg_exe(), "-v", "error", "-nostdin", "-y", "-f", "f32le", "-ar", str(rate),
           "-ac", str(signal.shape[1]), "-i", "pipe:0", "-codec:a", "libmp3lame", *quality, *extra, str(path)]  # fmt: skip
    subprocess.run(cmd, input=np.ascontiguousarray(signal, dtype="<f4").tobytes(), check=True)
    return path


@pytest.fixture(scope="module")
def good_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return encode(tmp_path_factory.mktemp("check") / "good.mp3", chapter())


def failed_rules(path: Path, spec: str = "acx") -> set[str]:
    return {f.rule for f in check_file(path, spec).failures}


# --- MP3 stream facts ------------------------------------------------------------------------------


def test_cbr_and_vbr_are_told_apart(tmp_path: Path) -> None:
    signal = chapter(6.0)
    cbr = mp3_facts(encode(tmp_path / "cbr.mp3", signal))
    vbr = mp3_facts(encode(tmp_path / "vbr.mp3", signal, vbr=True))
    assert cbr.cbr is True and cbr.bitrate_kbps == pytest.approx(192.0)
    assert vbr.cbr is False


def test_cbr_without_a_xing_header_is_found_by_walking_the_frames(tmp_path: Path) -> None:
    facts = mp3_facts(encode(tmp_path / "bare.mp3", chapter(6.0), extra=("-write_xing", "0")))
    assert facts.cbr is True and facts.bitrate_kbps == pytest.approx(192.0)


def test_joint_stereo_is_read_from_the_audio_frames(tmp_path: Path) -> None:
    signal = chapter(4.0, channels=2)
    joint = mp3_facts(encode(tmp_path / "joint.mp3", signal))
    plain = mp3_facts(encode(tmp_path / "plain.mp3", signal, extra=("-joint_stereo", "0")))
    mono = mp3_facts(encode(tmp_path / "mono.mp3", chapter(4.0)))
    assert (joint.joint_stereo, plain.joint_stereo, mono.joint_stereo) == (True, False, False)


# --- the ACX gate, rule by rule --------------------------------------------------------------------


def test_a_mastered_chapter_passes_acx(good_mp3: Path) -> None:
    report = check_file(good_mp3, "acx")
    assert report.passed, report.failures
    m = report.metrics
    assert -21.0 < m.rms_dbfs < -19.0
    assert m.head_room_tone_s == pytest.approx(0.75, abs=0.05)
    assert m.tail_room_tone_s == pytest.approx(2.5, abs=0.05)
    assert m.noise_floor_dbfs == pytest.approx(-68.0, abs=1.0)
    assert (m.sample_rate, m.channels, m.cbr, m.codec) == (RATE, 1, True, "mp3")


@pytest.mark.parametrize(
    "name,signal_args,encode_args,rule",
    [
        ("quiet", {"gain_db": -8.0}, {}, "rms_dbfs.min"),
        ("loud", {"gain_db": 3.0, "ceiling": 0.3}, {}, "rms_dbfs.max"),
        ("noisy", {"room_dbfs": -50.0}, {}, "noise_floor_dbfs.max"),
        ("dead", {"room_dbfs": None}, {}, "noise_floor_dbfs.finite"),
        ("short-head", {"head_s": 0.2}, {}, "head_room_tone_s.min"),
        ("long-head", {"head_s": 1.6}, {}, "head_room_tone_s.max"),
        ("short-tail", {"tail_s": 0.5}, {}, "tail_room_tone_s.min"),
        ("long-tail", {"tail_s": 7.0}, {}, "tail_room_tone_s.max"),
        ("48k", {"rate": 48000}, {"rate": 48000}, "sample_rate.one_of"),
        ("128k", {}, {"bitrate": "128k"}, "bitrate_kbps.min"),
    ],
)
def test_each_acx_rule_fails_alone(tmp_path: Path, name: str, signal_args: dict, encode_args: dict, rule: str) -> None:
    path = encode(tmp_path / f"{name}.mp3", chapter(**signal_args), **encode_args)
    assert failed_rules(path) == {rule}


def test_peaks_over_minus_3_fail(tmp_path: Path) -> None:
    signal = chapter()
    signal[RATE * 5 : RATE * 5 + 40, 0] = 0.9  # a click
    assert failed_rules(encode(tmp_path / "click.mp3", signal)) == {"sample_peak_dbfs.max"}


def test_vbr_fails_the_cbr_rule(tmp_path: Path) -> None:
    assert "cbr.equals" in failed_rules(encode(tmp_path / "vbr.mp3", chapter(), vbr=True))


def test_duration_and_channel_rules(good_mp3: Path) -> None:
    spec, metrics = load_spec("acx"), measure_file(good_mp3)
    too_long = dataclasses.replace(metrics, duration_s=121 * 60.0)
    surround = dataclasses.replace(metrics, channels=6)
    assert {f.rule for f in check_metrics(too_long, spec)} == {"duration_s.max"}
    assert {f.rule for f in check_metrics(surround, spec)} == {"channels.one_of"}


def test_a_wav_fails_acx_for_not_being_an_mp3_unless_those_rules_are_skipped(tmp_path: Path) -> None:
    wav = tmp_path / "master.wav"
    signal = chapter(8.0)
    cmd = [ffmpeg_exe(), "-v", "error", "-y", "-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0", str(wav)]
    subprocess.run(cmd, input=signal.tobytes(), check=True)
    metrics = measure_file(wav)
    assert metrics.bitrate_kbps is None and metrics.cbr is None
    rules = {f.rule for f in check_metrics(metrics, load_spec("acx"))}
    assert rules == {"bitrate_kbps.min", "cbr.equals"}
    assert check_metrics(metrics, load_spec("acx"), skip=("bitrate_kbps", "cbr")) == []


def test_ebu_r128_spec(good_mp3: Path) -> None:
    report = check_file(good_mp3, "ebu-r128")
    assert {f.rule for f in report.failures} == {"integrated_lufs.max"}  # a -20 dB RMS chapter is loud for R 128


# --- spec files ----------------------------------------------------------------------------------


def test_builtin_specs_carry_targets() -> None:
    acx, ebu = load_spec("acx"), load_spec("ebu-r128")
    assert acx.target["rms_dbfs"] == -20.0 and acx.target["peak_ceiling_dbtp"] < -3.0
    assert ebu.target["integrated_lufs"] == -23.0 and ebu.target["peak_ceiling_dbtp"] == -1.0


def test_a_users_spec_file_works_like_a_builtin(tmp_path: Path, good_mp3: Path) -> None:
    spec = tmp_path / "house.toml"
    spec.write_text('name = "house"\n[limits]\nrms_dbfs = { min = -19.0 }\n[target]\nrms_dbfs = -18.0\n')
    report = check_file(good_mp3, str(spec))
    assert [f.rule for f in report.failures] == ["rms_dbfs.min"]


@pytest.mark.parametrize(
    "text,key",
    [
        ("[limits]\nloudness = { max = 1 }\n", "limits.loudness"),
        ("[limits]\nrms_dbfs = { maximum = 1 }\n", "limits.rms_dbfs.maximum"),
        ('[limits]\nrms_dbfs = { max = "loud" }\n', "limits.rms_dbfs.max"),
        ("[limits]\ncbr = { finite = 1 }\n", "limits.cbr.finite"),
        ("[limits\n", "not valid TOML"),
        ("colour = 1\n", "colour"),
        ("[target]\nrms_dbfs = [1, 2]\n", "target.rms_dbfs"),
    ],
)
def test_a_bad_spec_names_the_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_spec(str(path))
    assert str(path) in str(err.value) and key in str(err.value)


def test_limit_margins_and_infinities() -> None:
    spec = parse_spec("[limits]\nnoise_floor_dbfs = { max = -60.0, finite = true }\n")
    max_rule, finite_rule = spec.limits
    assert max_rule.margin(-70.0) == 10.0 and max_rule.passes(-math.inf)
    assert not finite_rule.passes(-math.inf) and not finite_rule.passes(None)


# --- reports and the command -----------------------------------------------------------------------


def test_json_report_is_strict_json_with_minus_infinity_as_a_string(tmp_path: Path) -> None:
    dead = encode(tmp_path / "dead.mp3", chapter(room_dbfs=None))
    text = to_json([check_file(dead, "acx")])
    entry = json.loads(text, parse_constant=lambda token: pytest.fail(f"non-JSON token {token}"))[0]
    assert set(entry) == {"file", "pass", "metrics", "failures"}
    assert len(entry["metrics"]) == 15
    assert entry["metrics"]["noise_floor_dbfs"] == "-inf"
    assert entry["failures"] == [{"rule": "noise_floor_dbfs.finite", "value": "-inf", "limit": True}]


def test_junit_has_a_testcase_per_file_and_a_failure_per_rule(tmp_path: Path, good_mp3: Path) -> None:
    bad = encode(tmp_path / "quiet.mp3", chapter(gain_db=-8.0))
    xml = junit_xml([check_file(good_mp3, "acx"), check_file(bad, "acx")], "acx")
    suite = ElementTree.fromstring(xml)
    cases = suite.findall("testcase")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    assert [len(case.findall("failure")) for case in cases] == [0, 1]
    assert cases[1].find("failure").get("type") == "rms_dbfs.min"


def test_cli_exit_codes(tmp_path: Path, good_mp3: Path) -> None:
    runner = CliRunner()
    bad = encode(tmp_path / "quiet.mp3", chapter(gain_db=-8.0))
    assert runner.invoke(main, ["check", str(good_mp3)]).exit_code == 0
    assert runner.invoke(main, ["check", str(good_mp3), str(bad)]).exit_code == 1
    missing = runner.invoke(main, ["check", str(tmp_path / "nope.mp3")])
    assert missing.exit_code == 2 and "nope.mp3" in missing.output and "Traceback" not in missing.output
    text = tmp_path / "notes.mp3"
    text.write_text("not audio at all\n")
    assert runner.invoke(main, ["check", str(text)]).exit_code == 2
    bad_spec = runner.invoke(main, ["check", str(good_mp3), "--spec", str(tmp_path / "none.toml")])
    assert bad_spec.exit_code == 2 and "none.toml" in bad_spec.output
    assert runner.invoke(main, ["check"]).exit_code == 2


def test_cli_json_junit_and_plot(tmp_path: Path, good_mp3: Path) -> None:
    junit, plots = tmp_path / "out" / "check.xml", tmp_path / "plots"
    args = ["check", str(good_mp3), "--json", "--junit", str(junit), "--plot", str(plots)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert reports[0]["pass"] is True and reports[0]["metrics"]["cbr"] is True
    assert ElementTree.parse(junit).getroot().get("tests") == "1"
    png = plots / "good.mp3.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000


def test_cli_table(good_mp3: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(good_mp3), "--spec", "ebu-r128"])
    assert result.exit_code == 1
    assert "integrated_lufs" in result.output and "FAIL" in result.output and "1 checked: 0 pass, 1 fail" in result.output
