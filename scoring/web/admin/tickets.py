"""Admission tickets (准考证) from the console: the organizer's only (they hold personal data).

Why drawn on a real OS thread (``background.run_and_wait``): 500 tickets take seconds of PDF
drawing; under the production gevent server that would stop every tablet and board of the
process, so the request waits cooperatively while a real thread draws (as certificate batches
and uploads do), and gives up with a translated 503 after ``TICKET_SECONDS``.
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
    try:
        items = svc.tickets(engine(), comp.id, group, base_url(), actor(), select_locale())
    except NotFound:
        return error_response(404, _("Unknown group."), code="not_found")
    locale = select_locale()
    try:
        data = run_and_wait(lambda: draw(items, locale), current_app.config.get("TICKET_SECONDS", TICKET_SECONDS))
    except TimeoutError:
        return error_response(503, _("The server is busy printing; please try again in a minute."), code="busy")
    name = f"{slug}-{group or 'all'}-tickets.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.app_template_global()
def ticket_groups(cid: int) -> list[tuple[str, str]]:
    """(code, name) of the competition's groups, for the tickets' group picker."""
    with reading(engine()) as s:
        rows = s.exec(select(m.Group).where(m.Group.competition_id == cid).order_by(m.Group.position))
        return [(g.code, g.name) for g in rows]
