"""What a judge's tablet shows: their panels' contestants (draw codes and stations only), the
aspects with their inputs, and the judge's own marks with each cell's state.

Why a module of its own: it is the one read a tablet makes on every (re)load, and what it may
contain is a privacy rule (never names, units, other judges' marks or ranks). The panel reads it
shares with the chief judge's grid (``services.progress``) and the confirmation
(``services.judging``) live here too; whether a sheet is complete is ``rules.cells``' answer.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading
from scoring.errors import NotFound
from scoring.i18n import N_
from scoring.labels import stage_label
from scoring.rules import cells
from scoring.rules.marks import highest_value
from scoring.services.readside import invalid_elements, rule_aspect_cached


def panels_of(s: Session, judge_id: int) -> list[m.Panel]:
    return list(
        s.exec(
            select(m.Panel)
            .join(m.PanelJudge, m.PanelJudge.panel_id == m.Panel.id)
            .where(m.PanelJudge.judge_id == judge_id)
            .order_by(m.Panel.id)
        )
    )


def trainee_panels(s: Session, judge_id: int) -> set[int]:
    """The panels the judge sits on as a trainee (见习裁判: marks shown, never counted)."""
    rows = s.exec(
        select(m.PanelJudge.panel_id).where(m.PanelJudge.judge_id == judge_id, m.PanelJudge.trainee.is_(True))
    )
    return set(rows.all())


def panel_aspects(s: Session, panel: m.Panel) -> list[m.Aspect]:
    """The aspects a panel marks, in the scheme's order (rules.cells.Panel.marks)."""
    limited = frozenset(s.exec(select(m.PanelAspect.aspect_id).where(m.PanelAspect.panel_id == panel.id)).all())
    rule = cells.Panel(panel.id, panel.group_id, panel.stage_id, (), limited)
    rows = s.exec(
        select(m.Aspect)
        .where(m.Aspect.competition_id == panel.competition_id, m.Aspect.stage_id == panel.stage_id)
        .order_by(m.Aspect.position, m.Aspect.id)
    ).all()
    return [a for a in rows if rule.marks(a)]


def draw_entries(s: Session, competition_id: int) -> dict[int, m.DrawEntry]:
    return {e.contestant_id: e for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == competition_id))}


def ref_of(contestant: m.Contestant, entry: m.DrawEntry | None) -> str:
    """How a judge names a contestant: the draw code, or ``#<id>`` before the draw."""
    return entry.code if entry is not None else f"#{contestant.id}"


def station_order(row: dict):
    """Rows by station number (numerically), then by code."""
    st = row["station"]
    return (0, int(st), row["ref"]) if st.isascii() and st.isdigit() else (1, st, row["ref"])


def open_rounds(s: Session, competition_id: int) -> dict[tuple[int, int], int]:
    """The newest re-score round opened per (contestant, aspect); 1 where none was."""
    rows = s.exec(select(m.MarkingRound).where(m.MarkingRound.competition_id == competition_id)).all()
    out: dict[tuple[int, int], int] = {}
    for r in rows:
        key = (r.contestant_id, r.aspect_id)
        out[key] = max(out.get(key, 1), r.round)
    return out


def _fmt(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def aspect_form(s: Session, a: m.Aspect) -> dict:
    """How a tablet asks for this aspect: the input kind, its range and step, the level descriptors."""
    rule = rule_aspect_cached(s, a)
    top = highest_value(rule)
    crit = s.get(m.Criterion, a.criterion_id) if a.criterion_id else None
    return {
        "code": a.code,
        "name": a.name,
        "type": a.type,
        "criterion": crit.name if crit else "",
        "min": _fmt(rule.min_value),
        "max": _fmt(top),
        "step": _fmt(rule.step),
        "scale_max": _fmt(rule.scale_max),
        "descriptors": list(rule.descriptors),
        "max_mark": _fmt(a.max_mark),
    }


def _own_marks(s: Session, judge_id: int, contestant_ids: list[int]) -> dict[tuple[int, int], m.Mark]:
    """The judge's newest version per (contestant, aspect), newest round first."""
    out: dict[tuple[int, int], m.Mark] = {}
    if not contestant_ids:
        return out
    rows = s.exec(
        select(m.Mark)
        .where(m.Mark.judge_id == judge_id, m.Mark.contestant_id.in_(contestant_ids))
        .order_by(m.Mark.round, m.Mark.version)
    ).all()
    for row in rows:
        out[(row.contestant_id, row.aspect_id)] = row
    return out


def judge_sheet(engine: Engine, competition_id: int, judge_id: int, locale: str | None = None) -> dict:
    """Everything one judge's tablet needs: their panels' contestants (codes and stations only),
    the aspects with their inputs, and the judge's own marks. Never names, units, other judges'
    marks or ranks."""
    with reading(engine) as s:
        judge = s.get(m.Judge, judge_id)
        if judge is None or judge.competition_id != competition_id:
            raise NotFound(N_("Unknown judge."))
        entries = draw_entries(s, competition_id)
        recused = set(s.exec(select(m.Recusal.contestant_id).where(m.Recusal.judge_id == judge_id)).all())
        rounds = open_rounds(s, competition_id)
        invalid = invalid_elements(s, competition_id)  # the technical panel's "-": shown, never marked
        confirmed = {
            (c.panel_id, c.contestant_id)
            for c in s.exec(
                select(m.SheetConfirmation).where(
                    m.SheetConfirmation.competition_id == competition_id, m.SheetConfirmation.revoked_at.is_(None)
                )
            )
        }
        panels_out, people = [], []
        trainee = trainee_panels(s, judge_id)
        for panel in panels_of(s, judge_id):
            group, stage = s.get(m.Group, panel.group_id), s.get(m.Stage, panel.stage_id)
            aspects = panel_aspects(s, panel)
            contestants = s.exec(
                select(m.Contestant).where(m.Contestant.group_id == panel.group_id, m.Contestant.withdrawn.is_(False))
            ).all()
            contestants = [c for c in contestants if c.id not in recused]
            if panel.session:  # a panel of one session (场次) marks only the contestants seated in it
                contestants = [c for c in contestants if getattr(entries.get(c.id), "session", None) == panel.session]
            own = _own_marks(s, judge_id, [c.id for c in contestants])
            panels_out.append(
                {
                    "id": panel.id,
                    "name": panel.name or f"{group.name} · {stage_label(stage.name, stage.code, locale)}",
                    "group": group.name,
                    "stage": stage_label(stage.name, stage.code, locale),
                    "aspects": [aspect_form(s, a) for a in aspects],
                    "trainee": panel.id in trainee,
                }
            )
            staged = set(s.exec(select(m.StageSession.code).where(m.StageSession.stage_id == panel.stage_id)))
            rows = []
            for c in contestants:
                entry = entries.get(c.id)
                sheet = [(own.get((c.id, a.id)), rounds.get((c.id, a.id), 1)) for a in aspects]
                marks = {}
                for a, (mark, rnd) in zip(aspects, sheet):
                    state = "invalid" if (c.id, a.id) in invalid else cells.cell_state(mark, rnd)
                    if mark is None or state in ("remark", "invalid"):
                        marks[a.code] = {"value": None, "version": 0, "state": state, "round": rnd}
                    else:
                        marks[a.code] = {
                            "value": _fmt(mark.value),
                            "version": mark.version,
                            "state": mark.state,
                            "round": mark.round,
                        }
                rows.append(
                    {
                        "ref": ref_of(c, entry),
                        "station": entry.station if entry else "",
                        "panel_id": panel.id,
                        "status": cells.sheet_status(
                            [cell for a, cell in zip(aspects, sheet) if (c.id, a.id) not in invalid]
                        ),
                        "confirmed": (panel.id, c.id) in confirmed,
                        "marks": marks,
                    }
                )
                if entry is not None and entry.session in staged:  # 场次 of this stage: the tablet's list filters by it
                    rows[-1]["session"] = entry.session
            rows.sort(key=station_order)
            people.extend(rows)
        return {
            "judge": {"code": judge.code, "name": judge.name, "role": judge.role, "trainee": bool(trainee)},
            "panels": panels_out,
            "contestants": people,
        }
