"""JSON API (one error shape: see scoring.web.error_response)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from scoring.visibility import Audience
from scoring.web.common import competition_or_404, standings_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/competitions/<slug>/standings")
def standings(slug: str):
    comp = competition_or_404(slug)
    return jsonify(standings_for(comp, Audience.PUBLIC))
