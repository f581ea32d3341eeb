"""Boards for projectors and phones: what the visibility policy lets the public see.

The page renders the current snapshot on the server (so a board works, and leaks nothing,
even before its script runs), then ``static/js/board.js`` keeps it live over Socket.IO.
"""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, current_app, render_template, request, url_for

from scoring.errors import Refused
from scoring.live_window import PAGE_GUESS, Window, parse_window, window_cut, windowed
from scoring.services import live_admin, timetable
from scoring.visibility import Audience
from scoring.web import access
from scoring.web.auth import current_user
from scoring.web.common import competition_or_404, engine, standings_for
from scoring.web.locale import select_timezone

bp = Blueprint("board", __name__, url_prefix="/board")


def _cut(payload: dict, group: str | None, session: str | None = None) -> dict:
    if group:
        payload = {**payload, "groups": [g for g in payload["groups"] if g["code"] == group]}
    if session:  # 场次: only the contestants seated in it, with their ranks in the group
        groups = [{**g, "rows": [r for r in g["rows"] if r.get("session") == session]} for g in payload["groups"]]
        payload = {**payload, "groups": [g for g in groups if g["rows"]]}
    return payload


@bp.get("/<slug>")
@access.rule(read=access.ANYONE)
def board(slug: str):
    comp = competition_or_404(slug)
    screen_name = (request.args.get("screen") or "").strip()[:60]
    settings = {"name": "", "group": "", "columns": "full", "theme": "dark", "reload": 0}
    unknown_screen = False
    if screen_name:
        found = live_admin.open_screen(engine(), comp.id, screen_name)
        if found is None and access.allows(access.ORGANIZER, comp.id):
            found = _register(comp.id, screen_name)  # the organizer, signed in on this browser, adds it
        unknown_screen = found is None
        settings = found or settings
    for key in ("group", "columns", "theme"):
        if request.args.get(key):
            settings[key] = request.args[key]
    # ?session=current follows the session on now by the venue's clock (场次); a code, that one
    settings["session"] = timetable.chosen(engine(), comp.id, request.args.get("session"), select_timezone())
    full = standings_for(comp, Audience.PUBLIC)
    payload = _cut(full, settings["group"] or None, settings["session"])
    window = None
    # a big group (live_window), even when a session shows a few of it (the socket would send it all):
    # the first page now, the board asks for the rest
    if windowed(_cut(full, settings["group"] or None)):
        group = settings["group"] or (payload["groups"] or full["groups"])[0]["code"]
        window = Window(group, 0, PAGE_GUESS, settings["session"] or "")
        payload = window_cut(_cut(full, settings["group"] or None), window)
    return render_template(
        "board/board.html",
        comp=comp,
        payload=payload,
        settings=settings,
        audience="public",
        audience_url=_audience_url(slug),
        unknown_screen=unknown_screen,
        window=window.as_dict() if window else None,
    )


def _register(cid: int, name: str) -> dict | None:
    try:
        return live_admin.register_screen(engine(), cid, name, current_user().username)
    except Refused:  # the competition's screens are at their limit: the plain board, with the note
        return None


@bp.get("/<slug>/phone")
@access.rule(read=access.ANYONE)
def phone(slug: str):
    comp = competition_or_404(slug)
    group = request.args.get("group") or ""
    full = standings_for(comp, Audience.AUDIENCE)
    payload = _cut(full, group or None)
    window = None
    if windowed(payload):  # a big group (live_window): the leaders and the row this phone follows
        follow = request.args.get("follow") or ""
        window = parse_window({"group": group or payload["groups"][0]["code"], "follow": follow[:60]})
        window = window or Window(group or payload["groups"][0]["code"])
        payload = window_cut(full, window)
    return render_template(
        "board/phone.html",
        comp=comp,
        payload=payload,
        group=group,
        audience="audience",
        window=window.as_dict() if window else None,
    )


@bp.get("/<slug>/qr.svg")
@access.rule(read=access.ANYONE)
def qr(slug: str):
    """The phone page's address as a QR code, drawn on the board (no external service)."""
    competition_or_404(slug)
    out = io.BytesIO()
    segno.make(_audience_url(slug), error="m").save(out, kind="svg", scale=6, border=2, dark="#000", light="#fff")
    return Response(out.getvalue(), mimetype="image/svg+xml")


def _audience_url(slug: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for("board.phone", slug=slug)
