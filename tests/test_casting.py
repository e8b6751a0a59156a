"""Casting: voice profiles, the cast file, auto-casting."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.casting.autocast import auto_cast, scenes
from audiobook.casting.cast import Cast, Role, format_cast, read_cast, write_cast
from audiobook.casting.profile import load_profile, load_profiles
from audiobook.errors import InputError
from audiobook.script.model import Chapter, Character, Cue, Script


def _script() -> Script:
    def line(speaker: str, pause: str = "sentence") -> Cue:
        return Cue(f"{speaker}-{pause}", "dialogue", "Hello.", speaker, 0.9, "test", 0, 1, pause)

    scene_one = [line("Ada"), line("Bea"), line("Cy"), line("Ada", "scene")]
    scene_two = [line("Dot"), line("Eve"), line("Dot")]
    return Script(
        "T", "t.txt",
        [Chapter(1, "One", scene_one + scene_two)],
        [Character("Ada", [], "F"), Character("Bea", [], "F"), Character("Cy", [], "M"),
         Character("Dot", [], "F"), Character("Eve", [], "U")],
    )  # fmt: skip


def test_shipped_profiles_load_and_are_distinct() -> None:
    profiles = load_profiles()
    assert len(profiles) >= 8
    assert {p.gender for p in profiles.values()} >= {"M", "F"}
    assert len({(p.engine, p.voice, p.pace, p.pitch) for p in profiles.values()}) == len(profiles)


def test_bad_profile_is_named(tmp_path: Path) -> None:
    path = tmp_path / "odd.toml"
    path.write_text('engine = "espeak"\nvoice = "x"\npace = 9.0\n')
    with pytest.raises(InputError, match="odd.toml: pace"):
        load_profile(path)
    path.write_text('engine = "espeak"\nvoices = "x"\n')
    with pytest.raises(InputError, match="unknown key 'voices'"):
        load_profile(path)


def test_scene_partners_never_share_a_voice_and_gender_is_respected() -> None:
    profiles = load_profiles()
    cast = auto_cast(_script(), profiles)
    assert [s for s in scenes(_script())] == [{"Ada", "Bea", "Cy"}, {"Dot", "Eve"}]
    for scene in scenes(_script()):
        voices = [cast.roles[name].profile for name in scene]
        assert len(set(voices)) == len(voices)
        assert cast.narrator not in voices
    for name, gender in [("Ada", "F"), ("Bea", "F"), ("Cy", "M"), ("Dot", "F")]:
        assert profiles[cast.roles[name].profile].gender == gender


def test_casting_is_stable_and_keeps_a_persons_choice() -> None:
    profiles = load_profiles()
    first = auto_cast(_script(), profiles)
    first.roles["Ada"] = Role("espeak-gb-f-low", "Speaks slowly.")
    again = auto_cast(_script(), profiles, first)
    assert again.roles == first.roles and again.narrator == first.narrator


def test_series_cast_carries_over_and_new_characters_get_new_voices() -> None:
    profiles = load_profiles()
    book_one = Cast("espeak-narrator-us-m", {"Ada": Role("espeak-us-f-warm"), "Cy": Role("espeak-gb-m")})
    book_two = auto_cast(_script(), profiles, book_one)
    assert book_two.roles["Ada"].profile == "espeak-us-f-warm" and book_two.roles["Cy"].profile == "espeak-gb-m"
    assert book_two.roles["Bea"].profile not in {"espeak-us-f-warm", "espeak-gb-m", "espeak-narrator-us-m"}


def test_cast_file_round_trip_and_errors(tmp_path: Path) -> None:
    cast = Cast('narr"ator', {'Mr. "Q"': Role("espeak-gb-m", "Gruff;\nshort.")})
    path = tmp_path / "cast.toml"
    write_cast(cast, path)
    assert read_cast(path) == cast
    assert read_cast(tmp_path / "none.toml") is None
    path.write_text('[characters.X]\nprofile = "a"\n')
    with pytest.raises(InputError, match="narrator"):
        read_cast(path)
    assert format_cast(cast).startswith("# audiobook cast")


# -- cast sheet, audition, lexicon commands, delivery -------------------------------------------------

import re as _re  # noqa: E402

import numpy as np  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from audiobook.casting.delivery import CUT_OFF_PAUSE_S, delivered, is_cut_off, manner_of, pause_after_s  # noqa: E402
from audiobook.casting.profile import VoiceProfile  # noqa: E402
from audiobook.cli import main  # noqa: E402
from audiobook.mastering.ffmpeg import decode, probe  # noqa: E402
from audiobook.mastering.timeline import PAUSE_S  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gull-point.md"
EXAMPLE_LEXICON = Path(__file__).resolve().parents[1] / "examples" / "lexicon.toml"


def test_cast_command_shows_and_changes_the_cast(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["cast", str(EXAMPLE), "-o", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    header, narrator_row, *rows = shown.output.splitlines()[:-1]
    assert header.split() == ["character", "lines", "gender", "profile", "engine"]
    assert narrator_row.split()[0] == "Narrator"
    assert any(row.startswith("Elsie ") for row in rows)
    script_path = tmp_path / "gull-point.script.txt"
    changed = runner.invoke(main, ["cast", str(script_path), "--set", "elsie=espeak-gb-f-low", "--set", "Narrator=espeak-narrator-gb-f"])
    assert changed.exit_code == 0, changed.output
    cast = read_cast(tmp_path / "cast.toml")
    assert cast is not None and cast.roles["Elsie"].profile == "espeak-gb-f-low" and cast.narrator == "espeak-narrator-gb-f"
    again = runner.invoke(main, ["cast", str(script_path)])  # re-running keeps the person's choice
    assert _re.search(r"^Elsie\s+\d+\s+F\s+espeak-gb-f-low\s+espeak$", again.output, _re.M)
    bad = runner.invoke(main, ["cast", str(script_path), "--set", "Nobody Here=espeak-gb-m"])
    assert bad.exit_code == 2 and "no character 'Nobody Here'" in bad.output
    bad = runner.invoke(main, ["cast", str(script_path), "--set", "Elsie=no-such-voice"])
    assert bad.exit_code == 2 and "no voice profile named 'no-such-voice'" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    missing = runner.invoke(main, ["cast", str(tmp_path / "none.md")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_cast_warns_when_a_person_gives_scene_partners_one_voice(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["cast", str(EXAMPLE), "-o", str(tmp_path)])
    result = runner.invoke(main, ["cast", str(tmp_path / "gull-point.script.txt"), "--set", "Elsie=espeak-us-u", "--set", "Mara=espeak-us-u"])
    assert result.exit_code == 0
    assert "Elsie and Mara speak in one scene and share espeak-us-u" in result.output


def test_audition_writes_wav_and_mp3_with_the_lexicon(tmp_path: Path) -> None:
    """espeak runs in a subprocess: its libespeak-ng must not be loaded in this test process, where
    other tests load Piper's own espeak-ng."""
    import subprocess
    import sys

    cli = [sys.executable, "-c", "from audiobook.cli import main; main()"]
    wav = tmp_path / "a.wav"
    line = "Aoife paid £5 at 7:30."
    result = subprocess.run([*cli, "audition", "espeak-gb-m", line, "-o", str(wav), "--lexicon", str(EXAMPLE_LEXICON)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "spoken as: [['i:f@]] paid five pounds at seven thirty." in result.stdout
    samples, rate = decode(wav)
    assert rate == 22050 and 1.0 < len(samples) / rate < 6.0
    rms_db = 20 * np.log10(np.sqrt(np.mean(samples**2)))
    assert -21.5 < rms_db < -18.5
    mp3 = tmp_path / "a.mp3"
    assert subprocess.run([*cli, "audition", "espeak-gb-m", "Hello there.", "-o", str(mp3)], capture_output=True).returncode == 0
    assert probe(mp3).codec == "mp3"
    runner = CliRunner()
    bad = runner.invoke(main, ["audition", "espeak-gb-m", "Hello.", "-o", str(tmp_path / "a.ogg")])
    assert bad.exit_code == 2 and "a.ogg" in bad.output
    bad = runner.invoke(main, ["audition", "nobody", "Hello."])
    assert bad.exit_code == 2 and "no voice profile named 'nobody'" in bad.output


def test_audition_with_a_neural_voice_uses_the_respelling(tmp_path: Path) -> None:
    from audiobook.tts import hibari

    if not hibari.has_voice("heart"):
        pytest.skip("neural extra not installed")
    out = tmp_path / "h.wav"
    result = CliRunner().invoke(main, ["audition", "hibari-heart-low", "Aoife came home.", "-o", str(out), "--lexicon", str(EXAMPLE_LEXICON)])
    assert result.exit_code == 0, result.output
    assert "spoken as: EE-fa came home." in result.output
    samples, rate = decode(out)
    assert rate == 24000 and len(samples) / rate > 0.5


def test_lexicon_suggest_and_export(tmp_path: Path) -> None:
    runner = CliRunner()
    manuscript = tmp_path / "book.md"
    manuscript.write_text("# One\n\nSiobhan met Aoife and Quillon at Kilcrenna. Quillon waved.\n\n\"Quillon!\" said Aoife.\n")
    result = runner.invoke(main, ["lexicon", "suggest", str(manuscript), "--lexicon", str(EXAMPLE_LEXICON)])
    assert result.exit_code == 0, result.output
    found = {line.split()[1]: int(line.split()[0]) for line in result.stdout.strip().splitlines()}
    assert found.get("Quillon") == 3
    assert "Aoife" not in found and "Kilcrenna" not in found  # the lexicon has them
    pls = tmp_path / "out.pls"
    exported = runner.invoke(main, ["lexicon", "export", "--lexicon", str(EXAMPLE_LEXICON), "--pls", str(pls)])
    assert exported.exit_code == 0
    import xml.etree.ElementTree as ET

    root = ET.parse(pls).getroot()
    ns = "{http://www.w3.org/2005/01/pronunciation-lexicon}"
    assert root.tag == f"{ns}lexicon" and root.get("version") == "1.0"
    graphemes = [g.text for g in root.iter(f"{ns}grapheme")]
    assert "Aoife" in graphemes and "Kilcrenna" in graphemes
    bad = runner.invoke(main, ["lexicon", "export", "--lexicon", str(tmp_path / "none.toml"), "--pls", str(pls)])
    assert bad.exit_code == 2 and "none.toml" in bad.output


@pytest.mark.parametrize("command", [["cast"], ["audition"], ["lexicon"], ["lexicon", "suggest"], ["lexicon", "export"]])
def test_every_new_command_help_shows_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "audiobook " in result.output


def test_questions_and_exclamations_keep_their_marks_in_the_example(tmp_path: Path) -> None:
    from audiobook import production

    script = production.parse(production.Production(EXAMPLE, tmp_path))
    source = EXAMPLE.read_text(encoding="utf-8")
    texts = [cue.text for cue in script.cues()]
    for mark in "?!":
        assert sum(text.count(mark) for text in texts) == source.count(mark) > 0
    for text in texts:  # a mark never opens a cue (it was not split from its question)
        assert not text.lstrip().startswith(("?", "!"))


def _chapter(*cues: Cue) -> Chapter:
    return Chapter(1, "One", list(cues))


def test_cut_off_lines_get_a_short_pause_and_tags_set_the_manner() -> None:
    cut = Cue("p1.0", "dialogue", "I'm sorry, Elsie. I'm just—", "Pen", 0.9, "beat", 0, 1, "paragraph")
    plain = Cue("p2.0", "dialogue", "Well-known.", "Pen", 0.9, "beat", 0, 1, "paragraph")
    assert is_cut_off(cut) and not is_cut_off(plain)
    assert pause_after_s(cut, PAUSE_S) == CUT_OFF_PAUSE_S < PAUSE_S["paragraph"]
    assert pause_after_s(plain, PAUSE_S) == PAUSE_S["paragraph"]
    scene_end = Cue("p3.0", "dialogue", "Wait--", "Pen", 0.9, "beat", 0, 1, "scene")
    assert pause_after_s(scene_end, PAUSE_S) == PAUSE_S["scene"]
    narration = Cue("p4.0", "narration", "The line went dead—", pause="sentence")
    assert pause_after_s(narration, PAUSE_S) == PAUSE_S["sentence"]

    whispered = Cue("a.0", "dialogue", "Keep still,", "Mara", 0.95, "tag-after")
    tag = Cue("a.1", "narration", "she whispered, and reached for the lamp.")
    shouted_before = Cue("b.0", "narration", "Then Tobias shouted across the water:")
    shouted = Cue("b.1", "dialogue", "Throw the line!", "Tobias", 0.95, "tag-before")
    said = Cue("c.0", "dialogue", "Fine,", "Elsie", 0.95, "tag-after")
    said_tag = Cue("c.1", "narration", "Elsie said. Later she would whisper it again.")
    other_paragraph = Cue("d.0", "dialogue", "Hello.", "Elsie", 0.95, "beat")
    chapter = _chapter(whispered, tag, shouted_before, shouted, said, said_tag, other_paragraph)
    assert manner_of(whispered, chapter) == "whisper"
    assert manner_of(shouted, chapter) == "shout"
    assert manner_of(said, chapter) is None  # the whisper is past the tag's first words
    assert manner_of(other_paragraph, chapter) is None
    assert manner_of(tag, chapter) is None


def test_delivery_stays_within_the_profile_limits(tmp_path: Path) -> None:
    base = VoiceProfile("v", "espeak", "gmw/en-us", pace=1.0, gain=1.0)
    soft, loud = delivered(base, "whisper"), delivered(base, "shout")
    assert soft.pace == pytest.approx(0.92) and soft.gain == pytest.approx(-3.0)
    assert loud.pace == pytest.approx(1.05) and loud.gain == pytest.approx(4.0)
    assert delivered(base, None) is base
    assert soft.render_key() != base.render_key()
    path = tmp_path / "loud.toml"
    path.write_text('engine = "espeak"\nvoice = "gmw/en-us"\nshout_gain = 9.0\n')
    with pytest.raises(InputError, match="loud.toml: shout_gain must be 0..6"):
        load_profile(path)
    path.write_text('engine = "espeak"\nvoice = "gmw/en-us"\nwhisper_pace = 0.8\nwhisper_gain = -6\n')
    custom = load_profile(path)
    assert delivered(custom, "whisper").pace == pytest.approx(0.8) and delivered(custom, "whisper").gain == -6
    # the delivery fields do not change the key of ordinary takes
    assert custom.render_key() == VoiceProfile("loud", "espeak", "gmw/en-us").render_key()
