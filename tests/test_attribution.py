"""The attribution sieve, one rule per passage (passages written for these tests)."""

import json
import time

from audiobook.manuscript.model import ChapterSpan
from audiobook.script.attribution import attribute, attribution_json
from audiobook.script.model import Character


def said(text, **kwargs):
    result = attribute(text, **kwargs)
    return [(text[u.start:u.end], u.speaker, u.rule) for u in result.utterances], result


INTRO = "Tom Baxter and Mrs. Ruth Oduya sat by the fire. Tom stirred his tea and he smiled. Ruth knitted and she hummed.\n\n"


def test_tag_after_with_name():
    lines, _ = said(INTRO + '"The kettle is boiling," said Tom.\n\n"Then take it off," Ruth replied.')
    assert lines[0][1] == "Tom" and lines[0][2] == "tag-after"
    assert lines[1][1] in ("Ruth", "Mrs. Oduya", "Ruth Oduya") and lines[1][2] == "tag-after"


def test_tag_before():
    lines, _ = said(INTRO + 'Ruth put down her needles and said, "It is late."')
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-before"


def test_pronoun_tag_uses_gender():
    lines, _ = said(INTRO + '"Another cup?" she asked.\n\n"Please," he said.')
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-pronoun"
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-pronoun"


def test_action_beat_in_the_same_paragraph():
    lines, _ = said(INTRO + 'Ruth glared at the clock. "You are late again."')
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "beat"


def test_vocative_is_not_the_speaker():
    lines, result = said(INTRO + 'Tom looked at Ruth for a while. "Ruth, you should rest."\n\n"I will rest when I am dead, Tom."')
    assert lines[0][1] == "Tom"
    assert lines[1][1].endswith(("Ruth", "Oduya"))


def test_turn_taking_alternates_untagged_lines():
    text = INTRO + ('"Is it raining?" asked Tom.\n\n"Since noon," said Ruth.\n\n"Will it stop?"\n\n'
                    '"Not tonight."\n\n"Then I stay."\n\n"Good."')
    lines, _ = said(text)
    speakers = [s for _, s, _ in lines]
    assert speakers[0] == "Tom" and speakers[1].endswith(("Ruth", "Oduya"))
    assert speakers[2] == "Tom" and speakers[3].endswith(("Ruth", "Oduya")) and speakers[4] == "Tom" and speakers[5].endswith(("Ruth", "Oduya"))
    assert {r for _, _, r in lines[2:]} == {"turn-taking"}


def test_continuation_in_paragraph_and_split_quote():
    lines, result = said(INTRO + '"Fine," Ruth snapped, "go."')
    assert [s for _, s, _ in lines] == [lines[0][1]] * 2 and lines[0][1].endswith(("Ruth", "Oduya"))
    assert result.utterances[0].group == result.utterances[1].group


def test_multi_paragraph_speech_keeps_its_speaker():
    text = INTRO + '"When I was young," said Ruth, "we walked to school.\n\n"It was four miles each way.\n\n"And we never complained."\n\nTom laughed.'
    lines, _ = said(text)
    assert len(lines) == 4
    assert all(s.endswith(("Ruth", "Oduya")) for _, s, _ in lines)


def test_first_person_i_say_and_pov_heading():
    text = ("MARA\n\nI walked in and Jonah looked up from his desk. He frowned.\n\n"
            '"You came back," he says.\n\n"I did," I say. "I always do."\n\nI sat down across from him and waited.')
    chapters = [ChapterSpan(1, "Mara", 0, 4, len(text))]
    lines, result = said(text, chapters=chapters)
    assert result.pov == {1: "Mara"}
    assert lines[0][1] == "Jonah"
    assert lines[1][1] == "Mara" and lines[2][1] == "Mara"


def test_what_others_call_the_narrator():
    text = ("I walked in and Jonah looked up from his desk. I sat and I waited for him to speak to me.\n\n"
            '"You came back, Mara," Jonah said.\n\n"I did," I said.\n\n"Why, Mara?" asked Jonah.\n\n'
            '"I had nowhere else to go," I said. I looked at my hands.')
    _, result = said(text)
    narrator = [c for c in result.characters if c.narrator]
    assert narrator and narrator[0].name == "Mara"
    assert [u.speaker for u in result.utterances] == ["Jonah", "Mara", "Jonah", "Mara"]


def test_phone_voice_is_a_minor_character():
    text = ("I dialled the number and I waited. The line clicked.\n\n"
            '"Yes?" the voice said.\n\n"I need a car," I said.\n\n"One is on its way," the voice said.')
    lines, result = said(text)
    assert lines[0][1] == "The Voice" and lines[2][1] == "The Voice"
    voice = [c for c in result.characters if c.name == "The Voice"][0]
    assert voice.minor


def test_british_single_quote_dialogue():
    text = INTRO.replace('"', "'") + "\u2018The boys\u2019 bikes are out,\u2019 said Ruth.\n\n\u2018I\u2019ll get them,\u2019 said Tom."
    lines, _ = said(text)
    assert [t for t, _, _ in lines] == ["The boys\u2019 bikes are out,", "I\u2019ll get them,"]
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[1][1] == "Tom"


def test_dash_cut_off_then_answer():
    text = INTRO + '"It is not like that?\u2014" Tom began.\n\n"Then explain it!" Ruth cried.'
    lines, _ = said(text)
    assert lines[0][0] == "It is not like that?\u2014" and lines[0][1] == "Tom"
    assert lines[1][1].endswith(("Ruth", "Oduya"))


def test_italic_thought_from_emphasis():
    text = INTRO + "Ruth looked at the door.\n\nHe will not come back tonight.\n\nShe went to bed."
    start = text.index("He will")
    end = text.index("tonight.") + len("tonight.")
    result = attribute(text, emphasis=[(start, end)])
    thoughts = [u for u in result.utterances if u.kind == "thought"]
    assert len(thoughts) == 1 and thoughts[0].speaker.endswith(("Ruth", "Oduya"))


def test_given_characters_are_used_not_discovered():
    text = INTRO + '"Hello," said the Captain.'
    cast = [Character("Captain Ash", ["The Captain", "Ash"])]
    result = attribute(text, characters=cast)
    assert [u.speaker for u in result.utterances] == ["Captain Ash"]
    assert [c.name for c in result.characters] == ["Captain Ash"]


def test_json_contract_maps_offsets():
    text = INTRO + '"Hi," said Tom.'
    result = attribute(text)
    data = attribution_json(result, lambda offset: offset + 10)
    quote = data["quotes"][0]
    assert quote["start"] == text.index("Hi") + 10 and quote["speaker"] == "Tom"
    assert {"name", "aliases", "gender"} <= set(data["characters"][0])
    json.dumps(data)


def test_bad_input_no_dialogue_unclosed_and_nested():
    result = attribute("A quiet book.\n\nNobody speaks in it at all.")
    assert result.utterances == [] and any("no dialogue" in w for w in result.warnings)
    result = attribute(INTRO + '"This quote never ends\n\nand neither does the book')
    assert result.utterances and any("not closed" in w for w in result.warnings)
    nested = INTRO + "\u201cHe said, \u2018She told me \u201cRun\u201d at once,\u2019 and left,\u201d Tom said."
    result = attribute(nested)
    assert len(result.utterances) == 1 and result.utterances[0].speaker == "Tom"
    assert any("nested" in w for w in result.warnings)


def test_large_input_is_fast():
    chunk = INTRO + '"Is it raining?" asked Tom.\n\n"Since noon," said Ruth.\n\n"Will it stop?"\n\n"Not tonight."\n\n'
    text = chunk * 400  # about 40,000 words
    started = time.perf_counter()
    result = attribute(text)
    assert time.perf_counter() - started < 10
    assert len(result.utterances) == 1600


def test_cli_attribute_json_and_characters(tmp_path):
    from click.testing import CliRunner

    from audiobook.cli import main

    book = tmp_path / "story.txt"
    book.write_text(INTRO + '"Hi," said Tom.\n\n"Hello," said the Captain.\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["attribute", str(book), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["quotes"][0]["speaker"] == "Tom"
    assert book.read_text(encoding="utf-8")[data["quotes"][0]["start"]:data["quotes"][0]["end"]] == "Hi,"
    cast = tmp_path / "cast.json"
    cast.write_text(json.dumps({"characters": [{"name": "Tom Baxter", "aliases": ["Tom"]}, {"name": "Captain Ash", "aliases": ["The Captain"]}]}), encoding="utf-8")
    result = runner.invoke(main, ["attribute", str(book), "--json", "--characters", str(cast)])
    assert [q["speaker"] for q in json.loads(result.output)["quotes"]] == ["Tom Baxter", "Captain Ash"]
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(main, ["attribute", str(book), "--characters", str(bad)])
    assert result.exit_code == 2 and "bad.json" in result.output


def test_one_tag_between_two_pieces_gives_both_the_same_speaker():
    # The vocative in the first piece rules Ben out; the second piece must not resolve "he" afresh.
    text = ("Ben Ward waited by the gate. Tom Baxter came down the lane and stopped beside him.\n\n"
            '"I have to go now, Ben," he murmured, "and before I go I want an answer."')
    lines, _ = said(text)
    assert [s for _, s, _ in lines] == ["Tom Baxter", "Tom Baxter"] or [s for _, s, _ in lines] == ["Tom", "Tom"]
    assert lines[1][2] == "continuation"


def test_narrator_named_by_what_others_call_them():
    # "I" in the narration; the name others use for the narrator never appears in the narration.
    text = ("I found Jonah at the bar. Polly was with him, and Polly waved when she saw me.\n\n"
            '"Sit down, Cass," Jonah said.\n\n"Thanks," I said.\n\n"You look tired, Cass," said Polly.\n\n'
            '"I am," I said. Polly laughed and Jonah poured me a drink.')
    _, result = said(text)
    assert [c.name for c in result.characters if c.narrator] == ["Cass"]
    assert [u.speaker for u in result.utterances] == ["Jonah", "Cass", "Polly", "Cass"]


def test_subject_set_off_by_a_phrase_before_the_verb():
    text = (INTRO + "The clock struck nine. Ruth, turning away from Tom, said softly,\n\n"
            '"It is time for bed."')
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-before"
    text = (INTRO + "Ruth, crossing to the window where Tom stood, said,\n\n" '"It is snowing."')
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya"))


def test_the_before_a_name_in_a_tag():
    # "June" is not taken as a name on its own, so the name found is "Bug"; "said the June Bug" still names it.
    text = ("Bug sat on the fence beside Alma. Bug was small and Bug was green.\n\n"
            '"More?" said the June Bug.\n\n"No," said Alma.')
    lines, _ = said(text)
    assert lines[0][1] == "Bug" and lines[0][2] == "tag-after"


def test_noun_phrase_tag_ends_at_the_comma():
    text = INTRO + '"Who is there?" said the porter, keeping his eyes on the road.'
    lines, _ = said(text)
    assert lines[0][1] == "The Porter"


def test_he_continues_the_subject_of_the_narration_before():
    # Ben is named last, but Tom is the subject the narration follows ("He" continues Tom).
    text = ("Tom Baxter and Ben Ward had not spoken for a year.\n\n"
            "Tom crossed the yard to the barn, where the lamp was lit. He stopped at the door and "
            "watched Ben Ward for a long moment.\n\n"
            '"You sold the farm," he said.')
    lines, _ = said(text)
    assert lines[0][1].startswith("Tom") and lines[0][2] == "tag-pronoun"


def test_pet_name_used_in_speech_joins_the_full_name():
    text = ("Katherine Hart came down the stairs. Katherine was late, and Robert Hart frowned at her.\n\n"
            '"Katie, the carriage is waiting," said Robert.\n\n"I know, Robert," said Katherine.\n\n'
            '"Then hurry, Katie."\n\nKatherine laughed and took his arm.')
    _, result = said(text)
    katherine = [c for c in result.characters if c.name.startswith("Katherine")]
    assert katherine and "Katie" in katherine[0].aliases
    assert not any(c.name == "Katie" for c in result.characters)


def test_narration_paragraph_before_an_untagged_line_names_its_speaker():
    text = ("Tom Baxter and Ruth Oduya sat by the fire.\n\n"
            '"It is late," said Tom.\n\n"Not so late," said Ruth.\n\n'
            "Tom went to the window and looked out at the snow for a long time.\n\n"
            '"The road will be closed by morning."')
    lines, _ = said(text)
    assert lines[2][1] == "Tom" and lines[2][2] == "beat-before"


def test_a_silent_subject_is_not_the_next_speaker():
    text = ("Tom Baxter and Ruth Oduya sat by the fire.\n\n"
            '"Will you stay?" asked Ruth.\n\n"I cannot," said Tom.\n\n"Why not?" said Ruth.\n\n'
            "Tom made no answer.\n\n"
            '"You never tell me anything."')
    lines, _ = said(text)
    assert lines[3][1].endswith(("Ruth", "Oduya"))


def test_reply_noun_and_beat_verb_tags():
    text = INTRO + '"Is it late?" asked Ruth.\n\n"Nearly midnight," was Tom\'s answer.\n\n"Then go to bed," smiled Ruth.'
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-after"
    assert lines[2][1].endswith(("Ruth", "Oduya")) and lines[2][2] == "tag-after"


def test_verb_forms_with_doubled_consonant_and_adverb_after_a_phrase():
    text = INTRO + '"I was wrong," admitted Tom.'
    lines, _ = said(text)
    assert lines[0][1] == "Tom" and lines[0][2] == "tag-after"
    text = INTRO + "Ruth was knitting, and, without raising her head, coolly replied,\n\n" '"So you were."'
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] in ("tag-before", "tag-pronoun")


def test_turn_taking_is_less_sure_with_three_speakers():
    two = INTRO + '"Rain?" asked Tom.\n\n"Since noon," said Ruth.\n\n"Will it stop?"\n\n"Not tonight."'
    three = ("Tom Baxter, Ruth Oduya and Sam Cole sat by the fire.\n\n"
             '"Rain?" asked Tom.\n\n"Since noon," said Ruth.\n\n"Snow later," said Sam.\n\n"Will it stop?"\n\n"Not tonight."')
    _, r2 = said(two)
    _, r3 = said(three)
    c2 = [u.confidence for u in r2.utterances if u.rule == "turn-taking"]
    c3 = [u.confidence for u in r3.utterances if u.rule == "turn-taking"]
    assert c2 and c3 and max(c3) < min(c2)


def test_unknown_noun_speaker_goes_to_review():
    lines, result = said(INTRO + '"Tickets, please," said the conductor.')
    assert result.utterances[0].speaker == "The Conductor" and result.utterances[0].confidence < 0.5


def test_a_noun_speaker_owned_by_a_gendered_noun_gets_that_gender():
    text = 'The line crackled. "Harbour station," said a man\'s voice. "State your vessel."\n'
    result = attribute(text)
    voice = next(c for c in result.characters if c.minor)
    assert voice.gender == "M"


def test_a_person_who_joins_in_the_narration_is_the_other_speaker():
    text = ("Ruth Oduya and Nora Bell stood at the window. Tom Baxter was out in the garden; Tom loved it.\n\n"
            '"It will rain," said Ruth.\n\n'
            '"Then we stay in," said Nora.\n\n'
            "Tom came in from the garden and sat down beside the fire.\n\n"
            '"The roses need water," said Nora.\n\n'
            '"I watered them this morning."')
    lines, _ = said(text)
    assert lines[-1][0] == "I watered them this morning."
    assert lines[-1][1] in ("Tom", "Tom Baxter") and lines[-1][2] == "turn-taking"


def test_a_name_after_that_is_not_the_subject_a_pronoun_continues():
    text = ("Ruth Oduya and Nora Bell sat by the fire. Nora read and Ruth knitted.\n\n"
            "Ruth put down her needles. She knew now that Nora was tired.\n\n"
            '"We should go to bed," she said.')
    lines, _ = said(text)
    assert lines[-1][1] in ("Ruth", "Ruth Oduya", "Mrs. Oduya") and lines[-1][2] == "tag-pronoun"


def test_a_name_given_as_an_answer_calls_nobody():
    text = (INTRO + "Nora Bell sat with them; Nora was reading.\n\n"
            '"Who is at the door?" asked Ruth.\n\n'
            '"Tom."\n\n'
            '"Then let him in."')
    lines, _ = said(text)
    assert lines[-1][0] == "Then let him in."
    assert lines[-1][2] != "addressee" and lines[-1][1] != "Tom"


def test_tag_with_an_adjective_before_the_name_and_a_doubled_beat_verb():
    lines, _ = said(INTRO + '"Good evening," said Tom.\n\n"Good evening," said Ruth.\n\n'
                    '"Another cup?" exclaimed the horrified Mrs. Oduya.\n\n"Yes, another," nodded Tom.')
    assert lines[2][1].endswith(("Ruth", "Oduya")) and lines[2][2] == "tag-after"
    assert lines[3][1] == "Tom" and lines[3][2] == "tag-after"


def test_a_paragraph_ending_on_began_tags_the_line_after_it():
    lines, _ = said(INTRO + "Ruth smiled at him, and as soon as she had gone out Tom began.\n\n"
                    '"The garden needs rain."')
    assert lines[-1][1] == "Tom" and lines[-1][2] == "tag-before"


def test_a_participle_tag_belongs_to_the_subject_of_a_subordinate_clause():
    lines, _ = said(INTRO + '"Good evening," said Ruth.\n\nThey all stood up, while Tom solemnly presented the cup, '
                    'saying "We beg your acceptance of this cup."')
    assert lines[-1][1] == "Tom" and lines[-1][2] == "tag-before"


def test_pronoun_tag_expects_the_last_other_known_speaker_when_the_line_two_back_is_untagged():
    text = ("Tom Baxter and Mrs. Ruth Oduya sat by the fire. Tom stirred his tea. "
            "Ben Okafor came in from the rain and Ben sat down by the door.\n\n"
            '"Shall we go, Ruth?" said Tom.\n\n"When the rain stops."\n\n'
            '"It will not stop tonight," said Ben from the door.\n\n"Then we go now," he said.')
    lines, _ = said(text)
    assert lines[-1][1] == "Tom" and lines[-1][2] == "tag-pronoun"


def test_a_role_epithet_is_not_a_character_named_by_another_role():
    text = ("The Duchess sat at the table and the Duchess looked at her soup. Tom Baxter sat beside her.\n\n"
            '"This soup is cold," said the Duchess.\n\n"Mine is warm," said Tom.\n\n'
            '"I shall bring another," said the waitress.')
    lines, _ = said(text)
    assert lines[-1][1] == "The Waitress"


def test_a_name_after_an_interjection_is_a_vocative_and_its_bearer_answers():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole sat by the fire.\n\n"
            '"Snow later," said Sam.\n\n"Well, Ruth," said Tom, "the fire is out."\n\n"Then light it."')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya")) and lines[-1][2] == "addressee"


def test_untagged_lines_between_two_tagged_speakers_alternate_between_those_two():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole sat by the fire.\n\n"
            '"Rain?" asked Sam.\n\n"Since noon," said Tom.\n\n"Will it stop?"\n\n"Not tonight."\n\n'
            '"Then I stay," said Ruth.')
    lines, _ = said(text)
    assert lines[2][1].endswith(("Ruth", "Oduya")) and lines[2][2] == "turn-taking"
    assert lines[3][1] == "Tom" and lines[3][2] == "turn-taking"


def test_a_tag_deep_inside_a_story_told_in_a_quote_does_not_change_its_teller():
    text = INTRO + ('"It was a cold winter," said Tom, "and the river froze.\n\n"We had no wood left, and the dogs were hungry.\n\n'
                    '"Then the old woman came to the door of the shed.\n\n"Go home," she said to me. "Go home, boy."\n\n'
                    "Ruth put down her knitting.")
    lines, _ = said(text)
    assert len(lines) == 6 and all(s == "Tom" for _, s, _ in lines)


def test_a_pronoun_tag_after_an_untagged_run_does_not_fix_its_alternation():
    # "he said" leans on turn-taking itself: it is no anchor for the untagged lines before it.
    text = ("Tom Baxter, Ruth Oduya and Ben Ward sat by the fire. Ben was asleep.\n\n"
            '"Rain?" asked Ruth.\n\n"Since noon," said Tom.\n\n"Will it stop?"\n\n"Not tonight."\n\n'
            'Ben woke up and looked at them. "Then I stay," he said.')
    lines, _ = said(text)
    assert lines[2][1].endswith(("Ruth", "Oduya")) and lines[3][1] == "Tom"


def test_a_name_and_a_comma_opening_a_later_sentence_is_a_vocative():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole sat by the fire.\n\n"
            '"Snow later," said Ruth.\n\n"It is hot in here. Sam, open the window," said Tom.\n\n"Open it yourself."')
    lines, _ = said(text)
    assert lines[-1][1] == "Sam" and lines[-1][2] == "addressee"


def test_a_heading_between_two_lines_ends_the_conversation():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole lived in the old house by the river.\n\n"
            '"Rain?" asked Ruth.\n\n"Since noon," said Tom.\n\nCHAPTER TWO\n\n'
            '"Is the kettle on?" asked Sam. Ruth looked up from her book.\n\n"It is."')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya"))


def test_a_name_after_a_sentence_opening_adverb_is_the_subject_before_an_untagged_line():
    text = ("Tom Baxter and Ruth Oduya sat by the fire.\n\n"
            '"Well?" asked Ruth.\n\n"Well what?" said Tom.\n\n'
            "Ruth glanced at the clock and waited. Finally Tom put down his cup.\n\n"
            '"The road will be closed by morning."')
    lines, _ = said(text)
    assert lines[-1][1] == "Tom" and lines[-1][2] == "beat-before"


def test_a_name_followed_by_a_parenthesis_and_a_verb_is_a_subject_not_a_vocative():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole lived in the old house by the river.\n\n"
            '"Where is the cart?" asked Ruth.\n\n"On the road. Sam, with his bad leg, is slow," said Tom.\n\n'
            '"Then we wait."')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya")) and lines[-1][2] != "addressee"


def test_a_name_asked_or_exclaimed_back_from_the_line_before_calls_nobody():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole lived in the old house by the river.\n\n"
            '"Where is Sam?" asked Ruth.\n\n"Sam? He went to town," said Tom.\n\n"When?"')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya")) and lines[-1][2] != "addressee"
    text = ("Tom Baxter, Ruth Oduya and Sam Cole lived in the old house by the river.\n\n"
            '"Sam went to town," said Ruth.\n\n"Sam! He never tells me anything," said Tom.\n\n"He told me."')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya")) and lines[-1][2] != "addressee"


def test_the_person_a_tag_turns_to_answers_the_line():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole lived in the old house by the river.\n\n"
            '"Snow later," said Sam.\n\n"Rain first," said Ruth.\n\n"Is the cart ready?" Tom asked, turning to Sam.\n\n'
            '"Since noon."')
    lines, _ = said(text)
    assert lines[-1][1] == "Sam" and lines[-1][2] == "addressee"


def test_narration_saying_its_subject_did_not_answer_is_no_beat():
    text = ("Tom Baxter and Ruth Oduya sat by the fire.\n\n"
            '"Will you stay?" asked Ruth.\n\n"I cannot," said Tom.\n\n"Why not?" said Ruth.\n\n'
            "Tom looked at the fire and did not\nanswer.\n\n"
            '"You never tell me anything."')
    lines, _ = said(text)
    assert lines[3][1].endswith(("Ruth", "Oduya"))
    lines, _ = said(INTRO + '"Are you tired?" Tom did not answer, so Ruth went on: "It is late."')
    assert lines[0][1].endswith(("Ruth", "Oduya"))


def test_a_pronoun_tag_is_resolved_again_once_the_untagged_line_before_it_has_a_speaker():
    # "Nearly." is Ben's only once the untagged lines are decided; then "he" is Tom again (A-B-A).
    text = ("Tom Baxter waited at the gate. Ben Ward came down the lane slowly, and Ben stopped beside him.\n\n"
            '"Ready, Ben?" said Tom.\n\n"Nearly."\n\n"Then hurry," he said.')
    lines, _ = said(text)
    assert lines[1][1].startswith("Ben") and lines[2][1].startswith("Tom") and lines[2][2] == "tag-pronoun"


def test_narration_closing_a_paragraph_after_its_quote_tags_the_next_paragraph():
    text = (INTRO + '"Is it late?" asked Ruth.\n\n'
            '"Well," said Tom, and he looked at the fire for a long time. Presently, however, he went on:\n\n'
            '"The road is closed."')
    lines, _ = said(text)
    assert lines[-1][1] == "Tom" and lines[-1][2] in ("tag-before", "tag-pronoun")


def test_narration_reporting_what_someone_said_makes_the_next_line_the_other_persons():
    text = (INTRO + '"It is snowing," said Tom.\n\nRuth asked him whether the road was closed.\n\n'
            '"Since noon, and the bridge too."')
    lines, _ = said(text)
    assert lines[-1][1] == "Tom"


def test_a_name_and_an_exclamation_mark_opening_a_later_sentence_is_a_vocative():
    text = (INTRO + '"Where have you been?" asked Tom.\n\nRuth sat down on the bed and looked at the floor.\n\n'
            '"You are late again. Ruth! Look at me."')
    lines, _ = said(text)
    assert lines[-1][1] == "Tom"


def test_narration_of_a_silent_gesture_is_not_the_next_speakers_beat():
    text = (INTRO + '"Will you stay?" asked Ruth.\n\nTom shook his head in silence.\n\n"Then I go alone."')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya"))


def test_a_long_narration_paragraph_is_no_beat_for_the_line_after_it():
    summary = ("The winter passed slowly on the farm, and the snow lay deep over the fields and the lane for many "
               "weeks together, so that nobody came up from the village and nobody went down to it. ") * 5
    text = (INTRO + '"Will you stay?" asked Ruth.\n\n"I will," said Tom.\n\n' + summary + "Tom mended the fences.\n\n"
            '"Spring at last!"')
    lines, _ = said(text)
    assert lines[-1][2] != "beat-before"


def test_a_name_after_a_dash_or_an_ellipsis_is_a_vocative():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole sat by the fire.\n\n"
            '"Snow later," said Ruth.\n\n"Good night, then," said Tom. "And ... Sam!"\n\n"Yes?"')
    lines, _ = said(text)
    assert lines[-1][1] == "Sam" and lines[-1][2] == "addressee"


def test_a_name_answering_a_question_calls_nobody():
    text = ("Tom Baxter, Ruth Oduya and Sam Cole lived in the old house by the river.\n\n"
            '"Someone took the cart," said Ruth.\n\n"Who?" asked Tom.\n\n"Sam, sir?"\n\n"No, he was here all day."')
    lines, _ = said(text)
    assert lines[-1][1] != "Sam" and lines[-1][2] != "addressee"


def test_a_narration_paragraph_saying_nobody_answered_lets_the_speaker_go_on():
    text = (INTRO + '"Are you awake?" asked Ruth.\n\n"I am now," said Tom.\n\n"Is the fire out?" asked Ruth.\n\n'
            "No answer.\n\n"
            '"The fire is out, I tell you!"')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya"))


def test_a_continuing_verb_goes_on_from_the_piece_before_in_the_same_paragraph():
    text = ("Ruth Oduya and Nora Bell stood at the gate.\n\n" '"Do you like my new hat?" asked Nora.\n\n'
            '"It is lovely," said Ruth very politely; but she added, to herself, "What a dreadful hat."')
    lines, _ = said(text)
    assert lines[-1][0] == "What a dreadful hat." and lines[-1][1].startswith("Ruth")


def test_narration_reporting_that_someone_agreed_makes_the_next_line_the_other_persons():
    text = INTRO + '"Will you carry the basket?" asked Ruth.\n\nTom readily agreed.\n\n"Then come along."'
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya"))


def test_a_name_called_inside_a_quote_within_the_line_is_not_the_lines_vocative():
    text = (INTRO + '"Where were you?" asked Tom.\n\n'
            '"At the mill. The miller said to me, \'Go home, Ruth.\' So I came home."')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Oduya"))


def test_a_story_resumed_after_an_interruption_is_told_by_the_same_teller():
    story = '"It was a cold winter," said Ruth, "and the river froze.\n\n"We had no wood.\n\n"The dogs were hungry.\n\n"Then the thaw came."\n\n'
    resumed = '"So we went down to the river.\n\n"The ice was thin.\n\n"My brother fell in.\n\n"We pulled him out with a rope."'
    text = ("Tom Baxter, Ruth Oduya and Sam Cole sat by the fire.\n\n" + story +
            '"Nonsense," said Sam.\n\n"Go on with your story," said Tom.\n\n' + resumed)
    lines, _ = said(text)
    assert lines[-1][0] == "We pulled him out with a rope."
    assert lines[-1][1].endswith(("Ruth", "Oduya")) and lines[-1][2] == "story"


def test_a_pronoun_tag_sees_the_speaker_of_the_untagged_line_before_it():
    text = ("Ben Okafor waited by the door and Tom Baxter sat by the fire.\n\n"
            '"Is the tea ready?" asked Tom.\n\n"Nearly," said Ben.\n\n"Then pour it."\n\n'
            '"Pour it yourself," he said.')
    lines, _ = said(text)
    assert lines[2][1] == "Tom" and lines[2][2] == "turn-taking"
    assert lines[3][1] == "Ben" and lines[3][2] == "tag-pronoun"


def test_a_pronoun_tag_expects_the_last_other_speaker_of_its_gender():
    text = ("Mrs. Ruth Oduya, Tom Baxter and Ben Okafor sat by the fire. Mary Okafor came in with the cups.\n\n"
            '"Who wants tea?" asked Ruth.\n\n"I do," said Tom.\n\n"So do I," said Ben.\n\n'
            '"Then I will make a pot," she said.')
    lines, _ = said(text)
    assert lines[3][1].endswith(("Ruth", "Oduya")) and lines[3][2] == "tag-pronoun"


def test_her_mother_is_the_mother_of_the_one_who_spoke_last():
    text = ("Amy Oduya and Mrs. Ruth Oduya sat by the fire.\n\n"
            '"May I go to the dance?" asked Amy, as Mrs. Jane Lund and Kate Lund came in.\n\n'
            '"Not tonight," said her mother.')
    lines, _ = said(text)
    assert lines[1][1].endswith(("Ruth", "Oduya")) and lines[1][1] != "Amy Oduya" and lines[1][2] == "tag-pronoun"


def test_her_friend_is_not_the_one_who_spoke_last():
    text = ("Kate Lund and Amy Oduya sat on the wall. Amy shivered.\n\n"
            '"I am cold," said Amy.\n\n"Take my coat," said her friend.')
    lines, _ = said(text)
    assert lines[1][1].startswith("Kate") and lines[1][2] == "tag-pronoun"


def test_a_pronoun_tag_after_a_name_tag_in_the_same_paragraph_is_that_person():
    text = ("Tom Baxter and Ben Okafor sat by the fire.\n\n"
            '"We lose every time we play," said Tom.\n\n'
            '"That is wrong," Ben cut in. "And you," he added, "ought to know it."')
    lines, _ = said(text)
    assert lines[2][1] == "Ben" and lines[2][2] == "tag-pronoun"


def test_the_other_is_the_other_of_the_two_talking():
    text = ("Kate Lund and Amy Oduya walked home. Mrs. Ruth Baxter waited at the gate.\n\n"
            '"Is it far?" asked Kate.\n\n"Not far," said Amy.\n\n"I am tired," said Kate.\n\n'
            'Mrs. Baxter waved from the gate. "So am I," replied the other.')
    lines, _ = said(text)
    assert lines[3][1].startswith("Amy") and lines[3][2] == "tag-pronoun"


def test_a_piece_after_a_long_tag_sentence_continues_the_tagged_speaker():
    text = (INTRO + '"I will not," said Ruth, in haste to turn the talk at once to something else entirely. '
            '"Do you like dogs?" Tom did not answer.')
    lines, _ = said(text)
    assert lines[1][1].endswith(("Ruth", "Oduya")) and lines[1][2] == "continuation"


def test_a_name_in_a_relative_clause_of_a_tag_is_not_a_new_speaker():
    text = INTRO + '"Of course," said Tom, who agreed with everything that Ruth said; "it is late."'
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "continuation"


def test_he_after_a_tag_naming_someone_of_unknown_gender_in_the_same_paragraph():
    text = ("The Gardener stood by the gate with Tom Baxter and Amy Lund.\n\n"
            '"Are the apples ripe?" asked Tom.\n\n'
            '"Of course," the Gardener replied gravely, looking at Amy\'s basket. '
            '"Where is the key?" he went on.')
    lines, _ = said(text)
    assert lines[2][1] == "The Gardener" and lines[2][2] == "tag-pronoun"


def test_a_reply_noun_after_a_full_name_with_an_adjective():
    text = INTRO + '"Then we are done," were Mrs. Ruth Oduya\'s last words.'
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-after"


def test_and_said_takes_the_subject_of_its_clause_after_a_semicolon():
    text = (INTRO + "Ruth was told by Tom to hush; but Mr. Bell, much annoyed, put down his paper, and said,\n\n"
            '"I have often noticed how little young people care for books."')
    lines, _ = said(text)
    assert lines[0][1] == "Mr. Bell" and lines[0][2] == "tag-before"


def test_a_title_and_a_common_word_after_a_speech_verb_is_a_new_speaker():
    lines, _ = said(INTRO + '"Good heavens," cried Mrs. Stone, in alarm, "have you not heard?"')
    assert lines[0][1] == "Mrs. Stone" and lines[0][2] == "tag-after"


def test_a_tag_ending_a_paragraph_after_its_own_lines_opens_the_next_line():
    text = (INTRO + '"Not at all," said Tom. A short pause followed, and Ruth began again.\n\n'
            '"I have a great regard for your sister."')
    lines, _ = said(text)
    assert lines[1][1].endswith(("Ruth", "Oduya")) and lines[1][2] == "tag-before"


def test_and_said_in_a_long_sentence_takes_the_nearest_subject():
    text = (INTRO + '"Go to bed," said Ruth.\n\n'
            "Long after the clock had struck ten and the fire had burned low, Tom, who had been "
            "sound asleep in his chair all the while, woke up at last and said:\n\n"
            '"Well now, I think she is right."')
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-before"


def test_a_clause_subject_is_never_a_word_inside_a_quote():
    text = (INTRO + 'Tom began to say "I once saw a whale--" but checked himself hastily, and said '
            '"No, never."')
    lines, _ = said(text)
    assert lines[-1][1] == "Tom"


def test_the_name_before_who_is_the_subject_of_the_tag():
    text = (INTRO + 'She was met in the hall by Mrs. Lund, who, running to her, cried in a whisper, '
            '"I am glad you came."')
    lines, _ = said(text)
    assert lines[0][1] == "Mrs. Lund" and lines[0][2] == "tag-before"


def test_a_cleft_sentence_names_the_speaker_of_the_line_next_to_it():
    text = INTRO + '"Tom! Are you hurt?"\n\nIt was Ruth who spoke, her voice shaking.'
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-after"
    text = INTRO + '"Who broke it?" asked Ruth.\n\nTom it was who spoke up.\n\n"It was my fault."'
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-before"


def test_the_adjectives_before_a_role_name_in_a_tag():
    text = ("The General sat down and the General frowned. Tom Baxter stood by the door.\n\n"
            '"You are late," said the General.\n\n"Are you still angry?" asked Tom.\n\n'
            '"Not at all," answered the now calmer General.')
    lines, _ = said(text)
    assert lines[2][1] == "The General" and lines[2][2] == "tag-after"


def test_to_say_takes_the_subject_of_its_sentence():
    text = (INTRO + "The next morning, when Ruth was washing the cups, Tom stopped on his way to the shed "
            "to say to her:\n\n" + '"We should let the dog out."')
    lines, _ = said(text)
    assert lines[0][1] == "Tom" and lines[0][2] == "tag-before"


def test_or_rather_between_two_speech_verbs():
    text = INTRO + '"Well!" muttered or, rather, growled Tom as he turned.'
    lines, _ = said(text)
    assert lines[0][1] == "Tom" and lines[0][2] == "tag-after"


def test_his_wife_in_the_narration_is_a_mention_of_her():
    text = ("Mrs. Baxter poured the tea. Amy Lund sat by the fire and Amy read.\n\n"
            '"I have had a long day," said Mr. Baxter. He left the room, and his wife sighed.\n\n'
            '"What a dull man he is," said she, once he had gone.')
    lines, _ = said(text)
    assert lines[1][1] == "Mrs. Baxter" and lines[1][2] == "tag-pronoun"


def test_an_epithet_the_book_uses_for_one_person_is_that_person():
    text = ("Tom Baxter came back from the market. The lad was hot and tired.\n\n"
            "Ben Okafor looked at the lad and smiled.\n\nTom sat down. The lad drank his tea slowly.\n\n"
            "Tom stretched his arms. The lad yawned.\n\nTom laughed at nothing. The lad had lost his hat.\n\n"
            "Tom stood up. The lad went to the door.\n\n"
            '"Where are you going?" asked Ben.\n\n"Home," said the lad.')
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-pronoun"


def test_her_aunt_is_not_the_woman_the_narration_follows():
    text = ("Mrs. Ruth Gardner and Amy Lund walked to the lake. Mr. Tom Gardner followed them.\n\n"
            "Amy looked at the water, and Amy was glad to be there.\n\n"
            '"My love, should you not like to see the old house?" said her aunt.')
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth Gardner", "Mrs. Gardner")) and lines[0][2] == "tag-pronoun"


def test_a_name_opening_a_split_line_that_starts_anew_is_a_vocative():
    text = (INTRO + "Amy Lund came in and Amy sat down.\n\n" + '"Ruth," said Tom, "I had better go now."\n\n'
            '"I wish you would stay," she answered.')
    lines, _ = said(text)
    assert lines[2][1].endswith(("Ruth", "Oduya")) and lines[2][2] == "tag-pronoun"


def test_a_name_called_in_a_reported_speech_is_not_a_vocative_of_the_line():
    text = (INTRO + "Amy Lund sat by the door. Ruth went to the window.\n\n"
            '"Well," said she, "Mrs. Lund came by and asked me, \'Ah! Ruth, is the tea ready?\' and I said no."')
    lines, result = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-pronoun"


def test_a_pronoun_leans_to_the_one_person_of_its_gender_named_as_a_speaker_in_the_conversation():
    text = ("Tom Baxter and Ben Okafor sat in the garden with Mrs. Ruth Oduya.\n\n"
            '"Is the gate shut?" he asked.\n\n"It is," said Ruth.\n\n"Good," said Tom.')
    lines, _ = said(text)
    assert lines[0][1] == "Tom" and lines[0][2] == "tag-pronoun"


def test_the_person_a_tag_speaks_to_is_not_the_speaker():
    text = ("Ben Okafor came in from the rain. Tom Baxter looked up from his book and Tom smiled.\n\n"
            '"Sit down," he whispered to Tom.')
    lines, _ = said(text)
    assert lines[0][1] == "Ben" and lines[0][2] == "tag-pronoun"


def test_the_person_a_tag_speaks_to_answers_the_next_untagged_line():
    text = (INTRO + "Ben Okafor came in and Ben sat down.\n\n"
            '"Is it still raining?" Ben asked, turning to Tom.\n\n"Since noon."')
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "addressee"


def test_for_before_a_name_and_its_verb_opens_a_clause():
    text = INTRO + '"How silly," Ruth began, but she stopped, for Tom called out, "Quiet, please!"'
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-before"


def test_and_said_after_a_who_clause_takes_the_name_before_who():
    text = (INTRO + 'Indeed, Ruth had a long quarrel with Tom, who at length grew cross, and would only say, '
            '"I am older than you."')
    lines, _ = said(text)
    assert lines[0][1] == "Tom" and lines[0][2] == "tag-before"


def test_less_common_speech_verbs_make_tags():
    text = INTRO + '"It is late," said Tom.\n\n"It certainly is, Tom," corroborated Ruth.\n\n"Go to bed," admonished Tom.'
    lines, _ = said(text)
    assert [(s, r) for _, s, r in lines][1:] == [("Ruth", "tag-after"), ("Tom", "tag-after")]


def test_a_he_in_the_narration_goes_back_to_a_name_in_an_earlier_speech_tag():
    text = ("Tom Baxter and Ben Okafor came in from the rain. Ben shut the door.\n\n"
            '"Good evening," said Tom.\n\n'
            'He sat down and he warmed his hands. "It is cold tonight," he said.')
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-pronoun"


def test_a_passive_speech_verb_gives_the_line_to_its_agent():
    text = (INTRO + "Tom was lost in his thoughts when he was thus accosted by Ruth,\n\n"
            '"I can guess what you are thinking about."')
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-before"


def test_thus_between_a_name_and_its_speech_verb():
    text = INTRO + 'In a low voice Ruth thus began the conversation. "Oh! Tom!"'
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-before"


def test_a_pronoun_tag_right_after_an_untagged_line_is_the_other_person():
    text = ("Tom Baxter put down his book. Ben Okafor shook the rain from his coat.\n\n"
            'Ben looked at the window. "It is pouring."\n\n"Then we stay in," he said.')
    lines, _ = said(text)
    assert lines[0][1] == "Ben" and lines[1][1] == "Tom" and lines[1][2] == "tag-pronoun"


def test_a_name_tag_before_a_line_says_who_the_pronoun_tag_after_it_is():
    text = (INTRO + 'Ben Okafor sat by the door.\n\n"That is important," Tom said, turning to the window. '
            'They were just writing this down, when Ben interrupted: "Unimportant, of course," he said.')
    lines, _ = said(text)
    assert lines[-1][1] == "Ben" and lines[-1][2] == "tag-before"


def test_the_former_and_the_latter_name_the_first_and_second_of_the_last_two():
    text = ("When Amy Lund and Ruth Oduya were alone, the former told the latter how much she liked him.\n\n"
            '"He is the kindest man I know," said she.')
    lines, _ = said(text)
    assert lines[0][1].startswith("Amy") and lines[0][2] == "tag-pronoun"


def test_someone_called_by_name_in_the_last_lines_is_in_the_scene():
    text = ("Edgar Hollis sat at his desk. At last Neil Crane came in and Neil sat down.\n\n"
            '"Bring the box, Hugo," said Edgar.\n\n'
            '"Where shall I put it, sir?" he asked Neil.')
    lines, _ = said(text)
    assert lines[1][1] == "Hugo" and lines[1][2] == "tag-pronoun"


def test_his_aunt_is_the_one_person_named_aunt():
    text = ("Tom Baxter went in to lunch. Aunt Hester sat by the stove and Aunt Hester frowned. "
            "Mrs. Ruth Oduya sat by the window and Ruth smiled at him.\n\n"
            '"You are late again, Tom," cried his aunt.')
    lines, _ = said(text)
    assert lines[0][1] == "Aunt Hester" and lines[0][2] == "tag-pronoun"


def test_a_verb_followed_by_that_reports_speech_and_tags_nothing():
    text = (INTRO + '"Come here, Ruth," cried Tom as she came in. "I hear you have had a letter. Is it true?" '
            'Ruth replied that it was.')
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "continuation"


def test_a_name_after_even_opens_its_clause_as_a_subject():
    text = ("Kate Lund sat by the fire with Amy Oduya, and Kate read. And even Amy could say that she was tired.\n\n"
            '"I am going to bed," said she.')
    lines, _ = said(text)
    assert lines[0][1].startswith("Amy") and lines[0][2] == "tag-pronoun"


def test_the_duchess_is_the_last_person_named_with_that_title():
    text = ("Across the room sat the Duchess of Selvay, and beside her Mrs. Ruth Oduya. Ruth smiled at Tom Baxter.\n\n"
            '"Come and sit by me, Tom," said the duchess.')
    lines, _ = said(text)
    assert lines[0][1] == "Duchess of Selvay" and lines[0][2] == "tag-epithet"


def test_the_baronet_is_the_last_sir_named():
    text = ("Sir Walter Pryce sat by the window. Mrs. Ruth Oduya talked to Tom Baxter.\n\n"
            '"That is a bold claim," rejoined the baronet.')
    lines, _ = said(text)
    assert lines[0][1].startswith("Sir Walter") and lines[0][2] == "tag-epithet"


def test_an_indefinite_noun_speaker_is_named_with_a():
    lines, _ = said(INTRO + '"Move along there," said a porter.\n\n"Take the bags," said the driver.')
    assert [s for _, s, _ in lines] == ["A Porter", "The Driver"]


def test_an_unnamed_one_of_a_family_speaks_as_a_minor_character():
    lines, _ = said(INTRO + '"I would buy the whole street," cried a young Baxter who had come with his cousins, "and a boat."')
    assert lines[0][1] == "A Young Baxter" and lines[0][2] == "tag-noun"


def test_a_run_of_she_goes_back_to_the_name_before_its_first_she():
    # "She had waited for Kate; she knew ...": both are Amy; Kate is only the object of the first.
    text = ("Amy Lund and Kate Oduya lived in the same lane.\n\n"
            '"Good morning," said Kate at the gate. "May I come in?"\n\n'
            "Amy's face brightened. She had waited for Kate all week; she knew that the news would not keep.\n\n"
            '"Come in, come in," she said. "The kettle is on."')
    lines, _ = said(text)
    assert lines[-2][1].startswith("Amy") and lines[-2][2] == "tag-pronoun"


def test_a_subordinate_clause_subject_set_off_by_a_phrase_is_the_tags_subject():
    text = ("Ben Okafor and Ruth Oduya came in from the yard.\n\n"
            'He was rather cold, till Ruth, looking at the big clock that ticked on the shelf, exclaimed: '
            '"How late it is tonight!"')
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-before"


def test_soon_between_a_name_and_its_speech_verb():
    text = (INTRO + '"Good night," said Tom, and he went up to bed.\n\n'
            'There was nothing else to do, so Ruth soon began talking to the cat. "You will miss him, I dare say."')
    lines, _ = said(text)
    assert lines[1][1].endswith(("Ruth", "Oduya")) and lines[1][2] == "tag-before"


def test_a_man_in_a_tag_is_someone_new_not_a_man_of_the_scene():
    text = (INTRO + '"Is this the road to the mill?" asked Tom.\n\n"I think so," said Ruth.\n\n'
            '"It is, sir," said a man at the gate.')
    lines, _ = said(text)
    assert lines[2][1] == "A Man" and lines[2][2] == "tag-noun"


def test_it_said_is_a_creature_of_the_scene_and_it_as_an_object_tags_nothing():
    text = ('Amy Lund sat on the bank of the river.\n\n"Who are you?" said the Heron.\n\n"I am Amy," said Amy.\n\n'
            'The bird looked at her for a long while, and then Amy heard it say, "Go home before the rain."\n\n'
            'Amy picked up a stone and, glancing at it, said, "I will."')
    lines, _ = said(text)
    assert lines[2][1] == "The Heron" and lines[2][2] == "tag-pronoun"
    assert lines[3][1].startswith("Amy")


def test_a_role_noun_tag_answering_a_line_that_called_someone_is_that_person():
    text = ("Tom Baxter and Ruth Oduya sat in the studio. Tom painted and Ruth watched him.\n\n"
            '"Do not flatter yourself, Tom. You are nothing like him," said Ruth.\n\n'
            '"You do not understand me," answered the painter. "I know that well."')
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-epithet"


def test_a_name_before_who_said_speaks_the_line():
    text = INTRO + 'Tom looked anxiously at Ruth, who said in a low voice, "You must ask him yourself."'
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-before"


def test_her_mother_is_first_the_mother_of_the_one_the_line_calls():
    text = ("Amy Oduya and Kate Lund sat by the fire with Mrs. Ruth Oduya and Mrs. Jane Lund.\n\n"
            '"I should like to go to the dance," said Kate.\n\n'
            '"Not tonight, Amy," said her mother.')
    lines, _ = said(text)
    assert lines[1][1] == "Mrs. Ruth Oduya" and lines[1][2] == "tag-pronoun"


def test_someone_thinking_in_the_tag_between_two_pieces_does_not_speak_the_second():
    text = INTRO + ('"You did not lock the gate," said Ruth.\n\n'
                    '"I did lock it," said Tom quickly--rudely, Ruth thought. "I am certain I locked it."')
    lines, _ = said(text)
    assert lines[2][1] == "Tom" and lines[2][2] == "continuation"


def test_a_pronoun_with_nobody_of_its_gender_nearby_is_the_one_who_spoke_before():
    # Mrs. Baxter is named only by "his wife" in the tag: "she" goes on from her, not to the most named woman.
    text = ("Mr. Tom Baxter and Mrs. Baxter lived at the farm. Ruth Oduya lived at the mill, and Ruth kept geese. "
            "Ruth sold eggs, and Ruth sang.\n\n" + "Tom walked to the barn and fed the horses.\n\n" * 30 +
            '"My dear Mr. Baxter," said his wife, "the mill is let at last."\n\n'
            "Mr. Baxter replied that he had not heard.\n\n"
            '"But it is," returned she.')
    lines, _ = said(text)
    assert lines[-1][1] == "Mrs. Baxter" and lines[-1][2] == "tag-pronoun"


def test_a_pronoun_after_narration_about_the_previous_speaker_is_that_speaker_going_on():
    # Ruth's line calls Amy, and turn-taking expects Amy; but the narration since is about Ruth.
    text = ("Amy Lund and Ruth Oduya sat in the kitchen.\n\n"
            '"Shall we go?" asked Amy.\n\n"Not yet, Amy," said Ruth.\n\n'
            "Amy soon went away to her own room. But before she had been there three minutes, Ruth followed her.\n\n"
            '"It is snowing," she cried.')
    lines, _ = said(text)
    assert lines[2][1].endswith(("Ruth", "Oduya")) and lines[2][2] == "tag-pronoun"


def test_a_line_that_came_from_someones_lips_or_voice_is_theirs():
    text = INTRO + '"Is it late?" asked Ruth.\n\n"A dangerous hour to be out!" came from Tom\'s tight lips.'
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-after"
    text = INTRO + '"Is it late?" asked Tom.\n\n"Madam, madam," sounded the soft accents of Ruth as she leant over. "Not yet."'
    lines, _ = said(text)
    assert lines[1][1].endswith(("Ruth", "Oduya")) and lines[1][2] == "tag-after"
    # a text whose apostrophes were lost ("Tom s lips")
    text = INTRO + '"Is it late?" asked Ruth.\n\n"A dangerous hour to be out!" came from Tom s tight lips.'
    lines, _ = said(text)
    assert lines[1][1] == "Tom" and lines[1][2] == "tag-after"


def test_an_exclamation_from_someone_right_after_the_line_is_theirs():
    text = (INTRO + '"Once," said Tom at last, "I was a sailor."\n\n'
            'These words were followed by a long silence, broken only by an occasional cry of "Ahoy!" from Ruth.')
    lines, _ = said(text)
    assert lines[-1][0] == "Ahoy!" and lines[-1][1].endswith(("Ruth", "Oduya")) and lines[-1][2] == "tag-after"


def test_an_unknown_noun_before_the_speech_verb_of_a_clause_is_a_new_speaker():
    text = INTRO + 'Ruth could no longer sit still, and struck the table when the auctioneer cried out, "Sold!" instead of waiting.'
    lines, _ = said(text)
    assert lines[0][1] == "The Auctioneer" and lines[0][2] == "tag-noun"


def test_a_narrators_aside_in_parentheses_is_no_beat():
    text = ("Amy Lund and Ben Okafor sat by the fire.\n\n" '"Good night," said Ben, and he went out.\n\n'
            'There was nothing else to do, so Amy soon began talking again. "Ben will miss me tonight!" '
            '(Ben was her cousin.) "I hope they remember his supper."')
    lines, _ = said(text)
    assert lines[2][1] == "Amy" and lines[2][2] == "continuation"


def test_an_indefinite_noun_speaker_is_never_the_speaker_turn_taking_expects():
    text = INTRO + '"Is it far to the mill?" asked Tom.\n\n"Not far," said Ruth.\n\n"Too far for me," grumbled an old farmer.'
    lines, _ = said(text)
    assert lines[2][1] == "An Old Farmer" and lines[2][2] == "tag-noun"


def test_a_participle_after_a_semicolon_belongs_to_the_main_clause():
    text = INTRO + 'Tom asked whether the miller was at home. Ruth replied that he was; adding, "But he is asleep."'
    lines, _ = said(text)
    assert lines[0][1].endswith(("Ruth", "Oduya")) and lines[0][2] == "tag-before"


def test_a_name_without_a_verb_of_its_own_does_not_open_an_and_said_clause():
    text = ("Tom Baxter and Mrs. Ruth Oduya sat by the fire. Ben Okafor stood at the door.\n\n"
            '"It is late," said Tom.\n\n'
            "He waited for an answer; and Ruth at that moment coming towards them, Ben was struck with a sudden idea, "
            "and called out to her,\n\n"
            '"Will you dance?"')
    lines, _ = said(text)
    assert lines[1][1] == "Ben" and lines[1][2] == "tag-before"


def test_a_noun_tag_ends_at_a_comma_before_any_phrase():
    text = ("Tom Baxter sat for his portrait. The painter worked in silence, and the painter frowned. "
            "The painter mixed his colours.\n\n"
            '"Turn your head a little to the right, Tom," said the painter, deep in his work.')
    lines, _ = said(text)
    assert lines[0][1] == "The Painter" and lines[0][2] == "tag-noun"


def test_a_verb_and_that_after_a_word_of_time_report_and_tag_nothing():
    text = (INTRO + 'Tom went out, and Ruth heard him muttering to himself, "Where can I have dropped them?" '
            "Ruth guessed in a moment that he was looking for his keys.")
    lines, _ = said(text)
    assert lines[0][1] == "Tom"
    lines, _ = said(INTRO + '"Yes," Tom said in a voice that shook.')
    assert lines[0][1] == "Tom" and lines[0][2] == "tag-after"


def test_a_short_sentence_saying_someone_did_not_do_something_is_no_beat():
    text = INTRO + '"Is it true?" asked Ruth.\n\n"It is," said Tom, taking her hand. Ruth did not withdraw it. "And I am glad of it."'
    lines, _ = said(text)
    assert lines[2][1] == "Tom" and lines[2][2] == "continuation"


def test_a_tag_before_a_line_finds_its_verb_up_to_twenty_words_back():
    text = ("Amy Lund and Kate Oduya sat at the table with Ruth Bell.\n\n" '"Is there news?" asked Ruth.\n\n'
            "As for Kate, she was calm enough to whisper to Amy with a look of grave reflection, soon after they had "
            "all sat down at the table,\n\n"
            '"This is a most unfortunate affair."')
    lines, _ = said(text)
    assert lines[1][1].startswith("Kate") and lines[1][2] == "tag-before"


def test_a_person_the_line_speaks_of_by_name_is_not_its_he_or_she():
    text = ("Tom Baxter, Sam Cole and Ben Okafor sat in the office.\n\n"
            '"Is it a hard case?" asked Tom.\n\n"A very hard one," said Sam.\n\nBen went out to fetch the lamp.\n\n'
            '"Your friend Mr. Okafor is a clever man," said he.')
    lines, _ = said(text)
    assert lines[2][1] == "Tom" and lines[2][2] == "tag-pronoun"


def test_a_sentence_opened_by_a_name_and_a_relative_clause_is_about_that_person():
    text = ("Kate Oduya and Amy Lund sat at the table with Ruth Okoro.\n\n"
            '"Is there news?" asked Ruth.\n\n"None," said Amy.\n\n"Nor any for me," said Kate.\n\n'
            "Once Kate and Amy had the kitchen to themselves, the former, who had kept quiet all through supper, "
            "confessed to her friend that she admired the new doctor.\n\n"
            '"He is exactly the doctor this town needed," said she.')
    lines, _ = said(text)
    assert lines[-1][1].startswith("Kate") and lines[-1][2] == "tag-pronoun"


def test_a_family_tag_the_scene_does_not_settle_takes_whom_it_named_before():
    scene = ('"Are you ready?" asked Tom.\n\n"Nearly," said Amy.\n\n"Then hurry," said her aunt.\n\n'
             "Mrs. Ruth Okoro went out.\n\n")
    text = ("Amy Lund lived with Tom Okoro and Mrs. Ruth Okoro, her aunt.\n\n" + scene * 2
            + "The week after, Amy sat alone in the garden and Kate Oduya came by.\n\n"
            '"Where is everybody?" asked Kate.\n\nAmy said nothing.\n\n'
            "A long time after, the gate opened.\n\n"
            '"You will catch cold out here," said her aunt.')
    lines, _ = said(text)
    assert lines[-1][1].endswith("Okoro") and lines[-1][1] != "Tom Okoro"


def test_the_person_the_line_before_calls_by_name_gives_the_answer():
    text = ("Sam Cole, Tom Baxter and Ruth Okoro sat by the fire.\n\n" '"It is a cold night," said Tom.\n\n'
            '"Is it?" said Sam.\n\n"It shows how little you walk," said Tom.\n\n'
            "Tom rose and Tom walked to the window and Tom looked out.\n\n"
            '"I am afraid, Sam," observed Ruth, "that he is right."\n\n"Not at all," he replied; "I walk every day."')
    lines, _ = said(text)
    assert lines[5][1] == "Sam" and lines[5][2] == "tag-pronoun"


def test_a_he_or_she_continues_the_narration_that_ends_the_paragraph_of_dialogue_before():
    text = ("Kate Oduya, Amy Lund and Ruth Okoro sat at the table.\n\n" '"Is there news?" asked Ruth.\n\n'
            '"None," said Amy. "Nor will there be." Amy went to the window and looked at the rain, and Ruth watched '
            'her go, but Amy did not turn round.\n\n"It will not stop tonight," she said.')
    lines, _ = said(text)
    assert lines[-1][1] == "Amy" and lines[-1][2] == "tag-pronoun"


def test_her_father_in_the_narration_is_the_father_of_the_last_woman_named_who_has_one():
    text = ("Amy Lund lived with her father, Mr. Lund, near the church. Mr. Lund was a quiet man. Amy and Kate Oduya "
            'were friends.\n\n"Will you walk?" asked Ben Cole.\n\n"Not today," said Amy.\n\nBen Cole bowed and went out. '
            "Amy sat with Kate by the fire.\n\n"
            'Her father paced by the hearth, frowning at the coals. "Amy," said he, "where have you put my spectacles?"')
    lines, _ = said(text)
    assert lines[2][1] == "Mr. Lund" and lines[2][2] == "tag-pronoun"


def test_a_female_role_noun_in_a_tag_is_a_woman():
    text = ("Tom Baxter and Sam Cole dined with Mrs. Ruth Okoro at her house. Sam sat by the window and Sam said little.\n\n"
            '"A charming evening," said Tom.\n\nSam looked at the clock.\n\n"You are too kind," laughed his hostess.')
    lines, _ = said(text)
    assert lines[-1][1].endswith(("Ruth", "Okoro"))


def test_a_family_tag_leans_to_whom_it_clearly_named_before_when_they_are_in_the_scene():
    scene = ('"Are you ready?" asked Tom.\n\n"Nearly," said Amy.\n\n"Then hurry," said her aunt.\n\n'
             "Mrs. Ruth Okoro went out.\n\n")
    text = ("Amy Lund lived with Tom Okoro and Mrs. Ruth Okoro, her aunt.\n\n" + scene * 3
            + "On Sunday Amy and her aunt called on Mrs. Kate Hale, who showed them her garden. Mrs. Hale talked of "
            "roses, and Mrs. Hale pointed out every bed.\n\n"
            '"What a garden," said Amy.\n\n"It is a great deal of work," whispered her aunt.')
    lines, _ = said(text)
    assert lines[-1][1] == "Mrs. Ruth Okoro"


def test_a_name_in_a_subordinate_clause_of_an_earlier_sentence_is_not_what_a_she_continues():
    text = ('Ruth Okoro and Amy Lund sat in the parlour.\n\n"Is there a letter?" asked Amy.\n\n"There is," said Ruth.\n\n'
            "Ruth could hardly sit still. As soon as Amy had read the letter aloud, her joy burst forth. "
            'She was beside herself with delight.\n\n"My dear boy is coming home!" she cried.')
    lines, _ = said(text)
    assert lines[-1][1] == "Ruth" and lines[-1][2] == "tag-pronoun"


def test_a_paragraph_of_narration_quoting_a_word_in_passing_is_followed_by_the_he_or_she_after_it():
    text = ('Ruth Okoro and Amy Lund sat in the parlour.\n\n"Is there a letter?" asked Amy.\n\n"There is," said Ruth.\n\n'
            'Nothing could take from Amy the pride she felt. She longed to hear herself called "the bride" by everyone, '
            'and she smiled at every visitor.\n\n"Well, aunt," said she, "what do you think of him?"')
    lines, _ = said(text)
    assert lines[-2][1] == "Amy" and lines[-2][2] == "tag-pronoun"


def test_a_he_does_not_continue_one_of_two_people_who_are_the_subject_together():
    text = ('Tom Baxter, Sam Cole and Ben Okafor waited in the office.\n\n"Is it late?" asked Tom.\n\n"Nearly," said Sam.\n\n'
            "Ben stood at the window with his back to the room. Tom and Sam sat in silence. At last he turned round.\n\n"
            '"It is time to go," he said.')
    lines, _ = said(text)
    assert lines[-1][1] == "Ben" and lines[-1][2] == "tag-pronoun"


def test_said_the_man_is_not_pushed_to_the_man_the_narration_calls_he():
    text = ('Tom Baxter and Sam Cole carried the chest.\n\n"Is it heavy?" asked Sam.\n\n"Very," said Tom.\n\n'
            "They climbed the stairs slowly. Tom was tired, and he stopped often.\n\n"
            '"Only one more landing," gasped the little man, leaning on the rail.')
    lines, _ = said(text)
    assert lines[-1][1] == "Sam" and lines[-1][2] == "tag-pronoun"


def test_a_name_after_the_and_an_adjective_opening_a_clause_is_a_subject():
    text = ('Ruth Okoro and Amy Lund sat in the parlour.\n\n"Is there a letter?" asked Amy.\n\n"There is," said Ruth.\n\n'
            "Ruth hurried from room to room packing for the journey, whilst the unlucky Amy sat on the stairs sulking "
            'about being left behind.\n\n"I cannot see why I should not go too," said she.')
    lines, _ = said(text)
    assert lines[-1][1] == "Amy" and lines[-1][2] == "tag-pronoun"


def test_a_narration_paragraph_just_before_weighs_as_much_as_a_chain_of_he_or_she():
    text = ('Ruth Okoro and Amy Lund sat in the parlour.\n\n"I shall cut it off," said Ruth.\n\n"Oh, Ruth, please do not," '
            "said Amy.\n\nAmy wept then, but later she was calm. Ruth had cut it very short. "
            'Amy hung a shawl over the mirror.\n\n"Nobody shall see me until it grows," she exclaimed.')
    lines, _ = said(text)
    assert lines[-1][1] == "Amy" and lines[-1][2] == "tag-pronoun"


def test_the_duchess_again_after_many_other_names_is_the_same_duchess():
    filler = "Tom Baxter looked at Ruth Okoro and Sam Cole nodded to Tom. " * 40
    text = ("The Duchess of Selvay came to dinner with Tom Baxter, Ruth Okoro and Sam Cole.\n\n"
            '"What a night," said the duchess.\n\n"Indeed," said Tom.\n\n' + filler + "\n\n"
            '"Is it late?" asked the duchess.\n\n' + filler + "\n\n"
            '"I must go," said Ruth.\n\n"Not yet," cried the duchess.')


def test_a_voice_belongs_to_the_person_named_just_after():
    text = INTRO + ('"Where did I put the scissors?" Ruth asked, looking under the cushions.\n\n'
                    '"On the mantelpiece," said a gruff voice behind her. Old Mr. Pellow had come in from '
                    'the garden, his boots still muddy.')
    lines, _ = said(text)
    assert lines[1][1] == "Mr. Pellow" and lines[1][2] == "tag-epithet"


def test_a_voice_with_nobody_named_after_stays_a_voice():
    text = INTRO + '"Is anybody there?" Tom called.\n\n"Go away," said a muffled voice. The door stayed shut.'
    lines, _ = said(text)
    assert lines[1][1] == "A Muffled Voice"


def test_her_sister_may_be_named_by_given_name_and_surname():
    text = ("Kate Pellow and Tom Baxter walked to the mill. Kate Pellow laughed. Ruth Pellow stayed at home; "
            "Ruth was reading.\n\n"
            'Tom left at noon. Kate went home to her sister at once. "Come out," she said. "The sun is shining."\n\n'
            '"I would rather read," said Ruth.\n\n'
            "Later that day Ruth put the book down and Kate opened the window. Kate looked out at the lane, "
            "and her sister sighed.\n\n"
            '"Very well, I will come."')
    lines, _ = said(text)
    assert lines[-1][1] in ("Ruth", "Ruth Pellow")


def test_a_line_that_names_its_speaker():
    text = INTRO + ('The door opened and a thin girl looked in at them.\n\n'
                    '"I\'m Nell Ward, from the mill," said the girl. "Mother sent me with the eggs."\n\n'
                    '"Come in, then," said Tom.\n\n'
                    'An old carter followed her, smiling.\n\n'
                    '"Mr. Amos Ward," said the old carter. "That is my name. I am her father."')
    lines, _ = said(text)
    assert lines[0][1] == "Nell Ward" and lines[-1][1] == "Mr. Amos Ward"


def test_a_voice_belongs_to_the_one_the_answer_calls_by_name():
    text = INTRO + ('Mr. Pellow kept the yard, and Mr. Pellow locked it every night. Someone knocked at the '
                    'back door. Tom went to open it.\n\n'
                    '"Anyone at home?" called a rough voice from the yard.\n\n'
                    '"Only me, Pellow. Open up, it is raining."')
    lines, _ = said(text)
    assert lines[0][1] == "Mr. Pellow"


def test_the_duchess_of_a_long_scene_is_still_the_one_named_long_before():
    filler = "The rain went on and the clocks ticked in the hall.\n\n" * 250
    text = ("Mrs. Ruth Oduya and Ruth's cousin came to dinner. Ruth talked and Ruth laughed. Ruth sang.\n\n"
            "Then the Duchess of Selvay arrived.\n\n" + filler + "Tom watched the duchess at the window.\n\n" + filler
            + 'Tom bowed to the duchess.\n\n"I must go," she said.')
    lines, _ = said(text)
    assert lines[-1][1] == "Duchess of Selvay"


def test_a_name_given_as_the_answer_to_a_question_calls_nobody():
    text = ('Tom Baxter, Amy Lund and Ruth Okoro sat in the garden. Ruth went in to fetch her shawl.\n\n'
            '"You have a rival, Amy," said Tom.\n\n"Who?" asked Amy.\n\n'
            'He laughed. "Ruth," he whispered. "She adores him."\n\n"How tiresome!" she said.')
    lines, _ = said(text)
    assert lines[-1][1] == "Amy" and lines[-1][2] == "tag-pronoun"


def test_a_sentence_opened_by_a_name_and_s_is_about_that_person():
    text = ('Ruth Okoro and Amy Lund sat in the parlour.\n\n"Is there a letter?" asked Amy.\n\n"There is," said Ruth.\n\n'
            "Ruth's surprise faded quickly, for she had always thought Amy deserved every compliment. "
            'She was only sorry for the young man.\n\n"He should not have been so sure," said she.')
    lines, _ = said(text)
    assert lines[-1][1] == "Ruth" and lines[-1][2] == "tag-pronoun"


def test_a_first_person_narrator_answering_in_the_narration_ends_the_call_of_the_line_before():
    text = ('Ruth Okoro, Amy Lund and I stood in the hall. I had known Ruth for years.\n\n'
            '"Amy, fetch my shawl. And where is this garden?" asked Ruth.\n\n'
            "I assured Ruth that it was close by, just behind the house, though the path up to it was steep.\n\n"
            '"Then take me there at once," she said.')
    lines, _ = said(text)
    assert lines[-1][1] == "Ruth" and lines[-1][2] == "tag-pronoun"


def test_my_companion_in_a_first_person_book_is_whom_such_tags_clearly_named_before():
    scene = '"Shall we go in?" I asked.\n\n"By all means," said my companion.\n\nTom Baxter opened the door, and we went in.\n\n'
    text = ("Tom Baxter and I walked up from the station.\n\n" + scene * 3
            + "Sam Cole and Ben Okafor came out to meet us, and Sam shook my hand while Ben held the dog.\n\n"
            '"A fine house," said my companion.')
    lines, _ = said(text)
    assert lines[-1][1] == "Tom Baxter"


def test_his_daughter_belongs_to_the_subject_not_to_the_man_after_a_preposition():
    text = ("Mr. Pellow had one child, Miss Pellow, and so had Mr. Hale, Miss Hale.\n\n"
            + "The winter was long and the roads were bad.\n\n" * 6 +
            "Mr. Pellow was the first to call on Mr. Hale. Seeing his daughter at the gate, he waved.\n\n"
            '"You are late, Father," said she.')
    lines, _ = said(text)
    assert lines[0][1] == "Miss Pellow"


def test_mother_called_in_the_line_before_answers():
    text = ("Mrs. Pellow sat sewing by the lamp as Kate Pellow came in from the garden with Ruth Oduya, and "
            "Ruth sat down by the door.\n\n"
            '"Mother, where is the big basket?" asked Kate.\n\n'
            '"In the cellar, where it always is," she replied.')
    lines, _ = said(text)
    assert lines[1][1] == "Mrs. Pellow"


def test_a_title_alone_after_a_speech_verb_is_not_a_new_character():
    text = INTRO + '"Wait for me!" cried Mme. de Vries from the stairs.'
    _, result = said(text)
    assert all(c.name not in ("Mme", "Mme.") for c in result.characters)


def test_their_mother_is_the_mother_of_the_children_named_before():
    text = ("Mrs. Pellow kept the house by the mill.\n\n"
            + "The winter was long and the roads were bad.\n\n" * 6 +
            "Kate Pellow and Ruth Pellow came home late from the fair. Their mother was waiting at the door.\n\n"
            '"You are very late," she said.')
    lines, _ = said(text)
    assert lines[0][1] == "Mrs. Pellow"


def test_a_title_called_in_a_line_is_its_holder_in_the_scene():
    text = ("Colonel Fane came to dine with the family.\n\n"
            + "The winter was long and the roads were bad.\n\n" * 6 +
            "After dinner Tom Baxter and the colonel sat by the fire, and Ruth Oduya read.\n\n"
            '"Will you have more wine, Colonel?" asked Tom.\n\n'
            '"A little, thank you," he said.')
    lines, _ = said(text)
    assert lines[1][1] == "Colonel Fane"


def test_a_bare_name_answering_what_is_your_name_is_the_speakers():
    text = ("Nell Ward stood at the door of the kitchen. Ruth Oduya looked up from the fire.\n\n"
            '"Come in, child. What is your name?" said Ruth.\n\n'
            '"Nell Ward," the girl whispered shyly from the doorway, "if you please, ma\'am."\n\n'
            '"I am the Queen of the Fair!" cried Nell, and they laughed.')
    lines, _ = said(text)
    assert lines[1][1] == "Nell Ward" and lines[-1][1] == "Nell Ward"


def test_said_the_role_a_name_was_just_given_in_apposition():
    text = INTRO + ('Then Mrs. Pellow, the housekeeper, brought in the lamp. Ruth thanked her and Ruth smiled.\n\n'
                    '"Will there be anything else, ma\'am?" asked the housekeeper.')
    lines, _ = said(text)
    assert lines[0][1] == "Mrs. Pellow"
