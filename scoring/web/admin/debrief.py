"""A judge's debrief on the console (chief judge and organizer): the page and its PDF, linked per
judge from the monitor page. Contestants by anonymous code until the reveal (``console_view``).

The PDF of a judge with many marks is a job (``web.admin.jobs``): measured on the demo, one judge's
few hundred rows took 1-2.6 s of drawing, a stall for every tablet and board of the process; a
row costs about a tenth of a score sheet, so more than ``ROWS_PER_SHEET`` x ``JOB_INLINE_SHEETS``
rows go to a job, fewer are drawn in the request on a real OS thread."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _

from scoring.background import run_and_wait
from scoring.services.debrief import debrief_file, judge_debrief
from scoring.web import access
from scoring.web.admin import jobs
from scoring.web.admin.common import bp
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale
from scoring.web.responses import error_response

ROWS_PER_SHEET = 10
SECONDS = 60


def _data(slug: str, judge: str):  # noqa: ANN202
    comp = competition_or_404(slug)
    seen = access.console_view(comp)
    return comp, judge_debrief(engine(), comp.id, judge[:40], seen.names, select_locale())


@bp.get("/c/<slug>/debrief/<judge>")
@access.rule(read=access.CHIEF)
def debrief(slug: str, judge: str):
    comp, data = _data(slug, judge)
    return render_template("admin/debrief.html", comp=comp, d=data)


@bp.get("/c/<slug>/debrief/<judge>.pdf")
@access.rule(read=access.CHIEF)
def debrief_pdf(slug: str, judge: str):
    from scoring.certificates.debrief import debrief_pdf as render

    comp, data = _data(slug, judge)
    code, locale = data["judge"]["code"], select_locale()
    name = f"debrief-{comp.slug}-{code}.pdf"
    if jobs.is_many(len(data["rows"]) // ROWS_PER_SHEET, "JOB_INLINE_SHEETS"):
        names = access.console_view(comp).names
        args = (jobs.database_url(), comp.id, code, names, comp.name, locale)
        return jobs.start(comp, "debrief", debrief_file, *args, filename=name, mimetype="application/pdf")
    try:
        body = run_and_wait(lambda: render(data, comp.name, locale), SECONDS)
    except TimeoutError:
        return error_response(503, _("The server is busy drawing other sheets; try again in a minute."))
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename={name}"})
