"""Who sits on which panel, as the set-up page shows it, and trainee seats (见习裁判).

Why a module of its own: a trainee seat changes who is expected to mark (nobody waits for a
trainee) and which marks count (never a trainee's, ``rules.cells``), so it is one audited action
that bumps the standings like any change of the panels; and the set-up page lists the panels
with their trainees from here.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import transaction
from scoring.errors import Conflict, NotFound
from scoring.i18n import N_
from scoring.labels import stage_label
from scoring.services import standings
from scoring.services.audit import record


def panel_list(s: Session, cid: int, locale: str | None = None) -> list[dict]:
    """Every panel of the competition: its id, label, judges' and trainees' names (panel order)."""
    groups = {g.id: g for g in s.exec(select(m.Group).where(m.Group.competition_id == cid))}
    stages = {st.id: st for st in s.exec(select(m.Stage).where(m.Stage.competition_id == cid))}
    out = []
    for p in s.exec(select(m.Panel).where(m.Panel.competition_id == cid).order_by(m.Panel.id)):
        seats = s.exec(
            select(m.Judge, m.PanelJudge.trainee)
            .join(m.PanelJudge, m.PanelJudge.judge_id == m.Judge.id)
            .where(m.PanelJudge.panel_id == p.id)
            .order_by(m.Judge.id)
        ).all()
        group, stage = groups.get(p.group_id), stages.get(p.stage_id)
        out.append(
            {
                "id": p.id,
                "group": group.name if group else "",
                "stage": stage_label(stage.name, stage.code, locale) if stage else "",
                "label": p.name,
                "judges": [j.name for j, trainee in seats if not trainee],
                "trainees": [{"id": j.id, "code": j.code, "name": j.name} for j, trainee in seats if trainee],
            }
        )
    return out


def seat_trainee(engine: Engine, cid: int, panel_id: int, judge_id: int, actor: str) -> None:
    """Seat a judge on a panel as a trainee: they mark its cells, their marks never count. A
    judge who already sits on it as a counting judge becomes a trainee, unless the panel would
    be left with no counting judge."""
    with transaction(engine) as s:
        panel, judge = _panel_and_judge(s, cid, panel_id, judge_id)
        seat = s.get(m.PanelJudge, (panel.id, judge.id))
        if seat is not None and seat.trainee:
            raise Conflict(N_("This judge is a trainee on this panel already."))
        if seat is not None:
            others = s.exec(
                select(m.PanelJudge).where(
                    m.PanelJudge.panel_id == panel.id,
                    m.PanelJudge.trainee.is_(False),
                    m.PanelJudge.judge_id != judge.id,
                )
            ).first()
            if others is None:
                raise Conflict(N_("A panel needs at least one judge whose marks count."))
            seat.trainee = True
        else:
            seat = m.PanelJudge(panel_id=panel.id, judge_id=judge.id, trainee=True)
        s.add(seat)
        record(s, cid, actor, "panel.trainee_seated", judge.code, {"panel": panel.id})
        version = standings.bump(s, cid)  # who is expected and which marks count changed
    standings.announce(cid, version)


def unseat_trainee(engine: Engine, cid: int, panel_id: int, judge_id: int, actor: str) -> None:
    """Take a trainee off a panel. Their marks stay (append-only, audited); a tablet signed in
    for the seat must sign in again (as for any removal from a panel)."""
    with transaction(engine) as s:
        panel, judge = _panel_and_judge(s, cid, panel_id, judge_id)
        seat = s.get(m.PanelJudge, (panel.id, judge.id))
        if seat is None or not seat.trainee:
            raise NotFound(N_("This judge is not a trainee on this panel."))
        s.delete(seat)
        judge.credential_epoch = (judge.credential_epoch or 0) + 1
        s.add(judge)
        record(s, cid, actor, "panel.trainee_removed", judge.code, {"panel": panel.id})
        version = standings.bump(s, cid)
    standings.announce(cid, version)


def _panel_and_judge(s: Session, cid: int, panel_id: int, judge_id: int) -> tuple[m.Panel, m.Judge]:
    panel, judge = s.get(m.Panel, panel_id), s.get(m.Judge, judge_id)
    if panel is None or panel.competition_id != cid:
        raise NotFound(N_("Unknown panel."))
    if judge is None or judge.competition_id != cid:
        raise NotFound(N_("Unknown judge."))
    return panel, judge
