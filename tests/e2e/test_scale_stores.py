"""The at-scale path, against real servers: Rasa with a PostgreSQL tracker store and a Redis lock
store, and the gateway on PostgreSQL, as separate processes. Skips, saying why, when
PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) does not answer."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from scripts.stack import Stack, StackConfig
from sms_gateway.retention import purge_tracker, tracker_engine
from tests.e2e.conftest import AUTH_TOKEN, PUBLIC, Phone
from tests.helpers import free_port

psycopg = pytest.importorskip("psycopg")
redis = pytest.importorskip("redis")
ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping())
    except (OSError, redis.RedisError):
        return False


@pytest.fixture(scope="module")
def scale_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    try:
        admin = psycopg.connect(ADMIN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({type(exc).__name__})")
    if not _redis_up():
        admin.close()
        pytest.skip("no Redis server on 127.0.0.1:6379")
    suffix = secrets.token_hex(4)
    rasa_db, gateway_db = f"waypoint_rasa_{suffix}", f"waypoint_gw_{suffix}"
    for name in (rasa_db, gateway_db):
        admin.execute(f'CREATE DATABASE "{name}"')
    var = tmp_path_factory.mktemp("scale")
    stack = Stack(
        StackConfig(
            gateway_port=free_port(),
            rasa_port=free_port(),
            action_port=free_port(),
            var_dir=var,
            endpoints="bot/endpoints.scale.yml",
            extra_env={
                "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                "PUBLIC_BASE_URL": PUBLIC,
                "HELPLINE_ENV": "test",
                "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{gateway_db}",
                "RASA_TRACKER_HOST": "127.0.0.1",
                "RASA_TRACKER_PORT": "5432",
                "RASA_TRACKER_DB": rasa_db,
                "RASA_TRACKER_USER": "postgres",
                "RASA_TRACKER_PASSWORD": "",
                "RASA_TRACKER_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{rasa_db}",
                "RASA_LOCK_HOST": "127.0.0.1",
                "RASA_LOCK_PORT": "6379",
                "RASA_LOCK_DB": "3",
            },
        )
    )
    stack.start()
    stack.gateway_db = gateway_db  # type: ignore[attr-defined]
    try:
        stack.wait_healthy(300)
        yield stack, rasa_db
    finally:
        stack.stop()
        for name in (rasa_db, gateway_db):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_conversation_is_kept_in_postgres_with_the_redis_lock_store(scale_stack):
    stack, rasa_db = scale_stack
    phone = Phone(stack, "+17755550177")
    assert "Waypoint" in phone.send("hi")[0]
    text = " ".join(phone.send("i need a shelter in reno"))
    assert "775-384-1129" in text or "1-800-536-4588" in text
    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={rasa_db}") as conn:
        senders = [r[0] for r in conn.execute("SELECT DISTINCT sender_id FROM events")]
    assert len(senders) == 1 and senders[0].startswith("sms-")
    assert "5550177" not in senders[0]  # Rasa never sees the number
    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={rasa_db}") as conn:
        dumped = repr(conn.execute("SELECT * FROM events").fetchall()).lower()
    assert "shelter" not in dumped and "reno" not in dumped  # sealed: no text, no intent names


def test_retention_purges_old_events_from_the_postgres_tracker_store(scale_stack):
    stack, rasa_db = scale_stack
    Phone(stack, "+17755550178").send("hi")
    dsn = f"host=127.0.0.1 port=5432 user=postgres dbname={rasa_db}"
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE events SET timestamp = timestamp - %s", (31 * 24 * 3600,))
    engine = tracker_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{rasa_db}")
    assert engine is not None
    try:
        purged = purge_tracker(engine, datetime.now(UTC) - timedelta(days=30))
    finally:
        engine.dispose()
    with psycopg.connect(dsn) as conn:
        left = conn.execute("SELECT COUNT(*) FROM events").fetchone()
    assert purged > 0 and left == (0,)


def test_a_plan_is_in_no_postgresql_dump_of_either_store(scale_stack):
    """pg_dump of the gateway's and Rasa's databases, as a backup would be taken."""
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (postgresql-client)")
    stack, rasa_db = scale_stack
    phone = Phone(stack, "+17755550179")
    told = ("help me make a plan to leave", "1", "1", "no", "my uncle Brisbanio 775-555-0165",
            "the Halvorsenn church on 4th", "what was my plan?")  # fmt: skip
    replies = " ".join(" ".join(phone.send(text)) for text in told)
    assert "Brisbanio" not in replies and "Halvorsenn" not in replies
    dumps = ""
    for name in (rasa_db, stack.gateway_db):  # type: ignore[attr-defined]
        done = subprocess.run(
            ["pg_dump", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", name],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        dumps += done.stdout
    assert "safety_plans" in dumps  # the gateway's tables are in it
    for mark in ("Brisbanio", "Halvorsenn", "555-0165", "5550179"):
        assert mark not in dumps and mark.lower() not in dumps.lower(), mark
