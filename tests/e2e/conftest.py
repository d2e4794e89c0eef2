"""One real stack (action server, Rasa server, gateway as processes) shared by the session's
end-to-end tests. They talk to it only over HTTP on loopback, as Twilio would."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyotp
import pytest

from scripts.stack import ROOT, Stack, StackConfig
from sms_gateway.services.safety_net import default_detector
from tests.helpers import FakeTwilioApi, TotpCodes, free_port, sms_params, twilio_signature

AUTH_TOKEN = "e2e-auth-token-0123456789abcdef"
PUBLIC = "https://helpline.example.org"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that kill or freeze Rasa run last, so the others see a healthy stack.
    items.sort(key=lambda item: 1 if item.get_closest_marker("disruptive") else 0)


class NeutralSite:
    """Stands in for the everyday site quick exit goes to (tests reach only loopback)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                return

            def do_GET(self) -> None:
                body = b"<!doctype html><title>Weather</title><h1>Local weather</h1>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/weather"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def neutral_site() -> Iterator[NeutralSite]:
    site = NeutralSite()
    yield site
    site.close()


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilioApi]:
    """Twilio's REST API as a local fake: records the SMS the gateway sends (advocate replies)."""
    fake = FakeTwilioApi().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory, neutral_site: NeutralSite, fake_twilio: FakeTwilioApi
) -> Iterator[Stack]:
    if not (ROOT / "models" / "waypoint.tar.gz").exists():
        pytest.fail("no trained model: run `make test` (it trains first)")
    var = tmp_path_factory.mktemp("stack")
    config = StackConfig(
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        var_dir=var,
        extra_env={
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "PUBLIC_BASE_URL": PUBLIC,
            "DATABASE_URL": f"sqlite:///{var / 'gateway.db'}",
            "HELPLINE_ENV": "test",
            "RASA_TIMEOUT_SECONDS": "6",
            "QUICK_EXIT_URL": neutral_site.url,
            "TWILIO_API_BASE_URL": fake_twilio.url,
            "OUTBOUND_BACKOFF_SECONDS": "0.2",
            # Every test comes from 127.0.0.1: the per-address limits have their own tests
            # (tests/gateway/test_limits.py) and would only get in the way of these.
            "LOGIN_RATE_PER_ADDRESS": "10000/minute",
            "LOGIN_RATE_GLOBAL": "10000/minute",
            "WEB_NEW_RATE_PER_ADDRESS": "10000/minute",
            "WEB_MESSAGE_RATE_PER_ADDRESS": "10000/minute",
        },
    )
    stack = Stack(config)
    stack.fake_twilio = fake_twilio  # type: ignore[attr-defined]  # what Phone reads later SMS from
    stack.start()
    try:
        stack.wait_healthy(timeout=float(os.environ.get("E2E_START_TIMEOUT", "300")))
        yield stack
    finally:
        stack.stop()


class Phone:
    """A person texting the helpline: each `send` is one signed Twilio webhook, and returns
    what the phone shows: the TwiML reply, then (after crisis words, whose reply leaves at once)
    the assistant's part that follows by Twilio's REST API (the local fake)."""

    def __init__(self, stack: Stack, number: str) -> None:
        self.stack = stack
        self.number = number

    def send(self, body: str, sid: str | None = None, timeout: float = 30.0) -> list[str]:
        fake: FakeTwilioApi | None = getattr(self.stack, "fake_twilio", None)
        before = len(fake.bodies_to(self.number)) if fake else 0
        texts = self.twiml(body, sid, timeout)
        if fake is not None and default_detector().detect(body) is not None:
            texts += self.later(fake, before + 0, wait=4.0)
        return texts

    def twiml(self, body: str, sid: str | None = None, timeout: float = 30.0) -> list[str]:
        """Only what came in the webhook's TwiML reply."""
        response = self.post(body, sid, timeout)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        return [m.text or "" for m in ET.fromstring(response.text).iter("Message")]

    def later(self, fake: FakeTwilioApi, seen: int, wait: float = 4.0) -> list[str]:
        """SMS sent to this phone after the first `seen`: waits for the first one (up to
        `wait` seconds), then until none has come for half a second."""
        deadline = time.monotonic() + wait
        while len(fake.bodies_to(self.number)) <= seen and time.monotonic() < deadline:
            time.sleep(0.05)
        count = len(fake.bodies_to(self.number))
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < 0.5:
            time.sleep(0.05)
            if len(fake.bodies_to(self.number)) != count:
                count, quiet_since = len(fake.bodies_to(self.number)), time.monotonic()
        return fake.bodies_to(self.number)[seen:]

    def post(self, body: str, sid: str | None = None, timeout: float = 30.0) -> httpx.Response:
        params = sms_params(body, sender=self.number, sid=sid)
        signature = twilio_signature(AUTH_TOKEN, f"{PUBLIC}/sms/twilio", params)
        return httpx.post(
            f"{self.stack.config.gateway_url}/sms/twilio",
            data=params,
            headers={"X-Twilio-Signature": signature},
            timeout=timeout,
        )


_counter = iter(range(10, 100))


@pytest.fixture
def phone(stack: Stack) -> Phone:
    """A new fake number (555-01xx) per test, so conversations do not mix."""
    return Phone(stack, f"+177555501{next(_counter):02d}")


def log_text(stack: Stack) -> str:
    return "".join(
        p.read_text(errors="replace") for p in Path(stack.config.var_dir, "logs").glob("*.log")
    )


@dataclass
class AdvocateAccount:
    username: str
    password: str
    codes: TotpCodes  # each code signs in once, as the gateway requires

    @property
    def totp(self) -> pyotp.TOTP:
        return self.codes.totp


def _add_account(stack: Stack, username: str, role: str) -> AdvocateAccount:
    """Created with the documented operator command, against the stack's own database."""
    password = f"{username}-password-0123456789"
    env = dict(
        os.environ, DATABASE_URL=stack.config.extra_env["DATABASE_URL"], PYTHONPATH=str(ROOT)
    )
    result = subprocess.run(
        [
            str(ROOT / ".venv-gateway" / "bin" / "python"),
            "-m",
            "sms_gateway.admin",
            "add-advocate",
            username,
            "--role",
            role,
            "--password-stdin",
        ],
        input=password + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    secret = re.search(r"totp_secret=(\w+)", result.stdout)
    assert secret, result.stdout
    return AdvocateAccount(username, password, TotpCodes(secret.group(1)))


_advocates = itertools.count(1)


@pytest.fixture
def advocate(stack: Stack) -> AdvocateAccount:
    """A new advocate per test: a TOTP code signs in once, so one shared account would have to
    wait for its authenticator's next code between tests."""
    return _add_account(stack, f"ana{next(_advocates)}", "advocate")


@pytest.fixture(scope="session")
def supervisor(stack: Stack) -> AdvocateAccount:
    return _add_account(stack, "sam", "supervisor")
