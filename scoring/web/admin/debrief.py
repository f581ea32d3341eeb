"""A judge's debrief on the console (chief judge and organizer): the page and its PDF, linked per
judge from the monitor page. Contestants by anonymous code until the reveal (``console_view``)."""

from __future__ import annotations

from flask import Response, render_template

from scoring.services.debrief import judge_debrief
from scoring.web import access
from scoring.web.admin.common import bp
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale


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
    code = data["judge"]["code"]
    return Response(
        render(data, comp.name, select_locale()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=debrief-{comp.slug}-{code}.pdf"},
    )
