"""What the gateway itself adds to one SMS: the gateway process (uvicorn, as `make run` starts
it) against an instant fake Rasa on loopback, so every millisecond measured is the gateway's:
the form and the signature, storing the message, asking the assistant, storing the reply, the
TwiML. Sequential signed SMS from 50 numbers, after a warm-up.

    .venv-gateway/bin/python bench/bench_overhead.py [messages]

Prints the figures and writes them to bench/results/overhead.json. Issue 10's target is a
gateway median at most 1.10 times a direct call to Rasa (bench_edges.py measures both with the
real Rasa); this one shows where the gateway's share of that stands, run to run."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import FakeRasa, free_port, sms_params, twilio_signature  # noqa: E402

TOKEN = "bench-auth-token-0123456789abcdef"
PUBLIC = "https://helpline.example.org"
MESSAGES = ["hi", "i need a shelter in reno", "what number can i call", "how do i talk to someone"]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the gateway did not start")


def run(n: int) -> dict[str, object]:
    rasa = FakeRasa(keep_alive=True).start()  # kept-alive connections, as Rasa's Sanic
    port = free_port()
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "HELPLINE_ENV": "test",
            "HELPLINE_PORT": str(port),
            "DATABASE_URL": f"sqlite:///{var}/gateway.db",
            "RASA_URL": rasa.url,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PUBLIC_BASE_URL": PUBLIC,
            "SMS_RATE_PER_NUMBER": "1000/minute",
            "SMS_RATE_GLOBAL": "1000/second",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        gateway = subprocess.Popen(
            [sys.executable, "-m", "sms_gateway"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(f"{url}/health")
            latencies = []
            with httpx.Client(timeout=10) as client:
                for i in range(n + 50):
                    sender = f"+177555501{i % 50:02d}"
                    params = sms_params(MESSAGES[i % len(MESSAGES)], sender=sender)
                    sig = twilio_signature(TOKEN, f"{PUBLIC}/sms/twilio", params)
                    started = time.perf_counter()
                    response = client.post(
                        f"{url}/sms/twilio", data=params, headers={"X-Twilio-Signature": sig}
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200 and "Message" in response.text
                    if i >= 50:  # the first 50 warm the process and open the conversations
                        latencies.append(elapsed)
        finally:
            gateway.terminate()
            gateway.wait(10)
            rasa.stop()
    ordered = sorted(latencies)
    return {
        "messages": n,
        "gateway_with_instant_rasa_ms": {
            "median": round(statistics.median(latencies), 2),
            "p95": round(ordered[round(0.95 * (len(ordered) - 1))], 2),
        },
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    figures = run(n)
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "results" / "overhead.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
