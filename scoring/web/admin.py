"""Organizer pages: the competition at a glance with live standings, awards and flags."""
from __future__ import annotations

from flask import Blueprint, render_template

from scoring.visibility import Audience
from scoring.web.common import competition_or_404, standings_for

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/c/<slug>")
def overview(slug: str):
    comp = competition_or_404(slug)
    payload = standings_for(comp, Audience.ORGANIZER)
    return render_template("admin/overview.html", comp=comp, payload=payload)
