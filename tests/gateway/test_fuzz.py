"""Fuzzing: schemathesis over the gateway's own OpenAPI (the console API included, signed in
with a CSRF token) and hypothesis over the Twilio webhook forms (signed as Twilio signs them).
Whatever comes in: no 5xx, no unhandled exception, and a webhook always answers TwiML."""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sms_gateway.main import create_app
from tests.gateway.conftest import AUTH_TOKEN, PASSWORD, PUBLIC, make_settings
from tests.helpers import FakeRasa, FakeTwilioApi, TotpCodes, sms_params, twilio_signature

_SCHEMA_APP = create_app(make_settings(Path(tempfile.mkdtemp()), "http://127.0.0.1:9"))
# Live streams never end by themselves: they are tested in test_limits.py and the e2e suite.
schema = schemathesis.openapi.from_dict(_SCHEMA_APP.openapi()).exclude(path_regex="events$")
FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    rasa, twilio = FakeRasa().start(), FakeTwilioApi().start()
    app = create_app(
        make_settings(
            tmp_path_factory.mktemp("fuzz"),
            rasa.url,
            twilio_api_base_url=twilio.url,
            rasa_timeout_seconds=1.0,
            # the fuzzer comes from one address: keep the limits out of its way (they have
            # their own tests); it must still never reach a 5xx
            web_new_rate_per_address="100000/minute",
            web_message_rate_per_address="100000/minute",
            login_rate_per_address="100000/minute",
            login_rate_global="100000/minute",
        )
    )
    client = TestClient(app, base_url="https://testserver")
    client.__enter__()
    secret = app.state.auth.create("fuzzer", PASSWORD, "supervisor")
    login = client.post(
        "/advocate/api/login",
        json={"username": "fuzzer", "password": PASSWORD, "code": TotpCodes(secret).next()},
    )
    assert login.status_code == 200
    yield client, login.json()["csrf"]
    client.__exit__(None, None, None)
    rasa.stop()
    twilio.stop()


def _send(client: TestClient, kwargs: dict[str, Any]) -> Any:
    data = kwargs.pop("data", None)
    if isinstance(data, (bytes, str)):
        kwargs["content"] = data
    elif data is not None:
        kwargs["data"] = data
    kwargs.pop("verify", None)
    return client.request(**kwargs)


@schema.parametrize()
@FUZZ
def test_no_route_answers_5xx(case: Any, signed_in: tuple[TestClient, str]) -> None:
    client, csrf = signed_in
    if case.path.endswith("/logout"):
        return  # signing the fuzzer out would leave the rest of the API unexplored
    kwargs = case.as_transport_kwargs(base_url="https://testserver", headers={"X-CSRF-Token": csrf})
    response = _send(client, kwargs)
    assert response.status_code < 500, (case.method, case.path, response.text[:200])


FIELD = st.text(max_size=300)
NAMES = st.sampled_from(["Body", "From", "To", "MessageSid", "SmsSid", "NumMedia", "MediaUrl0"])


@given(
    fields=st.dictionaries(NAMES | st.text(min_size=1, max_size=20), FIELD, max_size=12),
    body=st.text(max_size=2000),
)
@FUZZ
def test_signed_webhook_forms_always_get_twiml(
    signed_in: tuple[TestClient, str], fields: dict[str, str], body: str
) -> None:
    client, _csrf = signed_in
    params = {**sms_params(body), **fields}
    signature = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.text[:200]
    assert ET.fromstring(response.text).tag == "Response"


@given(fields=st.dictionaries(st.text(max_size=20), FIELD, max_size=12))
@FUZZ
def test_status_callbacks_and_unsigned_forms_never_fail(
    signed_in: tuple[TestClient, str], fields: dict[str, str]
) -> None:
    client, _csrf = signed_in
    unsigned = client.post("/sms/twilio", data=fields, headers={"X-Twilio-Signature": "x"})
    assert unsigned.status_code == 403
    signature = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio/status", fields)
    status = client.post(
        "/sms/twilio/status", data=fields, headers={"X-Twilio-Signature": signature}
    )
    assert status.status_code in (204, 400)
