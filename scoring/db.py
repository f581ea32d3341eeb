"""Database engine and transactions.

Why this shape: every write path (mark submission, import, lock, publish) is one
transaction that either commits durably or changes nothing. SQLite runs in WAL mode with
synchronous=FULL so an acknowledged mark survives a power cut; foreign keys are enforced.
PostgreSQL needs no pragmas. The URL alone decides which.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            # Take the write lock at BEGIN so concurrent writers queue instead of failing mid-transaction.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # noqa: ANN001
            # Writers take the lock at BEGIN (queue on busy_timeout); readers never block in WAL.
            immediate = conn.get_execution_options().get("scoring_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        _engines.append(engine)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    _engines.append(engine)
    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success (durable before return), roll back on any error."""
    with Session(engine.execution_options(scoring_write=True), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only session (no commit)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


_engines: list[Engine] = []


def dispose_all() -> None:
    """Close every pooled connection (tests drop their databases afterwards)."""
    for engine in _engines:
        engine.dispose()
