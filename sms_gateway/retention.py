"""Retention: message texts and transcripts are deleted after RETENTION_DAYS (non-negotiable 4).

Runs hourly inside the gateway, and on demand: `python -m sms_gateway.retention` (e.g. from
cron). Open handoffs keep their transcript until they end; the audit trail (no texts) is kept
for AUDIT_RETENTION_DAYS because it is the record of who saw what.

Rasa's SQL tracker store keeps every text a person sent (under the pseudonym) in its own
`events` table and never deletes it, so the same cut-off is applied there too when
RASA_TRACKER_URL names that database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Float, MetaData, String, Table, delete, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.config import Settings, get_settings
from sms_gateway.db import make_engine, make_session_factory, migrate, session_scope
from sms_gateway.models import (
    AuditEvent,
    Contact,
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
        # Per-number state is kept while it matters: a STOP stays (carriers require it), but
        # the language of someone who has not written for the whole period is forgotten.
        counts["contacts"] = _count(
            session.execute(
                delete(Contact).where(Contact.opted_out.is_(False), Contact.updated_at < cutoff)
            )
        )
        audit_cutoff = now - timedelta(days=AUDIT_RETENTION_DAYS)
        counts["audit_events"] = _count(
            session.execute(delete(AuditEvent).where(AuditEvent.at < audit_cutoff))
        )
    return counts


def tracker_engine(url: str) -> Engine | None:
    """An engine on Rasa's tracker database, or None when no URL is set (nothing to purge).
    The file is Rasa's: its journal mode is left alone (make_engine's tune_sqlite=False), but
    what this engine deletes is overwritten with zeros (secure_delete), as the store does."""
    if not url:
        return None
    engine = make_engine(url, tune_sqlite=False)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _secure_delete(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

    return engine


# The columns of Rasa 3.6's SQLTrackerStore `events` table that a purge needs (rasa/core/
# tracker_store.py, SQLEvent): `timestamp` is the event's time in seconds since the epoch,
# `sender_id` the conversation's pseudonym.
_EVENTS = Table("events", MetaData(), Column("timestamp", Float), Column("sender_id", String(255)))


def erase_tracker(engine: Engine, sender_id: str) -> int:
    """Delete every tracker event of one conversation (EXIT, quick exit): Rasa's /restart only
    resets it, and its events would keep every text. Returns how many rows."""
    if not inspect(engine).has_table("events"):
        return 0
    with engine.begin() as connection:
        result = connection.execute(delete(_EVENTS).where(_EVENTS.c.sender_id == sender_id))
    return _count(result)


def purge_tracker(engine: Engine, cutoff: datetime) -> int:
    """Delete Rasa tracker events older than ``cutoff``; returns how many.

    Sessions expire after 60 idle minutes (bot/domain.yml), so a cut-off of days only ever
    removes whole, ended sessions. Before Rasa's first start there is no table: nothing to do."""
    if not inspect(engine).has_table("events"):
        return 0
    with engine.begin() as connection:
        result = connection.execute(delete(_EVENTS).where(_EVENTS.c.timestamp < cutoff.timestamp()))
    return _count(result)


def purge_all(
    sessions: sessionmaker[Session], tracker: Engine | None, retention_days: int
) -> dict[str, int]:
    """The gateway's purge, then the tracker store's with the same cut-off."""
    counts = purge(sessions, retention_days)
    if tracker is not None:
        cutoff = datetime.now(UTC) - timedelta(days=retention_days)
        counts["rasa_tracker_events"] = purge_tracker(tracker, cutoff)
    return counts


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def main(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    tracker = tracker_engine(settings.rasa_tracker_url)
    counts = purge_all(make_session_factory(engine), tracker, settings.retention_days)
    if tracker is None:
        print("RASA_TRACKER_URL is not set: Rasa's tracker store was not purged")
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
