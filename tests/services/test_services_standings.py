"""Live standings follow every committed mark incrementally and always equal a full recompute."""

import random
import uuid

from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.demo_data import childcare_document
from scoring.document import load_document, recompute
from scoring.services import standings
from scoring.services.marks import submit_mark
from scoring.services.readside import latest
from scoring.services.transfer import export_document, import_document


def _full(engine, cid):
    return recompute(load_document(export_document(engine, cid), strict=False))


def test_incremental_standings_equal_a_full_recompute_after_marks_corrections_and_voids(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, childcare_document(marks="some"))
    version0, _, before = standings.computed(engine, cid)
    assert before == _full(engine, cid)
    rng = random.Random(7)
    with reading(engine) as s:
        cells = []
        for panel in s.exec(select(m.Panel).where(m.Panel.competition_id == cid)):
            judges = [pj.judge_id for pj in s.exec(select(m.PanelJudge).where(m.PanelJudge.panel_id == panel.id))]
            people = [c.id for c in s.exec(select(m.Contestant).where(m.Contestant.group_id == panel.group_id))]
            limited = {pa.aspect_id for pa in s.exec(select(m.PanelAspect).where(m.PanelAspect.panel_id == panel.id))}
            aspects = [
                a
                for a in s.exec(select(m.Aspect).where(m.Aspect.stage_id == panel.stage_id))
                if not limited or a.id in limited
            ]
            recused = {(r.judge_id, r.contestant_id) for r in s.exec(select(m.Recusal))}
            for c in rng.sample(people, 6):
                for a in aspects:
                    for j in judges:
                        if (j, c) not in recused:
                            cells.append((j, c, a))
    rng.shuffle(cells)
    applied = 0
    for j, c, a in cells[:60]:
        with reading(engine) as s:
            prev = latest(s, c, a.id, j, 1)
        top = a.max_value if a.max_value is not None else (a.scale_max if a.type == "judgement" else a.max_mark)
        if a.type == "time":
            top = a.time_limit
        steps = int(top / a.step)
        value = a.step * rng.randint(0, steps)
        state = "void" if prev is not None and rng.random() < 0.2 else "submitted"
        submit_mark(
            engine,
            competition_id=cid,
            judge_id=j,
            contestant_id=c,
            aspect_id=a.id,
            value=str(value),
            idempotency_key=uuid.uuid4().hex,
            based_on_version=prev.version if prev else 0,
            state=state,
        )
        applied += 1
        if applied % 15 == 0:
            version, _, live = standings.computed(engine, cid)
            assert version > version0
            assert live == _full(engine, cid)
    version, _, live = standings.computed(engine, cid)
    assert live == _full(engine, cid)
    assert live != before
