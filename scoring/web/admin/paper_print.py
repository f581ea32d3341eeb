"""Paper score sheets (评分表) from the console: a selection (judge, session, panel, layout) as a
PDF download, for the organizer and the chief judge (a viewer watches; it does not print the
instruments of marking).

Why two ways: one judge's or one session's sheets (tens of pages) take a second or two to draw,
and the chief judge at a venue whose tablets failed wants them now, from one click: a selection
of at most ``JOB_INLINE_SHEETS`` sheets is drawn in the request, on a real OS thread
(``background.run_and_wait``: under gevent the serving loop keeps answering tablets and boards).
A bigger one (a whole competition: 100 contestants x 5 judges is 500 sheets, about 25 seconds of
drawing that would hold the interpreter lock the loop needs) is a job (``web.admin.jobs``): the
request answers at once with the job's page, which shows the sheets drawn so far and then the
download, the same PDF. In a competition of more than ``JOB_INLINE_ROWS`` contestants even the
selection is read in the job. A job holds at most ``MAX_SHEETS`` sheets (about 10,000 pages).
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _

from scoring.background import run_and_wait
from scoring.certificates.score_sheets import score_sheets_pdf
from scoring.services import paper_sheets as paper
from scoring.spreadsheet import attachment
from scoring.web import access
from scoring.web.admin import jobs
from scoring.web.admin.common import base_url, bp
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale
from scoring.web.responses import error_response

MAX_SHEETS = 5000
SECONDS = 120


@bp.get("/c/<slug>/sheets.pdf")
@access.rule(read=access.CHIEF)
def paper_sheets(slug: str):
    comp = competition_or_404(slug)
    locale = select_locale()
    layout = paper.check_layout(request.args.get("layout"))
    selection = {k: (request.args.get(k) or None) for k in ("judge", "session", "panel")}
    parts = [slug, request.args.get("judge"), request.args.get("session"), "sheets"]
    name = "-".join(p for p in parts if p) + ".pdf"
    args = (jobs.database_url(), comp.id, base_url(), selection, layout, locale, MAX_SHEETS)
    if jobs.is_big(comp.id):  # even the selection is read in the job
        return jobs.start(comp, "sheets", paper.sheets_file, *args, filename=name, mimetype="application/pdf")
    data = paper.paper_sheets(engine(), comp.id, base_url(), locale=locale, **selection)
    if jobs.is_many(len(data.sheets), "JOB_INLINE_SHEETS"):
        return jobs.start(comp, "sheets", paper.sheets_file, *args, filename=name, mimetype="application/pdf")
    try:
        body = run_and_wait(lambda: score_sheets_pdf(data, layout, locale), SECONDS)
    except TimeoutError:
        return error_response(503, _("The server is busy drawing other sheets; try again in a minute."))
    return Response(body, mimetype="application/pdf", headers=attachment(name))
