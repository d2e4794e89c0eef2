"""Upgrading a running helpline: a database made by the first release (migration 0003, before
this session's changes) keeps its accounts, numbers and messages when the gateway starts on the
new code, on SQLite and on PostgreSQL; and the new migrations can be undone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from sms_gateway.db import MIGRATIONS_DIR, make_engine, migrate

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
FIRST_RELEASE = "0003"


def _old_rows(url: str) -> None:
    engine = make_engine(url)
    migrate(engine, FIRST_RELEASE)
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO advocates (username, password_hash, totp_secret_encrypted, role,"
                " on_shift, failed_logins, created_at) VALUES ('ana', 'h', :secret, 'advocate',"
                " false, 0, :now)"
            ),
            {"secret": b"s", "now": NOW},
        )
        db.execute(
            text(
                "INSERT INTO contacts (conversation_id, opted_out, updated_at)"
                " VALUES ('sms-old', true, :now)"
            ),
            {"now": NOW},
        )
        db.execute(
            text(
                "INSERT INTO inbound_messages (channel, external_id, conversation_id,"
                " received_at, status, safety_flags, body_encrypted) VALUES ('sms', 'SMold',"
                " 'sms-old', :now, 'answered', '', :body)"
            ),
            {"now": NOW, "body": b"b"},
        )
    engine.dispose()


def _check_upgraded(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)  # what the gateway does at start
    columns = {
        table: {c["name"] for c in inspect(engine).get_columns(table)}
        for table in ("advocates", "contacts", "web_conversations", "inbound_messages")
    }
    assert "totp_last_step" in columns["advocates"]
    assert "language" in columns["contacts"] and "language" in columns["web_conversations"]
    assert "contact_encrypted" in columns["inbound_messages"]
    with engine.connect() as db:
        assert db.execute(text("SELECT username, totp_last_step FROM advocates")).all() == [
            ("ana", None)
        ]
        assert db.execute(text("SELECT opted_out, language FROM contacts")).all() == [(True, None)]
        assert db.execute(text("SELECT external_id FROM inbound_messages")).all() == [("SMold",)]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, FIRST_RELEASE)
    assert "totp_last_step" not in {c["name"] for c in inspect(engine).get_columns("advocates")}
    migrate(engine)  # and up again
    with engine.connect() as db:
        assert db.execute(text("SELECT COUNT(*) FROM contacts")).scalar() == 1
    engine.dispose()


def test_upgrade_from_the_first_release_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    _old_rows(url)
    _check_upgraded(url)


def test_upgrade_from_the_first_release_on_postgres(postgres_url: str) -> None:
    pytest.importorskip("psycopg")
    _old_rows(postgres_url)
    _check_upgraded(postgres_url)
