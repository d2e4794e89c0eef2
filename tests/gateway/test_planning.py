"""A plan thought through over signed SMS and the web chat, through the whole gateway (real
SQLite, a fake Rasa that records what reaches it): the answers stay on the server, encrypted,
never reach the assistant or the person's phone, are seen only by the advocate who holds the
conversation (and supervisors), and go on request, on EXIT, on DELETE and after PLAN_TTL_HOURS.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from sms_gateway.models import AuditEvent, HandoffMessage, InboundMessage, SafetyPlan
from sms_gateway.retention import purge
from tests.gateway.conftest import sms, wait_for
from tests.gateway.test_handoff import HANDOFF
from tests.gateway.test_webchat import say, start

YOUTH = "+17025550163"
PERSON, PLACE, TAKE = "Tia Marisol 702-555-0144", "the 7-Eleven on Tropicana", "my ID and meds"
# Long enough not to turn up by chance at rest: "0144" alone also appears in a timestamp's
# microseconds (".101445"), which once failed this test with nothing leaked.
MARKERS = ("Marisol", "555-0144", "5550144", "Tropicana", "meds")


def _plan_rows(client) -> int:  # type: ignore[no-untyped-def]
    with client.app.state.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(SafetyPlan)))


def _think_it_through(client, sender: str = YOUTH) -> list[str]:  # type: ignore[no-untyped-def]
    """A 15-year-old, over SMS, in her own words; returns every text she got back."""
    got = []
    for text in ("hey can u help me make a safety plan", "1", "1", "no", PERSON, PLACE, TAKE):
        got += sms(client, text, sender)
    return got


def test_the_plan_never_reaches_rasa_nor_comes_back_and_is_unreadable_at_rest(stack):
    client, rasa = stack["app"](), stack["rasa"]
    got = _think_it_through(client)
    assert "one question at a time" in got[0]
    assert any("locked on our side" in g for g in got)
    assert any("Is there a place you could go" in g for g in got)
    for ask in ("can you text me my plan", "wait what did i say", "mandame mi plan porfa",
                "send me a screenshot of my plan", "remind me my answers"):  # fmt: skip
        (refusal, *_) = sms(client, ask, YOUTH)
        got.append(refusal)
        assert "don't send your answers" in refusal or "No mando tus respuestas" in refusal
    sent = " ".join(got)
    assert not [m for m in MARKERS if m in sent]
    assert not [m for m in MARKERS if m in json.dumps(rasa.received)]
    assert rasa.received == []  # every message of this conversation was the plan's
    path = Path(client.app.state.settings.database_url.removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert not [m for m in MARKERS if m.encode() in raw]
    cipher = client.app.state.pipeline._store._cipher
    with client.app.state.sessions() as session:
        (plan,) = session.scalars(select(SafetyPlan)).all()
        answers = json.loads(cipher.decrypt(plan.answers_encrypted))
        bodies = [cipher.decrypt(b) for b in session.scalars(select(InboundMessage.body_encrypted))]
    assert answers == {"danger": "no", "person": PERSON, "place": PLACE, "take": TAKE}
    assert not [b for b in bodies if any(m in (b or "") for m in MARKERS)]
    assert plan.keep and plan.step is None and plan.resume == "contact"
    expires = plan.expires_at.replace(tzinfo=UTC) - plan.started_at.replace(tzinfo=UTC)
    assert expires == timedelta(hours=72)
    (next_question, *_) = sms(client, "go on", YOUTH)  # picks up at the question that waited
    assert next_question.startswith("Who could you tell")


def test_only_the_advocate_holding_it_and_supervisors_see_the_plan(stack):
    client, rasa = stack["app"](), stack["rasa"]
    ana, bo = stack["console"](client, "ana"), stack["console"](client, "bo")
    sup = stack["console"](client, "sam", role="supervisor")
    for c in (ana, bo, sup):
        assert c.login().status_code == 200
    ana.post("/advocate/api/shift", {"on_shift": True})
    _think_it_through(client)
    rasa.reply = HANDOFF
    sms(client, "can i talk to a real person", YOUTH)
    (item,) = client.get("/advocate/api/queue").json()["items"]
    path = f"/advocate/api/handoffs/{item['id']}/plan"
    client.cookies.clear()
    assert ana.login().status_code == 200
    assert client.get(path).status_code == 403  # queued: nobody holds it yet
    assert ana.post(f"/advocate/api/handoffs/{item['id']}/claim").status_code == 200
    seen = client.get(path).json()
    assert [a["answer"] for a in seen["answers"]] == ["no", PERSON, PLACE, TAKE]
    assert seen["answers"][1]["label"] == "Trusted person" and seen["kept"]
    assert "never sent to the" in seen["note"]
    client.cookies.clear()
    assert bo.login().status_code == 200
    assert client.get(path).status_code == 403
    client.cookies.clear()
    assert sup.login().status_code == 200
    assert [a["answer"] for a in client.get(path).json()["answers"]][1] == PERSON
    with client.app.state.sessions() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
        transcript = [m for m in session.scalars(select(HandoffMessage))]
    assert actions.count("view_plan") == 2 and actions.count("denied_plan") == 2
    cipher = client.app.state.pipeline._store._cipher
    said = " ".join(cipher.decrypt(m.body_encrypted) or "" for m in transcript)
    assert not [m for m in MARKERS if m in said]


def test_danger_now_raises_an_urgent_handoff_with_911_first(stack):
    client = stack["app"]()
    advocate = stack["console"](client, "ana")
    assert advocate.login().status_code == 200
    advocate.post("/advocate/api/shift", {"on_shift": True})
    for text in ("i want to plan how to get out", "1", "2"):
        sms(client, text, YOUTH)
    (danger, *_) = sms(client, "yes", YOUTH)
    assert danger.startswith("If you are in danger now, call 911")
    (item,) = client.get("/advocate/api/queue").json()["items"]
    assert item["urgency"] == "urgent"
    assert _plan_rows(client) == 1  # not kept, but "go on" can pick up at the next question


def test_delete_my_plan_exit_and_expiry_each_remove_it(stack):
    client = stack["app"](sms_rate_per_number="200/minute")
    _think_it_through(client)
    (deleted,) = sms(client, "pls delete my plan", YOUTH)
    assert deleted.startswith("Done. We deleted your answers")
    assert _plan_rows(client) == 0
    _think_it_through(client)
    assert _plan_rows(client) == 1
    assert sms(client, "EXIT", YOUTH) == []
    wait_for(lambda: _plan_rows(client) == 0)
    _think_it_through(client)
    sessions = client.app.state.sessions
    with sessions() as session:
        session.execute(update(SafetyPlan).values(expires_at=datetime.now(UTC) - timedelta(1)))
        session.commit()
    (nothing,) = sms(client, "what was my plan", YOUTH)  # expired: as if never kept
    assert "don't send your answers" in nothing
    assert _plan_rows(client) == 0  # and the expired row went with that answer
    _think_it_through(client)
    with sessions() as session:
        session.execute(update(SafetyPlan).values(expires_at=datetime.now(UTC) - timedelta(1)))
        session.commit()
    counts = purge(sessions, retention_days=30)  # the hourly run, for a plan nobody asked about
    assert counts["plans"] == 1 and _plan_rows(client) == 0


def test_delete_my_data_counts_the_plan_among_what_went(stack):
    client = stack["app"]()
    _think_it_through(client)
    sms(client, "delete my data", YOUTH)
    (done,) = sms(client, "yes", YOUTH)
    assert done.startswith("Done. We deleted")
    assert _plan_rows(client) == 0
    with client.app.state.sessions() as session:
        (detail,) = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "person_erased")
        )
    assert "plans=1" in detail


def test_plan_ttl_hours_is_a_setting_and_the_texts_say_it(stack):
    client = stack["app"](plan_ttl_hours=48)
    got = _think_it_through(client)
    assert any("deleted after 2 days" in g for g in got)
    with client.app.state.sessions() as session:
        (plan,) = session.scalars(select(SafetyPlan)).all()
    assert plan.expires_at - plan.started_at == timedelta(hours=48)


def test_in_spanish_on_the_web_the_plan_is_shown_on_the_page_and_not_logged(stack):
    client, rasa = stack["app"](), stack["rasa"]
    token = start(client)
    steps = [("me ayudas a hacer un plan de seguridad", None), ("Sí, empecemos", "/plan_start"),
             ("Sí, guárdalas", "/plan_keep"), ("no", None), ("mi abuela Chela", None)]  # fmt: skip
    for text, payload in steps:
        extra = {"payload": payload} if payload else {}
        reply = say(client, token, text, **extra)
        assert reply.status_code == 200
    assert "¿Hay un lugar al que podrías ir" in reply.json()["messages"][0]["text"]
    ask = {"id": "show-my-plan-01"}
    shown = say(client, token, "muéstrame mi plan", **ask).json()["messages"][0]["text"]
    again = say(client, token, "muéstrame mi plan", **ask).json()["messages"]  # a replay
    assert again[0]["text"].startswith("(their answers were shown")  # not kept, not re-sent
    assert "Persona de confianza: mi abuela Chela" in shown and "Solo está en esta página" in shown
    assert "Chela" not in json.dumps(rasa.received)
    cipher = client.app.state.pipeline._store._cipher
    with client.app.state.sessions() as session:
        stored = [cipher.decrypt(r) or "" for r in session.scalars(
            select(InboundMessage.reply_encrypted)) if r]  # fmt: skip
    assert stored and not [s for s in stored if "Chela" in s]
    assert client.post("/chat/api/forget", json={"conversation": token}).status_code in (200, 204)
    wait_for(lambda: _plan_rows(client) == 0)


def test_the_plan_goes_on_with_rasa_down(client_for):
    """The gateway asks every question itself: a plan needs no assistant."""
    from tests.helpers import free_port

    client = client_for(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    got = [" ".join(sms(client, text, YOUTH)) for text in
           ("necesito un plan para salir", "1", "2", "no se", "mi tia")]  # fmt: skip
    assert got[0].startswith("Podemos pensarlo juntos")
    assert got[2].startswith("Primera pregunta")
    assert got[3].startswith("Esta bien. Si eso cambia, puedes llamar al 911")  # GSM-7: no á
    assert "¿Hay una persona de confianza" in got[3]
    assert got[4].startswith("¿Hay un lugar al que podrias ir")


def test_a_question_mid_plan_is_answered_by_the_assistant_then_how_to_go_on(stack):
    client, rasa = stack["app"](), stack["rasa"]
    for text in ("help me make a safety plan", "1", "1", "no"):
        sms(client, text, YOUTH)
    rasa.reply = [{"text": "Places near Las Vegas, NV: (a list)"}]
    answer = sms(client, "is there a shelter in vegas for 15 year olds", YOUTH)
    assert answer[0].startswith("Places near Las Vegas")
    assert answer[-1].startswith('When you want, write "go on"')
    assert rasa.received[-1]["message"] == "is there a shelter in vegas for 15 year olds"
    (again,) = sms(client, "go on", YOUTH)
    assert again.startswith("Is there a person you trust")
