"""Judges' side: where a judge starts (sign-in and marking forms build on this)."""
from __future__ import annotations

from flask import Blueprint, render_template

from scoring.web.common import competition_or_404

bp = Blueprint("judge", __name__, url_prefix="/judge")


@bp.get("/c/<slug>")
def start(slug: str):
    comp = competition_or_404(slug)
    return render_template("judge/start.html", comp=comp)
