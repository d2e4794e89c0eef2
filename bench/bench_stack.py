"""Benchmark of the running system: time to healthy, resident memory of each process, and the
latency of signed SMS round trips (assistant path and safe-reply path, side by side in one run).

Run with the gateway environment after `make model`: `python bench/bench_stack.py [N]`.
Talks only to 127.0.0.1. Figures are printed and written to bench/results/stack.json.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, StackConfig  # noqa: E402
from tests.helpers import free_port, sms_params, twilio_signature  # noqa: E402

TOKEN = "bench-auth-token-0123456789abcdef"
PUBLIC = "https://helpline.example.org"


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (Rasa's Sanic may fork)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def send(client: httpx.Client, url: str, body: str, sender: str) -> float:
    params = sms_params(body, sender=sender)
    sig = twilio_signature(TOKEN, f"{PUBLIC}/sms/twilio", params)
    started = time.perf_counter()
    response = client.post(url, data=params, headers={"X-Twilio-Signature": sig})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    return elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    var = Path(tempfile.mkdtemp(prefix="waypoint-bench-"))
    config = StackConfig(
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        var_dir=var,
        extra_env={
            "TWILIO_AUTH_TOKEN": TOKEN,
            "PUBLIC_BASE_URL": PUBLIC,
            "HELPLINE_ENV": "test",
            "DATABASE_URL": f"sqlite:///{var / 'gateway.db'}",
        },
    )
    stack = Stack(config)
    started = time.monotonic()
    stack.start()
    results: dict[str, object] = {}
    try:
        stack.wait_healthy(300)
        results["time_to_healthy_s"] = round(time.monotonic() - started, 1)
        url = f"{config.gateway_url}/sms/twilio"
        with httpx.Client(timeout=30) as client:
            send(client, url, "hi", "+17755550150")  # warm-up
            paths = {
                "greeting": "hi",
                "shelter_reno": "i need a shelter in reno",
                "crisis": "im in danger right now",
            }
            for name, body in paths.items():
                times = [send(client, url, body, f"+177555501{i % 100:02d}") for i in range(n)]
                results[f"sms_{name}_ms"] = {
                    "median": round(statistics.median(times), 1),
                    "p95": round(pct(times, 0.95), 1),
                    "n": n,
                }
            results["rss_mib"] = {
                name: round(rss_mib(p.pid), 1) for name, p in stack.processes.items()
            }
            os.kill(stack.processes["rasa"].pid, signal.SIGSTOP)
            try:
                frozen = [send(client, url, "hi", "+17755550160") for _ in range(3)]
            finally:
                os.kill(stack.processes["rasa"].pid, signal.SIGCONT)
            results["sms_rasa_frozen_ms"] = {"median": round(statistics.median(frozen), 1), "n": 3}
            stack.kill("rasa")
            down = [send(client, url, "hi", "+17755550161") for _ in range(n)]
            results["sms_rasa_down_ms"] = {
                "median": round(statistics.median(down), 1),
                "p95": round(pct(down, 0.95), 1),
                "n": n,
            }
    finally:
        stack.stop()
    training = ROOT / "models" / "training-seconds.txt"
    if training.exists():
        results["last_training_s"] = float(training.read_text())
    out = ROOT / "bench" / "results" / "stack.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
