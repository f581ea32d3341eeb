"""The read side (services.readside) on real databases: the marks that count are exactly those the
newest-round, newest-version reading of the stored versions gives, and the document built from
the database reads back as one."""

from __future__ import annotations

import random
from decimal import Decimal

from services_helpers import small_document
from sqlalchemy import and_, func
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading, transaction
from scoring.demo_data import childcare_document
from scoring.document import load_document
from scoring.services.readside import build_document, current_marks, seating
from scoring.services.transfer import import_document


def _reference(s, cid):
    """The rule as one SQL query (what services.marks.current_marks ran before rules.cells)."""
    newest_round = (
        select(m.Mark.contestant_id, m.Mark.aspect_id, func.max(m.Mark.round).label("r"))
        .where(m.Mark.competition_id == cid)
        .group_by(m.Mark.contestant_id, m.Mark.aspect_id)
        .subquery()
    )
    newest_version = (
        select(
            m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id, m.Mark.round, func.max(m.Mark.version).label("v")
        )
        .where(m.Mark.competition_id == cid)
        .group_by(m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id, m.Mark.round)
        .subquery()
    )
    q = (
        select(m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id, m.Mark.value)
        .join(
            newest_round,
            and_(
                newest_round.c.contestant_id == m.Mark.contestant_id,
                newest_round.c.aspect_id == m.Mark.aspect_id,
                newest_round.c.r == m.Mark.round,
            ),
        )
        .join(
            newest_version,
            and_(
                newest_version.c.contestant_id == m.Mark.contestant_id,
                newest_version.c.aspect_id == m.Mark.aspect_id,
                newest_version.c.judge_id == m.Mark.judge_id,
                newest_version.c.round == m.Mark.round,
                newest_version.c.v == m.Mark.version,
            ),
        )
        .where(m.Mark.competition_id == cid, m.Mark.state.in_(("submitted", "signed")), m.Mark.value.is_not(None))
        .order_by(m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id)
    )
    return [tuple(r) for r in s.exec(q)]


def test_current_marks_equal_the_newest_round_and_version_of_every_cell(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, childcare_document(marks="some"))
    rng = random.Random(10)
    with transaction(engine) as s:  # later versions and re-score rounds on top of the imported marks
        cells = [
            (k.contestant_id, k.aspect_id, k.judge_id)
            for k in s.exec(select(m.Mark).where(m.Mark.competition_id == cid))
        ]
        for n, (c, a, j) in enumerate(rng.sample(cells, 200)):
            rnd = rng.choice((1, 1, 2))
            for version in range(2 if rnd == 1 else 1, rng.randint(2, 4)):
                state = rng.choice(("submitted", "signed", "void"))
                s.add(
                    m.Mark(
                        competition_id=cid,
                        contestant_id=c,
                        aspect_id=a,
                        judge_id=j,
                        round=rnd,
                        version=version,
                        state=state,
                        value=None if state == "void" else Decimal(rng.randint(0, 3)),
                        idempotency_key=f"t-{n}-{rnd}-{version}",
                    )
                )
    with reading(engine) as s:
        got = [(r.contestant_id, r.aspect_id, r.judge_id, r.value) for r in current_marks(s, cid)]
        assert got == _reference(s, cid)
        assert len(got) < len(cells)  # voids and new rounds took marks out
    engine.dispose()


def test_the_document_built_from_the_database_reads_back_with_its_seating(database_url):
    engine = make_engine(database_url)
    raw = small_document()
    raw["panels"][0]["aspects"] = ["T1"]
    raw["recusals"] = [{"judge": "J01", "contestant": "C003", "reason": "亲属"}]
    cid = import_document(engine, raw)
    with reading(engine) as s:
        doc = load_document(build_document(s, cid))
        seat = seating(s, cid)
        people = {c.code: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid)).one()
        judges = {j.code: j.id for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
    assert [c.code for c in doc.contestants] == ["C001", "C002", "C003"]
    assert seat.expected(people["C001"], aspect) == {judges["J01"]}
    assert seat.expected(people["C003"], aspect) == set()  # recused
    assert seat.refusal(judges["J02"], people["C001"], aspect) is not None  # on no panel
    engine.dispose()
