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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from scoring.background import native_lock, on_os_thread


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
        self.thread_lock = native_lock()  # taken on OS threads (group commits run there under gevent)

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.thread_lock:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # closing it releases the lock
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
                _gates.clear()  # (tests make many databases); flock still orders any two gates
            gate = _gates.setdefault(path, _WriteGate(path))
    with gate.held():
        yield


class _Waiter:
    __slots__ = ("work", "result", "error", "finished")

    def __init__(self, work: Callable[[Connection, Any], Any]) -> None:
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished = False


class _GroupCommit:
    """Writers of one kind to one database share a transaction when they arrive together.

    Why: with synchronous=FULL every commit waits for the disk, and on SQLite every writer holds
    the one write lock for its whole transaction; with 50 tablets submitting at once, one commit
    per mark turned the lock into a queue. Here the first writer to arrive leads: it takes the
    write gate, runs the shared prologue once (the standings version bump), then each queued
    writer's statements in a savepoint of their own (a constraint violation undoes only that
    writer's rows), commits once, and wakes everyone. Writers that arrive meanwhile queue for the
    next batch. Nobody is answered before the commit that holds their rows is durable.
    """

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.queue: list[_Waiter] = []
        self.busy = False

    def run(self, engine: Engine, prologue: Callable[[Connection], Any], work: Callable[[Connection, Any], Any]) -> Any:
        me = _Waiter(work)
        with self.cond:
            self.queue.append(me)
            while not me.finished and self.busy:
                self.cond.wait()
            lead = not me.finished
            if lead:
                self.busy = True
        if lead:
            batch: list[_Waiter] = []
            try:
                # Under gevent nobody else runs while this greenlet works, so nobody could join the
                # batch: yield once and let the requests that are ready reach this queue first
                # (with threads this costs next to nothing).
                time.sleep(0)
                with self.cond:
                    batch, self.queue = self.queue, []
                # Under gevent on a real OS thread: waiting for the write lock (a job's import in a
                # child process holds it) or for the disk must not stop the loop (scoring.background).
                on_os_thread(lambda: self._commit(engine, prologue, batch))
            finally:  # also when this leader is killed: the next writer in the queue leads
                with self.cond:
                    for w in batch:
                        w.finished = True
                    self.busy = False
                    self.cond.notify_all()
        if me.error is not None:
            raise me.error
        return me.result

    @staticmethod
    def _commit(engine: Engine, prologue: Callable[[Connection], Any], batch: list[_Waiter]) -> None:
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(scoring_write=True)  # BEGIN IMMEDIATE (see make_engine)
                with write_gate(engine), conn.begin():
                    head = prologue(conn)
                    for w in batch:
                        savepoint = conn.begin_nested() if len(batch) > 1 else None
                        try:
                            w.result = w.work(conn, head)
                            if savepoint is not None:
                                savepoint.commit()
                        except Exception as exc:  # this writer's rows only; the others go on
                            if savepoint is None:
                                raise
                            savepoint.rollback()
                            w.error = exc
        except BaseException as exc:  # nothing committed: every writer of the batch hears why
            for w in batch:
                if w.error is None:
                    w.result, w.error = None, exc
            if not isinstance(exc, Exception):
                raise


_group_commits: dict[tuple, _GroupCommit] = {}


def group_commit(
    engine: Engine, key: object, prologue: Callable[[Connection], Any], work: Callable[[Connection, Any], Any]
) -> Any:
    """Run ``work(conn, prologue_result)`` in a durable write transaction that concurrent callers
    with the same ``key`` may share (``prologue`` runs once per transaction, before any work).
    Returns ``work``'s result after the commit; raises what ``work`` raised (its rows undone) or
    what the commit raised (nothing written)."""
    slot = (id(engine), key)
    gc_ = _group_commits.get(slot)
    if gc_ is None:
        with _gates_lock:
            if len(_group_commits) > 1000:
                _group_commits.clear()  # (tests make many engines); the write gate still orders writers
            gc_ = _group_commits.setdefault(slot, _GroupCommit())
    return gc_.run(engine, prologue, work)


def dispose_all() -> None:
    """Close every pooled connection (tests drop their databases afterwards)."""
    for engine in _engines:
        engine.dispose()
