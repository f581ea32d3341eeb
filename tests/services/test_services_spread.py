"""The spread rule after each recorded mark (services.spread, listening to signals.mark_recorded):
no flag until every expected judge's mark is in, a flag at the last one, a re-score round that
keeps round 1, and a round 2 within the rule resolves it. The chief judge's grid hears each step."""

from __future__ import annotations

import re

from sqlmodel import select

from scoring import models as m
from scoring import signals
from scoring.db import reading
from scoring.demo_data import childcare_document
from scoring.services.marks import submit_mark
from scoring.services.setup import set_recusal
from scoring.services.spread import expected_judges, open_rescore
from scoring.services.transfer import import_document

PANEL = ("J02", "J03", "J04", "J05", "J06")


def _cell(engine, cid):
    """A childcare contestant none of the practical panel is recused from, and the A1.3 aspect (0-3, spread 1)."""
    with reading(engine) as s:
        judges = {j.code: j.id for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        recused = {r.contestant_id for r in s.exec(select(m.Recusal).where(m.Recusal.competition_id == cid))}
        group = s.exec(select(m.Group).where(m.Group.competition_id == cid, m.Group.code == "childcare")).one()
        contestant = next(
            c
            for c in s.exec(select(m.Contestant).where(m.Contestant.group_id == group.id).order_by(m.Contestant.id))
            if c.id not in recused
        )
        aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == "A1.3")).one()
    return judges, contestant, aspect


def _flags(engine, contestant_id):
    with reading(engine) as s:
        return sorted(
            (f.round, f.state) for f in s.exec(select(m.SpreadFlag).where(m.SpreadFlag.contestant_id == contestant_id))
        )


def _submit(engine, cid, judge_id, contestant_id, aspect_id, value, key, version=0):
    submit_mark(
        engine,
        competition_id=cid,
        judge_id=judge_id,
        contestant_id=contestant_id,
        aspect_id=aspect_id,
        value=value,
        idempotency_key=key,
        based_on_version=version,
    )


def test_the_last_expected_mark_raises_the_flag_and_a_second_round_resolves_it(any_app):
    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="none"))
    judges, contestant, aspect = _cell(engine, cid)
    heard = []
    with signals.grid_changed.connected_to(lambda cid_, *, what, **_: heard.append(what)):
        for i, (code, value) in enumerate(zip(PANEL, ("0", "2", "2", "3", "2"))):  # spread 3 > 1
            _submit(engine, cid, judges[code], contestant.id, aspect.id, value, f"r1-{code}")
            assert _flags(engine, contestant.id) == ([(1, "open")] if i == len(PANEL) - 1 else [])
        assert heard == ["mark"] * 4 + ["flag", "mark"]
        ref = f"#{contestant.id}"
        assert open_rescore(engine, cid, ref, "A1.3", "J01", "discussed") == 2
        assert _flags(engine, contestant.id) == [(1, "rescoring")] and heard[-1] == "round"
        for code in PANEL:
            _submit(engine, cid, judges[code], contestant.id, aspect.id, "2", f"r2-{code}")
    assert _flags(engine, contestant.id) == [(1, "resolved")]
    with reading(engine) as s:
        rounds = sorted(k.round for k in s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant.id)))
    assert rounds == [1] * 5 + [2] * 5


def test_a_recused_judge_is_not_expected(any_app):
    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="none"))
    judges, contestant, aspect = _cell(engine, cid)
    with reading(engine) as s:
        assert [j.code for j in expected_judges(s, contestant, aspect)] == list(PANEL)
    set_recusal(engine, cid, judges["J04"], contestant.id, True, "亲属", "t")
    with reading(engine) as s:
        assert [j.code for j in expected_judges(s, contestant, aspect)] == ["J02", "J03", "J05", "J06"]
    for code, value in zip(("J02", "J03", "J05", "J06"), ("0", "2", "3", "2")):  # four marks are all of them
        _submit(engine, cid, judges[code], contestant.id, aspect.id, value, f"k-{code}")
    assert _flags(engine, contestant.id) == [(1, "open")]


def test_a_whole_panel_arriving_in_one_batch_raises_the_flag_with_one_read_of_the_cell(any_app):
    """The five marks of one cell commit together (db.group_commit): the batch reads the cell's round
    once after its commit (mark_rows.read_rounds_after; on PostgreSQL in its one write statement)
    instead of once per mark, and the spread rule still sees every mark: the flag opens once."""
    from services_helpers import held_batch
    from sqlalchemy import event

    from scoring.services.marks import submit_coded

    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="none"))
    judges, contestant, aspect = _cell(engine, cid)
    with reading(engine) as s:
        ref = s.exec(select(m.DrawEntry.code).where(m.DrawEntry.contestant_id == contestant.id)).one()
    statements: list[str] = []

    def seen(conn, cursor, statement, *_):  # noqa: ANN001
        statements.append(" ".join(statement.split()))

    calls = [
        lambda code=code, value=value: submit_coded(
            engine,
            competition_id=cid,
            judge_id=judges[code],
            contestant_ref=ref,
            aspect_code="A1.3",
            value=value,
            idempotency_key=f"batch-{code}",
            based_on_version=0,
            client_id="tablet",
        )
        for code, value in zip(PANEL, ("0", "2", "2", "3", "2"))  # spread 3 > 1
    ]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        results = held_batch(engine, ("marks", cid), calls)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.standings_version for r in results}) == 1, "one commit"
    assert _flags(engine, contestant.id) == [(1, "open")]
    per_mark = [q for q in statements if q.startswith("SELECT mark.judge_id, mark.round, mark.version")]
    per_batch = [q for q in statements if q.startswith("SELECT mark.contestant_id, mark.aspect_id, mark.judge_id")]
    in_the_write = [q for q in statements if q.startswith("WITH ins AS") and "JOIN cells" in q]
    if engine.dialect.name == "postgresql":  # read by the batch's one write statement (mark_rows)
        assert (len(per_mark), len(per_batch), len(in_the_write)) == (0, 0, 1)
    else:
        assert (len(per_mark), len(per_batch)) == (0, 1)


def test_a_correction_that_changes_no_flag_takes_no_write_lock(any_app):
    """With the flag open, a correction that keeps the spread too wide changes nothing: the check
    reads the flag and leaves it (on SQLite a write transaction is the database's one write lock,
    which every batch of marks queues for)."""
    from sqlalchemy import event

    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="none"))
    judges, contestant, aspect = _cell(engine, cid)

    def mark(code: str, value: str, version: int) -> None:
        _submit(engine, cid, judges[code], contestant.id, aspect.id, value, f"{code}-{version}", version)

    for code, value in zip(PANEL, ("0", "2", "2", "3", "2")):  # spread 3 > 1
        mark(code, value, 0)
    assert _flags(engine, contestant.id) == [(1, "open")]
    written: list[str] = []
    facts_read: list[str] = []

    def seen(conn, cursor, statement, *_):  # noqa: ANN001
        if conn.get_execution_options().get("scoring_write") and m.SpreadFlag.__tablename__ in statement:
            written.append(statement)
        if re.search(r"\bFROM (aspect|contestant|judge)\b", statement):
            facts_read.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        mark("J02", "1", 1)  # spread 2 > 1: still open
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert _flags(engine, contestant.id) == [(1, "open")]
    assert written == []
    assert facts_read == []  # the check used the cached facts the mark was checked against
    mark("J02", "2", 2)  # spread 1: resolved, through the write
    assert _flags(engine, contestant.id) == [(1, "resolved")]
