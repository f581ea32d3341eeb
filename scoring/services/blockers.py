"""What blocks a step, read from the database and put in words an organizer can act on.

Why here: ``rules.blockers`` decides (pure, over the cell tally); this module reads the rows it
needs in one read transaction and turns ids into what a page shows: the contestant's anonymous
code and station (their name only when the caller may see names), the aspect, the judge, the
counts, and the first ``limit`` of each list with how many more there are. Every page that
refuses or warns (lock, review, publish, overview, monitor) shows this and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading
from scoring.rules.blockers import Blockers, StageRef, blockers
from scoring.services.readside import current_marks, seating

LIMIT = 20  # rows shown per list; the rest is "and N more"
ASPECTS_SHOWN = 8  # aspect codes shown per judge and contestant


@dataclass(frozen=True)
class Found:
    """The pure answer and the rows that name its ids."""

    blockers: Blockers
    stages: dict[int, m.Stage]
    groups: dict[int, m.Group]
    people: dict[int, m.Contestant]
    aspects: dict[int, m.Aspect]
    judges: dict[int, m.Judge]
    entries: dict[int, m.DrawEntry]


def find(s: Session, cid: int, stage_code: str | None = None, need_locked: bool = False) -> Found:
    """The blockers of a step inside the caller's session (a write path checks the same answer)."""
    stages = {st.id: st for st in s.exec(select(m.Stage).where(m.Stage.competition_id == cid))}
    groups = {g.id: g for g in s.exec(select(m.Group).where(m.Group.competition_id == cid))}
    people = {c.id: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
    aspects = {a.id: a for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
    judges = {j.id: j for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
    entries = {e.contestant_id: e for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid))}
    stage_id = None
    if stage_code is not None:
        stage_id = next((st.id for st in stages.values() if st.code == stage_code), -1)
    counted = {(k.contestant_id, k.aspect_id, k.judge_id) for k in current_marks(s, cid)}
    found = blockers(
        seating(s, cid),
        groups,
        [StageRef(st.id, st.state == "locked") for st in stages.values()],
        people.values(),
        aspects.values(),
        counted,
        stage=stage_id,
        need_locked=need_locked,
    )
    return Found(found, stages, groups, people, aspects, judges, entries)


def _contestant(f: Found, cid: int, names: bool) -> dict:
    c, e = f.people[cid], f.entries.get(cid)
    return {
        "ref": c.code if names or e is None else e.code,  # what the monitor's drill-down takes
        "code": c.code if names else (e.code if e is not None else "—"),
        "station": e.station if e is not None else "",
        "name": c.name if names else "",
        "group": f.groups[c.group_id].name if c.group_id in f.groups else "",
    }


def _aspects(codes: list[str]) -> str:
    """The aspect codes a judge still owes, when few enough to read ("" when many: the count says it)."""
    return ", ".join(codes) if len(codes) <= ASPECTS_SHOWN else ""


def describe(f: Found, names: bool, limit: int = LIMIT) -> dict:
    """The page's view: counts, the first ``limit`` contestants (each with the judges and
    aspects it waits for), the judges with most missing marks, missing panels, open stages."""
    b = f.blockers
    rows = []
    for inc in b.contestants[:limit]:
        per_judge: dict[int, list[str]] = {}
        for aspect, judge in inc.missing:
            per_judge.setdefault(judge, []).append(f.aspects[aspect].code)
        stage_ids = sorted({f.aspects[a].stage_id for a, _ in inc.missing}, key=lambda i: f.stages[i].position)
        rows.append(
            {
                **_contestant(f, inc.contestant, names),
                "stages": [{"name": f.stages[i].name, "code": f.stages[i].code} for i in stage_ids],
                "missing": len(inc.missing),
                "judges": [
                    {"code": f.judges[j].code, "aspects": _aspects(codes), "count": len(codes)}
                    for j, codes in sorted(per_judge.items(), key=lambda kv: f.judges[kv[0]].code)
                ],
            }
        )
    per_stage: dict[str, dict[str, int]] = {}
    for inc in b.contestants:
        seen: set[str] = set()
        for aspect, _judge in inc.missing:
            code = f.stages[f.aspects[aspect].stage_id].code
            counts = per_stage.setdefault(code, {"contestants": 0, "marks": 0, "panels": 0})
            counts["marks"] += 1
            if code not in seen:
                seen.add(code)
                counts["contestants"] += 1
    for _group, st in b.missing_panels:
        per_stage.setdefault(f.stages[st].code, {"contestants": 0, "marks": 0, "panels": 0})["panels"] += 1
    ranked = sorted(b.by_judge.items(), key=lambda kv: (-kv[1], f.judges[kv[0]].code))
    judges = [
        {"code": f.judges[j].code, "name": f.judges[j].name if names else "", "missing": n} for j, n in ranked[:limit]
    ]
    return {
        "is_clear": b.clear,
        "contestants_incomplete": b.contestants_incomplete,
        "marks_missing": b.marks_missing,
        "rows": rows,
        "per_stage": per_stage,
        "more": max(0, b.contestants_incomplete - limit),
        "judges": judges,
        "judges_more": max(0, len(ranked) - limit),
        "missing_panels": [
            {
                "group": f.groups[g].name or f.groups[g].code,
                "stage": f.stages[st].name or f.stages[st].code,
                "stage_code": f.stages[st].code,
            }
            for g, st in b.missing_panels
        ],
        "open_stages": [
            {"code": f.stages[i].code, "name": f.stages[i].name or f.stages[i].code}
            for i in sorted(b.open_stages, key=lambda i: f.stages[i].position)
        ],
    }


def blockers_of(
    engine: Engine,
    cid: int,
    *,
    stage_code: str | None = None,
    need_locked: bool = False,
    names: bool = False,
    limit: int = LIMIT,
) -> dict:
    """What blocks locking ``stage_code`` (or, with None, marking as a whole; with
    ``need_locked``, publication), as a page shows it."""
    with reading(engine) as s:
        return describe(find(s, cid, stage_code, need_locked), names, limit)
