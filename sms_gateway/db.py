"""Database engine, sessions and schema migrations.

SQLite is the embedded default; PostgreSQL is used by URL at scale. The schema is owned by
Alembic migrations (never `create_all`) so a deployed database can be upgraded in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(database_url: str, *, tune_sqlite: bool = True) -> Engine:
    """Create the engine; for SQLite make the folder, allow threads and use WAL for concurrency.
    `tune_sqlite=False` is for a database another program owns (Rasa's tracker store): its file
    keeps its own journal mode, and only the busy timeout applies."""
    if database_url.startswith("sqlite:///"):
        db_path = Path(database_url.removeprefix("sqlite:///"))
        if str(db_path) != ":memory:":
            db_path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 15}
        )
        if not tune_sqlite:
            return engine

        # In WAL mode NORMAL survives a crash of the gateway (the commit is in the WAL when it
        # returns) but not a power loss: an arriving message is synced to disk while the
        # assistant works (ConversationStore.sync_to_disk), opt-outs use `durable`.
        on_connect(engine, "journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL")

        @event.listens_for(engine, "checkin")
        def _back_to_normal(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


def on_connect(engine: Engine, *pragmas: str) -> None:
    """Run these SQLite pragmas on every new connection of `engine`."""

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_conn.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest migration (idempotent, safe at every start); tests of
    upgrades from an older deployment stop at an earlier `revision` first."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def durable(session: Session) -> None:
    """This transaction's commit survives a power loss too (SQLite: synchronous=FULL, which
    also syncs every commit before it; PostgreSQL commits are durable already). Used for
    opt-outs and for messages over a rate limit (no assistant turn to hide the sync behind)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA synchronous=FULL"))


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query (used by /healthz)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def aware(value: datetime) -> datetime:
    """A time read back from the database, in UTC (SQLite returns it without a zone)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def upsert(session: Session, model: Any, values: dict[str, Any], update: list[str]) -> None:
    """One INSERT ... ON CONFLICT (primary key) DO UPDATE, on SQLite and PostgreSQL alike: the
    message path writes per-number state without reading it first."""
    table = model.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    statement = insert.values(**values).on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: values[name] for name in update},
    )
    session.execute(statement)
