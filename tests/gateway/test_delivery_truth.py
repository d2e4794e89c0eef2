"""Delivery truth in the console (issue 11): a failed SMS says why in words with Twilio's code,
and a retry sends the same message again where that can help, and is refused where it cannot."""

from __future__ import annotations

from sms_gateway.services.delivery_states import explain
from tests.gateway.conftest import sms, wait_for
from tests.gateway.test_handoff import HANDOFF

YOUTH = "+17755550171"


def _held_with_failures(stack, code: int):  # type: ignore[no-untyped-def]
    client = stack["app"](outbound_max_attempts=1)
    advocate = stack["console"](client, "ana")
    assert advocate.login().status_code == 200
    stack["rasa"].reply = HANDOFF
    sms(client, "can i talk to a real person", YOUTH)
    handoff_id = client.get("/advocate/api/queue").json()["items"][0]["id"]
    stack["twilio"].fail, stack["twilio"].fail_code = True, code
    assert advocate.post(f"/advocate/api/handoffs/{handoff_id}/claim").status_code == 200
    path = f"/advocate/api/handoffs/{handoff_id}"

    def failed() -> list[dict]:  # type: ignore[type-arg]
        return [m for m in client.get(path).json()["transcript"] if m["delivery"] == "failed"]

    wait_for(failed)
    return client, advocate, path, failed()[0]


def test_a_failed_notice_says_why_and_a_retry_sends_the_same_message(stack):
    client, advocate, path, notice = _held_with_failures(stack, 30003)
    assert notice["from"] == "system"
    assert notice["failure"]["code"] == "30003" and notice["failure"]["can_retry"] is True
    assert "phone is off" in notice["failure"]["why"]
    stack["twilio"].fail = False
    retried = advocate.post(f"{path}/messages/{notice['id']}/retry")
    assert retried.status_code == 200 and retried.json()["message"]["id"] == notice["id"]
    wait_for(lambda: any("joined" in b for b in stack["twilio"].bodies_to(YOUTH)[1:]))
    transcript = client.get(path).json()["transcript"]
    systems = [m for m in transcript if m["from"] == "system"]
    assert len(systems) == 1 and systems[0]["delivery"] in ("sent", "delivered")
    # only a failed message can be retried
    assert advocate.post(f"{path}/messages/{notice['id']}/retry").status_code == 409
    youth = next(m for m in transcript if m["from"] == "youth")
    assert advocate.post(f"{path}/messages/{youth['id']}/retry").status_code == 404


def test_a_retry_that_cannot_help_is_refused_with_the_reason(stack):
    _client, advocate, path, notice = _held_with_failures(stack, 21610)
    assert notice["failure"]["can_retry"] is False
    refused = advocate.post(f"{path}/messages/{notice['id']}/retry")
    assert refused.status_code == 422 and "opted out" in refused.json()["detail"]


def test_every_code_has_words_and_unknown_ones_get_the_default():
    assert explain("99999")["why"] == explain(None)["why"]
    assert explain("ConnectionError")["why"].startswith("The texting service could not")
    for code in ("21211", "21610", "30003", "30005", "30006", "30007"):
        words = explain(code)
        assert words["why"].endswith(".") and words["advice"].endswith(".")
