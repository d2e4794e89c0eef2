"""The gateway's database code on a real PostgreSQL server (the path used at scale).

Skips, with the reason, where no server answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sms_gateway.models import InboundMessage
from tests.gateway.conftest import messages, post_sms

pytest.importorskip("psycopg")


def test_migrations_idempotency_and_encryption_on_postgres(client_for, fake_rasa, postgres_url):
    client = client_for(fake_rasa.url, database_url=postgres_url)
    first = messages(post_sms(client, "my secret words", sid="SM" + "e" * 32))
    again = messages(post_sms(client, "my secret words", sid="SM" + "e" * 32))
    assert first == again == ["Hi from the bot."]
    assert len(fake_rasa.received) == 1
    with client.app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundMessage)) == 1
        row = session.scalar(select(InboundMessage))
        assert row is not None and b"secret" not in row.body_encrypted
    health = client.get("/healthz").json()
    assert health["parts"]["database"] == "up"


def test_second_start_on_the_same_database_keeps_the_data(client_for, fake_rasa, postgres_url):
    first = client_for(fake_rasa.url, database_url=postgres_url)
    messages(post_sms(first, "hi", sid="SM" + "f" * 32))
    second = client_for(fake_rasa.url, database_url=postgres_url)  # migrations run again
    assert messages(post_sms(second, "hi", sid="SM" + "f" * 32)) == ["Hi from the bot."]
    assert len(fake_rasa.received) == 1
