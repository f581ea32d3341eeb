"""The read side: the stored competition read back as a document, its engine aspects, its seating
(who marks which cell) and the marks that count now.

Why a module of its own: the export, the live standings, the write path's checks and the
judging screens all read the same things, and when each read them through the others (marks
through transfer, transfer through marks, standings through transfer) the services imported
each other in a circle. Everything here only reads, inside the caller's session; the rules it
applies (which mark counts, who is expected) are ``scoring.rules.cells``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlalchemy.engine import Row
from sqlmodel import Session, select

from scoring import models as m
from scoring.document import declaration as d
from scoring.document.fields import canonical
from scoring.document.typed import engine_aspect
from scoring.rules.cells import Panel, Seating, counting_marks, invalid_cells
from scoring.rules.numbers import plain_id
from scoring.rules.types import Aspect

#: What an export has never carried: the competition's visibility and the stages' locks (a
#: re-imported competition starts embargoed and open) and the draw's published hash.
LEFT_OUT = {d.Competition: {"visibility"}, d.Stage: {"state"}, d.Draw: {"map_hash"}}


# --------------------------------------------------------------------------- the document


def written(
    entry: type[BaseModel], row: Any, leave_out: frozenset[str] | set[str] = frozenset(), **links: Any
) -> dict[str, Any]:
    """A row as the document writes it: under each declared field the row (or ``links``) has a
    value for, in the declared order; absent (None) and defaults the writer omits are left out,
    numbers are canonical text. The document reader validates the result."""
    out: dict[str, Any] = {}
    skip = LEFT_OUT.get(entry, set()) | set(leave_out)
    for name, field in entry.model_fields.items():
        if name in skip or (field.exclude and name not in links):
            continue
        value = links[name] if name in links else getattr(row, name, None)
        if value is None or (field.exclude_if is not None and field.exclude_if(value)):
            continue
        out[name] = canonical(value) if isinstance(value, Decimal) else value
    return out


def build_document(s: Session, cid: int, include_private: bool = True, include_marks: bool = True) -> dict:
    """The competition as a portable document (raw counting marks included unless asked not to)."""
    comp = s.get(m.Competition, cid)
    groups = list(s.exec(select(m.Group).where(m.Group.competition_id == cid).order_by(m.Group.position)))
    stages = list(s.exec(select(m.Stage).where(m.Stage.competition_id == cid).order_by(m.Stage.position)))
    stage_code = {st.id: st.code for st in stages}
    group_code = {g.id: g.code for g in groups}
    crits = list(s.exec(select(m.Criterion).where(m.Criterion.competition_id == cid).order_by(m.Criterion.position)))
    aspects = list(s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid).order_by(m.Aspect.position)))
    by_crit: dict[int | None, list[m.Aspect]] = {}
    for a in aspects:
        by_crit.setdefault(a.criterion_id, []).append(a)
    children: dict[int | None, list[m.Criterion]] = {}
    for c in crits:
        children.setdefault(c.parent_id, []).append(c)

    def crit_doc(c: m.Criterion) -> dict:
        top = {"stage": stage_code[c.stage_id]} if c.parent_id is None else {}
        return written(
            d.Criterion,
            c,
            **top,
            children=[crit_doc(k) for k in children.get(c.id, [])],
            aspects=[aspect_doc(a) for a in by_crit.get(c.id, [])],
        )

    contestants = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid).order_by(m.Contestant.id)))
    ccode = {p.id: p.code for p in contestants}
    judges = list(s.exec(select(m.Judge).where(m.Judge.competition_id == cid).order_by(m.Judge.id)))
    jcode = {j.id: j.code for j in judges}
    acode = {a.id: a.code for a in aspects}
    panels = []
    for p in s.exec(select(m.Panel).where(m.Panel.competition_id == cid).order_by(m.Panel.id)):
        seats = list(s.exec(select(m.PanelJudge).where(m.PanelJudge.panel_id == p.id)))
        pj = [jcode[r.judge_id] for r in seats if not r.trainee]
        pt = [jcode[r.judge_id] for r in seats if r.trainee]
        pa = [acode[r.aspect_id] for r in s.exec(select(m.PanelAspect).where(m.PanelAspect.panel_id == p.id))]
        panels.append(
            written(
                d.Panel,
                p,
                group=group_code[p.group_id],
                stage=stage_code[p.stage_id],
                judges=sorted(pj, key=_judge_order(judges)),
                aspects=pa,
                trainees=sorted(pt, key=_judge_order(judges)),
            )
        )
    private = set() if include_private else {"id_number", "phone", "lookup_code"}
    draw_row = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
    entries = list(s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid).order_by(m.DrawEntry.id)))
    doc: dict[str, Any] = {
        "format": "scoring-competition",
        "version": 1,
        "competition": written(d.Competition, comp),
        "rules": comp.rules or {},
        "groups": [written(d.Group, g) for g in groups],
        "stages": [written(d.Stage, st) for st in stages],
        "scheme": [crit_doc(c) for c in children.get(None, [])],
        "contestants": [
            written(d.Contestant, p, private, group=group_code[p.group_id], **_members(p, private)) for p in contestants
        ],
        "judges": [written(d.Judge, j) for j in judges],
        "panels": panels,
        "recusals": [
            written(d.Recusal, r, judge=jcode[r.judge_id], contestant=ccode[r.contestant_id])
            for r in s.exec(select(m.Recusal).where(m.Recusal.competition_id == cid).order_by(m.Recusal.id))
        ],
    }
    sessions = s.exec(
        select(m.StageSession).where(m.StageSession.competition_id == cid).order_by(m.StageSession.position)
    )
    if written_sessions := [written(d.Session, r, stage=stage_code[r.stage_id]) for r in sessions]:
        doc["sessions"] = written_sessions
    if entries:
        doc["draw"] = written(
            d.Draw, draw_row, entries=[written(d.DrawEntry, e, contestant=ccode[e.contestant_id]) for e in entries]
        )
    if not include_marks:
        doc["marks"] = []
        return doc
    doc["marks"] = [
        {
            "contestant": ccode[k.contestant_id],
            "aspect": acode[k.aspect_id],
            "judge": jcode[k.judge_id],
            "value": canonical(k.value),
        }
        for k in current_marks(s, cid)
    ]
    return doc


def _members(row: m.Contestant, private: set[str]) -> dict[str, Any]:
    """A team's members without the private fields the export leaves out (nothing for individuals)."""
    if not row.members or not private:
        return {}
    return {"members": [{k: v for k, v in member.items() if k not in private} for member in row.members]}


def aspect_doc(a: m.Aspect) -> dict:
    """An aspect row as the document writes it (also used to rebuild the engine's Aspect)."""
    return d.Aspect.scale_when_it_matters(written(d.Aspect, a))


def _judge_order(judges: list[m.Judge]):
    order = {j.code: i for i, j in enumerate(judges)}
    return lambda code: order.get(code, 0)


# --------------------------------------------------------------------------- engine aspects


def rule_aspect(s: Session, row: m.Aspect) -> Aspect:
    """The engine Aspect for a stored aspect row, read through the document's declaration."""
    stage = s.get(m.Stage, row.stage_id)
    return engine_aspect(aspect_doc(row), stage.code)


_rule_cache: dict[tuple, Aspect] = {}


def rule_aspect_cached(s: Session, aspect: m.Aspect) -> Aspect:
    """The engine's Aspect for a row, cached on the row's own content (a changed scheme is a new key)."""
    doc = aspect_doc(aspect)
    key = (aspect.id, aspect.stage_id, repr(sorted(doc.items(), key=lambda kv: kv[0])))
    hit = _rule_cache.get(key)
    if hit is None:
        hit = rule_aspect(s, aspect)
        if len(_rule_cache) > 5000:
            _rule_cache.clear()
        _rule_cache[key] = hit
    return hit


# --------------------------------------------------------------------------- seating and marks


def invalid_elements(s: Session, cid: int) -> frozenset[tuple[int, int]]:
    """Every (contestant, aspect) the technical panel declared invalid (rules.cells.invalid_cells)."""
    people = s.exec(select(m.Contestant.id, m.Contestant.params).where(m.Contestant.competition_id == cid)).all()
    if not any(params for _, params in people):
        return frozenset()
    codes = dict(s.exec(select(m.Aspect.code, m.Aspect.id).where(m.Aspect.competition_id == cid)).all())
    return invalid_cells(((c, params) for c, params in people), codes)


def seating(s: Session, cid: int) -> Seating:
    """Who marks which cell in this competition (a handful of queries, whatever its size)."""
    judges: dict[int, list[int]] = {}
    trainees: dict[int, list[int]] = {}
    for pid, jid, trainee in s.exec(
        select(m.PanelJudge.panel_id, m.PanelJudge.judge_id, m.PanelJudge.trainee)
        .join(m.Panel, m.Panel.id == m.PanelJudge.panel_id)
        .where(m.Panel.competition_id == cid)
        .order_by(m.PanelJudge.panel_id)
    ):
        (trainees if trainee else judges).setdefault(pid, []).append(jid)
    limited: dict[int, set[int]] = {}
    for pid, aid in s.exec(
        select(m.PanelAspect.panel_id, m.PanelAspect.aspect_id)
        .join(m.Panel, m.Panel.id == m.PanelAspect.panel_id)
        .where(m.Panel.competition_id == cid)
    ):
        limited.setdefault(pid, set()).add(aid)
    panels = [
        Panel(
            pid,
            group,
            stage,
            tuple(judges.get(pid, ())),
            frozenset(limited.get(pid, ())),
            session,
            tuple(trainees.get(pid, ())),
        )
        for pid, group, stage, session in s.exec(
            select(m.Panel.id, m.Panel.group_id, m.Panel.stage_id, m.Panel.session).where(m.Panel.competition_id == cid)
        )
    ]
    recusals = s.exec(select(m.Recusal.judge_id, m.Recusal.contestant_id).where(m.Recusal.competition_id == cid)).all()
    seated = {}
    if any(p.session for p in panels):  # 场次 with panels of their own: who is seated where
        seated = dict(
            s.exec(
                select(m.DrawEntry.contestant_id, m.DrawEntry.session).where(m.DrawEntry.competition_id == cid)
            ).all()
        )
    return Seating(panels, [tuple(r) for r in recusals], seated, invalid_elements(s, cid))


# What deciding which mark counts needs of a mark row (``rules.cells.counting_marks``), read alike
# by the current marks here and by the standings' incremental reads.
MARK_COLUMNS = (
    m.Mark.id,
    m.Mark.contestant_id,
    m.Mark.aspect_id,
    m.Mark.judge_id,
    m.Mark.round,
    m.Mark.version,
    m.Mark.state,
    m.Mark.value,
)


def current_marks(s: Session, competition_id: int) -> list[Row]:
    """The counting mark of every (contestant, aspect, judge), ordered by those ids (rows with
    id, contestant_id, aspect_id, judge_id, round, version, state and value)."""
    rows = s.exec(select(*MARK_COLUMNS).where(m.Mark.competition_id == competition_id)).all()
    counted = counting_marks(((r.contestant_id, r.aspect_id), r.judge_id, r) for r in rows)
    return [counted[key] for key in sorted(counted)]


def current_round(s: Session, contestant_id: int, aspect_id: int) -> int:
    """The newest round of a cell: the newest mark's, or a re-score round opened since."""
    r = s.exec(
        select(func.max(m.Mark.round)).where(m.Mark.contestant_id == contestant_id, m.Mark.aspect_id == aspect_id)
    ).one()
    opened = s.exec(
        select(func.max(m.MarkingRound.round)).where(
            m.MarkingRound.contestant_id == contestant_id, m.MarkingRound.aspect_id == aspect_id
        )
    ).one()
    return max(r or 1, opened or 1)


def latest(s: Session, contestant_id: int, aspect_id: int, judge_id: int, rnd: int) -> m.Mark | None:
    """A judge's newest version of a cell in one round."""
    return s.exec(
        select(m.Mark)
        .where(
            m.Mark.contestant_id == contestant_id,
            m.Mark.aspect_id == aspect_id,
            m.Mark.judge_id == judge_id,
            m.Mark.round == rnd,
        )
        .order_by(m.Mark.version.desc())
        .limit(1)
    ).first()


def contestant_by_ref(s: Session, cid: int, ref: str) -> m.Contestant | None:
    """A contestant by draw code (what a judge sees), or by ``#<id>`` when no draw was made."""
    ref = (ref or "").strip()
    if ref.startswith("#"):
        contestant_id = plain_id(ref[1:])
        c = None if contestant_id is None else s.get(m.Contestant, contestant_id)
        return c if c is not None and c.competition_id == cid else None
    return s.exec(
        select(m.Contestant)
        .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Contestant.id)
        .where(m.DrawEntry.competition_id == cid, m.DrawEntry.code == ref)
    ).first()
