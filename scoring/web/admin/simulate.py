"""The demo's judge simulator in the console: a button that has the demo panels mark every
contestant still missing (``scoring.demo_simulation``), and its progress.

Why only on the demo competition and only for its organizer: the simulator writes marks in the
judges' names. Every other competition answers 404, as if the route did not exist.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from scoring import demo_simulation as sim
from scoring.background import run_in_background
from scoring.web import access
from scoring.web.admin.common import bp
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import form_whole
from scoring.web.responses import error_response, wants_json

MAX_SECONDS = 600


def is_demo(comp) -> bool:  # noqa: ANN001
    return comp.slug == sim.DEMO_SLUG


@bp.route("/c/<slug>/simulate", methods=["GET", "POST"])
@access.rule(read=access.ORGANIZER, write=access.ORGANIZER)
def simulate(slug: str):
    """GET: the run's progress (JSON). POST: start a run in the background (never two at once)."""
    comp = competition_or_404(slug)
    if not is_demo(comp):
        abort(404)
    if request.method == "GET":
        run = sim.current(engine(), slug)
        return jsonify(run.as_dict() if run else {"state": "idle", "total": 0, "sent": 0, "remaining": 0})
    seconds = form_whole("seconds", sim.DEFAULT_SECONDS, 0, MAX_SECONDS)
    run = sim.claim(engine(), slug, seconds)
    if run is None:
        message = _("The judge simulation is already running.")
        if wants_json():
            return error_response(409, message, code="conflict")
        flash(message, "error")
        return redirect(url_for("admin.overview", slug=slug))
    eng, secret, base = engine(), current_app.config["SECRET_KEY"], request.host_url
    run_in_background(lambda: sim.run(eng, slug, base, secret, seconds, sim=run), name="demo-simulation")
    if wants_json():
        return jsonify(run.as_dict()), 202
    flash(_("The judges have started marking (about %(seconds)s s). Watch the board move.", seconds=seconds))
    return redirect(url_for("admin.overview", slug=slug) + "#simulation")
