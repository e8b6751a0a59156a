"""Character discovery on passages written for these tests."""

from audiobook.script.characters import cast_from_characters, discover
from audiobook.script.model import Character

CLUSTER = """
Mr. Hartley came in from the rain. "Good evening," said Mr. Hartley.

Edmund Hartley was a tall man. Hartley shook his coat and he sat down.

"You are late," said Mrs. Hartley. She poured the tea and she frowned.

"The train," said Hartley. Mr. H. was always late, and he knew it.

Nora laughed at him. "Always the train," said Nora, and she smiled.

"Always," he said. Mrs. Hartley sighed and she left the room.
"""


def names(cast):
    return {c.name: c for c in cast.characters}


def test_honorific_clustering_keeps_mr_and_mrs_apart():
    cast = discover(CLUSTER)
    chars = names(cast)
    mr = [c for c in cast.characters if "Mr. Hartley" in [c.name, *c.aliases]]
    mrs = [c for c in cast.characters if "Mrs. Hartley" in [c.name, *c.aliases]]
    assert len(mr) == 1 and len(mrs) == 1 and mr[0] is not mrs[0]
    forms = {mr[0].name, *mr[0].aliases}
    assert "Edmund Hartley" in forms and "Mr. H." in forms
    assert "Nora" in chars


def test_gender_from_honorifics_names_and_pronouns():
    cast = discover(CLUSTER)
    by_form = {}
    for c in cast.characters:
        for form in [c.name, *c.aliases]:
            by_form[form] = c
    assert by_form["Mr. Hartley"].gender == "M"
    assert by_form["Mrs. Hartley"].gender == "F"
    assert by_form["Nora"].gender == "F"


def test_gender_from_pronouns_for_an_unknown_name():
    text = ("Zarvek came to the gate. Zarvek said he was tired, and he sat. "
            "Later Zarvek stood up and he walked on. Zarvek said he would return.\n\n") * 2
    cast = discover(text)
    chars = names(cast)
    assert chars["Zarvek"].gender == "M"


def test_given_cast_finds_mentions_of_every_alias():
    text = "Quill looked up. Captain Orrin Quill was not amused. \"No,\" said the Captain."
    cast = cast_from_characters(text, [Character("Orrin Quill", ["Quill", "Captain Orrin Quill", "The Captain"])])
    assert len(cast.mentions) == 3
    assert all(m.character == 0 for m in cast.mentions)


COMMON_WORD_SURNAME = """
Walter Stone sat on the stone wall. The stone was cold, and a stone fell.

"You are late," said Stone. He threw a stone into the pond.

Nora looked at Walter Stone and at the stone in his hand. "Not so late," said Nora.

"Late enough," said Stone. A stone bridge crossed the stream, each stone grey.
"""


def test_surname_that_is_a_common_word_joins_the_full_name():
    cast = discover(COMMON_WORD_SURNAME)
    holder = [c for c in cast.characters if "Stone" in [c.name, *c.aliases]]
    assert len(holder) == 1
    assert holder[0].name == "Walter Stone"
    assert "Walter" not in [c.name for c in cast.characters if c is not holder[0]]


PET_AND_MISS = """
Margaret Hale walked in the garden. Margaret picked a rose and she smiled.

"Good morning, Miss Margaret," said Tom Baxter. Tom bowed to her.

"Miss Peggy is up early," said Nora. Nora laughed at Tom.

Margaret laughed too. "Peggy Hale is always up early," she said.

"Peggy, come in," said Nora. Margaret went in, and Tom went home.

Margaret sat by the fire. "Miss Margaret, your tea," said Nora.
"""


def test_pet_name_with_title_or_surname_and_miss_with_given_name_join_the_full_name():
    cast = discover(PET_AND_MISS, quote_spans=[(m.start(), m.end()) for m in __import__("re").finditer(r'"[^"]*"', PET_AND_MISS)])
    holder = [c for c in cast.characters if "Margaret Hale" in [c.name, *c.aliases]]
    assert len(holder) == 1
    forms = {holder[0].name, *holder[0].aliases}
    assert {"Miss Margaret", "Peggy Hale", "Miss Peggy"} <= forms


def test_titled_pet_name_used_in_speech_joins_the_full_name():
    text = PET_AND_MISS.replace("Peggy Hale is", "Peggy is")
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r'"[^"]*"', text)]
    cast = discover(text, quote_spans=spans)
    holder = [c for c in cast.characters if "Margaret" in [c.name, *c.aliases]]
    assert len(holder) == 1 and "Miss Peggy" in holder[0].aliases


def test_family_word_used_in_speech_joins_the_role_the_narration_uses():
    text = ("The Grandmother sat by the window. The Grandmother knitted.\n\n"
            '"Granny, is it raining?" asked Nora. Nora came closer.\n\n'
            '"No, Granny, it is only the wind," said Tom Baxter. The Grandmother smiled.\n\n'
            '"Come and sit down, Granny," said Nora.\n')
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r'"[^"]*"', text)]
    cast = discover(text, quote_spans=spans)
    holder = [c for c in cast.characters if "Granny" in [c.name, *c.aliases]]
    assert len(holder) == 1 and "Grandmother" in holder[0].name


def test_a_name_only_called_in_speech_is_a_person():
    text = ('Tom walked with her by the lake.\n\n"It is cold tonight, Zelphine."\n\n"Then walk faster."\n\n'
            '"You are cruel, Zelphine." He laughed.\n\n"And you are slow."\n\n"My dear Zelphine, wait for me."')
    cast = discover(text)
    index = cast.index_of("Zelphine")
    assert index is not None and cast.person[index]


def test_two_names_side_by_side_once_are_two_people():
    text = ("Grigor carried the bags and Vera carried the hats. Grigor sighed. Vera laughed at Grigor.\n\n"
            '"Hurry," said Vera. "Coming," said Grigor. Vera ran and Grigor followed.\n\n'
            "Behind the carriage marched Grigor and Vera\nGrigor in his coat, Vera in her cap. Vera waved.")
    cast = discover(text)
    assert cast.index_of("Vera") != cast.index_of("Grigor")


def test_a_pronoun_after_another_name_does_not_vote_for_the_gender():
    text = ("At last Zorn looked at Mary, and she smiled. Then Zorn rubbed his hands.\n\n"
            "Again Zorn looked at Mary, and she laughed. Then Zorn shook his head.\n\n"
            'Once more Zorn looked at Mary, and she sighed. "Come," said Zorn.')
    cast = discover(text)
    assert cast.characters[cast.index_of("Zorn")].gender == "M"


def test_a_name_after_a_place_preposition_and_an_unknown_capitalised_word_is_a_place():
    text = ("Mara drove to Long Meadows past the long fields. She liked the long hills. At Long Meadows "
            "the roses grew tall, and she walked a long way.\n\nMara came back to Long Meadows in "
            "spring. Meadows, she thought, was a long word, and she read.\n\nLife at Long Meadows was slow; she "
            "sewed in the long chair. Mara left Long Meadows at last.")
    cast = discover(text)
    index = cast.index_of("Meadows")
    assert index is None or not cast.person[index]


def test_a_capitalised_number_used_as_a_name_is_a_name():
    text = ('"Mind the paint, Nine!" cried a gardener.\n\n"It was not my fault," said Nine, crossly.\n\n'
            '"Be quiet!" said Nine again, and the others looked at Nine.')
    cast = discover(text)
    index = cast.index_of("Nine")
    assert index is not None and cast.person[index]


def test_the_and_a_name_after_a_place_preposition_is_a_place():
    text = ("Mara walked to the Casino, and she stood at the door. In the Casino she lost her money.\n\n"
            "Casino lights burned and she wept. Mara came back to the Casino at night; she was cold.\n\n"
            "At the Casino she met Tom. He left the Casino and she followed him.")
    cast = discover(text)
    index = cast.index_of("Casino")
    assert index is None or not cast.person[index]


def test_a_title_of_nobility_and_its_place_are_a_name():
    text = ("Across the room sat the Duchess of Selvay, a cheerful woman. Beside her sat Tom Baxter.\n\n"
            "Dunmore was away, and the Duke of Dunmore did not write.")
    cast = discover(text)
    duchess = cast.index_of("Duchess of Selvay")
    assert duchess is not None and cast.person[duchess] and cast.characters[duchess].gender == "F"
    assert cast.index_of("Duke of Dunmore") != cast.index_of("Dunmore")


TITLED_GIVEN = """
Mrs. Tabitha Quill kept the shop. "Come in," said Mrs. Tabitha Quill, and she smiled.

Mrs. Tabitha was a kind woman. Mrs. Tabitha had run the shop for years, and she knew everybody.

"More tea?" asked Mrs. Tabitha.
"""


def test_title_and_given_name_alone_join_the_full_titled_name():
    cast = discover(TITLED_GIVEN)
    quill = [c for c in cast.characters if "Mrs. Tabitha" in [c.name, *c.aliases]]
    assert len(quill) == 1 and "Mrs. Tabitha Quill" in [quill[0].name, *quill[0].aliases]


SISTERS = """
Miss Lottie Marlow and Miss Prue Marlow walked to town. Lottie laughed and she ran ahead. Prue followed and she sighed.

Miss Marlow was the eldest. "Wait for me," said Miss Marlow. Miss Marlow was always tired.

Then Lottie came back. Lottie said she had seen a bonnet. Lottie wanted it, and Prue said no.

"Miss Marlow," said the shopkeeper, "your sister is here." Miss Marlow smiled.
"""


def test_full_titled_name_does_not_join_the_title_and_surname_when_sisters_share_it():
    cast = discover(SISTERS)
    lottie = next(c for c in cast.characters if "Miss Lottie Marlow" in [c.name, *c.aliases])
    assert "Miss Marlow" not in [lottie.name, *lottie.aliases]


CREATURE = """
Pip sat on the bank. The Beetle waved its feelers. "Good morning," said the Beetle.

Pip looked at the Beetle and she laughed. The Beetle folded its legs. The Beetle rubbed its eyes and she
smiled at it. "Why do you laugh?" asked the Beetle.
"""


def test_a_creature_the_book_calls_it_keeps_an_unknown_gender():
    beetle = next(c for c in discover(CREATURE).characters if "Beetle" in c.name)
    assert beetle.gender == "U"


PATRONYMICS = """
Fyodor Lukitch opened the door. "The carriage is ready," said Lukitch.

Lukitch bowed. Then Olga Semyonovna came down the stairs. "Thank you," said Semyonovna.
"""


def test_a_russian_patronymic_gives_the_gender():
    genders = {c.name: c.gender for c in discover(PATRONYMICS).characters}
    lukitch = next(g for n, g in genders.items() if "Lukitch" in n)
    semyonovna = next(g for n, g in genders.items() if "Semyonovna" in n)
    assert lukitch == "M" and semyonovna == "F"


RANKED = """
Captain Vell came up the lane. Captain Vell bowed to her at the gate.

Captain Vell raised his hat. Captain Vell smiled at her and the children.

Captain Vell took his leave. Captain Vell waved his stick from the corner.
"""


def test_a_title_without_gender_takes_the_majority_of_its_pronouns():
    vell = next(c for c in discover(RANKED).characters if "Vell" in c.name)
    assert vell.gender == "M"


MOTHER_AND_DAUGHTER = """
Mrs. Pellow sat by the lamp. Mrs. Pellow looked up as Kate Pellow came in, and she smiled.

"You are wet through," said Mrs. Pellow. Kate Pellow laughed and she shook her hair.
"""


def test_two_names_in_one_sentence_are_two_people():
    cast = discover(MOTHER_AND_DAUGHTER)
    mother = next(c for c in cast.characters if "Mrs. Pellow" in [c.name, *c.aliases])
    assert "Kate Pellow" not in [mother.name, *mother.aliases]
