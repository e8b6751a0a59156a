"""The review loop lists low-confidence dialogue with its neighbours."""

from audiobook.script.model import Chapter, Cue, Script
from audiobook.script.review import review_lines


def make_script():
    cues = [
        Cue("c1-1", "narration", "The rain came down."),
        Cue("c1-2", "dialogue", "Who is there?", speaker="Ada", confidence=0.9, rule="tag-after"),
        Cue("c1-3", "dialogue", "Only me.", speaker="Ben", confidence=0.4, rule="turn-taking"),
        Cue("c1-4", "dialogue", "Come in.", speaker="Ada", confidence=0.3, rule="manual"),
        Cue("c1-5", "thought", "He lies.", speaker="Ada", confidence=0.45, rule="thought"),
        Cue("c1-6", "narration", "She opened the door.", confidence=0.1),
    ]
    return Script(title="T", source="t.txt", chapters=[Chapter(1, "One", cues)])


def test_lists_only_low_confidence_dialogue_and_thought():
    lines = list(review_lines(make_script()))
    assert [line.cue_id for line in lines] == ["c1-3", "c1-5"]
    first = lines[0]
    assert first.before == "Who is there?" and first.after == "Come in."
    assert first.speaker == "Ben" and first.rule == "turn-taking" and first.chapter == 1


def test_threshold_and_context_length():
    lines = list(review_lines(make_script(), threshold=0.95, context_chars=5))
    assert [line.cue_id for line in lines] == ["c1-2", "c1-3", "c1-5"]
    assert lines[0].before.startswith("\u2026") and len(lines[0].before) == 6
