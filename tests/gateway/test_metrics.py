"""GET /metrics gives operators counts (queue, answers, crisis catches, deliveries, parts up)
and nothing else: no text, number or name; a token when one is set; never open in production."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families

from tests.gateway.conftest import sms


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_metrics_count_what_happened_and_hold_no_text_or_number(stack):
    client = stack["app"]()
    stack["rasa"].reply = [{"text": "ok"}]
    sms(client, "hi there", "+17755550171")
    sms(client, "im in danger right now", "+17755550172")
    advocate = stack["console"](client, "lou")
    advocate.login()
    advocate.post("/advocate/api/shift", {"on_shift": True})

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    got = samples(response.text)
    answered = got[("waypoint_messages_last_hour", (("channel", "sms"), ("status", "answered")))]
    assert answered == 2
    assert got[("waypoint_crisis_messages_last_hour", (("category", "danger"),))] == 1
    assert got[("waypoint_handoffs", (("status", "queued"), ("urgency", "urgent")))] == 1
    assert got[("waypoint_handoff_oldest_wait_seconds", ())] >= 0
    assert got[("waypoint_advocates_on_shift", ())] == 1
    assert got[("waypoint_up", (("part", "database"),))] == 1
    for private in ("5550171", "5550172", "danger right now", "hi there", "lou", "sms-"):
        assert private not in response.text
    assert not re.search(r"\d{7}", response.text.replace("e+0", ""))


def test_a_token_is_required_when_set(client_for, fake_rasa):
    client = client_for(fake_rasa.url, metrics_token="operator-token-0123456789")
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = client.get("/metrics", headers={"Authorization": "Bearer operator-token-0123456789"})
    assert right.status_code == 200 and "waypoint_up" in right.text


def test_not_served_in_production_without_a_token(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    # The production settings need real secrets; only the environment matters to /metrics.
    client.app.state.settings = client.app.state.settings.model_copy(
        update={"helpline_env": "production"}
    )
    assert client.get("/metrics").status_code == 404
