"""The database engine and the session factory: the one place they are made.

Also imported by Rasa's tracker store (bot/rasa_tracker_store.py), in Rasa's
environment: it must work under SQLAlchemy 1.4 too.
"""

# Annotations stay text: SQLAlchemy 1.4 (Rasa's) cannot subscript sessionmaker.
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; SQLite gets WAL mode and a busy timeout."""
    # hide_parameters: an error message must never carry what a resident wrote.
    if not database_url.startswith("sqlite"):
        return create_engine(database_url, pool_pre_ping=True, hide_parameters=True)
    # A pool, as SQLAlchemy 2 has by default: Rasa's tracker store uses this
    # function under SQLAlchemy 1.4, which would open a connection per session.
    engine = create_engine(
        database_url, poolclass=QueuePool, connect_args={"check_same_thread": False}, hide_parameters=True
    )

    # Several processes (web app, action server) write to the same file: WAL
    # lets readers go on during a write, and the timeout makes writers queue
    # instead of failing at once with "database is locked".
    @event.listens_for(engine, "connect")
    def _tune_sqlite(dbapi_connection, _record) -> None:  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


@lru_cache(maxsize=4)
def session_factory(database_url: str) -> sessionmaker[Session]:
    """The process-wide session factory for ``database_url``, made on first use."""
    return sessionmaker(make_engine(database_url), expire_on_commit=False)


@contextmanager
def transaction(database_url: str) -> Iterator[Session]:
    """One unit of work: a session whose changes commit together or not at all."""
    with session_factory(database_url)() as session, session.begin():
        yield session
