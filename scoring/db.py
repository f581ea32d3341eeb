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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

from scoring.background import cooperative_waits, native_lock, on_os_thread
from scoring.gather import Gathering, Waiter


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
    engine = create_engine(url, pool_size=pool_size(), max_overflow=10, pool_pre_ping=False)
    _engines.append(engine)
    return engine


def pool_size() -> int:
    """PostgreSQL connections each process keeps open (``SCORING_DB_POOL``, default 30; up to 10
    more while busy). Why 30 and not the 10 it was: tablets marking at once each hold a
    connection for their checks, and every connection beyond the pool was opened and closed
    again per request (a new server process on PostgreSQL each time). Why no ping before each
    use: it was a round trip on every checkout, about a tenth of the marks path; a connection
    the server dropped (a restart) fails its request once, SQLAlchemy then discards the whole
    pool, and the tablet resends the unacknowledged mark with its idempotency key. Size
    PostgreSQL's ``max_connections`` above processes × (pool + 10)."""
    raw = os.environ.get("SCORING_DB_POOL", "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) <= 500 else 30


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


def quick_reads(engine: Engine) -> Engine:
    """The engine for a few reads that need no transaction: on PostgreSQL without BEGIN and
    ROLLBACK (two round trips fewer per use on the marks path), the engine itself on SQLite.

    Why the same answers: under PostgreSQL's default READ COMMITTED every statement reads its
    own snapshot inside a transaction too; a read-only transaction there adds only round trips.
    Only for reads: a write on it would commit at once."""
    if engine.url.get_backend_name() != "postgresql":
        return engine
    quick = engine.__dict__.get("_scoring_quick_reads")
    if quick is None:
        quick = engine.execution_options(isolation_level="AUTOCOMMIT")
        engine.__dict__["_scoring_quick_reads"] = quick
    return quick


class OnDemand:
    """A pooled connection taken on first use and given back at the end of the ``with``.

    Why: on the marks path a tablet's reads are usually answered by another tablet's statement
    (``services.mark_cell`` reads them together) and by cached facts; taking a connection from the
    pool for each request anyway, setting and resetting it, was a twentieth of a server process's
    time. ``execute`` and ``rollback`` work as on a connection; a Session binds to ``connection_of``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self._conn: Connection | None = None

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            self._conn = self.engine.connect()
        return self._conn

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self.connection.execute(*args, **kwargs)

    def rollback(self) -> None:
        if self._conn is not None:
            self._conn.rollback()

    def __enter__(self) -> OnDemand:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def connection_of(conn: Connection | OnDemand) -> Connection:
    """The connection itself (taken now if ``conn`` is an ``OnDemand``), e.g. to bind a Session to."""
    return conn.connection if isinstance(conn, OnDemand) else conn


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


class _GroupCommit(Gathering):
    """Writers of one kind to one database share a transaction when they arrive together.

    Why: with synchronous=FULL every commit waits for the disk, and on SQLite every writer holds
    the one write lock for its whole transaction; with 50 tablets submitting at once, one commit
    per mark turned the lock into a queue. Here the first writer to arrive leads (``gather``): it
    takes the write gate, runs the shared prologue once (the standings version bump), then each
    queued writer's statements in a savepoint of their own (a constraint violation undoes only that
    writer's rows), commits once, and wakes everyone. Writers that arrive meanwhile queue for the
    next batch. Nobody is answered before the commit that holds their rows is durable.
    """

    def run(  # type: ignore[override]
        self,
        engine: Engine,
        prologue: Callable[[Connection], Any],
        work: Callable[[Connection, Any], Any],
        together: Together | None = None,
    ) -> Any:
        def handle(batch: list[Waiter]) -> None:
            # Under gevent on a real OS thread: waiting for the write lock (a job's import in a
            # child process holds it) or for the disk must not stop the loop (scoring.background).
            # Not for a psycopg that waits through the loop already (``cooperative_waits``): there
            # the thread only added a hand-off and a wait for the interpreter lock after every
            # statement, while the batch held the competition's row lock (services.standings.bump)
            # that the other processes' batches queue for.
            if cooperative_waits(engine.url):
                self._commit(engine, prologue, batch, together)
            else:
                on_os_thread(lambda: self._commit(engine, prologue, batch, together))

        return Gathering.run(self, work, handle)

    @staticmethod
    def _commit(
        engine: Engine, prologue: Callable[[Connection], Any], batch: list[Waiter], together: Together | None
    ) -> None:
        """First the whole batch at once (``together``: a few statements for every writer, on
        PostgreSQL a few round trips instead of a few per writer), or else writer by writer
        without a savepoint each; a database error in that attempt (a twin's idempotency key, a
        cell version taken meanwhile) undoes the attempt, and the batch runs again writer by
        writer with a savepoint each, so the error undoes only its writer's rows."""
        if len(batch) > 1:
            quick = _GroupCommit._together if together is not None else _GroupCommit._attempt
            if quick(engine, prologue, batch, together if together is not None else False):
                return
        for w in batch:
            w.result, w.error = None, None
        _GroupCommit._attempt(engine, prologue, batch, savepoints=len(batch) > 1)

    @staticmethod
    def _attempt(engine: Engine, prologue: Callable[[Connection], Any], batch: list[Waiter], savepoints: bool) -> bool:
        """One transaction for the batch; False if it was given up for a retry with savepoints."""
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(scoring_write=True)  # BEGIN IMMEDIATE (see make_engine)
                with write_gate(engine), conn.begin():
                    head = prologue(conn)
                    for w in batch:
                        savepoint = conn.begin_nested() if savepoints else None
                        try:
                            w.result = w.work(conn, head)
                            if savepoint is not None:
                                savepoint.commit()
                        except DBAPIError as exc:
                            if savepoint is None:
                                if len(batch) > 1:
                                    raise _Retry from None  # the transaction is spoilt: again, with savepoints
                                raise
                            savepoint.rollback()  # this writer's rows only; the others go on
                            w.error = exc
                        except Exception as exc:  # a check before any write (group_commit's contract)
                            if savepoint is not None:
                                savepoint.rollback()
                            elif len(batch) == 1:
                                raise
                            w.error = exc
        except _Retry:
            return False
        except BaseException as exc:  # nothing committed: every writer of the batch hears why
            for w in batch:
                if w.error is None:
                    w.result, w.error = None, exc
            if not isinstance(exc, Exception):
                raise
        return True

    @staticmethod
    def _together(engine: Engine, prologue: Callable[[Connection], Any], batch: list[Waiter], together) -> bool:  # noqa: ANN001
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(scoring_write=True)
                with write_gate(engine), conn.begin():
                    head = prologue(conn)
                    outcomes = together(conn, head, [w.work for w in batch])
        except DBAPIError:
            return False
        except BaseException as exc:  # nothing committed: every writer of the batch hears why
            for w in batch:
                w.result, w.error = None, exc
            if not isinstance(exc, Exception):
                raise
            return True
        for w, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Exception):
                w.error = outcome  # a writer's own check refused it before it wrote anything
            else:
                w.result = outcome
        after = getattr(together, "after_commit", None)
        if after is not None:
            try:  # once for the batch, after its commit, on a connection of its own (the write one is back)
                after(engine, [w.work for w, o in zip(batch, outcomes, strict=True) if not isinstance(o, Exception)])
            except Exception:  # noqa: BLE001  (a read for later checks: each writer then reads for itself)
                pass
        return True


#: ``together(conn, prologue_result, works) -> one result per work``: every writer's rows in a few
#: statements; a result that is an exception is that writer's refusal (nothing of it written). It may
#: carry ``after_commit(engine, works)``: one read for the whole batch once it is durable (for what
#: each writer checks after its commit), run before the writers are woken
Together = Callable[[Connection, Any, list], list]


class _Retry(Exception):
    """A batch without savepoints met a database error: run it again with them."""


_group_commits: dict[tuple, _GroupCommit] = {}


def group_commit(
    engine: Engine,
    key: object,
    prologue: Callable[[Connection], Any],
    work: Callable[[Connection, Any], Any],
    together: Together | None = None,
) -> Any:
    """Run ``work(conn, prologue_result)`` in a durable write transaction that concurrent callers
    with the same ``key`` may share (``prologue`` runs once per transaction, before any work).
    Returns ``work``'s result after the commit; raises what ``work`` raised (its rows undone) or
    what the commit raised (nothing written). Contract: ``work`` raises nothing but a database
    error once it has written a row (its checks come first), so a batch needs no savepoint per
    writer unless the database refuses a row (``_GroupCommit._commit``). ``together``: how a
    batch of such works writes all at once (the same rows; ``Together``)."""
    slot = (id(engine), key)
    gc_ = _group_commits.get(slot)
    if gc_ is None:
        with _gates_lock:
            if len(_group_commits) > 1000:
                _group_commits.clear()  # (tests make many engines); the write gate still orders writers
            gc_ = _group_commits.setdefault(slot, _GroupCommit())
    return gc_.run(engine, prologue, work, together)


def dispose_all() -> None:
    """Close every pooled connection (tests drop their databases afterwards)."""
    for engine in _engines:
        engine.dispose()
