from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sms_gateway.config import Settings
from sms_gateway.main import create_app
from tests.helpers import FakeRasa, free_port, sms_params, twilio_signature

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://helpline.example.org"


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa().start()
    yield fake
    fake.stop()


def make_settings(tmp_path: Path, rasa_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "helpline_env": "test",
        "database_url": f"sqlite:///{tmp_path / 'gateway.db'}",
        "rasa_url": rasa_url,
        "action_server_url": f"http://127.0.0.1:{free_port()}",
        "twilio_auth_token": AUTH_TOKEN,
        "pseudonym_secret": "test-pseudonym-secret-0123456789abcdef",
        "public_base_url": PUBLIC,
        "rasa_timeout_seconds": 2.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def client_for(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def _make(rasa_url: str, **overrides: object) -> TestClient:
        client = TestClient(create_app(make_settings(tmp_path, rasa_url, **overrides)))
        client.__enter__()
        clients.append(client)
        return client

    yield _make
    for client in clients:
        client.__exit__(None, None, None)


def post_sms(client: TestClient, body: str, **kwargs: str):  # type: ignore[no-untyped-def]
    """POST a correctly signed SMS, as Twilio would."""
    params = sms_params(body, **kwargs)
    signature = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    return client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": signature})


def messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    return [m.text or "" for m in root.iter("Message")]
