"""Operators' account commands, run as an operator would (`python -m sms_gateway.admin`,
against the gateway's own database): disable an account (its sessions end at once, sign-in is
refused with the usual answer), enable it again, end its sessions, reset its second factor
(the old authenticator stops working). And the growing wait, on its own clock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyotp

from sms_gateway.services.signin_delays import SignInDelays, wait_after
from tests.gateway.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _admin(client, *args: str) -> str:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DATABASE_URL": client.app.state.settings.database_url,
           "HELPLINE_ENV": "test", "PYTHONPATH": str(ROOT)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "sms_gateway.admin", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def test_disable_enable_end_sessions_and_reset_the_second_factor(stack):
    client = stack["app"]()
    ana = stack["console"](client, "ana")
    assert ana.login().status_code == 200
    assert client.get("/advocate/api/me").status_code == 200

    assert "sessions ended=1" in _admin(client, "disable-advocate", "ana")
    assert client.get("/advocate/api/me").status_code == 401  # signed out at once
    refused = ana.login()
    assert (refused.status_code, refused.json()) == (401, {"detail": "Sign-in failed"})
    _admin(client, "enable-advocate", "ana")
    assert ana.login().status_code == 200

    assert "sessions ended=1" in _admin(client, "end-sessions", "ana")
    assert client.get("/advocate/api/me").status_code == 401
    out = _admin(client, "reset-2fa", "ana")
    assert "totp_secret=" in out and "otpauth://" in out
    assert ana.login().status_code == 401  # the old authenticator's codes no longer work
    secret = out.split("totp_secret=")[1].split()[0]
    body = {"username": "ana", "password": PASSWORD, "code": pyotp.TOTP(secret).now()}
    assert client.post("/advocate/api/login", json=body).status_code == 200
    with_error = subprocess.run(
        [sys.executable, "-m", "sms_gateway.admin", "end-sessions", "nobody"], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": client.app.state.settings.database_url,
             "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert with_error.returncode == 2 and "no account" in with_error.stderr


def test_the_wait_grows_per_place_and_is_forgotten_after_success():
    now = [1000.0]
    delays = SignInDelays(clock=lambda: now[0])
    here, there = SignInDelays.keys("Ana", "192.0.2.1"), SignInDelays.keys("ana", "192.0.2.2")
    assert [wait_after(n) for n in (0, 3, 4, 5, 6, 20)] == [0, 0, 2, 4, 8, 300]
    for _ in range(5):
        delays.failed(here)
    assert delays.wait_left(here) == 4.0
    assert delays.wait_left(there) == 0.0  # another place: no wait
    now[0] += 4.0
    assert delays.wait_left(here) == 0.0
    delays.succeeded(here)
    delays.failed(here)
    assert delays.wait_left(here) == 0.0  # started again from nothing
    office = [SignInDelays.keys(f"colleague{i}", "198.51.100.7") for i in range(10)]
    for keys in office:  # ten colleagues' typos behind one office address
        delays.failed(keys)
    assert delays.wait_left(SignInDelays.keys("ana", "198.51.100.7")) == 0.0
    delays.failed(SignInDelays.keys("stranger", "198.51.100.7"))  # the 11th in a row
    assert delays.wait_left(SignInDelays.keys("ana", "198.51.100.7")) == 2.0
