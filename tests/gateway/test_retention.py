"""Texts are purged after the retention period; open handoffs and recent texts are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from sms_gateway.models import Contact, Handoff, HandoffMessage, InboundMessage
from sms_gateway.retention import purge, purge_tracker, tracker_engine
from tests.gateway.conftest import messages, post_sms


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
                HandoffMessage(
                    handoff_id=still_open.id,
                    sender="youth",
                    body_encrypted=b"x",
                    created_at=old,
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
