"""Tablets that submit at the same moment share one durable commit, and still every mark is
stored exactly once: a twin retry in the same commit is a replay, a stale edit a 409, and the
audit log holds one event per stored mark and none for a refused one (db.group_commit)."""

from __future__ import annotations

import threading
import time
import uuid

from services_helpers import held_batch, panel_cells
from sqlmodel import func, select

from scoring import db
from scoring import models as m
from scoring.db import make_engine, reading
from scoring.demo_data import childcare_document
from scoring.document import load_document, recompute
from scoring.errors import Conflict
from scoring.services import standings
from scoring.services.marks import submit_coded
from scoring.services.transfer import export_document, import_document


def _count(engine, model, **where):
    with reading(engine) as s:
        q = select(func.count()).select_from(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return s.exec(q).one()


def test_marks_arriving_together_share_one_commit_and_each_is_stored_once(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, childcare_document(marks="none"))
    cells = panel_cells(engine, cid)
    distinct, (tj, tref, ta), (sj, sref, sa) = cells[:10], cells[10], cells[11]
    with reading(engine) as s:
        version_before = s.get(m.Competition, cid).standings_version

    def submit(j, ref, aspect, key, value="2"):
        return lambda: submit_coded(
            engine,
            competition_id=cid,
            judge_id=j,
            contestant_ref=ref,
            aspect_code=aspect,
            value=value,
            idempotency_key=key,
            based_on_version=0,
            client_id="tablet",
        )

    calls = [submit(j, ref, a, f"k-{i}") for i, (j, ref, a) in enumerate(distinct)]
    calls += [submit(tj, tref, ta, "twin"), submit(tj, tref, ta, "twin")]  # a retry racing itself
    calls += [submit(sj, sref, sa, "edit-a", "1"), submit(sj, sref, sa, "edit-b", "3")]  # two edits of version 0
    results = held_batch(engine, ("marks", cid), calls)

    plain, twins, edits = results[:10], results[10:12], results[12:]
    assert all(not isinstance(r, Exception) and not r.replayed and r.version == 1 for r in plain)
    assert sorted(r.replayed for r in twins) == [False, True]
    assert twins[0].mark_id == twins[1].mark_id
    won = [r for r in edits if not isinstance(r, Exception)]
    lost = [r for r in edits if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], Conflict)
    # one commit for the whole batch: one standings version, and it counts every mark in it
    fresh = [r for r in plain + twins + won if not r.replayed]
    assert {r.standings_version for r in fresh} == {version_before + 1}
    assert _count(engine, m.Mark, competition_id=cid) == 12
    assert _count(engine, m.Mark, idempotency_key="twin") == 1
    # the audit log: one event per stored mark, none for the refused edit or the twin's undone insert
    with reading(engine) as s:
        kinds = s.exec(
            select(m.AuditEvent.kind).where(m.AuditEvent.competition_id == cid, m.AuditEvent.kind == "mark.submitted")
        ).all()
    assert len(kinds) == 12
    version, _, live = standings.computed(engine, cid)
    assert version == version_before + 1
    assert live == recompute(load_document(export_document(engine, cid), strict=False))
    engine.dispose()


def test_fifty_tablets_at_once_every_acknowledged_mark_is_stored_exactly_once(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, childcare_document(marks="none"))
    cells = panel_cells(engine, cid)[:200]
    acked, errors, lock = [], [], threading.Lock()
    barrier = threading.Barrier(50)

    def tablet(k):
        barrier.wait()
        for j, ref, a in cells[k::50]:
            key = uuid.uuid4().hex
            try:
                r = submit_coded(
                    engine,
                    competition_id=cid,
                    judge_id=j,
                    contestant_ref=ref,
                    aspect_code=a,
                    value="2",
                    idempotency_key=key,
                    based_on_version=0,
                )
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(exc)
                continue
            with lock:
                acked.append((key, r.standings_version))

    threads = [threading.Thread(target=tablet, args=(k,)) for k in range(50)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert errors == []
    assert len(acked) == len(cells)
    with reading(engine) as s:
        stored = s.exec(select(m.Mark.idempotency_key).where(m.Mark.competition_id == cid)).all()
        final = s.get(m.Competition, cid).standings_version
    assert sorted(stored) == sorted(k for k, _ in acked)
    # shared commits: fewer versions than marks is allowed, but every acknowledgement names a
    # version that exists, and the live standings count all 200 marks
    assert all(v <= final for _, v in acked)
    _, _, live = standings.computed(engine, cid)
    assert live == recompute(load_document(export_document(engine, cid), strict=False))
    engine.dispose()


def test_a_batch_that_cannot_commit_acknowledges_nothing(sqlite_url):
    """If the shared transaction fails, every writer in it hears the error and nothing is written."""
    from sqlalchemy import text

    engine = make_engine(sqlite_url)
    cid = import_document(engine, childcare_document(marks="none"))

    def prologue(conn):
        raise OSError("disk full")

    def write(k):
        def work(conn, _head):
            conn.execute(
                text(
                    "INSERT INTO auditevent (competition_id, at, actor, kind, subject, payload) "
                    "VALUES (:c, '2026-01-01 00:00:00', 't', 'probe', :s, '{}')"
                ),
                {"c": cid, "s": str(k)},
            )
            return k

        return lambda: db.group_commit(engine, ("probe", cid), prologue, work)

    results = held_batch(engine, ("probe", cid), [write(k) for k in range(3)])
    assert [type(r).__name__ for r in results] == ["OSError"] * 3
    assert _count(engine, m.AuditEvent, kind="probe") == 0
    engine.dispose()


def _submit_from_another_process(url, cid, cells, out):
    """Runs in a forked process: its own engine, its own group commits, one SQLite file."""
    engine = make_engine(url)
    done, errors = 0, []
    threads, lock = [], threading.Lock()

    def tablet(part):
        nonlocal done
        for j, ref, a in part:
            try:
                submit_coded(
                    engine,
                    competition_id=cid,
                    judge_id=j,
                    contestant_ref=ref,
                    aspect_code=a,
                    value="2",
                    idempotency_key=f"{ref}-{a}-{j}",
                    based_on_version=0,
                )
                with lock:
                    done += 1
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(repr(exc))

    for k in range(8):
        threads.append(threading.Thread(target=tablet, args=(cells[k::8],)))
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    engine.dispose()
    out.put((done, errors))


def test_two_server_processes_on_one_sqlite_file_lose_nothing(sqlite_url):
    """Two processes (as two gunicorn workers would) writing marks to the same SQLite file at once:
    the cross-process write gate (flock) queues them; nothing fails with 'database is locked' and
    every acknowledged mark is stored exactly once."""
    import multiprocessing as mp

    engine = make_engine(sqlite_url)
    cid = import_document(engine, childcare_document(marks="none"))
    cells = panel_cells(engine, cid)[:240]
    engine.dispose()
    db.dispose_all()
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_submit_from_another_process, args=(sqlite_url, cid, cells[k::2], out)) for k in range(2)
    ]
    [p.start() for p in procs]
    results = [out.get(timeout=120) for _ in procs]
    [p.join(30) for p in procs]
    assert [errors for _, errors in results] == [[], []]
    assert sum(done for done, _ in results) == len(cells)
    engine = make_engine(sqlite_url)
    assert _count(engine, m.Mark, competition_id=cid) == len(cells)
    engine.dispose()


def test_a_mark_checked_before_a_re_score_round_opened_is_refused_not_filed_in_the_old_round(database_url, any_app):
    """The checks read the cell's round without the write lock; a round the chief judge opens in
    between would otherwise take an acknowledged mark into the superseded round. The write reads
    the round again and answers 409 instead, and another tablet's mark in the same batch is stored. (``any_app``: making the app connects the spread
    check to ``signals.mark_recorded``, scoring.wiring, as in production.)"""
    from scoring.services.judging import open_rescore
    from scoring.services.marks import RESCORED

    engine = make_engine(database_url)
    cid = import_document(engine, childcare_document(marks="none"))
    cells = panel_cells(engine, cid)
    ref, aspect = cells[0][1], cells[0][2]
    panel = [j for j, r, a in cells if (r, a) == (ref, aspect)]
    for k, j in enumerate(panel):  # a spread far beyond the rule: the aspect is flagged
        submit_coded(
            engine,
            competition_id=cid,
            judge_id=j,
            contestant_ref=ref,
            aspect_code=aspect,
            value="0" if k % 2 else "3",
            idempotency_key=f"r1-{j}",
            based_on_version=0,
        )

    def late():
        return submit_coded(
            engine,
            competition_id=cid,
            judge_id=panel[0],
            contestant_ref=ref,
            aspect_code=aspect,
            value="2",
            idempotency_key="late-correction",
            based_on_version=1,
        )

    opened = []

    def chief_opens_round():
        opened.append(open_rescore(engine, cid, ref, aspect, "J01", "spread"))
        return None

    gate = db._group_commits.setdefault((id(engine), ("marks", cid)), db._GroupCommit())
    with gate.cond:
        gate.busy = True
    other = next((j, r, a) for j, r, a in cells if r != ref)

    def companion():  # another tablet's mark in the same batch (written with it in a few statements)
        j, r, a = other
        return submit_coded(
            engine,
            competition_id=cid,
            judge_id=j,
            contestant_ref=r,
            aspect_code=a,
            value="2",
            idempotency_key="companion",
            based_on_version=0,
        )

    result, beside = [], []
    threads = [
        threading.Thread(target=lambda: result.append(_outcome(late))),
        threading.Thread(target=lambda: beside.append(_outcome(companion))),
    ]
    [t.start() for t in threads]
    deadline = time.time() + 20
    while len(gate.queue) < 2 and time.time() < deadline:
        time.sleep(0.01)
    assert len(gate.queue) == 2, "both passed their checks and wait for the commit"
    chief_opens_round()  # the round opens between the checks and the write
    with gate.cond:
        gate.busy = False
        gate.cond.notify_all()
    [t.join(30) for t in threads]
    assert opened == [2]
    assert isinstance(result[0], Conflict) and result[0].msgid == RESCORED
    assert _count(engine, m.Mark, idempotency_key="late-correction") == 0
    assert not isinstance(beside[0], Exception) and _count(engine, m.Mark, idempotency_key="companion") == 1
    engine.dispose()


def _outcome(call):
    try:
        return call()
    except Exception as exc:  # noqa: BLE001
        return exc


def test_a_refused_row_in_a_batch_undoes_only_its_writer_and_a_failed_check_none(database_url):
    """A batch first runs without a savepoint per writer; a row the database refuses (here a
    duplicate idempotency key) spoils that attempt, and the batch runs again with savepoints: the
    refused writer hears the database's error, a writer whose own check failed before writing
    hears its error, every other writer's row is stored once (SQLite and PostgreSQL)."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(database_url)
    cid = import_document(engine, childcare_document(marks="none"))
    attempts = []

    def prologue(conn):
        attempts.append(1)
        return None

    def write(k):
        def work(conn, _head):
            if k == 3:
                raise Conflict("checked before writing")
            subject = "dup" if k in (1, 4) else str(k)  # 1 and 4: the second one is refused
            conn.execute(
                text(
                    "INSERT INTO auditevent (competition_id, at, actor, kind, subject, payload) "
                    "VALUES (:c, '2026-01-01 00:00:00', 't', 'probe', :s, '{}')"
                ),
                {"c": cid, "s": subject},
            )
            return k

        return lambda: db.group_commit(engine, ("probe", cid), prologue, work)

    with engine.begin() as conn:  # a unique index standing in for the marks' own constraints
        conn.execute(text("CREATE UNIQUE INDEX probe_once ON auditevent (subject) WHERE kind = 'probe'"))
    results = held_batch(engine, ("probe", cid), [write(k) for k in range(6)])
    refused = [i for i, r in enumerate(results) if isinstance(r, IntegrityError)]
    assert len(refused) == 1 and refused[0] in (1, 4)
    assert isinstance(results[3], Conflict)
    assert sorted(r for r in results if isinstance(r, int)) == sorted({0, 1, 2, 4, 5} - set(refused))
    assert _count(engine, m.AuditEvent, kind="probe") == 4
    assert len(attempts) == 2  # the quick attempt, then the one with savepoints
    engine.dispose()
