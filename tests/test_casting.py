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
