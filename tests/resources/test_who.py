"""Who is writing, read from one message (resources/who.py), in English and Spanish: said
clearly, it is read; not said, nothing is guessed. A young person telling their own story
through "my friend" is not taken for a friend."""

from __future__ import annotations

import pytest

from resources.who import role_in


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("I coach wrestling. One of my 16yo athletes has a lot of cash", "professional"),
        ("my best friend said shes gonna kill herself after school", "friend"),
        ("I FOUND MY DAUGHTERS PICTURES ON A WEBSITE WITH PRICES", "caregiver"),
        ("School nurse. A student showed me fresh cuts", "professional"),
        ("case worker here, youth on my caseload ran", "professional"),
        ("I work in a group home in Reno. One of our residents is recruiting", "professional"),
        ("soy maestra y pregunto por una alumna", "professional"),
        ("im her mom", "caregiver"),
        ("my 15 yo daughter has an older boyfriend", "caregiver"),
        ("soy la abuela de una niña de 13", "caregiver"),
        ("stepson 13, sacramento, older guys keep picking him up from school", "caregiver"),
        ("Daughter (15) keeps getting gifts from a man online", "caregiver"),
        ("my ex kicked our gay son out", "caregiver"),
        ("my friend just texted me hes hitting her", "friend"),
        ("my friend's bf is making her sell herself", "friend"),
        ("can u give me numbers i can send to my friend", "friend"),
        ("mi amiga me dijo q se quiere matar", "friend"),
        ("mi mejor amigo es gay y lo corrieron de su casa", "friend"),
        ("im 15", "self"),
        ("tengo 14 años", "self"),
    ],
)
def test_a_clear_statement_is_read(text, role):
    assert role_in(text) == role


@pytest.mark.parametrize(
    "text",
    [
        "im a student",
        "a girl in my class is always with older men",  # a classmate as likely as a teacher
        "my friend says i can make money with her man",  # often the writer's own story
        "mi amiga dice q yo puedo ganar dinero facil",
        "what are the signs",
        "im her stepdaughter",
        "son this is crazy, 2 guys keep texting me",
        "/how_to_report",
        "",
    ],
)
def test_nothing_is_guessed(text):
    assert role_in(text) in (None, "self")  # never taken for an adult or a friend
