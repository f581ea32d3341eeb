"""The organizer console while marking: progress per group, judge severity, flags and the
drill-down of one contestant's marks.
"""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import func
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.services import results
from scoring.services.blockers import blockers_of
from scoring.services.debrief import seated_judges
from scoring.services.paper_sheets import selection_choices as paper_choices
from scoring.web import access
from scoring.web.admin.common import bp
from scoring.web.common import competition_or_404, engine, standings_for
from scoring.web.locale import select_locale

_severity_cache: dict[tuple[int, int], tuple[tuple[int, int], list]] = {}


def progress(cid: int) -> list[dict]:
    """Per group: marks expected and given (services.progress.by_group)."""
    from scoring.services.progress import by_group

    return by_group(engine(), cid)


def _by_session(cid: int) -> list[tuple[m.StageSession, list[dict]]]:
    """Progress per session (场次), in time order; empty when no stage runs in sessions."""
    from scoring.services.progress import by_group

    with reading(engine()) as s:
        rows = list(s.exec(select(m.StageSession).where(m.StageSession.competition_id == cid)))
    rows.sort(key=lambda r: (r.date, r.start, r.code))
    return [(r, by_group(engine(), cid, r)) for r in rows]


@bp.get("/c/<slug>/monitor")
@access.rule(read=access.STAFF)
def monitor(slug: str):
    from datetime import timedelta

    from scoring.document import to_engine_input
    from scoring.rules.checks import judge_severity
    from scoring.services import standings as standings_svc
    from scoring.services.readside import current_marks, seating

    comp = competition_or_404(slug)
    seen = access.console_view(comp)
    payload = standings_for(comp, seen.audience)
    group = request.args.get("group") or None
    contestant = request.args.get("contestant") or None
    if contestant:  # a flag links the contestant by code, or by anonymous code before the reveal
        contestant = results.contestant_code(engine(), comp.id, contestant)
    version, doc, _st = standings_svc.computed(engine(), comp.id)
    key = (id(engine()), comp.id)
    hit = _severity_cache.get(key)
    if hit is None or hit[0] != (version, id(doc)):  # once per standings version, not per page view
        hit = ((version, id(doc)), sorted(judge_severity(to_engine_input(doc).marks).values(), key=lambda j: j.mean_z))
        _severity_cache[key] = hit
    stats = hit[1]
    judge_names = {j.code: j.name for j in doc.judges}
    chart = [
        {
            "judge": j.judge,
            "name": judge_names.get(j.judge, j.judge),
            "count": j.items,  # not "items": Jinja would find the dict's items method first
            "z": format(j.mean_z, "f"),
            "dev": format(j.mean_deviation, "f"),
            "zf": float(j.mean_z),
        }
        for j in stats
    ]
    flags = [
        f
        for f in payload["flags"]
        if not group
        or f["contestant"] in {r["code"] for g in payload["groups"] if g["code"] == group for r in g["rows"]}
    ]
    drill = None
    with reading(engine()) as s:
        judges = {j.id: j for j in s.exec(select(m.Judge).where(m.Judge.competition_id == comp.id))}
        cutoff = m.utcnow() - timedelta(minutes=10)
        # one row per judge, counted by the database (a busy venue writes thousands of marks in 10 minutes)
        recent = dict(
            s.exec(
                select(m.Mark.judge_id, func.max(m.Mark.created_at))
                .where(
                    m.Mark.competition_id == comp.id,
                    m.Mark.created_at >= cutoff,
                    m.Mark.client_id.is_not(None),
                    m.Mark.client_id != "",
                )
                .group_by(m.Mark.judge_id)
            ).all()
        )
        if contestant:
            marks = current_marks(s, comp.id)
            c = s.exec(
                select(m.Contestant).where(m.Contestant.competition_id == comp.id, m.Contestant.code == contestant)
            ).first()
            if c is not None:
                aspects = {a.id: a for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == comp.id))}
                table: dict[str, dict[str, str]] = {}
                jcodes: list[str] = []
                seat, trainees = seating(s, comp.id), set()  # a trainee's marks: shown, never counted
                for mk in marks:
                    if mk.contestant_id != c.id:
                        continue
                    j = judges[mk.judge_id].code
                    if j not in jcodes:
                        jcodes.append(j)
                    if seat.trainee(mk.judge_id, c, aspects[mk.aspect_id]):
                        trainees.add(j)
                    table.setdefault(aspects[mk.aspect_id].code, {})[j] = (
                        "—" if mk.value is None else format(mk.value, "f")
                    )
                label = c.code if seen.names else results.draw_labels(engine(), comp.id).get(c.code, c.code)
                drill = {
                    "code": label,
                    "name": c.name if seen.names else "",
                    "judges": sorted(jcodes),
                    "trainees": trainees,
                    "rows": sorted(table.items()),
                    "flags": [f for f in payload["flags"] if f["contestant"] == label],
                }
    online = [{"code": judges[j].code, "name": judges[j].name, "at": at} for j, at in sorted(recent.items())]
    return render_template(
        "admin/monitor.html",
        comp=comp,
        payload=payload,
        progress=progress(comp.id),
        by_session=_by_session(comp.id),
        flags=flags,
        group=group,
        chart=chart,
        drill=drill,
        online=online,
        blockers=blockers_of(engine(), comp.id, names=seen.names, limit=10),
        debriefs=seated_judges(engine(), comp.id) if access.may("admin.debrief") else [],
        sheets=paper_choices(engine(), comp.id, select_locale()) if access.may("admin.paper_sheets") else None,
    )
