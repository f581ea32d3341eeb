"""Trainee seats (见习裁判) from the set-up page: seat a judge on a panel as a trainee, or take a
trainee off it. Each POST is one service call (``services.seats``); the page is ``admin.setup``."""

from __future__ import annotations

from flask import abort, flash, request
from flask_babel import gettext as _

from scoring.services import seats
from scoring.web import access
from scoring.web.admin.common import actor, back, bp
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import form_id


@bp.post("/c/<slug>/setup/trainees")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def trainees(slug: str):
    comp = competition_or_404(slug)
    action = request.form.get("action")
    if action not in ("seat", "remove"):
        abort(400)
    panel, judge = form_id("panel"), form_id("judge")  # bad ids: 422 naming the field; refusals: 404/409
    if action == "seat":
        seats.seat_trainee(engine(), comp.id, panel, judge, actor())
    else:
        seats.unseat_trainee(engine(), comp.id, panel, judge, actor())
    flash(_("Saved."))
    return back("admin.setup", slug)
