"""Human handoff at the gateway: queue order, claiming, replies over Twilio's REST API (a local
fake), the youth's messages going to the advocate and not to Rasa, hand back, and the console's
security (lockout, CSRF, roles, masking, sessions)."""

from __future__ import annotations

from sqlalchemy import select

from sms_gateway.models import AuditEvent
from tests.gateway.conftest import PASSWORD, Console, sms, wait_for

HANDOFF = [
    {"text": "I'm asking a person from our team to join."},
    {
        "custom": {
            "handoff": {
                "reason": "asked",
                "summary": {"asked": "talk to a person", "place": "Reno, NV"},
            }
        }
    },
]


def test_the_whole_walk_over_sms(stack):
    client = stack["app"]()
    rasa, twilio = stack["rasa"], stack["twilio"]
    advocate = stack["console"](client, "ana")
    assert advocate.login().status_code == 200
    assert advocate.post("/advocate/api/shift", {"on_shift": True}).json() == {"on_shift": True}

    rasa.reply = HANDOFF
    reply = sms(client, "can i talk to a real person", "+17755550121")
    assert reply == ["I'm asking a person from our team to join."]
    assert rasa.received[-1]["metadata"]["advocates_available"] is True
    items = client.get("/advocate/api/queue").json()["items"]
    assert [(i["urgency"], i["reason"], i["channel"]) for i in items] == [
        ("normal", "asked", "sms")
    ]
    handoff_id = items[0]["id"]

    assert advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim").status_code == 200
    detail = client.get(f"/advocate/api/handoffs/{handoff_id}").json()
    assert detail["summary"]["place"] == "Reno, NV" and detail["contact"].endswith("21")
    assert "5550121" not in detail["contact"]  # masked for an advocate
    wait_for(lambda: twilio.bodies_to("+17755550121"))
    assert "has joined" in twilio.bodies_to("+17755550121")[0]

    sent = advocate.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "Hi, I'm Ana."})
    assert sent.status_code == 201
    wait_for(lambda: "Hi, I'm Ana." in twilio.bodies_to("+17755550121"))
    assert twilio.sent[-1]["From"] == "+17025550100"

    calls = len(rasa.received)
    assert sms(client, "thank you. i am near the bus station", "+17755550121") == []
    assert len(rasa.received) == calls  # not to Rasa while an advocate holds it
    transcript = client.get(f"/advocate/api/handoffs/{handoff_id}").json()["transcript"]
    assert transcript[-1]["from"] == "youth" and "bus station" in transcript[-1]["text"]

    assert advocate.post(f"/advocate/api/handoffs/{handoff_id}/hand-back").status_code == 200
    rasa.reply = [{"text": "Hi from the bot."}]
    assert sms(client, "hi", "+17755550121") == ["Hi from the bot."]


def test_urgent_sorts_above_an_older_normal_one(stack):
    client = stack["app"]()
    stack["rasa"].reply = HANDOFF
    sms(client, "can i talk to someone", "+17755550131")
    stack["rasa"].reply = [{"text": "ok"}]
    first = sms(client, "im in danger right now he has a gun", "+17755550132")
    assert first[0].startswith("If you are in danger now, call 911")
    advocate = stack["console"](client, "ben")
    advocate.login()
    items = client.get("/advocate/api/queue").json()["items"]
    assert [i["urgency"] for i in items] == ["urgent", "normal"]
    assert items[0]["reason"].startswith("safety_net:danger")


def test_nobody_on_shift_tells_the_assistant(stack):
    client = stack["app"]()
    sms(client, "can i talk to a person", "+17755550141")
    assert stack["rasa"].received[-1]["metadata"]["advocates_available"] is False


def test_failures_make_the_next_try_wait_with_the_same_answer_and_no_lockout(stack):
    """No hard lock: after a few failures the next try from the same place waits (refused with
    the same answer as a wrong password); the advocate elsewhere still signs in."""
    client = stack["app"](trusted_proxies="testclient")
    advocate = stack["console"](client, "cai")
    here, there = {"X-Forwarded-For": "192.0.2.10"}, {"X-Forwarded-For": "192.0.2.20"}

    def login(code: str | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        body = {"username": "cai", "password": PASSWORD, "code": code or advocate.codes.next()}
        return client.post("/advocate/api/login", json=body, headers=headers or here)

    stranger = {"username": "nobody", "password": "x" * 12, "code": "123456"}
    unknown = client.post("/advocate/api/login", headers=there, json=stranger)
    assert unknown.status_code == 401, unknown.text
    for _ in range(5):
        wrong = login(code="000000")
        assert (wrong.status_code, wrong.json()) == (401, {"detail": "Sign-in failed"})
    too_soon = login()  # the right code, but this place must wait now
    assert (too_soon.status_code, too_soon.json()) == (unknown.status_code, unknown.json())
    assert login(headers=there).status_code == 200  # not locked out: her own desk works
    with client.app.state.sessions() as session:
        audited = session.execute(select(AuditEvent.action, AuditEvent.detail)).all()
    # every attempt: the unknown name (not the name itself), four wrong codes, then the fifth
    # wrong code and the right one made before their wait was over, then her sign-in elsewhere
    assert [a for a, _ in audited] == ["login_failed"] * 5 + ["login_too_soon"] * 2 + ["login"]
    assert audited[0][1] == "unknown name"


def test_a_code_opens_one_session_only(stack):
    client = stack["app"]()
    advocate = stack["console"](client, "fay")
    code = advocate.codes.next()
    assert advocate.login(code=code).status_code == 200
    advocate.post("/advocate/api/logout")
    assert advocate.login(code=code).status_code == 401  # replayed: refused like a wrong code
    assert advocate.login().status_code == 200  # the next code works


def test_changes_need_the_csrf_token_and_same_origin(stack):
    client = stack["app"]()
    stack["rasa"].reply = HANDOFF
    sms(client, "a person please", "+17755550151")
    advocate = stack["console"](client, "dee")
    advocate.login()
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    assert (
        advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim", csrf=False).status_code == 403
    )
    forged = client.post(
        f"/advocate/api/handoffs/{handoff_id}/claim",
        headers={"X-CSRF-Token": advocate.csrf, "Origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    assert advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim").status_code == 200


def test_session_cookie_flags_and_signed_out_access(stack):
    client = stack["app"]()
    advocate = stack["console"](client, "eli")
    response = advocate.login()
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-waypoint_session=")
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert flag.lower() in cookie.lower()
    advocate.post("/advocate/api/logout")
    assert client.get("/advocate/api/queue").status_code == 401


def test_role_limits_and_number_masking(stack):
    client = stack["app"]()
    stack["rasa"].reply = HANDOFF
    sms(client, "person", "+17755550161")
    first, second = stack["console"](client, "fay"), stack["console"](client, "gus")
    boss = stack["console"](client, "hal", "supervisor")
    first.login()
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    first.post(f"/advocate/api/handoffs/{handoff_id}/claim")
    second.login()
    assert client.get(f"/advocate/api/handoffs/{handoff_id}").status_code == 403
    assert client.get("/advocate/api/queue").json()["items"] == []
    assert (
        second.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "hi"}).status_code
        == 403
    )
    boss.login()
    detail = client.get(f"/advocate/api/handoffs/{handoff_id}").json()
    assert detail["contact"] == "SMS +17755550161"  # supervisors may see the number
    assert client.get("/advocate/api/queue").json()["items"][0]["claimed_by"] == "fay"


def test_a_youth_script_tag_is_returned_as_text(stack):
    client = stack["app"]()
    stack["rasa"].reply = HANDOFF
    sms(client, "<script>alert(1)</script> can i talk to a person", "+17755550171")
    advocate = stack["console"](client, "ivy")
    advocate.login()
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    response = client.get(f"/advocate/api/handoffs/{handoff_id}")
    assert response.headers["content-type"].startswith("application/json")
    assert "<script>alert(1)</script>" in response.json()["transcript"][0]["text"]


def test_failed_send_is_retried_then_marked_failed(stack):
    stack["twilio"].fail = True
    client = stack["app"](outbound_max_attempts=3)
    stack["rasa"].reply = HANDOFF
    sms(client, "person please", "+17755550181")
    advocate = stack["console"](client, "jo")
    advocate.login()
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim")
    advocate.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "Are you there?"})

    def failed() -> bool:
        transcript = client.get(f"/advocate/api/handoffs/{handoff_id}").json()["transcript"]
        mine = [m for m in transcript if m["from"] == "advocate"]
        return bool(mine) and mine[0]["delivery"] == "failed"

    wait_for(failed, timeout=10)
    assert len(stack["twilio"].bodies_to("+17755550181")) >= 3 + 3  # joined + reply, 3 tries each


def test_a_gateway_restart_in_the_middle_of_a_handoff_loses_nothing(stack):
    stack["twilio"].fail = True
    first = stack["app"]()
    stack["rasa"].reply = HANDOFF
    sms(first, "person please", "+17755550191")
    advocate = stack["console"](first, "kim")
    advocate.login()
    handoff_id = first.get("/advocate/api/queue").json()["items"][0]["id"]
    advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim")
    advocate.post(f"/advocate/api/handoffs/{handoff_id}/messages", {"text": "Still here for you."})
    first.__exit__(None, None, None)  # the gateway stops with the reply not yet delivered

    stack["twilio"].fail = False
    second = stack["app"]()
    wait_for(lambda: "Still here for you." in stack["twilio"].bodies_to("+17755550191"))
    calls = len(stack["rasa"].received)
    assert sms(second, "ok thanks", "+17755550191") == []  # still with the advocate
    assert len(stack["rasa"].received) == calls
    relogin = Console(second, "kim", advocate.codes)
    relogin.login()
    transcript = second.get(f"/advocate/api/handoffs/{handoff_id}").json()["transcript"]
    assert [m["from"] for m in transcript][-1] == "youth"


def test_the_summary_says_the_language_and_quick_replies_come_in_both(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "estoy en peligro, ayudame por favor", "+17755550181")
    advocate = stack["console"](client, "max")
    advocate.login()
    (item,) = client.get("/advocate/api/queue").json()["items"]
    detail = client.get(f"/advocate/api/handoffs/{item['id']}").json()
    assert detail["summary"]["language"] == "es"
    replies = client.get("/advocate/api/quick-replies").json()["items"]
    assert replies and all(r["text"] and r["text_es"] for r in replies)


def test_the_console_reminds_advocates_of_the_helplines_reporting_duty(stack):
    from resources.reporting_policy import load_policy

    page = stack["app"]().get("/advocate").text
    assert load_policy().console_reminder in page and "{{" not in page
