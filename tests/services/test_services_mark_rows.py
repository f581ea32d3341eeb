"""On PostgreSQL a batch of tablets' marks is written in one statement after the standings bump
(services.mark_rows): the same marks and audit events, in the same order, as the same batch
written statement by statement, and a mark whose cell was re-scored after its checks is still
refused while its batch's others are stored."""

from __future__ import annotations

import pytest
from services_helpers import held_batch, panel_cells
from sqlalchemy import event
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.demo_data import childcare_document
from scoring.services import mark_rows
from scoring.services.marks import submit_coded
from scoring.services.transfer import import_document

pytestmark = pytest.mark.postgres


def _write_batch(url: str) -> tuple[list[str], list, list, list]:
    """Fourteen tablets' marks (one a void, one a correction) as one batch: (the batch's
    statements, what each tablet was told, the stored marks and the audit events, by codes)."""
    engine = make_engine(url)
    cid = import_document(engine, childcare_document(marks="none"))
    cells = panel_cells(engine, cid)
    corrected = cells[13]
    submit_coded(
        engine,
        competition_id=cid,
        judge_id=corrected[0],
        contestant_ref=corrected[1],
        aspect_code=corrected[2],
        value="1",
        idempotency_key="first",
        based_on_version=0,
        client_id="tablet-x",
    )

    def submit(i, j, ref, aspect):
        return lambda: submit_coded(
            engine,
            competition_id=cid,
            judge_id=j,
            contestant_ref=ref,
            aspect_code=aspect,
            value=None if i == 5 else ("2", "1", "3", "0")[i % 4],
            state="void" if i == 5 else "submitted",
            reason="手误 / slip" if i == 5 else "",
            idempotency_key=f"key-{i}",
            based_on_version=1 if i == 13 else 0,
            client_id=f"tablet-{i % 3}",
        )

    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        told = held_batch(engine, ("marks", cid), [submit(i, *cells[i]) for i in range(14)])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    with reading(engine) as s:
        judge = {j.id: j.code for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        ref = {c.id: c.code for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        aspect = {a.id: a.code for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
        marks = [
            (ref[k.contestant_id], aspect[k.aspect_id], judge[k.judge_id], k.round, k.version, k.value, k.state)
            + (k.client_id, k.idempotency_key, k.based_on_version, k.entered_by, k.reason, k.created_at is not None)
            for k in s.exec(select(m.Mark).where(m.Mark.competition_id == cid).order_by(m.Mark.id))
        ]
        events = [
            (e.actor, e.kind, e.subject, e.payload, e.at is not None)
            for e in s.exec(select(m.AuditEvent).where(m.AuditEvent.kind.like("mark.%")).order_by(m.AuditEvent.id))
        ]
    engine.dispose()
    answers = [(t.version, t.round, t.value, t.state, t.replayed) for t in told]
    return statements, answers, marks, events


def test_a_batch_is_one_statement_and_stores_what_the_statement_by_statement_path_stores(pg_template, monkeypatch):
    from tests.conftest import _pg_database

    one, one_url = _pg_database(pg_template)
    other, other_url = _pg_database(pg_template)
    try:
        statements, answers, marks, events = _write_batch(one_url)
        monkeypatch.setattr(
            mark_rows,
            "_write_together_pg",
            lambda c, v, works: mark_rows._write_in_statements(c, v, [w.pending for w in works]),
        )
        old_statements, old_answers, old_marks, old_events = _write_batch(other_url)
    finally:
        pg_template[0].execute(f'DROP DATABASE IF EXISTS "{one}" WITH (FORCE)')
        pg_template[0].execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')
    # (an app made earlier in this process may have connected the spread check: its statements too)
    writes = [s for s in statements if "INSERT INTO mark " in s]
    assert len(writes) == 1 and "INSERT INTO auditevent " in writes[0]  # check and both inserts, one round trip
    assert len([s for s in old_statements if "INSERT INTO mark " in s]) == 1  # (and the events' own insert)
    # (the order within a batch is the order the tablets reached the queue: it differs between runs)
    assert sorted(answers, key=repr) == sorted(old_answers, key=repr) and len(answers) == 14
    assert sorted(marks, key=repr) == sorted(old_marks, key=repr) and len(marks) == 15
    assert sorted(events, key=repr) == sorted(old_events, key=repr) and len(events) == 15
    # ids follow the batch's order, and each mark's audit event comes in the same place
    assert [e[2] for e in events] == [f"{k[0]}/{k[1]}/{k[2]}" for k in marks]
    assert [k[4] for k in marks].count(2) == 1 and [k[6] for k in marks].count("void") == 1
