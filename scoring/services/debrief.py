"""A judge's debrief (the chief judge's talk with each judge after marking): their marks against
the panel's, read from the stored marks, for the console page and its PDF.

Why here: which marks count and whose are a trainee's are ``rules.cells``' answers (the seating);
the statistics are ``rules.debrief`` (on ``rules.checks``' z-scores and outlier flags). This only
reads, and names contestants as the caller may see them (``names`` is the visibility policy's
answer: anonymous codes before the reveal).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import jobs
from scoring import models as m
from scoring.db import make_engine, reading
from scoring.errors import NotFound
from scoring.i18n import N_
from scoring.labels import stage_label
from scoring.rules.debrief import Debrief, debrief
from scoring.rules.rounding import quantize
from scoring.rules.types import Mark, Rounding
from scoring.services import standings
from scoring.services.judge_sheet import draw_entries, ref_of
from scoring.services.readside import current_marks, seating

_SHOWN = Rounding(2)


def seated_judges(engine: Engine, cid: int) -> list[dict]:
    """Every judge who sits on a panel (code, name, trainee on some panel), by code: whose debrief
    the console links."""
    with reading(engine) as s:
        seat = seating(s, cid)
        judges = {j.id: j for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
    trainees = {j for p in seat.panels for j in p.trainees}
    seated = {j for p in seat.panels for j in p.judges} | trainees
    rows = [{"code": judges[j].code, "name": judges[j].name, "trainee": j in trainees} for j in seated if j in judges]
    return sorted(rows, key=lambda r: r["code"])


def judge_debrief(engine: Engine, cid: int, code: str, names: bool, locale: str | None = None) -> dict:
    """The debrief of the judge ``code``: per contestant and aspect their mark, the counting panel's
    mean and median, the difference, the z-score and the outlier flag; a summary; the panels they
    sit on. ``NotFound`` for an unknown judge."""
    computed = standings.computed(engine, cid)
    distance = computed[1].rules.checks.outlier_distance if computed else None
    with reading(engine) as s:
        judge = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == code)).first()
        if judge is None:
            raise NotFound(N_("Unknown judge."))
        seat = seating(s, cid)
        people = {c.id: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        aspects = {a.id: a for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
        jcode = {j.id: j.code for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        entries = draw_entries(s, cid)
        label = {c.id: (c.code if names else ref_of(c, entries.get(c.id))) for c in people.values()}
        marks, trainee = [], set()
        for row in current_marks(s, cid):
            c, a = people.get(row.contestant_id), aspects.get(row.aspect_id)
            if c is None or a is None or c.withdrawn or row.value is None:
                continue
            mk = Mark(label[c.id], a.code, jcode[row.judge_id], row.value)
            marks.append(mk)
            if seat.trainee(row.judge_id, c, a):
                trainee.add(mk)
        panels = [_panel(s, p.id, judge.id in p.trainees, locale) for p in seat.panels_of(judge.id)]
    position = {a.code: (a.position, a.id) for a in aspects.values()}
    result = debrief(
        judge.code, marks, trainee.__contains__, distance, order=lambda mk: (mk.contestant, position[mk.aspect])
    )
    by_label = {label[c.id]: c for c in people.values()}
    aspect_names = {a.code: a.name for a in aspects.values()}
    return {
        "judge": {"code": judge.code, "name": judge.name},
        "trainee": result.trainee or (bool(panels) and all(p["trainee"] for p in panels)),
        "panels": panels,
        "names": names,
        "rows": [
            {
                "ref": i.contestant,
                "name": by_label[i.contestant].name if names else "",
                "aspect": i.aspect,
                "aspect_name": aspect_names.get(i.aspect, ""),
                "value": format(i.value, "f"),
                "panel": i.panel,
                "mean": _show(i.mean),
                "median": _show(i.median),
                "difference": _show(i.difference),
                "z": _show(i.z),
                "outlier": i.outlier,
            }
            for i in result.items
        ],
        "summary": _summary(result),
    }


def _panel(s, panel_id: int, trainee: bool, locale: str | None) -> dict:  # noqa: ANN001
    panel = s.get(m.Panel, panel_id)
    group, stage = s.get(m.Group, panel.group_id), s.get(m.Stage, panel.stage_id)
    name = panel.name or f"{group.name} · {stage_label(stage.name, stage.code, locale)}"
    return {"name": name, "trainee": trainee}


def _summary(d: Debrief) -> dict:
    return {
        "items": len(d.items),
        "compared": d.compared,
        "mean_difference": _show(d.mean_difference),
        "mean_absolute": _show(d.mean_absolute),
        "mean_z": _show(d.mean_z),
        "outliers": d.outliers,
        "correlation": _show(d.correlation),
    }


def _show(value: Decimal | None) -> str:
    """A statistic as shown: two places, half-up; "—" when there is none."""
    return "—" if value is None else format(quantize(value, _SHOWN), "f")


@jobs.target
def debrief_file(
    progress: jobs.Progress, url: str, cid: int, judge: str, names: bool, competition: str, locale: str | None
) -> bytes:
    """The job behind a long debrief's PDF (``admin.debrief_pdf``): read and drawn in a child process."""
    from scoring.certificates.debrief import debrief_pdf

    progress(0, 1)
    return debrief_pdf(judge_debrief(make_engine(url), cid, judge, names, locale), competition, locale)
