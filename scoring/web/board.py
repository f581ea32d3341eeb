"""Boards for projectors and phones: what the visibility policy lets the public see.

The page renders the current snapshot on the server (so a board works, and leaks nothing,
even before its script runs), then ``static/js/board.js`` keeps it live over Socket.IO.
"""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, current_app, render_template, request, url_for

from scoring.services import live_admin
from scoring.visibility import Audience
from scoring.web.common import competition_or_404, engine, standings_for

bp = Blueprint("board", __name__, url_prefix="/board")


@bp.record_once
def _bind_live(state) -> None:
    from scoring.live import init_live

    init_live(state.app)


def _cut(payload: dict, group: str | None) -> dict:
    if not group:
        return payload
    return {**payload, "groups": [g for g in payload["groups"] if g["code"] == group]}


@bp.get("/<slug>")
def board(slug: str):
    comp = competition_or_404(slug)
    screen_name = (request.args.get("screen") or "").strip()[:60]
    settings = {"name": "", "group": "", "columns": "full", "theme": "dark", "reload": 0}
    if screen_name:
        settings = live_admin.register_screen(engine(), comp.id, screen_name)
    for key in ("group", "columns", "theme"):
        if request.args.get(key):
            settings[key] = request.args[key]
    payload = _cut(standings_for(comp, Audience.PUBLIC), settings["group"] or None)
    return render_template("board/board.html", comp=comp, payload=payload, settings=settings,
                           audience="public", audience_url=_audience_url(slug))


@bp.get("/<slug>/phone")
def phone(slug: str):
    comp = competition_or_404(slug)
    group = request.args.get("group") or ""
    payload = _cut(standings_for(comp, Audience.AUDIENCE), group or None)
    return render_template("board/phone.html", comp=comp, payload=payload, group=group, audience="audience")


@bp.get("/<slug>/qr.svg")
def qr(slug: str):
    """The phone page's address as a QR code, drawn on the board (no external service)."""
    competition_or_404(slug)
    out = io.BytesIO()
    segno.make(_audience_url(slug), error="m").save(out, kind="svg", scale=6, border=2, dark="#000", light="#fff")
    return Response(out.getvalue(), mimetype="image/svg+xml")


def _audience_url(slug: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for("board.phone", slug=slug)
