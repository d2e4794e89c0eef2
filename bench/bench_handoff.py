"""Benchmark: time from a signed Twilio webhook to the queue entry showing in a connected
advocate console (server-sent event received + queue fetched), over N escalations.

Starts the real stack on free loopback ports, creates an advocate with the admin command, signs
in, listens on /advocate/api/events, and sends crisis SMS (urgent escalations, raised by the
gateway's safety net) from N different fake numbers. Prints and writes
bench/results/handoff.json. Usage: `python bench/bench_handoff.py [N]` (gateway env).
"""

from __future__ import annotations

import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyotp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, StackConfig  # noqa: E402
from tests.helpers import free_port, sms_params, twilio_signature  # noqa: E402

TOKEN = "bench-auth-token-0123456789abcdef"
PUBLIC = "https://helpline.example.org"


def main() -> int:
    n = min(100, int(sys.argv[1]) if len(sys.argv) > 1 else 100)  # 100 fake numbers 555-01xx
    var = Path(tempfile.mkdtemp(prefix="waypoint-bench-handoff-"))
    db = f"sqlite:///{var / 'gateway.db'}"
    config = StackConfig(
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        var_dir=var,
        extra_env={
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PUBLIC_BASE_URL": PUBLIC,
            "HELPLINE_ENV": "test",
            "DATABASE_URL": db,
        },
    )
    stack = Stack(config)
    stack.start()
    try:
        stack.wait_healthy(300)
        env = dict(os.environ, DATABASE_URL=db, PYTHONPATH=str(ROOT))
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "sms_gateway.admin",
                "add-advocate",
                "bench",
                "--password-stdin",
            ],
            input="bench-password-0123456789\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        ).stdout
        secret = out.split("totp_secret=")[1].split()[0]
        base = config.gateway_url
        console = httpx.Client(base_url=base, timeout=30)
        login = console.post(
            "/advocate/api/login",
            json={
                "username": "bench",
                "password": "bench-password-0123456789",
                "code": pyotp.TOTP(secret).now(),
            },
        )
        login.raise_for_status()
        session_cookie = login.cookies.get("__Host-waypoint_session") or next(
            c.split("=", 1)[1].split(";")[0] for c in login.headers.get_list("set-cookie")
        )
        cookies = {"__Host-waypoint_session": session_cookie}
        events: queue.Queue[float] = queue.Queue()

        def listen() -> None:
            try:
                with httpx.stream(
                    "GET",
                    f"{base}/advocate/api/events",
                    cookies=cookies,
                    timeout=httpx.Timeout(10.0, read=600.0),
                ) as stream:
                    for line in stream.iter_lines():
                        if line.startswith("data:") and json.loads(line[5:])["type"] == "queue":
                            events.put(time.perf_counter())
            except httpx.HTTPError:
                return  # the stack stopped at the end of the run

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)
        timings = []
        with httpx.Client(timeout=30) as twilio:
            for i in range(n):
                params = sms_params("im in danger right now", sender=f"+177555501{i:02d}")
                sig = twilio_signature(TOKEN, f"{PUBLIC}/sms/twilio", params)
                while not events.empty():
                    events.get_nowait()
                started = time.perf_counter()
                twilio.post(f"{base}/sms/twilio", data=params, headers={"X-Twilio-Signature": sig})
                events.get(timeout=30)
                items = httpx.get(f"{base}/advocate/api/queue", cookies=cookies).json()["items"]
                assert len(items) == i + 1
                timings.append((time.perf_counter() - started) * 1000)
        ordered = sorted(timings)
        result = {
            "escalations": n,
            "webhook_to_console_ms": {
                "median": round(statistics.median(timings), 1),
                "p95": round(ordered[int(0.95 * (n - 1))], 1),
                "max": round(ordered[-1], 1),
            },
            "note": "full webhook (safety net + Rasa turn) plus the console's queue fetch",
        }
    finally:
        stack.stop()
    (ROOT / "bench" / "results" / "handoff.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
