"""Quote detection on passages written for these tests, one behaviour each."""

from audiobook.manuscript.paragraphs import paragraph_layout, split_paragraphs
from audiobook.script.quotes import find_quotes, quote_style


def quotes_of(text):
    paragraphs = split_paragraphs(text)
    found, warnings = find_quotes(text, paragraphs)
    return [text[q.start:q.end] for q in found], found, warnings


def test_straight_double_quotes_and_tag_split():
    text = '"Fine," she snaps, "go."\n\nHe went.'
    spoken, found, _ = quotes_of(text)
    assert spoken == ["Fine,", "go."]
    assert found[0].group == found[1].group - 1 or found[0].paragraph == found[1].paragraph


def test_curly_quotes():
    text = "\u201cThe kettle is on,\u201d Tom said. \u201cSit down.\u201d"
    spoken, _, _ = quotes_of(text)
    assert spoken == ["The kettle is on,", "Sit down."]


def test_british_single_quotes_are_not_apostrophes():
    text = (
        "\u2018I don\u2019t think it\u2019s Jo\u2019s,\u2019 said Pip. \u2018The boys\u2019 bikes are outside.\u2019\n\n"
        "\u2018Can\u2019t be,\u2019 said Jo.\n\n\u2018It\u2019s Ma\u2019s turn.\u2019"
    )
    assert quote_style(text) == "single"
    spoken, _, _ = quotes_of(text)
    assert spoken == ["I don\u2019t think it\u2019s Jo\u2019s,", "The boys\u2019 bikes are outside.", "Can\u2019t be,", "It\u2019s Ma\u2019s turn."]


def test_straight_single_quotes_with_elisions():
    text = "'Tis late,' said Nan. 'We'll go 'round by the mill.'\n\n'Right,' said Ben.\n\n'Off we go,' said Nan."
    spoken, _, _ = quotes_of(text)
    assert spoken[-2:] == ["Right,", "Off we go,"]
    assert "We'll go 'round by the mill." in spoken


def test_dash_cut_off_line():
    text = '"It is not like that?\u2014"\n\n"Then explain it!"'
    spoken, _, _ = quotes_of(text)
    assert spoken == ["It is not like that?\u2014", "Then explain it!"]


def test_multi_paragraph_speech():
    text = '"The first part of my story starts in a field.\n\n"The second part ends in a boat," she finished.\n\nSilence.'
    spoken, found, warnings = quotes_of(text)
    assert spoken == ["The first part of my story starts in a field.", "The second part ends in a boat,"]
    assert found[0].continued and not found[0].closed
    assert found[0].group == found[1].group
    assert warnings == []


def test_nested_quotes_stay_inside():
    text = "\"He told me, 'She said \u201cno\u201d to him,' and left,\" Ann said."
    spoken, _, _ = quotes_of(text)
    assert spoken == ["He told me, 'She said \u201cno\u201d to him,' and left,"]


def test_quote_never_closed_warns():
    text = '"This goes on and on without end\n\nand the book stops here.'
    spoken, found, warnings = quotes_of(text)
    assert spoken[0].startswith("This goes on")
    assert warnings and "not closed" in warnings[0]


def test_paragraph_layouts():
    blank = "One line\nwrapped here.\n\nTwo."
    assert paragraph_layout(blank) == "blank"
    assert len(split_paragraphs(blank)) == 2
    indented = "  The first paragraph is long and\nwraps onto a second line which\ncontinues here.\n  The second one\nalso wraps and ends.\n  Third."
    assert paragraph_layout(indented) == "indent"
    assert len(split_paragraphs(indented)) == 3
    lines = "First paragraph.\nSecond paragraph.\nThird one."
    assert paragraph_layout(lines) == "line"
    assert len(split_paragraphs(lines)) == 3
