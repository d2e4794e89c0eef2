"""Rasa's SQL tracker store, with every event sealed before it reaches the database.

Rasa's own SQLTrackerStore writes each event as JSON in clear: every text a person sent, the
slots (a city, a safe person's name) and the bot's answers would be readable from the database
file, its journal or WAL, a backup or a PostgreSQL dump. This store keeps the same table (so
Rasa's queries, the gateway's retention purge and the lock-free session lookup still work) but:

- ``data`` holds a Fernet token (AES-128-CBC + HMAC) of the event's JSON, never the JSON;
- ``intent_name`` and ``action_name`` stay empty: "utter_crisis_suicide" says too much;
- only ``sender_id`` (a pseudonym, never a number), ``type_name`` and ``timestamp`` are in clear,
  which the session lookup and the retention purge need.

The keys are the gateway's: ENCRYPTION_KEY holds one Fernet key, or several separated by commas
during a rotation (the first seals, every one opens). Rows written by the plain store before
this one are sealed in place when the store starts, and SQLite's free pages are wiped.

Loaded by Rasa from bot/endpoints*.yml (``type: bot.tracker_store.EncryptedSQLTrackerStore``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

# The gateway's development key (sms_gateway/config.py DEV_ENCRYPTION_KEY), public on purpose;
# refused when HELPLINE_ENV=production, as the gateway refuses it.
DEV_ENCRYPTION_KEY = "ZGV2LWluc2VjdXJlLWtleS1mb3ItbG9jYWwtb25seSE="
MIGRATE_BATCH = 500
# What a Fernet token starts with (its version byte, 0x80, in url-safe base64): a row that does
# not is one the plain store wrote.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


class KeySettingError(ValueError):
    """The key setting is missing, malformed or a development key in production."""


def _setting(name: str, default: str, dotenv: Path = Path(".env")) -> str:
    """A setting as the gateway reads it: the environment first, then the `.env` file of the
    working directory (pydantic-settings there; Rasa's environment has no dotenv reader)."""
    if name in os.environ:
        return os.environ[name]
    if dotenv.is_file():
        for line in dotenv.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.strip().partition("=")
            if sep and key.strip() == name:
                return value.strip().strip("'\"")
    return default


def load_keys(setting: str | None = None, environment: str | None = None) -> MultiFernet:
    """MultiFernet over ENCRYPTION_KEY's comma-separated keys (first seals, all open)."""
    raw = setting if setting is not None else _setting("ENCRYPTION_KEY", DEV_ENCRYPTION_KEY)
    env = environment if environment is not None else _setting("HELPLINE_ENV", "")
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise KeySettingError("ENCRYPTION_KEY is empty: the tracker store cannot seal events")
    if env == "production" and DEV_ENCRYPTION_KEY in keys:
        raise KeySettingError("HELPLINE_ENV=production refuses the development ENCRYPTION_KEY")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:  # not 32 url-safe base64 bytes
        raise KeySettingError("ENCRYPTION_KEY holds a value that is not a Fernet key") from exc


def _secure_delete(dbapi_connection: Any, _record: Any) -> None:
    """SQLite overwrites what it deletes with zeros (an erased conversation's sealed events
    would otherwise stay in free pages, readable with the key)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose rows hold no readable text (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._keys = load_keys()
        os.umask(0o077)  # the SQLite file and its journal: owner only, as the gateway's
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _secure_delete)
            self.engine.dispose()  # connections opened by Rasa's set-up get the pragma too
        sealed = self.seal_plain_rows()
        if sealed:
            logger.info("tracker_store.sealed_plain_rows count=%d", sealed)

    # -- sealing ----------------------------------------------------------------------------

    def _seal(self, event: dict[str, Any]) -> str:
        return self._keys.encrypt(json.dumps(event).encode("utf-8")).decode("ascii")

    def _open(self, data: str | None) -> dict[str, Any] | None:
        """The event, or None when no key opens it (a retired key): that event is left out
        rather than the whole conversation failing."""
        if not data:
            return None
        try:
            return dict(json.loads(self._keys.decrypt(data.encode("ascii"))))
        except (InvalidToken, UnicodeEncodeError):
            logger.warning("tracker_store.unreadable_event")
            return None

    # -- Rasa's interface -------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQLTrackerStore.save (3.6), with the event sealed and no names in clear."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=None,
                        action_name=None,
                        data=self._seal(data),
                    )
                )
            session.commit()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's SQLTrackerStore._retrieve (3.6), opening each sealed event."""
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [e for e in (self._open(row.data) for row in rows) if e is not None]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    # -- what the helpline needs besides Rasa ------------------------------------------------

    def seal_plain_rows(self) -> int:
        """Seal rows the plain SQLTrackerStore wrote (migration), then make SQLite drop the
        free pages that held their text. Returns how many rows were sealed."""
        table = self.SQLEvent.__table__
        sealed = 0
        with self.engine.begin() as conn:
            rows = conn.execute(
                sa.select(table.c.id, table.c.data).where(
                    sa.or_(
                        table.c.data.not_like(TOKEN_PREFIX + "%"),
                        table.c.intent_name.is_not(None),
                        table.c.action_name.is_not(None),
                    )
                )
            ).fetchall()
            for row_id, data in rows:
                value = data or ""
                if not value.startswith(TOKEN_PREFIX):
                    value = self._seal(json.loads(value)) if value else ""
                conn.execute(
                    table.update()
                    .where(table.c.id == row_id)
                    .values(data=value, intent_name=None, action_name=None)
                )
                sealed += 1
        if sealed:
            self.wipe_free_space()
        return sealed

    def rotate(self) -> int:
        """Re-seal every event under the first key (MultiFernet.rotate), so an old key can be
        retired. Returns how many rows were re-sealed."""
        table = self.SQLEvent.__table__
        count = 0
        with self.engine.begin() as conn:
            for row_id, data in conn.execute(sa.select(table.c.id, table.c.data)).fetchall():
                if not data:
                    continue
                try:
                    fresh = self._keys.rotate(data.encode("ascii")).decode("ascii")
                except InvalidToken:
                    logger.warning("tracker_store.unreadable_event")
                    continue
                conn.execute(table.update().where(table.c.id == row_id).values(data=fresh))
                count += 1
        self.wipe_free_space()
        return count

    def wipe_free_space(self) -> None:
        """After rows were rewritten: SQLite and PostgreSQL keep the old versions in free pages
        or dead tuples until reused; rewriting the file (table) leaves none behind."""
        dialect = self.engine.dialect.name
        statement = {"sqlite": "VACUUM", "postgresql": "VACUUM FULL events"}.get(dialect)
        if statement is None:
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(statement))


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.tracker_store rotate|seal [--endpoints bot/endpoints.yml]`: re-seal every
    event under the first ENCRYPTION_KEY (after adding a new key in front), or seal rows the
    plain store wrote. Run with the Rasa environment and the same settings as the Rasa server."""
    import argparse

    from rasa.core.utils import AvailableEndpoints

    parser = argparse.ArgumentParser(prog="python -m bot.tracker_store")
    parser.add_argument("command", choices=["rotate", "seal"])
    parser.add_argument("--endpoints", default="bot/endpoints.yml")
    args = parser.parse_args(argv)
    config = AvailableEndpoints.read_endpoints(args.endpoints).tracker_store
    if config is None:
        parser.error(f"{args.endpoints} names no tracker store")
    store = EncryptedSQLTrackerStore(host=config.url, **config.kwargs)  # seals plain rows
    if args.command == "rotate":
        print(f"re-sealed {store.rotate()} events under the first key")
    else:
        print("every event is sealed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
