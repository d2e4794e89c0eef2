"""Reaching out to a recent conversation nobody escalated: only a role with `reach_out`
(supervisors by default, permissions.yml) sees the list and picks one, with a reason from the
data, audited with it. The list shows no text and masks the number by role; picking opens a
held handoff whose transcript starts with what was said, the person gets one discreet message,
and their next message goes to the advocate. Numbers that sent STOP or EXIT are never listed
or reachable."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sms_gateway.models import AuditEvent
from sms_gateway.services import handoff_rules
from tests.gateway.conftest import sms, wait_for

REASON = {"reason": "crisis_words"}


@pytest.fixture
def advocates_may_reach_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helpline that lets its advocates reach out too (their numbers stay masked)."""
    roles = {**handoff_rules.PERMISSIONS["roles"], "advocate": ["reach_out"]}
    monkeypatch.setitem(handoff_rules.PERMISSIONS, "roles", roles)


SHELTER = [{"text": "Places near Reno, NV: 1) RHYME, 1-800-536-4588. 24/7."}]


def recent(client):  # type: ignore[no-untyped-def]
    response = client.get("/advocate/api/recent")
    assert response.status_code == 200
    return response.json()["items"]


def test_an_advocate_picks_a_recent_sms_conversation(stack, advocates_may_reach_out):
    client, rasa, twilio = stack["app"](), stack["rasa"], stack["twilio"]
    rasa.reply = SHELTER
    sms(client, "i need a shelter in reno", "+17755550161")
    advocate = stack["console"](client, "gil")
    advocate.login()

    response = client.get("/advocate/api/recent")
    items = response.json()["items"]
    assert len(items) == 1 and items[0]["channel"] == "sms" and items[0]["messages"] == 1
    assert items[0]["contact"].endswith("61") and "5550161" not in items[0]["contact"]
    assert "shelter" not in response.text and "RHYME" not in response.text  # no texts listed

    picked = advocate.post(f"/advocate/api/recent/{items[0]['id']}/pick", REASON)
    assert picked.status_code == 200
    handoff_id = picked.json()["handoff"]
    detail = client.get(f"/advocate/api/handoffs/{handoff_id}").json()
    assert detail["status"] == "claimed" and detail["claimed_by"] == "gil"
    assert detail["reason"] == "advocate_pick"
    said = [(m["from"], m["text"]) for m in detail["transcript"]]
    assert said[:2] == [("youth", "i need a shelter in reno"), ("bot", SHELTER[0]["text"])]
    assert said[-1][0] == "system" and "if you want to talk" in said[-1][1]
    wait_for(lambda: twilio.bodies_to("+17755550161"))
    assert "if you want to talk" in twilio.bodies_to("+17755550161")[0]

    calls = len(rasa.received)
    assert sms(client, "ok hi", "+17755550161") == []  # to the advocate, not the bot
    assert len(rasa.received) == calls
    assert recent(client) == []  # a person has it now
    with client.app.state.sessions() as session:
        audited = session.execute(
            select(AuditEvent.action, AuditEvent.detail).where(AuditEvent.action == "reach_out")
        ).all()
    assert [tuple(a) for a in audited] == [("reach_out", "reason=crisis_words")]


def test_reaching_out_needs_the_permission_and_a_reason(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hi", "+17755550166")
    advocate = stack["console"](client, "lou")
    advocate.login()
    assert client.get("/advocate/api/recent").status_code == 403  # not even the list
    assert advocate.post("/advocate/api/recent/1/pick", REASON).status_code == 403
    me = client.get("/advocate/api/me").json()
    assert "reach_out" not in me["permissions"] and me["reach_out_reasons"] == []
    client.cookies.clear()
    boss = stack["console"](client, "mo", role="supervisor")
    boss.login()
    (item,) = recent(client)
    path = f"/advocate/api/recent/{item['id']}/pick"
    assert boss.post(path).status_code == 422  # no reason
    assert boss.post(path, {"reason": "because"}).status_code == 422  # not one of the reasons
    reasons = [r["id"] for r in client.get("/advocate/api/me").json()["reach_out_reasons"]]
    assert "crisis_words" in reasons and "other" in reasons
    assert boss.post(path, {"reason": "other"}).status_code == 200
    with client.app.state.sessions() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "denied_reach_out" in actions and "reach_out" in actions


def test_a_spanish_conversation_is_reached_in_spanish(stack):
    client, twilio = stack["app"](), stack["twilio"]
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hola, necesito ayuda por favor", "+17755550162")
    advocate = stack["console"](client, "hal", role="supervisor")
    advocate.login()
    (item,) = recent(client)
    assert advocate.post(f"/advocate/api/recent/{item['id']}/pick", REASON).status_code == 200
    wait_for(lambda: twilio.bodies_to("+17755550162"))
    assert twilio.bodies_to("+17755550162")[0].startswith("Hola, una persona de nuestro equipo")


def test_stop_and_exit_are_never_listed_or_picked(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hi", "+17755550163")
    stopped_id = None
    advocate = stack["console"](client, "ivy", role="supervisor")
    advocate.login()
    stopped_id = recent(client)[0]["id"]
    sms(client, "STOP", "+17755550163")
    sms(client, "hi", "+17755550164")
    sms(client, "EXIT", "+17755550164")
    assert recent(client) == []
    refused = advocate.post(f"/advocate/api/recent/{stopped_id}/pick", REASON)
    assert refused.status_code == 409
    assert advocate.post("/advocate/api/recent/999999/pick", REASON).status_code == 404


def test_a_supervisor_sees_the_whole_number_and_picking_needs_csrf(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hi", "+17755550165")
    boss = stack["console"](client, "jo", role="supervisor")
    boss.login()
    (item,) = recent(client)
    assert item["contact"] == "SMS +17755550165"
    no_csrf = boss.post(f"/advocate/api/recent/{item['id']}/pick", REASON, csrf=False)
    assert no_csrf.status_code == 403
    assert [i["id"] for i in recent(client)] == [item["id"]]  # nothing was picked


def test_a_web_chat_is_listed_while_open_and_forgotten_after_quick_exit(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    token = client.post("/chat/api/conversations").json()["conversation"]
    client.post("/chat/api/messages", json={"text": "hi"}, headers={"X-Chat-Token": token})
    advocate = stack["console"](client, "kai", role="supervisor")
    advocate.login()
    (item,) = recent(client)
    assert (item["channel"], item["contact"]) == ("web", "Web chat")
    assert (
        client.delete("/chat/api/conversation", headers={"X-Chat-Token": token}).status_code == 204
    )
    assert recent(client) == []
    assert advocate.post(f"/advocate/api/recent/{item['id']}/pick", REASON).status_code == 409
