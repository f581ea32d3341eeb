"""The organizer's progress bars (services.progress.by_group) count every expected mark and every
given one, with the same few queries whatever the size of the competition."""

from __future__ import annotations

from services_helpers import enter_marks, small_document
from sqlalchemy import event
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.demo_data import childcare_document
from scoring.services.progress import by_group
from scoring.services.transfer import import_document


def _brute_force(engine, cid):
    """Expected: every panel judge x aspect of the panel x contestant of its group, less recusals and
    withdrawals; given: the newest counting version of each of those cells."""
    with reading(engine) as s:
        people = [c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)) if not c.withdrawn]
        aspects = list(s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid)))
        recused = {
            (r.judge_id, r.contestant_id) for r in s.exec(select(m.Recusal).where(m.Recusal.competition_id == cid))
        }
        cells = set()
        for p in s.exec(select(m.Panel).where(m.Panel.competition_id == cid)):
            judges = [r.judge_id for r in s.exec(select(m.PanelJudge).where(m.PanelJudge.panel_id == p.id))]
            limited = [r.aspect_id for r in s.exec(select(m.PanelAspect).where(m.PanelAspect.panel_id == p.id))]
            for c in people:
                for a in limited or [a.id for a in aspects if a.stage_id == p.stage_id]:
                    cells |= {(c.id, a, j) for j in judges if c.group_id == p.group_id and (j, c.id) not in recused}
        newest = {}
        for k in s.exec(select(m.Mark).where(m.Mark.competition_id == cid).order_by(m.Mark.round, m.Mark.version)):
            newest[(k.contestant_id, k.aspect_id, k.judge_id)] = k
        top = {}
        for (c, a, _j), k in newest.items():
            top[(c, a)] = max(top.get((c, a), 0), k.round)
        given = {
            cell for cell, k in newest.items() if k.round == top[cell[:2]] and k.state != "void" and k.value is not None
        }
        groups = {g.id: g.code for g in s.exec(select(m.Group).where(m.Group.competition_id == cid))}
    group_of = {c.id: groups[c.group_id] for c in people}
    out = {}
    for code in groups.values():
        mine = [cell for cell in cells if group_of[cell[0]] == code]
        out[code] = (len(mine), sum(1 for cell in mine if cell in given))
    return out


def _queries(engine, call):
    seen = []
    listener = lambda *args, **kw: seen.append(args[2])  # noqa: E731  (the statement)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return result, len(seen)


def test_progress_by_group_counts_what_a_brute_force_count_gives_with_a_fixed_number_of_queries(database_url):
    engine = make_engine(database_url)
    small = import_document(engine, small_document())
    enter_marks(engine, small, {"C001": "90", "C002": "80"})
    big = import_document(engine, childcare_document(marks="some"))
    with reading(engine) as s:  # recusals change what is expected
        assert s.exec(select(m.Recusal).where(m.Recusal.competition_id == big)).first() is not None
    rows_small, queries_small = _queries(engine, lambda: by_group(engine, small))
    rows_big, queries_big = _queries(engine, lambda: by_group(engine, big))
    assert (
        {r["code"]: (r["expected"], r["given"]) for r in rows_small}
        == _brute_force(engine, small)
        == {"childcare": (3, 2)}
    )
    assert {r["code"]: (r["expected"], r["given"]) for r in rows_big} == _brute_force(engine, big)
    assert all(0 < r["given"] < r["expected"] for r in rows_big)
    assert queries_big == queries_small  # no query per panel, contestant or cell
    engine.dispose()
