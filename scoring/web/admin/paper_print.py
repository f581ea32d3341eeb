"""Paper score sheets (评分表) from the console: a selection (judge, session, panel, layout) as a
PDF download, for the organizer and the chief judge (a viewer watches; it does not print the
instruments of marking).

Why synchronous with a cap rather than a background job: one judge's or one session's sheets
(tens to a couple of hundred pages) take seconds to draw, and the chief judge at a venue whose
tablets failed wants them now, from one click. The drawing runs on a real OS thread
(``background.run_and_wait``: under gevent the serving loop keeps answering tablets and boards,
and at most two such jobs run at once); a selection of more than ``MAX_SHEETS`` sheets (a whole
competition: 100 contestants x 5 judges is 500) is refused with the way to narrow it, or to
print everything with ``scoring sheets`` on the server.
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _

from scoring.background import run_and_wait
from scoring.certificates.score_sheets import score_sheets_pdf
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.services import paper_sheets as paper
from scoring.spreadsheet import attachment
from scoring.web import access
from scoring.web.admin.common import base_url, bp
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale
from scoring.web.responses import error_response

MAX_SHEETS = 200  # about 400 pages, ten seconds of drawing
SECONDS = 120
TOO_MANY = N_(
    "This selection holds %(count)s score sheets, more than the %(max)s one download may hold: choose a judge "
    "or a session, or print them all on the server with the command scoring sheets."
)


@bp.get("/c/<slug>/sheets.pdf")
@access.rule(read=access.CHIEF)
def paper_sheets(slug: str):
    comp = competition_or_404(slug)
    locale = select_locale()
    layout = paper.check_layout(request.args.get("layout"))
    data = paper.paper_sheets(
        engine(),
        comp.id,
        base_url(),
        judge=request.args.get("judge") or None,
        session=request.args.get("session") or None,
        panel=request.args.get("panel") or None,
        locale=locale,
    )
    if len(data.sheets) > MAX_SHEETS:
        raise InvalidInput(Problem("", TOO_MANY, {"count": len(data.sheets), "max": MAX_SHEETS}))
    try:
        body = run_and_wait(lambda: score_sheets_pdf(data, layout, locale), SECONDS)
    except TimeoutError:
        return error_response(503, _("The server is busy drawing other sheets; try again in a minute."))
    parts = [slug, request.args.get("judge"), request.args.get("session"), "sheets"]
    return Response(body, mimetype="application/pdf", headers=attachment("-".join(p for p in parts if p) + ".pdf"))
