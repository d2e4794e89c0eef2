"""GET /metrics for operators: what the helpline is doing now, in Prometheus' text format.

Counts only: no message text, number, pseudonym or advocate name ever becomes a label. The
figures are read from the database when scraped, so every gateway worker reports the same
numbers (no per-process counters to add up behind a load balancer):

- waypoint_up{part}: 1/0 for the gateway, database, Rasa and the action server (as /healthz).
- waypoint_handoffs{status,urgency}: conversations waiting for or held by a person.
- waypoint_handoff_oldest_wait_seconds: how long the longest-waiting person has waited.
- waypoint_advocates_on_shift: advocates signed up as on shift.
- waypoint_messages_last_hour{channel,status}: inbound messages, by how they were answered
  (answered, fallback = the safe reply while the assistant was down, silenced, to_advocate).
- waypoint_crisis_messages_last_hour{category}: messages the safety net caught, by category.
- waypoint_outbound_messages{delivery}: advocates' and system replies by delivery state
  (queued, sent, delivered, failed) within the retention period.

Access: with METRICS_TOKEN set, only `Authorization: Bearer <token>`; without it, open in
development and test, and not served at all in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import aware, session_scope
from sms_gateway.models import Advocate, Handoff, HandoffMessage, InboundMessage
from sms_gateway.services.handoff_rules import ACTIVE

CATEGORIES = ("danger", "suicide", "self_harm", "sexual_assault")


class _DatabaseCollector(Collector):
    def __init__(self, sessions: sessionmaker[Session], parts: dict[str, str]) -> None:
        self._sessions = sessions
        self._parts = parts

    def collect(self) -> Iterator[Any]:
        up = GaugeMetricFamily("waypoint_up", "1 when the part answers", labels=["part"])
        for part, state in self._parts.items():
            up.add_metric([part], 1.0 if state == "up" else 0.0)
        yield up
        now = datetime.now(UTC)
        with session_scope(self._sessions) as session:
            yield from _handoffs(session, now)
            yield from _messages(session, now)
            delivery = GaugeMetricFamily(
                "waypoint_outbound_messages",
                "Replies to people by delivery state",
                labels=["delivery"],
            )
            rows = session.execute(
                select(HandoffMessage.delivery, func.count())
                .where(HandoffMessage.delivery.is_not(None))
                .group_by(HandoffMessage.delivery)
            ).all()
            for kind, count in rows:
                delivery.add_metric([str(kind)], float(count))
            yield delivery


def _handoffs(session: Session, now: datetime) -> Iterator[Any]:
    handoffs = GaugeMetricFamily(
        "waypoint_handoffs",
        "Conversations waiting for or held by a person",
        labels=["status", "urgency"],
    )
    counts = {(s, u): 0 for s in ACTIVE for u in ("urgent", "normal")}
    rows = session.execute(
        select(Handoff.status, Handoff.urgency, func.count())
        .where(Handoff.status.in_(ACTIVE))
        .group_by(Handoff.status, Handoff.urgency)
    ).all()
    for status, urgency, count in rows:
        counts[(str(status), str(urgency))] = int(count)
    for (status, urgency), count in counts.items():
        handoffs.add_metric([status, urgency], float(count))
    yield handoffs
    oldest = session.scalar(select(func.min(Handoff.created_at)).where(Handoff.status == "queued"))
    waited = 0.0
    if oldest is not None:
        waited = max(0.0, (now - aware(oldest)).total_seconds())
    yield GaugeMetricFamily(
        "waypoint_handoff_oldest_wait_seconds",
        "How long the longest-waiting person has waited for an advocate (0: nobody waits)",
        value=waited,
    )
    on_shift = session.scalar(select(func.count()).where(Advocate.on_shift.is_(True))) or 0
    yield GaugeMetricFamily(
        "waypoint_advocates_on_shift", "Advocates marked on shift", value=float(on_shift)
    )


def _messages(session: Session, now: datetime) -> Iterator[Any]:
    since = now - timedelta(hours=1)
    messages = GaugeMetricFamily(
        "waypoint_messages_last_hour",
        "Inbound messages in the last hour, by channel and how they were answered",
        labels=["channel", "status"],
    )
    rows = session.execute(
        select(InboundMessage.channel, InboundMessage.status, func.count())
        .where(InboundMessage.received_at >= since)
        .group_by(InboundMessage.channel, InboundMessage.status)
    ).all()
    for channel, status, count in rows:
        messages.add_metric([str(channel), str(status)], float(count))
    yield messages
    crisis = GaugeMetricFamily(
        "waypoint_crisis_messages_last_hour",
        "Messages the crisis safety net caught in the last hour, by category",
        labels=["category"],
    )
    by_category = dict.fromkeys(CATEGORIES, 0)
    flags = session.scalars(
        select(InboundMessage.safety_flags).where(
            InboundMessage.received_at >= since, InboundMessage.safety_flags != ""
        )
    )
    for value in flags:
        for category in {c for c in str(value).split(",") if c in by_category}:
            by_category[category] += 1
    for category, count in by_category.items():
        crisis.add_metric([category], float(count))
    yield crisis


async def render_metrics(sessions: sessionmaker[Session], parts: dict[str, str]) -> bytes:
    """The exposition text; the queries run in a thread so the event loop keeps answering."""

    def build() -> bytes:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_DatabaseCollector(sessions, parts))
        return bytes(generate_latest(registry))

    return await asyncio.to_thread(build)
