"""The web chat API: same assistant and safety net as SMS, nothing stored on the device, the
server forgets on quick exit and after idle time, strict headers on every route."""

from __future__ import annotations

import asyncio
import concurrent.futures
from datetime import UTC, datetime, timedelta

import pytest

from sms_gateway.models import WebConversation
from sms_gateway.services.webchat import WebMessage, token_hash
from tests.gateway.conftest import wait_for
from tests.helpers import free_port

ROUTES_USED_BY_PAGE = ["/chat", "/chat/static/chat.js", "/chat/static/chat.css"]


def start(client) -> str:  # type: ignore[no-untyped-def]
    response = client.post("/chat/api/conversations")
    assert response.status_code == 201
    return str(response.json()["conversation"])


def say(client, token: str, text: str, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        "/chat/api/messages", json={"text": text, **extra}, headers={"X-Chat-Token": token}
    )


def assert_private_headers(response) -> None:  # type: ignore[no-untyped-def]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("path", ROUTES_USED_BY_PAGE)
def test_page_routes_have_private_headers(client_for, fake_rasa, path):
    response = client_for(fake_rasa.url).get(path)
    assert response.status_code == 200
    assert_private_headers(response)


def test_api_routes_have_private_headers(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    created = client.post("/chat/api/conversations")
    assert_private_headers(created)
    token = created.json()["conversation"]
    assert_private_headers(say(client, token, "hi"))
    forgotten = client.delete("/chat/api/conversation", headers={"X-Chat-Token": token})
    assert forgotten.status_code == 204
    assert_private_headers(forgotten)
    assert "storage" in forgotten.headers["clear-site-data"]


def test_page_has_neutral_title_and_no_inline_script(client_for, fake_rasa):
    page = client_for(fake_rasa.url).get("/chat").text
    assert "<title>Chat</title>" in page
    assert "<script>" not in page and "onclick" not in page
    for word in ("trafficking", "exploitation", "abuse"):
        assert word not in page.lower()


def test_web_messages_reach_the_assistant_with_a_pseudonym(client_for, fake_rasa):
    fake_rasa.reply = [
        {
            "text": "What would help?",
            "buttons": [{"title": "A place to stay", "payload": "/find_shelter"}],
        }
    ]
    client = client_for(fake_rasa.url)
    token = start(client)
    reply = say(client, token, "hi").json()["messages"]
    assert reply == [
        {
            "text": "What would help?",
            "from": "bot",
            "choices": [{"title": "A place to stay", "payload": "/find_shelter"}],
        }
    ]
    sent = fake_rasa.received[0]
    assert sent["sender"].startswith("web-") and token not in sent["sender"]
    assert sent["metadata"]["channel"] == "web"


def test_a_tapped_choice_sends_its_payload(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    token = start(client)
    say(client, token, "A place to stay", payload="/find_shelter")
    assert fake_rasa.received[0]["message"] == "/find_shelter"
    assert say(client, token, "x", payload="/restart{}").status_code == 422


def test_crisis_first_and_safe_reply_when_rasa_is_down(client_for):
    client = client_for(f"http://127.0.0.1:{free_port()}")
    token = start(client)
    crisis = say(client, token, "im in danger right now").json()["messages"]
    assert crisis[0]["text"].startswith("If you are in danger now, call 911")
    plain = say(client, token, "i need a shelter").json()["messages"]
    assert "911" in plain[0]["text"] and "988" in plain[0]["text"]


def test_same_client_message_id_is_answered_once(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    token = start(client)
    first = say(client, token, "hi", id="abcdef123456").json()
    second = say(client, token, "hi", id="abcdef123456").json()
    assert first == second and len(fake_rasa.received) == 1


def test_quick_exit_forgets_the_conversation(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    token = start(client)
    say(client, token, "hi")
    assert client.post("/chat/api/forget", json={"conversation": token}).status_code == 204
    assert say(client, token, "hi again").status_code == 404
    wait_for(lambda: fake_rasa.received[-1]["message"] == "/restart")  # after the 204
    with client.app.state.sessions() as session:
        assert session.get(WebConversation, token_hash(token)) is None


def test_idle_conversations_are_forgotten(client_for, fake_rasa):
    client = client_for(fake_rasa.url, web_idle_minutes=5)
    token = start(client)
    with client.app.state.sessions() as session:
        row = session.get(WebConversation, token_hash(token))
        row.last_seen_at = datetime.now(UTC) - timedelta(minutes=6)
        session.commit()
    assert client.app.state.webchat.expire_idle() == 1
    assert say(client, token, "hi").status_code == 404


def test_unknown_or_bad_input_never_500(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    assert say(client, "no-such-token", "hi").status_code == 404
    token = start(client)
    for body in ["", "x" * 5000, "<script>alert(1)</script>", "🙏🏽", "\x00\x01"]:
        response = say(client, token, body)
        assert response.status_code == 200 and response.json()["messages"]
    not_text = client.post("/chat/api/messages", json={"text": 5}, headers={"X-Chat-Token": token})
    assert not_text.status_code == 422
    too_long = say(client, token, "x" * 10000)  # longer than any message: a clear 422
    assert too_long.status_code == 422


def test_messages_can_arrive_later_and_unprompted(client_for, fake_rasa):
    """The event stream the page listens on delivers a later message (e.g. an advocate's)."""
    client = client_for(fake_rasa.url)
    service = client.app.state.webchat
    token = start(client)

    async def scenario() -> dict:
        conversation = await service.conversation_for(token)
        stream = await service.events(token)
        waiter = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(0.05)
        joined = WebMessage("A person has joined.", [], "advocate")
        assert service.publish(conversation, joined) == 1
        event = await asyncio.wait_for(waiter, 2)
        await stream.aclose()
        return event

    # Run in a thread with its own event loop: a session-scoped Playwright browser in the same
    # pytest run keeps an event loop running on the main thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        event = pool.submit(asyncio.run, scenario()).result(timeout=10)
    assert event.pop("id") > 0  # ids let a reconnecting page catch up (Last-Event-ID)
    assert event == {
        "type": "message",
        "message": {"text": "A person has joined.", "choices": [], "from": "advocate"},
    }


def test_a_spanish_chat_stays_spanish_for_a_place_name_and_is_forgotten_on_exit(
    client_for, fake_rasa
):
    client = client_for(fake_rasa.url)
    fake_rasa.reply = [{"text": "ok"}]
    token = start(client)
    say(client, token, "hola, necesito un lugar para dormir")
    say(client, token, "reno")
    assert fake_rasa.received[-1]["metadata"]["language"] == "es"
    assert (
        client.delete("/chat/api/conversation", headers={"X-Chat-Token": token}).status_code == 204
    )
    with client.app.state.sessions() as session:
        assert session.get(WebConversation, token_hash(token)) is None


@pytest.mark.parametrize(
    ("path", "lang", "words"),
    [
        ("/chat", "en", ["Leave now", "an automated helper", 'href="/chat?lang=es"']),
        ("/chat?lang=es", "es", ["Salir ya", "Soy un asistente automático", 'href="/chat"']),
        ("/chat?lang=fr", "en", ["Leave now"]),
    ],
)
def test_the_page_in_english_or_spanish(client_for, fake_rasa, path, lang, words):
    response = client_for(fake_rasa.url).get(path)
    assert_private_headers(response)
    page = response.text
    assert f'<html lang="{lang}">' in page and "{{" not in page
    assert all(w in page for w in words), words


def test_the_script_takes_its_words_from_the_page():
    import re
    from pathlib import Path

    script = (Path(__file__).parents[2] / "sms_gateway" / "static" / "chat.js").read_text()
    code = re.sub(r"//[^\n]*", "", script)
    sentences = re.findall(r'"([A-Z][a-z]+(?: [a-z]+){2,}[^"]*)"', code)
    assert sentences == []


def test_a_spanish_page_starts_a_spanish_conversation(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    fake_rasa.reply = [{"text": "ok"}]
    token = client.post("/chat/api/conversations", json={"language": "es"}).json()["conversation"]
    say(client, token, "reno")  # says nothing about its language: the page's applies
    assert fake_rasa.received[-1]["metadata"]["language"] == "es"
    other = client.post("/chat/api/conversations", json={"language": "xx"}).json()["conversation"]
    say(client, other, "reno")
    assert fake_rasa.received[-1]["metadata"]["language"] == "en"


def test_the_token_travels_in_a_header_and_never_in_a_path(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    token = start(client)
    assert say(client, token, "hi").status_code == 200
    # a path that holds the token is no route at all (paths end up in proxies' logs)
    assert client.post(
        f"/chat/api/conversations/{token}/messages", json={"text": "hi"}
    ).status_code in (404, 405)
    assert client.post("/chat/api/messages", json={"text": "hi"}).status_code == 422
    unknown = client.post(
        "/chat/api/messages", json={"text": "hi"}, headers={"X-Chat-Token": "nope"}
    )
    assert unknown.status_code == 404
    assert client.post("/chat/api/forget", content=b"not json").status_code == 422
    assert client.post("/chat/api/forget", json={"conversation": token}).status_code == 204
    assert say(client, token, "hi again").status_code == 404
