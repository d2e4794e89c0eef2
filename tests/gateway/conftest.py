from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sms_gateway.config import Settings
from sms_gateway.main import create_app
from tests.helpers import (
    FakeRasa,
    FakeTwilioApi,
    TotpCodes,
    free_port,
    sms_params,
    twilio_signature,
)

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


# -- human handoff: a gateway with a fake Rasa and a fake Twilio REST API, and console logins --

PASSWORD = "correct horse battery staple"


@pytest.fixture
def twilio_api() -> Iterator[FakeTwilioApi]:
    fake = FakeTwilioApi().start()
    yield fake
    fake.stop()


class Console:
    def __init__(self, app_client: TestClient, username: str, codes: TotpCodes) -> None:
        self.client = app_client
        self.username, self.codes, self.csrf = username, codes, ""

    def login(self, code: str | None = None):  # type: ignore[no-untyped-def]
        response = self.client.post(
            "/advocate/api/login",
            json={
                "username": self.username,
                "password": PASSWORD,
                "code": code or self.codes.next(),
            },
        )
        if response.status_code == 200:
            self.csrf = response.json()["csrf"]
        return response

    def post(self, path: str, json: dict | None = None, csrf: bool = True):  # type: ignore[no-untyped-def]
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.client.post(path, json=json or {}, headers=headers)


@pytest.fixture
def stack(tmp_path: Path, twilio_api: FakeTwilioApi) -> Iterator[dict]:
    rasa = FakeRasa().start()
    apps: list[TestClient] = []

    def app(**overrides: object) -> TestClient:
        settings = make_settings(
            tmp_path,
            rasa.url,
            twilio_api_base_url=twilio_api.url,
            outbound_backoff_seconds=0.05,
            **overrides,
        )
        client = TestClient(create_app(settings), base_url="https://testserver")
        client.__enter__()
        apps.append(client)
        return client

    def console(client: TestClient, name: str, role: str = "advocate") -> Console:
        secret = client.app.state.auth.create(name, PASSWORD, role)
        return Console(client, name, TotpCodes(secret))

    yield {"app": app, "console": console, "rasa": rasa, "twilio": twilio_api}
    for client in apps:
        client.__exit__(None, None, None)
    rasa.stop()


def sms(client: TestClient, body: str, sender: str) -> list[str]:
    params = sms_params(body, sender=sender)
    sig = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
    return messages(client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": sig}))


def wait_for(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


# -- a real PostgreSQL database per test, where a server answers on 127.0.0.1:5432 --

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({exc.__class__.__name__})")
    name = f"waypoint_test_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()
