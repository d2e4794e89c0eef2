"""Texts are purged after the retention period; open handoffs and recent texts are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from sms_gateway.models import (
    AdvocateSession,
    AuditEvent,
    Contact,
    DeliveryStatus,
    Handoff,
    HandoffMessage,
    InboundMessage,
    LaterReply,
    SeenMessage,
)
from sms_gateway.retention import purge, purge_all, purge_tracker, tracker_engine
from sms_gateway.services.twilio_copies import TwilioCopies
from tests.gateway.conftest import messages, post_sms, wait_for


def test_old_texts_are_purged_and_recent_ones_kept(client_for, fake_rasa):
    client = client_for(fake_rasa.url, retention_days=30)
    messages(post_sms(client, "old message", sid="SM" + "1" * 32))
    messages(post_sms(client, "new message", sid="SM" + "2" * 32))
    sessions = client.app.state.sessions
    old = datetime.now(UTC) - timedelta(days=31)
    with sessions() as session:
        row = session.scalar(
            select(InboundMessage).where(InboundMessage.external_id == "SM" + "1" * 32)
        )
        row.received_at = old
        ended = Handoff(
            conversation_id="sms-x",
            channel="sms",
            urgency="normal",
            reason="asked",
            status="closed",
            summary_encrypted=b"x",
            created_at=old,
            ended_at=old,
        )
        still_open = Handoff(
            conversation_id="sms-y",
            channel="sms",
            urgency="normal",
            reason="asked",
            status="claimed",
            summary_encrypted=b"x",
            created_at=old,
        )
        session.add_all([ended, still_open])
        session.flush()
        session.add_all(
            [
                HandoffMessage(
                    handoff_id=ended.id,
                    sender="youth",
                    body_encrypted=b"x",
                    created_at=old,
                    attempts=0,
                ),
                HandoffMessage(  # still going: something was said this month
                    handoff_id=still_open.id,
                    sender="youth",
                    body_encrypted=b"x",
                    created_at=datetime.now(UTC),
                    attempts=0,
                ),
            ]
        )
        session.commit()
    counts = purge(sessions, 30)
    assert counts["inbound_messages"] == 1 and counts["handoffs"] == 1
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundMessage)) == 1
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
        assert session.scalar(select(func.count()).select_from(HandoffMessage)) == 1


def test_a_stop_is_kept_but_an_old_language_is_forgotten(client_for, fake_rasa):
    client = client_for(fake_rasa.url, retention_days=30)
    messages(post_sms(client, "hola necesito ayuda", sender="+17025550141"))
    messages(post_sms(client, "STOP", sender="+17025550142"))
    sessions = client.app.state.sessions
    with sessions() as session:
        for contact in session.scalars(select(Contact)):
            contact.updated_at = datetime.now(UTC) - timedelta(days=31)
        session.commit()
    assert purge(sessions, 30)["contacts"] == 1
    with sessions() as session:
        left = session.scalars(select(Contact)).all()
        assert [(c.opted_out, c.language) for c in left] == [(True, None)]


def test_no_tracker_url_means_no_tracker_purge() -> None:
    assert tracker_engine("") is None


def test_tracker_purge_before_rasas_first_start_does_nothing(tmp_path) -> None:
    engine = tracker_engine(f"sqlite:///{tmp_path / 'rasa_tracker.db'}")
    assert engine is not None
    assert purge_tracker(engine, datetime.now(UTC)) == 0
    engine.dispose()


def _tracker_with_events(path, senders: dict[str, int]):  # type: ignore[no-untyped-def]
    """A tracker database laid out as Rasa 3.6's SQLTrackerStore makes it, with sealed-looking
    rows (each holds a marker, to see whether its bytes stay in the file)."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,"
            " type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),"
            " action_name VARCHAR(255), data TEXT)"
        )
        for sender, count in senders.items():
            for i in range(count):
                conn.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?,?,?,?)",
                    (sender, "user", float(i), f"gAAAAA-marker-{sender}-{i}-" + "x" * 200),
                )


def _events_of(path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    import sqlite3

    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))


def test_exit_erases_that_conversation_from_the_tracker_store_and_no_other(
    client_for, fake_rasa, tmp_path
):
    db = tmp_path / "rasa_tracker.db"
    client = client_for(fake_rasa.url, rasa_tracker_url=f"sqlite:///{db}")
    messages(post_sms(client, "hi", sender="+17755550131"))
    conversation = fake_rasa.received[0]["sender"]
    _tracker_with_events(db, {conversation: 12, "sms-someone-else": 3})
    assert messages(post_sms(client, "EXIT", sender="+17755550131")) == []
    wait_for(lambda: conversation not in _events_of(db))
    assert _events_of(db) == {"sms-someone-else": 3}
    raw = db.read_bytes()
    assert f"marker-{conversation}".encode() not in raw  # overwritten, not only unlinked
    assert b"marker-sms-someone-else" in raw


def test_quick_exit_erases_the_web_conversation_from_the_tracker_store(
    client_for, fake_rasa, tmp_path
):
    db = tmp_path / "rasa_tracker.db"
    client = client_for(fake_rasa.url, rasa_tracker_url=f"sqlite:///{db}")
    token = client.post("/chat/api/conversations").json()["conversation"]
    client.post("/chat/api/messages", json={"text": "hi"}, headers={"X-Chat-Token": token})
    conversation = fake_rasa.received[0]["sender"]
    _tracker_with_events(db, {conversation: 5, "web-other": 2})
    assert client.post("/chat/api/forget", json={"conversation": token}).status_code == 204
    wait_for(lambda: conversation not in _events_of(db))
    assert _events_of(db) == {"web-other": 2}


def _count_of(sessions, model) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)))


def test_retention_reaches_stale_handoffs_statuses_sessions_and_later_replies(
    client_for, fake_rasa
):
    client = client_for(fake_rasa.url, retention_days=30)
    sessions = client.app.state.sessions
    old, now = datetime.now(UTC) - timedelta(days=31), datetime.now(UTC)
    with sessions() as session:
        forgotten = Handoff(
            conversation_id="sms-z", channel="sms", urgency="urgent", reason="asked",
            status="queued", summary_encrypted=b"x", contact_encrypted=b"x", created_at=old,
        )  # fmt: skip
        session.add(forgotten)
        session.flush()
        session.add_all(
            [
                HandoffMessage(
                    handoff_id=forgotten.id,
                    sender="youth",
                    body_encrypted=b"x",
                    created_at=old,
                    attempts=0,
                ),
                DeliveryStatus(message_sid="SM" + "d" * 32, status="delivered", updated_at=old),
                DeliveryStatus(message_sid="SM" + "e" * 32, status="delivered", updated_at=now),
                LaterReply(
                    conversation_id="sms-z",
                    contact_encrypted=b"x",
                    body_encrypted=b"x",
                    created_at=old,
                    delivery="sent",
                ),
                AdvocateSession(
                    token_hash="a" * 64,
                    advocate_id=1,
                    csrf_token="c",
                    created_at=old,
                    last_seen_at=old,
                ),
                AdvocateSession(
                    token_hash="b" * 64,
                    advocate_id=1,
                    csrf_token="c",
                    created_at=now,
                    last_seen_at=now,
                ),
            ]
        )
        session.commit()
        forgotten_id = forgotten.id
    counts = purge(sessions, 30)
    assert counts["handoffs_expired"] == 1
    assert (counts["delivery_statuses"], counts["later_replies"]) == (1, 1)
    assert counts["advocate_sessions"] == 1
    assert _count_of(sessions, Handoff) == 0 and _count_of(sessions, HandoffMessage) == 0
    assert _count_of(sessions, DeliveryStatus) == 1 and _count_of(sessions, AdvocateSession) == 1
    with sessions() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "handoff_expired"))
        assert [(a.handoff_id, a.detail) for a in audit] == [(forgotten_id, "")]


def test_an_old_signed_request_replayed_after_the_purge_is_still_refused(client_for, fake_rasa):
    client = client_for(fake_rasa.url, retention_days=30)
    sid = "SM" + "7" * 32
    assert messages(post_sms(client, "my secret", sid=sid)) == ["Hi from the bot."]
    sessions = client.app.state.sessions
    with sessions() as session:
        for row in session.scalars(select(InboundMessage)):
            row.received_at = datetime.now(UTC) - timedelta(days=31)
        session.commit()
    assert purge(sessions, 30)["inbound_messages"] == 1
    assert _count_of(sessions, InboundMessage) == 0 and _count_of(sessions, SeenMessage) == 1
    asked = len(fake_rasa.received)
    assert messages(post_sms(client, "my secret", sid=sid)) == []  # the same signed request
    assert len(fake_rasa.received) == asked and _count_of(sessions, InboundMessage) == 0
    assert purge(sessions, 30)["seen_messages"] == 0  # kept (no text) for the audit's year
    assert messages(post_sms(client, "hi", sid="SM" + "8" * 32)) == ["Hi from the bot."]


def test_twilios_copies_older_than_the_period_are_deleted_both_ways(
    client_for, fake_rasa, twilio_api
):
    client = client_for(fake_rasa.url, retention_days=30, twilio_api_base_url=twilio_api.url)
    ours = client.app.state.settings.twilio_from_number
    old = (datetime.now(UTC) - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    twilio_api.received("SM" + "1" * 32, "+17025550151", ours, "old, from the youth", old)
    twilio_api.received("SM" + "2" * 32, ours, "+17025550151", "old, our reply", old)
    twilio_api.received("SM" + "3" * 32, "+17025550152", ours, "this week")
    twilio_api.received("SM" + "4" * 32, "+17025550153", "+17025550199", "not our number", old)
    counts = purge_all(client.app.state.sessions, None, 30, TwilioCopies(client.app.state.settings))
    assert (counts["twilio_deleted"], counts["twilio_left"]) == (2, 0)
    assert sorted(twilio_api.deleted) == ["SM" + "1" * 32, "SM" + "2" * 32]
    assert set(twilio_api.stored) == {"SM" + "3" * 32, "SM" + "4" * 32}


def test_a_backlog_of_purged_ids_is_recorded_in_batches_once_each(client_for, fake_rasa):
    from sms_gateway.retention import HASH_BATCH, keep_hashes

    client = client_for(fake_rasa.url)
    sessions = client.app.state.sessions
    hashes = [f"{i:064x}" for i in range(HASH_BATCH * 2 + 17)]
    now = datetime.now(UTC)
    with sessions() as session:
        keep_hashes(session, hashes[:10], now)
        session.commit()
    with sessions() as session:
        keep_hashes(session, hashes + hashes[:3], now)  # known ones and repeats: once each
        session.commit()
    assert _count_of(sessions, SeenMessage) == len(hashes)
