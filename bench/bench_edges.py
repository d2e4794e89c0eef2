"""Benchmark of the edges, on the real stack (three processes, as `make run` starts them):

1. saturation: 24 concurrent conversations in a closed loop straight to Rasa (what it can
   answer per second), and the same through the gateway (which sheds what Rasa cannot take);
2. gateway vs direct Rasa: the same messages, interleaved one by one, through the signed webhook
   and straight to Rasa's REST channel; medians and their ratio;
3. crisis reply at the webhook (911 or 988 in the first message) while Rasa is saturated (the
   closed loop running) and while it is frozen (SIGSTOP);
4. open-loop load at twice the measured saturation rate for 60 s: errors, messages lost, replies
   past their deadline, and the share answered by the assistant versus the safe reply;
5. SMS latency during a sign-in flood (40 made-up names at once), with the default limits and
   as if from many addresses (the per-address limit lifted; the global limit and the hashing
   cap left), against the same SMS without a flood.

Run with the gateway environment after `make model`: `python bench/bench_edges.py [seconds]`.
Talks only to 127.0.0.1 (a local fake Twilio API included); stops by itself. Figures are printed
and written to bench/results/edges.json. `python bench/bench_edges.py --ratio 3` runs only part
2, three times on one stack (bench/results/ratio.json).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resources.replies import render  # noqa: E402
from scripts.stack import Stack, StackConfig  # noqa: E402
from tests.helpers import FakeTwilioApi, free_port, sms_params, twilio_signature  # noqa: E402

TOKEN = "bench-auth-token-0123456789abcdef"
PUBLIC = "https://helpline.example.org"
DEADLINE = 6.0
MESSAGES = ["hi", "i need a shelter in reno", "what number can i call", "how do i talk to someone"]
CRISIS = ["im in danger right now", "i want to kill myself", "he has a gun and wont let me leave"]
SAFE = render("safe_reply")[:40]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 1),
        "p95": round(pct(values, 0.95), 1),
        "max": round(max(values), 1),
        "n": len(values),
    }


def number(i: int) -> str:
    return f"+177555501{i % 100:02d}"


class Bench:
    def __init__(self, stack: Stack, client: httpx.AsyncClient) -> None:
        self.stack = stack
        self.client = client
        self.url = f"{stack.config.gateway_url}/sms/twilio"
        self.rasa = f"{stack.config.rasa_url}/webhooks/rest/webhook"
        self.sent = 0
        self.pooled: tuple[list[float], list[float]] = ([], [])  # every ratio round's timings

    async def sms(self, body: str, sender: str) -> tuple[float, int, list[str]]:
        params = sms_params(body, sender=sender)
        sig = twilio_signature(TOKEN, f"{PUBLIC}/sms/twilio", params)
        self.sent += 1
        started = time.perf_counter()
        try:
            response = await self.client.post(
                self.url, data=params, headers={"X-Twilio-Signature": sig}
            )
        except httpx.HTTPError:
            return (time.perf_counter() - started) * 1000, 0, []
        elapsed = (time.perf_counter() - started) * 1000
        reply = ET.fromstring(response.text)  # noqa: S314 (our own gateway, on loopback)
        texts = [m.text or "" for m in reply.iter("Message")]
        return elapsed, response.status_code, texts

    async def direct(self, body: str, sender: str) -> float:
        started = time.perf_counter()
        response = await self.client.post(
            self.rasa,
            json={"sender": sender, "message": body, "metadata": {"channel": "sms"}},
        )
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000

    async def closed_loop(self, seconds: float, workers: int = 24) -> dict[str, Any]:
        stop = time.monotonic() + seconds
        latencies: list[float] = []
        answered = 0

        async def worker(w: int) -> None:
            nonlocal answered
            i = 0
            while time.monotonic() < stop:
                elapsed, _status, texts = await self.sms(MESSAGES[i % len(MESSAGES)], number(w))
                latencies.append(elapsed)
                if texts and not texts[0].startswith(SAFE):
                    answered += 1
                i += 1

        started = time.monotonic()
        await asyncio.gather(*(worker(w) for w in range(workers)))
        seconds = time.monotonic() - started
        return {
            "replies_per_s": round(len(latencies) / seconds, 1),
            "answered_by_assistant_per_s": round(answered / seconds, 1),
            "latency_ms": summary(latencies),
        }

    async def direct_closed_loop(self, seconds: float, workers: int = 24) -> dict[str, Any]:
        """Rasa's own saturation: the same loop straight to its REST channel (no gateway)."""
        stop = time.monotonic() + seconds
        latencies: list[float] = []

        async def worker(w: int) -> None:
            i = 0
            while time.monotonic() < stop:
                latencies.append(await self.direct(MESSAGES[i % len(MESSAGES)], f"sat-{w}"))
                i += 1

        started = time.monotonic()
        await asyncio.gather(*(worker(w) for w in range(workers)))
        return {
            "answered_per_s": round(len(latencies) / (time.monotonic() - started), 1),
            "latency_ms": summary(latencies),
        }

    async def ratio(self, n: int) -> dict[str, Any]:
        """Interleaved one by one, so both see the same Rasa in the same state of the run, and
        with conversations of the same shape: 76 of each, none used by the warm-up (numbers
        24-99; the warm-up's 0-23 have long histories, which make Rasa slower for them)."""
        gateway, direct = [], []
        for i in range(n):
            body = MESSAGES[i % len(MESSAGES)]
            gateway.append((await self.sms(body, number(24 + i % 76)))[0])
            direct.append(await self.direct(body, f"bench-direct-{i % 76}"))
        self.pooled[0].extend(gateway)
        self.pooled[1].extend(direct)
        g, d = statistics.median(gateway), statistics.median(direct)
        return {
            "gateway_ms": summary(gateway),
            "direct_rasa_ms": summary(direct),
            "median_ratio": round(g / d, 3),
        }

    async def crisis(self, n: int, spacing: float) -> dict[str, Any]:
        times, first_ok = [], 0
        for i in range(n):
            elapsed, status, texts = await self.sms(CRISIS[i % len(CRISIS)], number(i + 30))
            times.append(elapsed)
            if status == 200 and texts and ("911" in texts[0] or "988" in texts[0]):
                first_ok += 1
            await asyncio.sleep(spacing)
        return {"latency_ms": summary(times), "911_or_988_first": f"{first_ok}/{n}"}

    async def open_loop(self, rate: float, seconds: float) -> dict[str, Any]:
        results: list[tuple[float, int, list[str]]] = []
        tasks = []
        interval = 1.0 / rate
        started = time.monotonic()
        i = 0
        while time.monotonic() - started < seconds:
            due = started + i * interval
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            body = MESSAGES[i % len(MESSAGES)]

            async def one(b: str = body, s: str = number(i)) -> None:
                results.append(await self.sms(b, s))

            tasks.append(asyncio.create_task(one()))
            i += 1
        await asyncio.gather(*tasks)
        errors = sum(1 for _, status, _ in results if status != 200)
        late = sum(1 for ms, _, _ in results if ms > DEADLINE * 1000 + 500)
        safe = sum(1 for _, _, texts in results if texts and texts[0].startswith(SAFE))
        answered = sum(
            1
            for _, status, texts in results
            if status == 200 and texts and not texts[0].startswith(SAFE)
        )
        return {
            "offered_rate_per_s": round(rate, 1),
            "seconds": seconds,
            "sent": len(results),
            "errors": errors,
            "past_deadline": late,
            "answered_by_assistant": answered,
            "safe_reply": safe,
            "assistant_share": round(answered / max(1, len(results)), 3),
            "latency_ms": summary([ms for ms, _, _ in results]),
        }

    async def signin_flood(self, attempts: int) -> list[float]:
        async def attempt(i: int) -> None:
            await self.client.post(
                f"{self.stack.config.gateway_url}/advocate/api/login",
                json={"username": f"made-up-{i}", "password": "x" * 16, "code": "123456"},
            )

        flood = [asyncio.create_task(attempt(i)) for i in range(attempts)]
        times = []
        for i in range(20):
            times.append((await self.sms("hi", number(70 + i)))[0])
        await asyncio.gather(*flood)
        return times


def unanswered(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT status, COUNT(*) FROM inbound_messages GROUP BY status"))
    return {str(k): int(v) for k, v in rows.items()}


def start(var: Path, twilio: FakeTwilioApi, extra: dict[str, str]) -> Stack:
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
            "TWILIO_API_BASE_URL": twilio.url,
            # the load comes from 100 fake numbers and one address: lift those limits only
            "SMS_RATE_PER_NUMBER": "100000/minute",
            "SMS_RATE_GLOBAL": "100000/second",
            **extra,
        },
    )
    stack = Stack(config)
    stack.start()
    stack.wait_healthy(300)
    return stack


async def run(load_seconds: float) -> dict[str, Any]:
    results: dict[str, Any] = {"deadline_s": DEADLINE}
    twilio = FakeTwilioApi().start()
    var = Path(tempfile.mkdtemp(prefix="waypoint-bench-edges-"))
    stack = start(var, twilio, {})
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
    try:
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            bench = Bench(stack, client)
            await bench.closed_loop(5)  # warm-up
            results["ratio_sequential"] = await bench.ratio(120)
            saturation = await bench.direct_closed_loop(20)
            results["rasa_saturation_24_conversations"] = saturation
            results["gateway_24_conversations"] = await bench.closed_loop(20)

            # Twice what Rasa can answer, for `load_seconds`; crisis messages from other
            # numbers meanwhile, one a second (measured apart from the load).
            rate = 2 * saturation["answered_per_s"]
            load = asyncio.create_task(bench.open_loop(rate, load_seconds))
            await asyncio.sleep(5)
            results["crisis_while_saturated"] = await bench.crisis(40, 1.0)
            results["open_loop_2x_saturation"] = await load
            await asyncio.sleep(DEADLINE + 35)  # late answers and the assistant's parts drain
            statuses = unanswered(var / "gateway.db")
            results["open_loop_2x_saturation"]["stored_by_status"] = statuses
            results["open_loop_2x_saturation"]["stored"] = sum(statuses.values())
            results["open_loop_2x_saturation"]["left_unanswered"] = statuses.get("received", 0)
            results["sent_in_all"] = bench.sent

            quiet = [(await bench.sms("hi", number(80 + i % 10)))[0] for i in range(20)]
            flood = await bench.signin_flood(40)
            results["signin_flood_default_limits"] = {
                "sms_ms_without_flood": summary(quiet),
                "sms_ms_during_flood": summary(flood),
                "median_ratio": round(statistics.median(flood) / statistics.median(quiet), 3),
            }

            os.kill(stack.processes["rasa"].pid, signal.SIGSTOP)
            try:
                results["crisis_while_rasa_frozen"] = await bench.crisis(30, 0.2)
                frozen_plain = [(await bench.sms("hi", number(90)))[0] for _ in range(3)]
                results["plain_while_rasa_frozen_ms"] = summary(frozen_plain)
            finally:
                os.kill(stack.processes["rasa"].pid, signal.SIGCONT)
    finally:
        stack.stop()

    # The sign-in flood again as if from many addresses (the per-address limit lifted): the
    # global limit and the hashing cap are what is left.
    var2 = Path(tempfile.mkdtemp(prefix="waypoint-bench-edges-"))
    lifted = {"LOGIN_RATE_PER_ADDRESS": "100000/minute"}
    stack = start(var2, twilio, lifted)
    try:
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            bench = Bench(stack, client)
            await bench.closed_loop(3, workers=2)
            quiet = [(await bench.sms("hi", number(80 + i % 10)))[0] for i in range(20)]
            flood = await bench.signin_flood(40)
            results["signin_flood_no_address_limit"] = {
                "sms_ms_without_flood": summary(quiet),
                "sms_ms_during_flood": summary(flood),
                "median_ratio": round(statistics.median(flood) / statistics.median(quiet), 3),
            }
    finally:
        stack.stop()
        twilio.stop()
    return results


async def ratio_only(rounds: int) -> dict[str, Any]:
    """Only the gateway/direct ratio, `rounds` times on one stack (after the same warm-up)."""
    twilio = FakeTwilioApi().start()
    stack = start(Path(tempfile.mkdtemp(prefix="waypoint-bench-ratio-")), twilio, {})
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            bench = Bench(stack, client)
            await bench.closed_loop(5)
            rounds_ = [await bench.ratio(120) for _ in range(rounds)]
            gateway, direct = bench.pooled
            g, d = statistics.median(gateway), statistics.median(direct)
            pooled = {"gateway_ms": summary(gateway), "direct_rasa_ms": summary(direct),
                      "median_ratio": round(g / d, 3)}  # fmt: skip
            return {"ratio_sequential": rounds_, "all_rounds": pooled}
    finally:
        stack.stop()
        twilio.stop()


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--ratio":  # bench_edges.py --ratio 3
        results = asyncio.run(ratio_only(int(sys.argv[2])))
        (ROOT / "bench" / "results" / "ratio.json").write_text(json.dumps(results, indent=2))
        print(json.dumps(results, indent=2))
        return 0
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    results = asyncio.run(run(seconds))
    out = ROOT / "bench" / "results" / "edges.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
