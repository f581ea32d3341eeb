"""The public schedule (场次安排): who competes when and where, as a page and as a PDF.

Anonymous codes and stations until the draw map is revealed, names after (``services.timetable``).
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from scoring.services import timetable
from scoring.web import access
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale, select_timezone

bp = Blueprint("schedule", __name__)


@bp.get("/schedule/<slug>")
@access.rule(read=access.ANYONE)
def page(slug: str):
    comp = competition_or_404(slug)
    data = timetable.schedule(engine(), comp.id)
    current = timetable.current_code(data["sessions"], select_timezone())
    return render_template("public/schedule.html", comp=comp, data=data, current=current)


@bp.get("/schedule/<slug>.pdf")
@access.rule(read=access.ANYONE)
def pdf(slug: str):
    from scoring.certificates.schedule import schedule_pdf

    comp = competition_or_404(slug)
    body = schedule_pdf(timetable.schedule(engine(), comp.id), select_locale())
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=schedule-{comp.slug}.pdf"},
    )
