"""Boards for projectors and phones: what the visibility policy lets the public see."""
from __future__ import annotations

from flask import Blueprint, render_template

from scoring.visibility import Audience
from scoring.web.common import competition_or_404, standings_for

bp = Blueprint("board", __name__, url_prefix="/board")


@bp.get("/<slug>")
def board(slug: str):
    comp = competition_or_404(slug)
    payload = standings_for(comp, Audience.PUBLIC)
    return render_template("board/board.html", comp=comp, payload=payload)
