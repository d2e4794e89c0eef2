"""The webhook fails closed: only a request Twilio signed for our public URL is processed."""

from __future__ import annotations

from tests.gateway.conftest import AUTH_TOKEN, PUBLIC, messages
from tests.helpers import sms_params, twilio_signature


def test_correctly_signed_sms_is_answered(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    params = sms_params("hi")
    sig = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": sig})
    assert messages(response) == ["Hi from the bot."]
    assert len(fake_rasa.received) == 1


def test_missing_signature_is_refused_and_nothing_happens(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    response = client.post("/sms/twilio", data=sms_params("hi"))
    assert response.status_code == 403
    assert response.content == b""
    assert fake_rasa.received == []


def test_forged_signature_is_refused(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    params = sms_params("hi")
    forged = twilio_signature("some-other-token", f"{PUBLIC}/sms/twilio", params)
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": forged})
    assert response.status_code == 403
    assert fake_rasa.received == []


def test_signature_for_another_url_is_refused(client_for, fake_rasa):
    """Validation uses PUBLIC_BASE_URL, not whatever Host header the request carries."""
    client = client_for(fake_rasa.url)
    params = sms_params("hi")
    sig = twilio_signature(AUTH_TOKEN, "http://testserver/sms/twilio", params)
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": sig})
    assert response.status_code == 403


def test_tampered_body_is_refused(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    params = sms_params("hi")
    sig = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    params["Body"] = "something else"
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": sig})
    assert response.status_code == 403
    assert fake_rasa.received == []


def test_status_callback_is_signed_and_recorded(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    params = {
        "MessageSid": "SM" + "a" * 32,
        "MessageStatus": "delivered",
        "AccountSid": "AC" + "0" * 32,
    }
    assert client.post("/sms/twilio/status", data=params).status_code == 403
    sig = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio/status", params)
    response = client.post("/sms/twilio/status", data=params, headers={"X-Twilio-Signature": sig})
    assert response.status_code == 204
    from sms_gateway.models import DeliveryStatus

    with client.app.state.sessions() as session:
        row = session.get(DeliveryStatus, params["MessageSid"])
        assert row is not None and row.status == "delivered"
