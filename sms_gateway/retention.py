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

from sqlalchemy import Column, Float, MetaData, String, Table, delete, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.config import DEV_PREFIX, Settings, get_settings
from sms_gateway.db import make_engine, make_session_factory, migrate, on_connect, session_scope
from sms_gateway.models import (
    AdvocateSession,
    AuditEvent,
    Contact,
    DeliveryStatus,
    Handoff,
    HandoffMessage,
    InboundMessage,
    LaterReply,
    OfferedChoices,
    SeenMessage,
    message_id_hash,
)
from sms_gateway.services.plan_store import purge_expired_plans
from sms_gateway.services.twilio_copies import TwilioCopies

AUDIT_RETENTION_DAYS = 365
HASH_BATCH = 500
SESSION_ROWS = timedelta(days=1)  # sessions end after 30 idle minutes or 12 hours in all


def purge(sessions: sessionmaker[Session], retention_days: int) -> dict[str, int]:
    """Delete what is older than the retention period; returns how many rows of each kind."""
    now = datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    counts: dict[str, int] = {}
    with session_scope(sessions) as session:
        # A purged message's id stays, hashed, so a replay of its signed request is refused.
        old_ids = session.scalars(
            select(InboundMessage.external_id).where(InboundMessage.received_at < cutoff)
        ).all()
        keep_hashes(session, [message_id_hash(i) for i in old_ids], now)
        counts["inbound_messages"] = _count(
            session.execute(delete(InboundMessage).where(InboundMessage.received_at < cutoff))
        )
        counts["later_replies"] = _count(
            session.execute(delete(LaterReply).where(LaterReply.created_at < cutoff))
        )
        counts["delivery_statuses"] = _count(
            session.execute(delete(DeliveryStatus).where(DeliveryStatus.updated_at < cutoff))
        )
        counts["handoffs_expired"] = _expire_stale_handoffs(session, cutoff, now)
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
        counts["plans"] = purge_expired_plans(session, now)  # PLAN_TTL_HOURS, not the period
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
        counts["seen_messages"] = _count(
            session.execute(delete(SeenMessage).where(SeenMessage.purged_at < audit_cutoff))
        )
        # A session signed out by its idle or absolute limit is useless; its row goes a day on.
        counts["advocate_sessions"] = _count(
            session.execute(
                delete(AdvocateSession).where(AdvocateSession.last_seen_at < now - SESSION_ROWS)
            )
        )
    return counts


def keep_hashes(session: Session, hashes: list[str], now: datetime) -> None:
    """Record purged messages' id hashes (those not recorded yet), in batches: a backlog after
    a long stop must not exceed the database's limit on bound parameters."""
    for start in range(0, len(hashes), HASH_BATCH):
        batch = set(hashes[start : start + HASH_BATCH])
        known = set(
            session.scalars(select(SeenMessage.id_hash).where(SeenMessage.id_hash.in_(batch)))
        )
        session.add_all(SeenMessage(id_hash=h, purged_at=now) for h in batch - known)
        session.flush()


def _expire_stale_handoffs(session: Session, cutoff: datetime, now: datetime) -> int:
    """A handoff still queued or claimed with nothing said for the whole retention period
    (an advocate who never closed it, a queue item nobody took) is closed and goes with its
    transcript, like an ended one; the audit trail says so, without any text."""
    recent = select(HandoffMessage.handoff_id).where(HandoffMessage.created_at >= cutoff)
    stale = session.scalars(
        select(Handoff).where(
            Handoff.status.in_(("queued", "claimed")),
            Handoff.created_at < cutoff,
            Handoff.id.not_in(recent),
        )
    ).all()
    for handoff in stale:
        session.add(AuditEvent(at=now, action="handoff_expired", handoff_id=handoff.id))
        session.execute(delete(HandoffMessage).where(HandoffMessage.handoff_id == handoff.id))
        session.delete(handoff)
    return len(stale)


def tracker_engine(url: str) -> Engine | None:
    """An engine on Rasa's tracker database, or None when no URL is set (nothing to purge).
    The file is Rasa's: its journal mode is left alone (make_engine's tune_sqlite=False), but
    what this engine deletes is overwritten with zeros (secure_delete), as the store does."""
    if not url:
        return None
    engine = make_engine(url, tune_sqlite=False)
    if engine.dialect.name == "sqlite":
        on_connect(engine, "secure_delete=ON")
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
    sessions: sessionmaker[Session],
    tracker: Engine | None,
    retention_days: int,
    copies: TwilioCopies | None = None,
) -> dict[str, int]:
    """The gateway's purge, then the tracker store's and Twilio's with the same cut-off."""
    counts = purge(sessions, retention_days)
    cutoff = datetime.now(UTC) - timedelta(days=retention_days)
    if tracker is not None:
        counts["rasa_tracker_events"] = purge_tracker(tracker, cutoff)
    if copies is not None:
        counts.update(copies.delete_sent_before(cutoff).as_dict())
    return counts


def twilio_copies(settings: Settings) -> TwilioCopies | None:
    """Twilio's copies are purged only where there is a Twilio account to ask (a real auth
    token, or the local fake TWILIO_API_BASE_URL names); a development set-up has neither."""
    if settings.twilio_api_base_url or not settings.twilio_auth_token.startswith(DEV_PREFIX):
        return TwilioCopies(settings)
    return None


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def main(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    tracker = tracker_engine(settings.rasa_tracker_url)
    copies = twilio_copies(settings)
    counts = purge_all(make_session_factory(engine), tracker, settings.retention_days, copies)
    if tracker is None:
        print("RASA_TRACKER_URL is not set: Rasa's tracker store was not purged")
    if copies is None:
        print("no Twilio account is set: Twilio's copies were not purged")
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
