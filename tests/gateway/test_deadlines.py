"""The deadline budget and backpressure of the pipeline, and recovery after a restart.

- Past the reply deadline the safe reply goes in the TwiML; a late answer follows by REST when
  it comes within LATE_ANSWER_SECONDS, and is dropped otherwise.
- A Rasa instance gets a bounded number of turns; beyond them the safe reply comes at once.
- A message stored but never answered by a gateway that died is answered after the restart,
  once, through the REST API.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from sms_gateway.models import InboundMessage
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.pseudonyms import pseudonymous_id
from tests.gateway.conftest import make_settings, messages, post_sms, wait_for
from tests.helpers import YOUTH

SAFE = "Waypoint here. If you are in danger, call 911. Sorry, I can't answer fully right now."


def test_past_the_deadline_the_safe_reply_goes_and_the_late_answer_follows(
    client_for, fake_rasa, twilio_api
):
    fake_rasa.delay = 3.0
    client = client_for(
        fake_rasa.url,
        rasa_timeout_seconds=0.5,
        late_answer_seconds=8,
        twilio_api_base_url=twilio_api.url,
    )
    texts = messages(post_sms(client, "i need a shelter in reno", sid="SM" + "d" * 32))
    assert fake_rasa.answered == 0  # the TwiML did not wait for the assistant
    assert texts[0].startswith(SAFE)
    wait_for(lambda: twilio_api.bodies_to(YOUTH), timeout=10)
    assert twilio_api.bodies_to(YOUTH) == ["Hi from the bot."]
    with client.app.state.sessions() as session:
        row = session.scalar(select(InboundMessage))
        assert row.status == "fallback"  # what the TwiML said is what a replay gets
    again = messages(post_sms(client, "i need a shelter in reno", sid="SM" + "d" * 32))
    assert again == texts and len(fake_rasa.received) == 1


def test_a_late_answer_is_dropped_when_late_answers_are_off(client_for, fake_rasa, twilio_api):
    fake_rasa.delay = 1.5
    client = client_for(
        fake_rasa.url,
        rasa_timeout_seconds=0.5,
        late_answer_seconds=0,
        twilio_api_base_url=twilio_api.url,
    )
    assert messages(post_sms(client, "hello"))[0].startswith(SAFE)
    time.sleep(2.5)
    assert twilio_api.bodies_to(YOUTH) == []


def test_a_saturated_assistant_sheds_at_once_with_the_safe_reply(client_for, fake_rasa):
    fake_rasa.delay = 3.0
    client = client_for(
        fake_rasa.url, rasa_max_in_flight=1, rasa_max_waiting=0, rasa_timeout_seconds=8
    )

    def send(i: int) -> tuple[int, list[str]]:
        texts = messages(post_sms(client, "hello", sender=f"+177555501{i:02d}"))
        return fake_rasa.answered, texts  # how many turns the assistant had finished by then

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, range(4)))
    answered = [t for t in results if t[1] == ["Hi from the bot."]]
    shed = [t for t in results if t[1][0].startswith(SAFE)]
    assert len(answered) == 1 and len(shed) == 3
    assert all(done == 0 for done, _ in shed)  # at once: before the one admitted turn ended
    assert len(fake_rasa.received) == 1


def test_crisis_words_are_answered_at_once_whatever_the_assistant_does(client_for, fake_rasa):
    fake_rasa.delay = 3.0
    client = client_for(fake_rasa.url, rasa_max_in_flight=1, rasa_max_waiting=0)
    with ThreadPoolExecutor(2) as pool:
        pool.submit(post_sms, client, "hello", sender="+17755550150")
        wait_for(lambda: fake_rasa.received)  # the assistant is now busy with that one
        texts = messages(post_sms(client, "i want to kill myself", sender="+17755550151"))
        busy = fake_rasa.answered == 0
    assert busy  # answered while the assistant was still on the other turn
    assert texts[0].startswith("Please call or text 988") and "911" in texts[0]


def _stored_unanswered(client, sid: str, body: str, minutes_ago: float = 1) -> None:  # type: ignore[no-untyped-def]
    """What a gateway that died in the middle of a turn leaves behind."""
    settings = client.app.state.settings
    cipher = FieldCipher(settings.encryption_key)
    when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    with client.app.state.sessions() as session:
        session.add(
            InboundMessage(
                channel="sms",
                external_id=sid,
                conversation_id=pseudonymous_id("sms", YOUTH, settings.pseudonym_secret),
                received_at=when,
                status="received",
                body_encrypted=cipher.encrypt(body),
                contact_encrypted=cipher.encrypt(YOUTH),
                lease_until=when + timedelta(seconds=40),
            )
        )
        session.commit()


def test_a_message_left_unanswered_by_a_dead_gateway_is_answered_once_after_restart(
    tmp_path, fake_rasa, twilio_api
):
    from fastapi.testclient import TestClient

    from sms_gateway.main import create_app

    settings = make_settings(tmp_path, fake_rasa.url, twilio_api_base_url=twilio_api.url)
    first = TestClient(create_app(settings))
    first.__enter__()
    _stored_unanswered(first, "SM" + "e" * 32, "i need a place to stay")
    _stored_unanswered(first, "SM" + "f" * 32, "too old to answer", minutes_ago=120)
    wait_for(lambda: twilio_api.bodies_to(YOUTH), timeout=8)  # recovery runs after start
    first.__exit__(None, None, None)
    second = TestClient(create_app(settings))  # another restart: nothing is answered twice
    second.__enter__()
    time.sleep(2.0)
    second.__exit__(None, None, None)
    assert twilio_api.bodies_to(YOUTH) == ["Hi from the bot."]
    assert [r["message"] for r in fake_rasa.received] == ["i need a place to stay"]
