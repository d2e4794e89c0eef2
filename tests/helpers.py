"""Shared test helpers: Twilio-signed requests and small real HTTP peers on loopback."""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyotp
from twilio.request_validator import RequestValidator

# Fake numbers reserved for fiction (555-01xx): never a real person's.
YOUTH = "+17755550101"
CAREGIVER = "+17025550102"
HELPLINE = "+17025550100"


def sms_params(
    body: str, sender: str = YOUTH, sid: str | None = None, **extra: str
) -> dict[str, str]:
    params = {
        "MessageSid": sid or "SM" + secrets.token_hex(16),
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": HELPLINE,
        "Body": body,
        "NumMedia": "0",
    }
    params.update(extra)
    return params


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """Computed with Twilio's own validator, never hard-coded."""
    return str(RequestValidator(auth_token).compute_signature(url, params))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class FakeRasa:
    """A real HTTP server on loopback speaking Rasa's REST channel; records what it was sent."""

    reply: list[dict[str, Any]] = field(default_factory=lambda: [{"text": "Hi from the bot."}])
    delay: float = 0.0
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)
    # Turns it has finished answering: a reply that comes back while this is still 0 did not
    # wait for the assistant (a structural check, unlike a timing one on a shared machine).
    answered: int = 0
    port: int = 0
    # HTTP/1.1 with kept-alive connections, as Rasa's server answers (benchmarks); the tests'
    # default closes each connection, so every request is on its own.
    keep_alive: bool = False
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FakeRasa:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if fake.keep_alive else "HTTP/1.0"
            disable_nagle_algorithm = True  # headers and body leave without waiting for an ACK

            def log_message(self, *_args: Any) -> None:
                return

            def do_GET(self) -> None:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"Hello from Rasa: fake")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                fake.received.append(json.loads(self.rfile.read(length)))
                time.sleep(fake.delay)
                fake.answered += 1
                body = json.dumps(fake.reply).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                if fake.keep_alive:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


class FrozenServer:
    """Accepts TCP connections (the kernel does) but never reads or answers: a hung process."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.sock.close()


@dataclass
class FakeTwilioApi:
    """A local stand-in for Twilio's REST API (TWILIO_API_BASE_URL points here): records every
    message the gateway sends; `fail` makes it answer like Twilio does on an error. Like
    Twilio it keeps a copy of each message (`stored`: what was sent, and what a test says was
    received with `received`), lists them by To, From and DateSent<, and deletes them."""

    sent: list[dict[str, str]] = field(default_factory=list)
    stored: dict[str, dict[str, str]] = field(default_factory=dict)  # sid -> To, From, Body, date
    deleted: list[str] = field(default_factory=list)
    fail: bool = False
    fail_code: int = 20500  # the error code a failing answer carries (30003: phone off)
    delay: float = 0.0  # seconds before answering: a slow Twilio
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FakeTwilioApi:
        import urllib.parse

        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                return

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                found = [
                    {"sid": sid, "to": m["To"], "from": m["From"], "body": m["Body"],
                     "status": "delivered", "date_sent": m["date"]}
                    for sid, m in list(fake.stored.items())
                    if ("To" not in query or m["To"] == query["To"])
                    and ("From" not in query or m["From"] == query["From"])
                    and ("DateSent<" not in query or m["date"][:10] < query["DateSent<"])
                ]  # fmt: skip
                self._answer(200, {"messages": found, "next_page_uri": None, "page": 0,
                                   "page_size": len(found), "uri": url.path})  # fmt: skip

            def do_DELETE(self) -> None:
                sid = self.path.rsplit("/", 1)[-1].removesuffix(".json")
                if fake.stored.pop(sid, None) is None:
                    self._answer(404, {"code": 20404, "message": "not found", "status": 404})
                    return
                fake.deleted.append(sid)
                self.send_response(204)
                self.end_headers()

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                time.sleep(fake.delay)
                fake.sent.append(form)  # every attempt, failed ones included
                if fake.fail:
                    status = 500 if fake.fail_code == 20500 else 400
                    body = {"code": fake.fail_code, "message": "error", "status": status}
                else:
                    sid = "SM" + secrets.token_hex(16)
                    fake.received(sid, form.get("From", ""), form.get("To", ""),
                                  form.get("Body", ""))  # fmt: skip
                    status, body = (
                        201,
                        {
                            "sid": sid,
                            "status": "queued",
                            "to": form.get("To"),
                            "from": form.get("From"),
                            "body": form.get("Body"),
                        },
                    )
                self._answer(status, body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def received(self, sid: str, sender: str, to: str, body: str, date: str = "") -> None:
        """Keep a copy of a message as Twilio does (``date``: ISO date-time, today if empty)."""
        when = date or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.stored[sid] = {"From": sender, "To": to, "Body": body, "date": when}

    def bodies_to(self, number: str) -> list[str]:
        return [m.get("Body", "") for m in self.sent if m.get("To") == number]

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


class TotpCodes:
    """Codes an advocate has not used yet. The gateway accepts each 30-second code once, and
    one step either side of its clock; so this hands out the current step's code, then the
    next step's, then waits for the clock, as a person with an authenticator app would."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.last_step = -1

    def next(self) -> str:
        while True:
            now = self.totp.timecode(datetime.now(UTC))
            for step in (now, now + 1):
                if step > self.last_step:
                    self.last_step = step
                    return str(self.totp.generate_otp(step))
            time.sleep(max(0.2, self.totp.interval - time.time() % self.totp.interval))
