"""Signed SMS against the real stack: what a youth texting the helpline gets."""

from __future__ import annotations

import re

import httpx

from resources import find_nearest_places, load_catalog, resolve_location
from resources.nearby import PlaceMatch
from tests.e2e.conftest import Phone, log_text

CATALOG = load_catalog()


def test_health_reports_every_part_up(stack):
    report = httpx.get(f"{stack.config.gateway_url}/healthz", timeout=5).json()
    assert report["status"] == "ok"
    assert report["parts"] == {
        "gateway": "up",
        "database": "up",
        "rasa": "up",
        "action_server": "up",
    }


def test_hi_gets_a_greeting_that_says_what_waypoint_does(phone: Phone):
    texts = phone.send("hi")
    assert texts[0].startswith("Hi, this is Waypoint")
    assert "place to stay" in texts[0] and "911" in texts[0]
    assert "/find_shelter" not in " ".join(texts)


def test_shelter_in_las_vegas_gets_a_real_option_with_its_phone(phone: Phone):
    text = " ".join(phone.send("i need a shelter, im in las vegas"))
    las_vegas_phones = {p.phone for p in CATALOG.places if p.region == "las_vegas" and p.phone}
    assert any(number in text for number in las_vegas_phones), text


def test_shelter_without_a_place_asks_where_then_answers(phone: Phone):
    asked = " ".join(phone.send("i need somewhere to sleep tonight"))
    assert "city or ZIP code" in asked
    text = " ".join(phone.send("reno"))
    reno_phones = {p.phone for p in CATALOG.places if p.region == "reno" and p.phone}
    assert any(number in text for number in reno_phones), text


def test_danger_gets_911_in_the_first_message(phone: Phone):
    texts = phone.send("im in danger right now")
    assert "911" in texts[0]
    assert texts[0].index("911") < 40


def test_hotline_numbers(phone: Phone):
    text = " ".join(phone.send("what number can i call"))
    assert "988" in text
    assert CATALOG.hotline("nhth").channels_of("call")[0].value in text


def test_talk_to_a_person_is_answered_honestly(phone: Phone):
    text = " ".join(phone.send("can i talk to a real person"))
    assert "automated" in text.lower()
    assert "988" in text


def test_goodbye_and_out_of_scope(phone: Phone):
    assert "Take care" in " ".join(phone.send("ok bye"))
    text = " ".join(phone.send("whats the weather tomorrow"))
    assert "place to stay" in text


def test_forged_signature_gets_403(stack):
    response = httpx.post(
        f"{stack.config.gateway_url}/sms/twilio",
        data={"MessageSid": "SM" + "d" * 32, "From": "+17755550199", "Body": "hi"},
        headers={"X-Twilio-Signature": "bm90IGEgcmVhbCBzaWduYXR1cmU="},
        timeout=10,
    )
    assert response.status_code == 403


def test_every_reply_fits_a_phone(phone: Phone):
    for body in ["hi", "i need a shelter in reno", "numbers", "can i talk to a person"]:
        for text in phone.send(body):
            assert len(text) <= 320, text


def test_logs_of_all_processes_hold_no_number_and_no_text(stack, phone: Phone):
    phone.send("my name is Jordan Example and i need a shelter in reno")
    logs = log_text(stack)
    assert phone.number not in logs and phone.number[-7:] not in logs
    assert "Jordan Example" not in logs


def test_safe_place_near_a_reno_zip_gets_a_reno_option_and_its_phone(phone: Phone):
    text = " ".join(phone.send("safe place near 89502"))
    reno = [p for p in CATALOG.places if p.region == "reno" and p.phone]
    assert any(p.phone in text and p.short_name in text for p in reno), text


def test_shelter_in_fresno_gets_the_national_options(phone: Phone):
    text = " ".join(phone.send("i need a shelter, im in fresno"))
    assert "44357" in text  # TXT 4 HELP
    assert CATALOG.hotline("runaway_safeline").channels_of("call")[0].value in text


def _first_option_for(text: str, need: str) -> PlaceMatch:
    """What the catalog puts first for ``text`` right now (open places first, then nearest),
    for the same need the assistant searches with ("place to stay": shelter)."""
    point = resolve_location(text).point
    assert point is not None
    return find_nearest_places(point, need=need).places[0]


def test_place_to_stay_89119_gets_the_nearest_open_las_vegas_option_with_hours(phone: Phone):
    # Which option comes first depends on the hour in Las Vegas (the drop-in center closes at
    # 7pm), so the expectation is taken from the catalog just before and after the message; the
    # fixed-clock cases are in tests/resources/test_nearby.py. A place to stay is a shelter
    # search: the daytime drop-in center (food, showers) is not offered as a bed.
    before = _first_option_for("place to stay 89119", "shelter")
    text = " ".join(phone.send("place to stay 89119"))
    after = _first_option_for("place to stay 89119", "shelter")
    first_line = text.split("\n")[1]
    firsts = [m for m in (before, after) if m.place.short_name in first_line]
    assert firsts, (first_line, before.place.short_name, after.place.short_name)
    first = firsts[0]
    assert first.place.region == "las_vegas" and first.place.phone in first_line
    if first.place.hours.status != "unknown":
        assert first.hours_text() in first_line
    assert CATALOG.place("nphy_drop_in").short_name not in text


def test_danger_gets_911_first_then_one_offer_of_a_person(phone: Phone):
    texts = phone.send("im in danger")
    assert texts[0].startswith("If you are in danger now, call 911")
    joined = " ".join(texts)
    assert joined.count("find a person") == 1 and "Yes, a person" in joined
    picked = " ".join(phone.send("2"))  # "Not now"
    assert "I'm here if you need anything" in picked


def test_danger_in_spanish_gets_the_offer_and_its_choices_in_spanish(phone: Phone):
    texts = phone.send("estoy en peligro, ayudame por favor")
    assert texts[0].startswith("Si estas en peligro ahora, llama al 911")
    joined = " ".join(texts)
    # A person is offered once, in Spanish: by the assistant's own choices, or else the gateway's.
    offers = joined.count("Si, una persona") + joined.count("Hablar con una persona")
    assert offers == 1, joined
    assert "Yes, a person" not in joined and "Talk to a person" not in joined


def test_a_spanish_conversation_finds_a_place_in_spanish(phone: Phone):
    first = " ".join(phone.send("hola, necesito un lugar para dormir"))
    if "ciudad o codigo postal" not in first:
        # The assistant reads English best: its Spanish menu offers the place search.
        choice = re.search(r"(\d)\) Un lugar para quedarme", first)
        assert choice, first
        first = " ".join(phone.send(choice.group(1)))  # "2" says no language: still Spanish
    assert "ciudad o codigo postal" in first
    text = " ".join(phone.send("las vegas"))
    assert text.startswith("Lugares cerca de Las Vegas, NV:"), text
    assert "Places near" not in text


def test_wanting_to_die_in_spanish_gets_988_and_a_person_never_a_goodbye(phone: Phone):
    texts = phone.send("me quiero morir")
    assert texts[0].startswith("Llama al 988") and "911" in texts[0]
    joined = " ".join(texts)
    assert "paro aqui" not in joined and "Si, una persona" in joined
