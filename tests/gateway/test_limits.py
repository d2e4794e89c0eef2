"""Limits with a kind answer: bodies before parsing, forms, text lengths, rate limits per sender
number (after the signature check), per address (web chat, sign-in) and in total, and bounded
live streams. A flood gets a short, kind answer at once; nobody else waits for it."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any

import pytest

from resources.replies import render
from sms_gateway.services.live import LiveStreams, TooManyStreamsError, WebMessage
from tests.gateway.conftest import AUTH_TOKEN, PUBLIC, messages, post_sms
from tests.helpers import sms_params, twilio_signature

ONE_MB = b"x" * (1024 * 1024)


def run_apart(coroutine: Any) -> None:
    """asyncio.run in a thread of its own: a session-scoped Playwright browser in the same
    pytest run keeps an event loop running on the main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result(timeout=20)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/sms/twilio", "application/x-www-form-urlencoded"),
        ("/sms/twilio/status", "application/x-www-form-urlencoded"),
        ("/chat/api/conversations", "application/json"),
        ("/advocate/api/login", "application/json"),
    ],
)
def test_a_one_megabyte_body_gets_413_before_parsing(client_for, fake_rasa, path, content_type):
    client = client_for(fake_rasa.url)
    response = client.post(path, content=ONE_MB, headers={"Content-Type": content_type})
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}


def test_a_body_without_a_length_is_cut_off_too(client_for, fake_rasa):
    client = client_for(fake_rasa.url)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"a" * 4096

    response = client.post(
        "/sms/twilio",
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_a_form_with_too_many_fields_is_refused_before_the_signature_check(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    params = {f"f{i}": "x" for i in range(500)}
    signature = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 400
    assert fake_rasa.received == []


def test_a_burst_of_300_web_conversations_from_one_address_gets_a_kind_answer(
    client_for, fake_rasa
):
    client = client_for(fake_rasa.url)
    answers = [client.post("/chat/api/conversations", json={"language": "es"}) for _ in range(300)]
    created = [a for a in answers if a.status_code == 201]
    limited = [a for a in answers if a.status_code == 429]
    assert len(created) == 10 and len(limited) == 290  # WEB_NEW_RATE_PER_ADDRESS: 10/minute
    assert limited[0].json() == {"detail": render("too_many_chats", "web", "es")}
    assert "911" in limited[0].json()["detail"] and limited[0].headers["retry-after"] == "60"


def test_a_flood_from_one_number_is_answered_once_and_crisis_words_still_at_once(
    client_for, fake_rasa
):
    client = client_for(fake_rasa.url)
    replies = [messages(post_sms(client, f"hello {i}")) for i in range(25)]
    assert all(r == ["Hi from the bot."] for r in replies[:20])  # SMS_RATE_PER_NUMBER: 20/min
    assert replies[20] == [render("too_many_messages")]
    assert replies[21:] == [[]] * 4  # said once, then nothing
    assert len(fake_rasa.received) == 20
    crisis = messages(post_sms(client, "im in danger right now"))
    assert crisis[0].startswith("If you are in danger now, call 911")
    other = messages(post_sms(client, "hello", sender="+17755550199"))
    assert other == ["Hi from the bot."]  # another number is not limited


def test_forged_requests_do_not_use_up_a_numbers_allowance(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    for _ in range(30):
        params = sms_params("hi")
        assert (
            client.post(
                "/sms/twilio", data=params, headers={"X-Twilio-Signature": "forged"}
            ).status_code
            == 403
        )
    assert messages(post_sms(client, "hi")) == ["Hi from the bot."]


def test_a_sign_in_flood_from_one_address_is_refused_at_once(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    codes = [
        client.post(
            "/advocate/api/login",
            json={"username": f"nobody{i}", "password": "x" * 20, "code": "123456"},
        ).status_code
        for i in range(15)
    ]
    assert codes[:10] == [401] * 10 and codes[10:] == [429] * 5  # LOGIN_RATE_PER_ADDRESS
    detail = client.post(
        "/advocate/api/login", json={"username": "a", "password": "b", "code": "1"}
    ).json()["detail"]
    assert detail == render("signin_too_many", "console")


def test_text_lengths_are_part_of_the_request_schemas(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    token = client.post("/chat/api/conversations").json()["conversation"]
    long = client.post(
        "/chat/api/messages", json={"text": "x" * 7000}, headers={"X-Chat-Token": token}
    )
    assert long.status_code == 422
    login = client.post(
        "/advocate/api/login", json={"username": "u" * 65, "password": "p", "code": "1"}
    )
    assert login.status_code == 422


def test_live_streams_are_capped_per_conversation_and_in_total():
    async def scenario() -> None:
        live = LiveStreams(per_conversation=2, total=3)
        first, second = live.open("c1", None), live.open("c1", None)
        waiters = [asyncio.ensure_future(s.__anext__()) for s in (first, second)]
        await asyncio.sleep(0.01)
        with pytest.raises(TooManyStreamsError):
            live.open("c1", None)
        third = live.open("c2", None)
        waiters.append(asyncio.ensure_future(third.__anext__()))
        await asyncio.sleep(0.01)
        with pytest.raises(TooManyStreamsError):
            live.open("c3", None)
        live.publish("c1", WebMessage("hello", []))
        assert (await waiters[0])["message"]["text"] == "hello"
        live.close("c2")  # the chat ended: its stream ends
        assert (await waiters[2])["type"] == "closed"
        for stream in (first, second, third):
            await stream.aclose()
        assert live.open_streams == 0

    run_apart(scenario())


def test_a_reconnecting_page_gets_what_it_missed_and_a_slow_one_is_dropped():
    async def scenario() -> None:
        live = LiveStreams(per_conversation=3, total=10)
        live.publish("c1", WebMessage("one", []))
        live.publish("c1", WebMessage("two", []))
        stream = live.open("c1", None)  # first connection: the backlog
        first = await stream.__anext__()
        assert first["message"]["text"] == "one"
        await stream.aclose()
        again = live.open("c1", str(first["id"]))  # reconnects after "one"
        assert (await again.__anext__())["message"]["text"] == "two"
        for i in range(40):  # the page stops reading: it is dropped, not buffered forever
            live.publish("c1", WebMessage(str(i), []))
        events = [await again.__anext__()]
        assert events[-1]["type"] == "overflow"

    run_apart(scenario())


def test_counting_a_hit_starts_no_thread_and_the_limit_still_holds(monkeypatch) -> None:
    import threading
    import time as clock

    from sms_gateway.config import Settings
    from sms_gateway.services.rate_limits import RateLimits

    limits = RateLimits(Settings(_env_file=None, sms_rate_per_number="5/minute"))
    limits.allow("sms_number", "warm-up")  # the first sweep may start one
    clock.sleep(0.05)
    started: list[object] = []
    real_start = threading.Thread.start

    def counting_start(self):  # type: ignore[no-untyped-def]
        started.append(self)
        real_start(self)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    answers = []
    for _ in range(7):
        answers.append(limits.allow("sms_number", "conversation-a"))
        clock.sleep(0.02)  # more than the library's 10 ms between sweeps
    assert answers == [True] * 5 + [False] * 2
    assert started == []
