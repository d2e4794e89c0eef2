"""Topics read from the words of a message (resources/topics_in_words.py): sexual pictures of a
young person, however the message asks about them, in English and Spanish."""

from __future__ import annotations

import pytest

from resources.replies import render, reply_numbers
from resources.topics_in_words import about, topics_in


@pytest.mark.parametrize(
    "text",
    [
        "a man keeps asking my daughter for pics",
        "someone is threatening to post my son's pictures unless he pays",
        "my 15 yo sent pics to her bf and now theyre going around her school",
        "can the pictures be taken down",
        "I FOUND MY DAUGHTERS PICTURES ON A WEBSITE WITH PRICES",
        "un bato me pidio fotos sin ropa",
        "y si alguien ya le pidio fotos?",
        "dice q va a subir mis fotos si no le mando mas",
        "he wants nudes",
    ],
)
def test_messages_about_sexual_pictures(text):
    assert "pictures" in topics_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "where can i take a shower",
        "a recent photo helps the police",
        "send me the picture of the map",
        "/how_to_report",
        "",
    ],
)
def test_messages_that_are_not(text):
    assert "pictures" not in topics_in(text)


def test_a_conversation_is_about_pictures_when_any_message_was():
    assert about("pictures", ["my daughter sent pics to a guy", "what do i do"])
    assert not about("pictures", ["my daughter has an older boyfriend", "what do i do"])


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pictures_help_gives_the_cybertipline_and_take_it_down(language):
    text = render("pictures_help", "sms", language)
    assert "1-800-843-5678" in text and "takeitdown.ncmec.org" in text
    assert reply_numbers("pictures_help", "sms", language)[0] == "ncmec"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("who do i call about this", True),
        ("a donde llamo si creo q a mi nieta la explotan", True),
        ("como lo reporto", True),
        ("my daughter has an older boyfriend", False),
        ("can i call you", False),
    ],
)
def test_messages_that_ask_how_to_report(text, expected):
    assert ("reporting" in topics_in(text)) is expected


@pytest.mark.parametrize(
    ("text", "topic", "expected"),
    [
        ("will they tell him it was me", "confidential", True),
        ("can i do it without anyone knowing it was me", "confidential", True),
        ("pero no le digas a nadie plis", "confidential", True),
        ("if i tell u about my friend will u call the cops on her", "confidential", True),
        ("how do i leave without him knowing", "confidential", False),
        ("she made me promise not to tell anyone", "confidential", False),
        ("¿Y si es urgente?", "urgent", True),
        ("what if it's an emergency", "urgent", True),
        ("is it urgent care", "urgent", False),
        ("Should I call her parents first?", "tell_adults", True),
        ("le digo a sus papas?", "tell_adults", True),
        ("my parents kicked me out", "tell_adults", False),
        ("what would i even take", "take", True),
        ("q me llevo?", "take", True),
        ("how do i take care of myself", "take", False),
        ("y si se me apaga antes de llegar", "stranded", True),
        ("my phone is at 3%", "stranded", True),
        ("i dont want to go home", "stranded", False),
        ("my son just came out as trans", "lgbtq", True),
        ("my son is 14", "lgbtq", False),
    ],
)
def test_the_words_that_say_what_is_asked(text, topic, expected):
    assert (topic in topics_in(text)) is expected
