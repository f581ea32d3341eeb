"""On PostgreSQL the marks path's head-and-cell reads of tablets marking at the same moment are
one statement (services.mark_cell): each tablet still gets exactly the row its own statement
gives, whatever the mix of cells (marked, corrected, re-scored, empty, unknown) and keys."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, quick_reads, reading, transaction
from scoring.demo_data import childcare_document
from scoring.gather import Waiter, gathering
from scoring.services import mark_cell
from scoring.services.transfer import import_document


@pytest.fixture(scope="module")
def marked(pg_template):
    """A published demo competition with marks, one corrected mark and one re-score round:
    (engine, competition id, the (key, (contestant, aspect, judge)) reads to mix)."""
    from tests.conftest import _pg_database

    admin, _ = pg_template
    name, url = _pg_database(pg_template)
    engine = make_engine(url)
    cid = import_document(engine, childcare_document(marks="some"))
    with reading(engine) as s:
        marks = s.exec(select(m.Mark).where(m.Mark.competition_id == cid).order_by(m.Mark.id)).all()[:40]
    first = marks[0]
    with transaction(engine) as s:
        s.add(m.MarkingRound(competition_id=cid, contestant_id=first.contestant_id, aspect_id=first.aspect_id, round=2))
        second = marks[1]
        s.add(
            m.Mark(
                competition_id=cid,
                contestant_id=second.contestant_id,
                aspect_id=second.aspect_id,
                judge_id=second.judge_id,
                round=1,
                version=2,
                value=second.value,
                state="submitted",
                idempotency_key="a-correction",
                based_on_version=1,
                entered_by="test",
            )
        )
    reads = [(mk.idempotency_key or f"k{mk.id}", (mk.contestant_id, mk.aspect_id, mk.judge_id)) for mk in marks]
    reads += [("a-correction", (second.contestant_id, second.aspect_id, second.judge_id))]
    reads += [(f"new-{i}", (mk.contestant_id, mk.aspect_id, marks[-1 - i].judge_id)) for i, mk in enumerate(marks[:8])]
    reads += [("unknown", (0, 0, 0)), ("unknown", (first.contestant_id, first.aspect_id, 0))]
    yield engine, cid, reads
    engine.dispose()
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seen(answer):
    """What the marks path uses of head_and_cell's answer: head, replayed id, round, previous mark."""
    (head, replayed), read = answer
    if read is None:
        return head, replayed, None
    rnd, prev = read
    return head, replayed, rnd, None if prev is None else (prev.id, prev.round, prev.version, prev.state, prev.value)


def _alone(conn, cid, key, cell):
    """The one statement a read on its own runs (as on SQLite)."""
    c, a, j = cell
    return conn.execute(mark_cell._HEAD_CELL, {"cid": cid, "key": key, "c": c, "a": a, "j": j}).first()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_batch_of_reads_gives_each_reader_the_row_of_its_own_statement(marked, data):
    engine, cid, reads = marked
    batch = data.draw(st.lists(st.sampled_from(reads), min_size=1, max_size=30))  # repeats, any order
    waiters = [Waiter(r) for r in batch]
    with quick_reads(engine).connect() as conn:
        mark_cell._read_together(conn, cid, waiters)
        expected = [tuple(_alone(conn, cid, key, cell)) for key, cell in batch]
    assert [w.error for w in waiters] == [None] * len(batch)
    assert [tuple(w.result)[:-1] for w in waiters] == expected  # (the last column: its place in the batch)


def test_reads_of_a_competition_that_is_gone_find_nothing(marked):
    engine, _cid, reads = marked
    waiters = [Waiter(r) for r in reads[:5]]
    with quick_reads(engine).connect() as conn:
        mark_cell._read_together(conn, 987654321, waiters)
        assert [w.result for w in waiters] == [None] * 5
        assert mark_cell.head_and_cell(conn, 987654321, "k", None, (1, 1, 1)) == ((None, None), None)


def test_tablets_reading_at_once_share_one_statement(marked):
    """Twenty tablets queue behind a read in flight; the next read serves all twenty at once."""
    engine, cid, reads = marked
    quick = quick_reads(engine)
    with quick.connect() as conn:
        alone = [_alone(conn, cid, key, cell) for key, cell in reads[:20]]
    expected = [_seen((((r[0], r[1]), r[2]), mark_cell._state(r))) for r in alone]
    queue = gathering(("cells", id(engine.pool), cid))
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with queue.cond:
        queue.busy = True  # as if a read were in flight: everyone queues
    results: list = [None] * 20

    def read(i, key, cell):
        with quick.connect() as conn:
            results[i] = _seen(mark_cell.head_and_cell(conn, cid, key, None, cell))

    threads = [threading.Thread(target=read, args=(i, *r)) for i, r in enumerate(reads[:20])]
    event.listen(engine, "before_cursor_execute", count)
    try:
        [t.start() for t in threads]
        deadline = time.time() + 20
        while len(queue.queue) < 20 and time.time() < deadline:
            time.sleep(0.01)
        assert len(queue.queue) == 20
        with queue.cond:
            queue.busy = False
            queue.cond.notify_all()
        [t.join(30) for t in threads]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert results == expected


def test_tablets_waiting_for_their_read_hold_no_connection(pg_template):
    """Twenty tablets' marks wait for the read in flight without taking a connection each from the
    pool (db.OnDemand): the one that leads the next read takes one for all of them."""
    from services_helpers import panel_cells

    from scoring.services.marks import submit_coded
    from tests.conftest import _pg_database

    name, url = _pg_database(pg_template)
    engine = make_engine(url)
    try:
        cid = import_document(engine, childcare_document(marks="none"))
        cells = panel_cells(engine, cid)[:20]
        submit_coded(  # the cached facts are built (a first mark reads them)
            engine, competition_id=cid, judge_id=cells[0][0], contestant_ref=cells[0][1],
            aspect_code=cells[0][2], value="2", idempotency_key="warm", based_on_version=0,
        )  # fmt: skip
        queue = gathering(("cells", id(engine.pool), cid))
        checkouts = []
        with queue.cond:
            queue.busy = True
        told: list = [None] * 19

        def mark(i, j, ref, aspect):
            told[i] = submit_coded(
                engine, competition_id=cid, judge_id=j, contestant_ref=ref, aspect_code=aspect,
                value="2", idempotency_key=f"k{i}", based_on_version=0,
            )  # fmt: skip

        event.listen(engine.pool, "checkout", lambda *_: checkouts.append(1))
        threads = [threading.Thread(target=mark, args=(i, *c)) for i, c in enumerate(cells[1:])]
        [t.start() for t in threads]
        deadline = time.time() + 20
        while len(queue.queue) < 19 and time.time() < deadline:
            time.sleep(0.01)
        try:
            assert len(queue.queue) == 19 and checkouts == []
        finally:
            with queue.cond:
                queue.busy = False
                queue.cond.notify_all()
            [t.join(30) for t in threads]
        assert all(r is not None and r.version == 1 for r in told)
    finally:
        engine.dispose()
        pg_template[0].execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_on_sqlite_the_hot_read_gives_what_sqlalchemy_gives(sqlite_url):
    """The marks path's read on SQLite runs on the driver's connection (mark_cell._driver_read):
    the same row, value for value and type for type, as the statement run through SQLAlchemy."""
    engine = make_engine(sqlite_url)
    cid = import_document(engine, childcare_document(marks="some"))
    with reading(engine) as s:
        marks = s.exec(select(m.Mark).where(m.Mark.competition_id == cid).order_by(m.Mark.id)).all()[:25]
    cells = [(mk.idempotency_key, (mk.contestant_id, mk.aspect_id, mk.judge_id)) for mk in marks]
    cells += [("new", (marks[0].contestant_id, marks[0].aspect_id, 0)), ("new", (0, 0, 0))]
    with quick_reads(engine).connect() as conn:
        for key, (c, a, j) in cells:
            params = {"cid": cid, "key": key, "c": c, "a": a, "j": j}
            fast = mark_cell._driver_read(conn, params)
            slow = conn.execute(mark_cell._HEAD_CELL, params).first()
            assert tuple(fast) == tuple(slow)
            assert [type(v) for v in fast] == [type(v) for v in slow]
            assert (fast.slug, fast.r1, fast.value) == (slow.slug, slow.r1, slow.value)
        assert mark_cell._driver_read(conn, {"cid": 987654, "key": "k", "c": 1, "a": 1, "j": 1}) is None
    engine.dispose()


def test_a_reader_whose_batch_leader_was_stopped_reads_alone(marked, monkeypatch):
    """The tablet reading for a batch is killed mid-read: the others are not told "nothing" (which
    would read as a competition that is gone, 404) but read alone (gather.LeaderStopped)."""
    engine, cid, reads = marked
    plain = mark_cell._read_together

    def killed_with_company(conn, cid, batch):
        if len(batch) > 1:
            raise SystemExit  # as a killed greenlet's GreenletExit: not an Exception
        plain(conn, cid, batch)

    monkeypatch.setattr(mark_cell, "_read_together", killed_with_company)
    queue = gathering(("cells", id(engine.pool), cid))
    with queue.cond:
        queue.busy = True
    results: list = [None, None]

    def read(i, key, cell):
        try:
            with quick_reads(engine).connect() as conn:
                results[i] = _seen(mark_cell.head_and_cell(conn, cid, key, None, cell))
        except SystemExit:
            results[i] = "stopped"

    threads = [threading.Thread(target=read, args=(i, *r)) for i, r in enumerate(reads[:2])]
    [t.start() for t in threads]
    deadline = time.time() + 20
    while len(queue.queue) < 2 and time.time() < deadline:
        time.sleep(0.01)
    with queue.cond:
        queue.busy = False
        queue.cond.notify_all()
    [t.join(30) for t in threads]
    with quick_reads(engine).connect() as conn:
        alone = [_alone(conn, cid, key, cell) for key, cell in reads[:2]]
    expected = [_seen((((r[0], r[1]), r[2]), mark_cell._state(r))) for r in alone]
    survivors = [i for i in (0, 1) if results[i] != "stopped"]
    assert len(survivors) == 1  # the leader's thread ended with the SystemExit
    assert results[survivors[0]] == expected[survivors[0]]
