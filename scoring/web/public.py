"""Public pages: the list of competitions and each competition's public results."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.web import access

bp = Blueprint("public", __name__)


@bp.get("/")
@access.rule(read=access.ANYONE)
def home():
    with reading(current_app.extensions["scoring.engine"]) as s:
        competitions = list(s.exec(select(m.Competition).order_by(m.Competition.id.desc())))
    return render_template("public/home.html", competitions=competitions)


@bp.get("/healthz")
@access.rule(read=access.ANYONE)
def healthz():
    return {"ok": True}


@bp.get("/favicon.ico")
@access.rule(read=access.ANYONE)
def favicon():
    """Browsers ask for /favicon.ico on their own (JSON pages, bookmarks): the site icon, never a 404."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
