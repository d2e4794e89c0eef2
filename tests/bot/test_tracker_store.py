"""The encrypted tracker store as Rasa uses it: nothing a person wrote is readable in the
database file, what was stored comes back whole, plain rows from before are sealed, keys rotate,
and production refuses the development key. PostgreSQL too when the machine has it."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import (
    DEV_ENCRYPTION_KEY,
    EncryptedSQLTrackerStore,
    KeySettingError,
    load_keys,
)

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "bot" / "domain.yml"))
# What a youth might tell while thinking a plan through: none of it may be readable at rest.
SECRETS = ("Aunt Rosa", "555-0142", "library on Fifth", "utter_crisis", "crisis_suicide")


def _tracker(sender: str) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_listen"),
        UserUttered(
            "my safe person is Aunt Rosa 555-0142, i can go to the library on Fifth",
            intent={"name": "crisis_suicide", "confidence": 1.0},
        ),
        SlotSet("place_label", "library on Fifth"),
        ActionExecuted("utter_crisis"),
        BotUttered("You can call Aunt Rosa at 555-0142 when you want."),
    ]
    return DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)


def _store(db: Path, monkeypatch: pytest.MonkeyPatch, keys: str) -> EncryptedSQLTrackerStore:
    monkeypatch.setenv("ENCRYPTION_KEY", keys)
    return EncryptedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))


def _on_disk(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def _texts(tracker: DialogueStateTracker | None) -> list[Any]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


def test_nothing_said_is_readable_in_the_file_and_it_all_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    store = _store(db, monkeypatch, DEV_ENCRYPTION_KEY)
    asyncio.run(store.save(_tracker("pseudonym-1")))
    raw = _on_disk(db)
    assert raw and not [s for s in SECRETS if s.encode() in raw]
    back = asyncio.run(store.retrieve("pseudonym-1"))
    assert _texts(back) == [
        "my safe person is Aunt Rosa 555-0142, i can go to the library on Fifth",
        "You can call Aunt Rosa at 555-0142 when you want.",
    ]
    assert back is not None and back.get_slot("place_label") == "library on Fifth"
    with sqlite3.connect(db) as conn:
        names = conn.execute("SELECT intent_name, action_name FROM events").fetchall()
    assert set(names) == {(None, None)}


def test_rows_the_plain_store_wrote_are_sealed_and_their_text_wiped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    plain = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    asyncio.run(plain.save(_tracker("pseudonym-2")))
    plain.engine.dispose()
    assert b"Aunt Rosa" in _on_disk(db)  # what Rasa's own store leaves
    store = _store(db, monkeypatch, DEV_ENCRYPTION_KEY)
    assert not [s for s in SECRETS if s.encode() in _on_disk(db)]
    assert "Aunt Rosa" in " ".join(_texts(asyncio.run(store.retrieve("pseudonym-2"))))
    assert store.seal_plain_rows() == 0  # once is enough


def test_a_new_key_in_front_and_rotate_then_the_old_key_can_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    asyncio.run(_store(db, monkeypatch, old).save(_tracker("pseudonym-3")))
    unreadable = asyncio.run(_store(db, monkeypatch, new).retrieve("pseudonym-3"))
    assert unreadable is None  # a key that opens nothing gives no conversation, not a crash
    both = _store(db, monkeypatch, f"{new},{old}")
    assert both.rotate() == len(_tracker("x").events)
    assert len(_texts(asyncio.run(_store(db, monkeypatch, new).retrieve("pseudonym-3")))) == 2


def test_production_refuses_the_development_key_and_bad_keys() -> None:
    with pytest.raises(KeySettingError):
        load_keys(DEV_ENCRYPTION_KEY, "production")
    with pytest.raises(KeySettingError):
        load_keys("not-a-key", "development")
    with pytest.raises(KeySettingError):
        load_keys(" , ", "development")
    assert load_keys(DEV_ENCRYPTION_KEY, "development")


def test_the_gateway_and_the_tracker_share_one_development_key() -> None:
    config = (ROOT / "sms_gateway" / "config.py").read_text()
    assert f'DEV_ENCRYPTION_KEY = "{DEV_ENCRYPTION_KEY}"' in config


def test_the_endpoints_files_load_this_store() -> None:
    for name in ("endpoints.yml", "endpoints.scale.yml"):
        text = (ROOT / "bot" / name).read_text()
        assert "type: bot.tracker_store.EncryptedSQLTrackerStore" in text, name


def _postgres() -> Any:
    sa = pytest.importorskip("sqlalchemy")
    engine = sa.create_engine("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        with engine.connect():
            pass
    except Exception as exc:  # any failure to connect means "no server here"
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({type(exc).__name__})")
    return sa, engine


def test_postgresql_rows_hold_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    sa, admin = _postgres()
    name = f"waypoint_tracker_{uuid.uuid4().hex[:8]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        monkeypatch.setenv("ENCRYPTION_KEY", DEV_ENCRYPTION_KEY)
        store = EncryptedSQLTrackerStore(
            domain=DOMAIN, dialect="postgresql", host="127.0.0.1", port=5432,
            username="postgres", db=name,
        )  # fmt: skip
        asyncio.run(store.save(_tracker("pseudonym-4")))
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT * FROM events")).fetchall()
        dumped = repr(rows)
        assert rows and not [s for s in SECRETS if s in dumped]
        assert "Aunt Rosa" in " ".join(_texts(asyncio.run(store.retrieve("pseudonym-4"))))
        store.engine.dispose()
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_the_key_is_read_from_the_dotenv_file_as_the_gateway_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.tracker_store import _setting

    key = Fernet.generate_key().decode()
    dotenv = tmp_path / ".env"
    dotenv.write_text(f'# settings\nHELPLINE_ENV=production\nENCRYPTION_KEY="{key}"\n')
    monkeypatch.delenv("ENCRYPTION_KEY", raising=False)
    assert _setting("ENCRYPTION_KEY", "none", dotenv) == key
    monkeypatch.setenv("ENCRYPTION_KEY", "from-the-environment")
    assert _setting("ENCRYPTION_KEY", "none", dotenv) == "from-the-environment"
    assert _setting("MISSING", "none", dotenv) == "none"
