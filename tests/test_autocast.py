"""Auto-casting on the example book: scene partners never share a profile, leads get neural voices,
installed engines only, stable across runs and books."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import pytest

from audiobook import production
from audiobook.casting import autocast
from audiobook.casting.autocast import auto_cast, importance, installed, scene_partners, scenes, voice_identity
from audiobook.casting.cast import Cast, Role, read_cast
from audiobook.casting.profile import VoiceProfile, load_profiles
from audiobook.script.model import Chapter, Character, Cue, Script
from audiobook.tts import hibari as hibari_module
from audiobook.tts import piper as piper_module

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gull-point.md"
NEURAL = piper_module.has_voice("joe") and hibari_module.has_voice("heart")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[production.Production, Script]:
    folder = tmp_path_factory.mktemp("gull-point")
    book = production.Production(EXAMPLE, folder)
    return book, production.parse(book)


def test_no_two_characters_in_a_scene_share_a_profile_on_the_example(example) -> None:
    book, script = example
    cast, profiles = production.cast(book, script)
    assert len(scenes(script)) >= 3
    for scene in scenes(script):
        assert len(scene) >= 1
        voices = [cast.profile_for(name) for name in scene]
        assert len(set(voices)) == len(voices), scene
        assert cast.narrator not in voices
    # POV narrators read their chapters' narration next to the narrator: distinct from the narrator too
    for chapter in script.chapters:
        if chapter.pov:
            assert cast.profile_for(chapter.pov) != cast.narrator
    assert read_cast(book.cast_path) == cast


@pytest.mark.skipif(not NEURAL, reason="neural extra not installed")
def test_example_is_cast_with_neural_voices_for_narrator_and_leads(example) -> None:
    book, script = example
    cast, profiles = production.cast(book, script)
    leads = [name for name, _ in importance(script).most_common(3)]
    assert profiles[cast.narrator].engine == "piper"
    for name in leads:
        assert profiles[cast.profile_for(name)].engine in ("piper", "hibari"), name
    # the most important character gets a voice of its own, not a variant of the narrator's
    top = leads[0]
    assert voice_identity(profiles[cast.profile_for(top)]) != voice_identity(profiles[cast.narrator])


def test_uninstalled_engines_are_skipped(example, monkeypatch: pytest.MonkeyPatch) -> None:
    _, script = example
    profiles = load_profiles()
    monkeypatch.setattr(piper_module, "is_installed", lambda: False)
    monkeypatch.setattr(hibari_module, "is_installed", lambda: False)
    assert {p.engine for p in installed(profiles.values())} == {"espeak"}
    cast = auto_cast(script, profiles)
    assert cast.narrator.startswith("espeak-narrator-")
    assert {profiles[role.profile].engine for role in cast.roles.values()} == {"espeak"}


def test_user_piper_voice_that_does_not_exist_is_skipped(tmp_path: Path) -> None:
    ghost = VoiceProfile("ghost", "piper", str(tmp_path / "ghost.onnx"), gender="M")
    espeak = VoiceProfile("e", "espeak", "gmw/en-us", gender="M")
    assert [p.name for p in installed([ghost, espeak])] == ["e"]


def test_recasting_keeps_roles_and_a_series_keeps_old_voices(example) -> None:
    _, script = example
    profiles = load_profiles()
    first = auto_cast(script, profiles)
    assert auto_cast(script, profiles, first) == first
    # book two: the old cast carries over; a new character joins a scene with an old one
    old_name = importance(script).most_common(1)[0][0]
    cues = [
        Cue("a", "dialogue", "We meet again.", old_name, 1.0, "t", 0, 1, "sentence"),
        Cue("b", "dialogue", "Who are you?", "Nell", 1.0, "t", 2, 3, "sentence"),
    ]
    book_two = Script("Two", "two.md", [Chapter(1, "One", cues)], [Character("Nell", [], "F")])
    carried = Cast(first.narrator, dict(first.roles))
    second = auto_cast(book_two, profiles, carried)
    assert all(second.roles[name] == role for name, role in first.roles.items())
    assert second.roles["Nell"].profile not in {first.roles[old_name].profile, first.narrator}


def _line(speaker: str, pause: str = "sentence") -> Cue:
    return Cue(f"{speaker}-{pause}", "dialogue", "Hello.", speaker, 0.9, "test", 0, 1, pause)


def test_leads_get_new_voices_before_variants() -> None:
    """With two voices of one engine and variants of each, the two biggest roles get the two voices."""
    profiles = {
        "n": VoiceProfile("n", "espeak", "a", "M"),
        "a-low": VoiceProfile("a-low", "espeak", "a+x", "M", pitch=-2.0),
        "b": VoiceProfile("b", "espeak", "b", "M"),
        "b-high": VoiceProfile("b-high", "espeak", "b+y", "M", pitch=2.0),
    }
    cues = [_line("Lead")] * 5 + [_line("Second")] * 3 + [_line("Third")]
    script = Script("T", "t", [Chapter(1, "One", cues)], [Character(n, [], "M") for n in ("Lead", "Second", "Third")])
    cast = auto_cast(script, profiles, Cast("n"))
    assert cast.roles["Lead"].profile == "b"  # a voice nobody uses, not a variant of the narrator's
    assert {cast.roles["Second"].profile, cast.roles["Third"].profile} == {"a-low", "b-high"}


def test_scene_partners_are_symmetric(example) -> None:
    _, script = example
    partners = scene_partners(script)
    for name, others in partners.items():
        for other in others:
            assert name in partners[other]


def test_an_engine_that_cannot_be_imported_counts_as_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autocast, "_engine_classes", lambda: {"espeak": object})
    profiles = load_profiles()
    assert {p.engine for p in installed(profiles.values())} == {"espeak"}
    cast = auto_cast(Script("T", "t", [Chapter(1, "One", [_line("Ada")])], [Character("Ada", [], "F")]), profiles)
    assert profiles[cast.roles["Ada"].profile].engine == "espeak"
    assert Role(cast.roles["Ada"].profile) == cast.roles["Ada"]


@pytest.mark.skipif(not NEURAL, reason="neural extra not installed")
def test_example_chapter_builds_with_neural_voices_and_a_cut_off_line_ends_abruptly(tmp_path: Path) -> None:
    """Chapter 2 of the example, rendered and mastered with Piper and hibari voices (two worker processes)."""
    import json
    from collections import Counter

    from audiobook.casting.delivery import CUT_OFF_PAUSE_S
    from audiobook.mastering.ffmpeg import decode

    book = production.Production(EXAMPLE, tmp_path)
    report = production.build(book, chapters=[2], workers=2)
    cast = read_cast(book.cast_path)
    profiles = load_profiles()
    script = production.parse(book)
    lines = Counter(cue.speaker for cue in script.cues() if cue.kind == "dialogue")
    main_speakers = {name for name, count in lines.items() if count >= 3} | {"Narrator"}  # narrator and main characters
    speakers = {cue.speaker for cue in script.chapters[1].cues} & main_speakers
    engines = {profiles[cast.profile_for(name) if name != "Narrator" else cast.narrator].engine for name in speakers}
    assert len(speakers) >= 3 and engines <= {"piper", "hibari"} and "piper" in engines
    assert report.render.takes_rendered > 10
    (master,) = report.chapters
    samples, rate = decode(master.path)
    assert len(samples) / rate > 30 and np.sqrt(np.mean(samples**2)) > 0.01
    cues = json.loads((tmp_path / "timings.json").read_text())["chapters"][0]["cues"]
    for here, following in zip(cues, cues[1:]):
        gap = following["start_s"] - here["end_s"]
        if here["text"].endswith("—"):
            assert gap == pytest.approx(CUT_OFF_PAUSE_S, abs=0.002)
        elif here["kind"] != "heading":
            assert gap >= 0.3
