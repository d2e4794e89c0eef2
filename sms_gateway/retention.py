"""Retention: message texts and transcripts are deleted after RETENTION_DAYS (non-negotiable 4).

Runs hourly inside the gateway, and on demand: `python -m sms_gateway.retention` (e.g. from
cron). Open handoffs keep their transcript until they end; the audit trail (no texts) is kept
for AUDIT_RETENTION_DAYS because it is the record of who saw what.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.config import Settings, get_settings
from sms_gateway.db import make_engine, make_session_factory, migrate, session_scope
from sms_gateway.models import (
    AuditEvent,
    Handoff,
    HandoffMessage,
    InboundMessage,
    OfferedChoices,
)

AUDIT_RETENTION_DAYS = 365


def purge(sessions: sessionmaker[Session], retention_days: int) -> dict[str, int]:
    """Delete what is older than the retention period; returns how many rows of each kind."""
    now = datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    counts: dict[str, int] = {}
    with session_scope(sessions) as session:
        counts["inbound_messages"] = _count(
            session.execute(delete(InboundMessage).where(InboundMessage.received_at < cutoff))
        )
        ended = select(Handoff.id).where(
            Handoff.status.in_(("returned", "closed")), Handoff.ended_at < cutoff
        )
        counts["handoff_messages"] = _count(
            session.execute(delete(HandoffMessage).where(HandoffMessage.handoff_id.in_(ended)))
        )
        counts["handoffs"] = _count(
            session.execute(
                delete(Handoff).where(
                    Handoff.status.in_(("returned", "closed")), Handoff.ended_at < cutoff
                )
            )
        )
        counts["offered_choices"] = _count(
            session.execute(delete(OfferedChoices).where(OfferedChoices.offered_at < cutoff))
        )
        audit_cutoff = now - timedelta(days=AUDIT_RETENTION_DAYS)
        counts["audit_events"] = _count(
            session.execute(delete(AuditEvent).where(AuditEvent.at < audit_cutoff))
        )
    return counts


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def main(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    counts = purge(make_session_factory(engine), settings.retention_days)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
