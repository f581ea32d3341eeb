"""Admission tickets (准考证) from the console: the organizer's only (they hold personal data).

Why two ways: a group's few dozen tickets are drawn in the request, on a real OS thread
(``background.run_and_wait``: the request waits cooperatively, the loop goes on serving tablets
and boards; a translated 503 after ``TICKET_SECONDS``). More than ``JOB_INLINE_SHEETS`` tickets
(500 tickets are seconds of drawing, holding the interpreter lock the loop needs) are a job
(``web.admin.jobs``): the request answers at once with the job's page, which shows the tickets
drawn so far and then the same PDF; in a competition of more than ``JOB_INLINE_ROWS``
contestants even the reading is done there.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask_babel import gettext as _
from sqlmodel import select

from scoring import models as m
from scoring.background import run_and_wait
from scoring.db import reading
from scoring.errors import NotFound
from scoring.services import tickets as svc
from scoring.web import access
from scoring.web.admin import jobs
from scoring.web.admin.common import actor, base_url, bp
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale
from scoring.web.responses import error_response

TICKET_SECONDS = 300


@bp.get("/c/<slug>/tickets.pdf")
@access.rule(read=access.ORGANIZER)
def tickets_pdf(slug: str):
    from scoring.certificates.papers import tickets_pdf as draw

    comp = competition_or_404(slug)
    group = request.args.get("group") or None
    locale = select_locale()
    name = f"{slug}-{group or 'all'}-tickets.pdf"
    args = (jobs.database_url(), comp.id, group, base_url(), actor(), locale)
    if group is None or group in {code for code, _name in ticket_groups(comp.id)}:
        if jobs.is_big(comp.id):
            return jobs.start(comp, "tickets", svc.tickets_file, *args, filename=name, mimetype="application/pdf")
    try:
        items = svc.tickets(engine(), comp.id, group, base_url(), actor(), locale)
    except NotFound:
        return error_response(404, _("Unknown group."), code="not_found")
    if jobs.is_many(len(items), "JOB_INLINE_SHEETS"):
        return jobs.start(comp, "tickets", svc.tickets_file, *args, filename=name, mimetype="application/pdf")
    try:
        data = run_and_wait(lambda: draw(items, locale), current_app.config.get("TICKET_SECONDS", TICKET_SECONDS))
    except TimeoutError:
        return error_response(503, _("The server is busy printing; please try again in a minute."), code="busy")
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.app_template_global()
def ticket_groups(cid: int) -> list[tuple[str, str]]:
    """(code, name) of the competition's groups, for the tickets' group picker."""
    with reading(engine()) as s:
        rows = s.exec(select(m.Group).where(m.Group.competition_id == cid).order_by(m.Group.position))
        return [(g.code, g.name) for g in rows]
