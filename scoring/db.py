"""Database engine and transactions.

Why this shape: every write path (mark submission, import, lock, publish) is one
transaction that either commits durably or changes nothing. SQLite runs in WAL mode with
synchronous=FULL so an acknowledged mark survives a power cut; foreign keys are enforced.
PostgreSQL needs no pragmas. The URL alone decides which.
"""
from __future__ import annotations

import fcntl
import os
import threading
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


class _WriteGate:
    """One writer at a time per SQLite database, queued in the kernel instead of in SQLite's busy
    handler: a thread lock in the process, then ``flock`` on a file next to the database across
    processes. Why: a writer that finds the database locked sleeps in SQLite's busy handler with
    backoff (up to 100 ms a nap) even after the lock is free; with dozens of concurrent tablets
    that turned a sub-millisecond commit into seconds of waiting. A blocked ``flock`` wakes the
    moment the holder releases it. SQLite's own locking stays the guarantee; this only orders."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.thread_lock = threading.Lock()

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.thread_lock:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)   # closing it releases the lock
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)


_gates: dict[str, _WriteGate] = {}
_gates_lock = threading.Lock()


@contextmanager
def write_gate(engine: Engine) -> Iterator[None]:
    """Hold the per-database writer queue around a short write transaction (SQLite files only)."""
    url = engine.url
    db = url.database if url.get_backend_name() == "sqlite" else None
    if not db or db == ":memory:" or db.startswith("file:"):
        yield
        return
    path = os.path.abspath(db) + "-writers"
    gate = _gates.get(path)
    if gate is None:
        with _gates_lock:
            if len(_gates) > 1000:
                _gates.clear()   # (tests make many databases); flock still orders any two gates
            gate = _gates.setdefault(path, _WriteGate(path))
    with gate.held():
        yield


def dispose_all() -> None:
    """Close every pooled connection (tests drop their databases afterwards)."""
    for engine in _engines:
        engine.dispose()
