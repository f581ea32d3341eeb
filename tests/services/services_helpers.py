"""A small published competition for the service tests: three contestants, one theory aspect
marked by the chief judge J01, a second judge J02 on no panel; marks entered through the one
write path."""

from __future__ import annotations

import threading
import time

from competitions import small_document as base_document
from sqlmodel import func, select

from scoring import db
from scoring import models as m
from scoring.db import reading

SLUG = "svc-2025"


def small_document() -> dict:
    doc = base_document(SLUG)
    doc["contestants"] = [
        {"code": "C001", "name": "张伟", "group": "childcare", "unit": "榆阳区第一幼儿园", "region": "榆阳区"},
        {"code": "C002", "name": "杨堃", "group": "childcare", "unit": "神木市第一幼儿园", "region": "神木市"},
        {"code": "C003", "name": "赵喆", "group": "childcare", "unit": "府谷县实验幼儿园", "region": "府谷县"},
    ]
    doc["judges"].append(
        {"code": "J02", "name": "李裁判", "role": "judge", "unit": "神木市第一幼儿园", "region": "米脂县"}
    )
    return doc


def ids(engine, cid: int) -> dict[str, int]:
    """Code -> id of every contestant, judge and aspect."""
    with reading(engine) as s:
        out = {c.code: c.id for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        out |= {j.code: j.id for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        out |= {a.code: a.id for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
    return out


def enter_marks(engine, cid: int, values: dict[str, str]) -> None:
    """contestant code -> theory mark by J01, through services.marks.submit_mark."""
    from scoring.services.marks import submit_mark

    known = ids(engine, cid)
    for code, value in values.items():
        submit_mark(
            engine,
            competition_id=cid,
            judge_id=known["J01"],
            contestant_id=known[code],
            aspect_id=known["T1"],
            value=value,
            idempotency_key=f"test-{code}-{value}",
            based_on_version=0,
            entered_by="test",
        )


def count(engine, model, **where) -> int:
    with reading(engine) as s:
        q = select(func.count()).select_from(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return s.exec(q).one()


def standings_version(engine, cid: int) -> int:
    with reading(engine) as s:
        return s.get(m.Competition, cid).standings_version


def panel_cells(engine, cid):
    """(judge id, contestant draw code, aspect code) cells of the childcare practical panel."""
    with reading(engine) as s:
        stage = s.exec(select(m.Stage).where(m.Stage.competition_id == cid, m.Stage.code == "practical")).first()
        panel = s.exec(select(m.Panel).where(m.Panel.competition_id == cid, m.Panel.stage_id == stage.id)).first()
        judges = [pj.judge_id for pj in s.exec(select(m.PanelJudge).where(m.PanelJudge.panel_id == panel.id))]
        limited = {pa.aspect_id for pa in s.exec(select(m.PanelAspect).where(m.PanelAspect.panel_id == panel.id))}
        aspects = [
            a.code
            for a in s.exec(select(m.Aspect).where(m.Aspect.stage_id == stage.id, m.Aspect.type == "judgement"))
            if not limited or a.id in limited
        ]
        people = {c.id for c in s.exec(select(m.Contestant).where(m.Contestant.group_id == panel.group_id))}
        refs = [
            e.code
            for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid).order_by(m.DrawEntry.code))
            if e.contestant_id in people
        ]
        recused = {(r.judge_id, r.contestant_id) for r in s.exec(select(m.Recusal))}
        by_ref = {e.code: e.contestant_id for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid))}
    return [(j, ref, a) for ref in refs for a in aspects for j in judges if (j, by_ref[ref]) not in recused]


def held_batch(engine, key, calls):
    """Run the calls in threads that all queue behind one busy leader, then let them go as one batch."""
    gate = db._group_commits.setdefault((id(engine), key), db._GroupCommit())
    with gate.cond:
        gate.busy = True  # as if a leader were committing: everyone queues
    results = [None] * len(calls)

    def run(i, call):
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each tablet was told
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    [t.start() for t in threads]
    deadline = time.time() + 20
    while len(gate.queue) < len(calls) and time.time() < deadline:
        time.sleep(0.01)
    assert len(gate.queue) == len(calls), "every submission is checked and waiting for the commit"
    with gate.cond:
        gate.busy = False
        gate.cond.notify_all()  # one of them leads the whole queue
    [t.join(30) for t in threads]
    return results
