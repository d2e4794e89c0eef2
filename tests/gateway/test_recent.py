"""An advocate picks up a recent conversation nobody escalated: the list shows no text and masks
the number by role; picking opens a held handoff whose transcript starts with what was said,
the person gets one discreet message, and their next message goes to the advocate. Numbers that
sent STOP or EXIT are never listed or reachable."""

from __future__ import annotations

from tests.gateway.conftest import sms, wait_for

SHELTER = [{"text": "Places near Reno, NV: 1) RHYME, 1-800-536-4588. 24/7."}]


def recent(client):  # type: ignore[no-untyped-def]
    response = client.get("/advocate/api/recent")
    assert response.status_code == 200
    return response.json()["items"]


def test_an_advocate_picks_a_recent_sms_conversation(stack):
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

    picked = advocate.post(f"/advocate/api/recent/{items[0]['id']}/pick")
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


def test_a_spanish_conversation_is_reached_in_spanish(stack):
    client, twilio = stack["app"](), stack["twilio"]
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hola, necesito ayuda por favor", "+17755550162")
    advocate = stack["console"](client, "hal")
    advocate.login()
    (item,) = recent(client)
    assert advocate.post(f"/advocate/api/recent/{item['id']}/pick").status_code == 200
    wait_for(lambda: twilio.bodies_to("+17755550162"))
    assert twilio.bodies_to("+17755550162")[0].startswith("Hola, una persona de nuestro equipo")


def test_stop_and_exit_are_never_listed_or_picked(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hi", "+17755550163")
    stopped_id = None
    advocate = stack["console"](client, "ivy")
    advocate.login()
    stopped_id = recent(client)[0]["id"]
    sms(client, "STOP", "+17755550163")
    sms(client, "hi", "+17755550164")
    sms(client, "EXIT", "+17755550164")
    assert recent(client) == []
    refused = advocate.post(f"/advocate/api/recent/{stopped_id}/pick")
    assert refused.status_code == 409
    assert advocate.post("/advocate/api/recent/999999/pick").status_code == 404


def test_a_supervisor_sees_the_whole_number_and_picking_needs_csrf(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hi", "+17755550165")
    boss = stack["console"](client, "jo", role="supervisor")
    boss.login()
    (item,) = recent(client)
    assert item["contact"] == "SMS +17755550165"
    assert boss.post(f"/advocate/api/recent/{item['id']}/pick", csrf=False).status_code == 403
    assert [i["id"] for i in recent(client)] == [item["id"]]  # nothing was picked


def test_a_web_chat_is_listed_while_open_and_forgotten_after_quick_exit(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    token = client.post("/chat/api/conversations").json()["conversation"]
    client.post("/chat/api/messages", json={"text": "hi"}, headers={"X-Chat-Token": token})
    advocate = stack["console"](client, "kai")
    advocate.login()
    (item,) = recent(client)
    assert (item["channel"], item["contact"]) == ("web", "Web chat")
    assert (
        client.delete("/chat/api/conversation", headers={"X-Chat-Token": token}).status_code == 204
    )
    assert recent(client) == []
    assert advocate.post(f"/advocate/api/recent/{item['id']}/pick").status_code == 409
