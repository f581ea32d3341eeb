"""Organizer pages for live boards: public visibility (embargo, live, freeze, publish), the
screen registry (group, columns, theme, reload) and the award reveal ceremony."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import InvalidInput, Refused
from scoring.rules.numbers import parse_integer
from scoring.services import live_admin
from scoring.visibility import Audience, State
from scoring.web import access
from scoring.web.auth import current_user
from scoring.web.common import competition_or_404, engine, standings_for
from scoring.web.inputs import json_or_form
from scoring.web.locale import select_locale
from scoring.web.responses import error_response

bp = Blueprint("screens", __name__, url_prefix="/screens")


def _actor() -> str:
    user = current_user()
    return user.username if user else "organizer"


@bp.errorhandler(Refused)
def _refused(exc: Refused):
    return error_response(exc.status, exc.message(select_locale()), code=exc.msgid)


def _groups(cid: int) -> list[m.Group]:
    with reading(engine()) as s:
        return list(s.exec(select(m.Group).where(m.Group.competition_id == cid).order_by(m.Group.position)))


@bp.get("/<slug>")
@access.rule(read=access.ORGANIZER)
def console(slug: str):
    comp = competition_or_404(slug)
    with reading(engine()) as s:
        reveals = {r.group_code: r for r in s.exec(select(m.Reveal).where(m.Reveal.competition_id == comp.id))}
    return render_template(
        "board/console.html",
        comp=comp,
        states=[st.value for st in State],
        screens=live_admin.screens(engine(), comp.id),
        groups=_groups(comp.id),
        reveals=reveals,
        payload=standings_for(comp, Audience.PUBLIC),
    )


@bp.post("/<slug>/visibility")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def visibility(slug: str):
    comp = competition_or_404(slug)
    live_admin.set_visibility(engine(), comp.id, request.form.get("state", ""), _actor())
    return redirect(url_for("screens.console", slug=slug))


@bp.post("/<slug>/screens")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def add(slug: str):
    """Name a screen before its board is opened: a board opened with ?screen=NAME then takes the
    settings set here (an unknown name from a board creates nothing)."""
    comp = competition_or_404(slug)
    live_admin.register_screen(engine(), comp.id, request.form.get("name", ""), _actor())
    return redirect(url_for("screens.console", slug=slug))


@bp.post("/<slug>/screen/<name>/remove")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def remove(slug: str, name: str):
    comp = competition_or_404(slug)
    live_admin.remove_screen(engine(), comp.id, name, _actor())
    return redirect(url_for("screens.console", slug=slug))


@bp.post("/<slug>/screen/<name>")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def configure(slug: str, name: str):
    comp = competition_or_404(slug)
    live_admin.configure_screen(
        engine(),
        comp.id,
        name,
        group=request.form.get("group", ""),
        columns=request.form.get("columns", "full"),
        theme=request.form.get("theme", "dark"),
        actor=_actor(),
    )
    return redirect(url_for("screens.console", slug=slug))


@bp.post("/<slug>/screen/<name>/reload")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def reload(slug: str, name: str):
    comp = competition_or_404(slug)
    live_admin.reload_screen(engine(), comp.id, name, _actor())
    return redirect(url_for("screens.console", slug=slug))


@bp.post("/<slug>/reveal/<group>/start")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def reveal_start(slug: str, group: str):
    comp = competition_or_404(slug)
    live_admin.start_reveal(engine(), comp.id, group, _actor())
    return redirect(url_for("screens.reveal", slug=slug, group=group))


@bp.get("/<slug>/reveal/<group>")
@access.rule(read=access.ORGANIZER)
def reveal(slug: str, group: str):
    """The ceremony screen: the public board of one group, stepped with a keyboard or clicker."""
    comp = competition_or_404(slug)
    payload = standings_for(comp, Audience.PUBLIC)
    payload = {**payload, "groups": [g for g in payload["groups"] if g["code"] == group]}
    settings = {"name": "", "group": group, "columns": "full", "theme": "dark", "reload": 0}
    return render_template(
        "board/board.html",
        comp=comp,
        payload=payload,
        settings=settings,
        audience="public",
        audience_url=None,
        reveal_group=group,
        step_url=url_for("screens.reveal_step", slug=slug, group=group),
    )


@bp.post("/<slug>/reveal/<group>/step")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def reveal_step(slug: str, group: str):
    comp = competition_or_404(slug)
    try:
        delta = parse_integer(json_or_form().get("delta", 1), "delta", minimum=-1, maximum=1)
    except InvalidInput:
        delta = 0  # the service says why
    step, version = live_admin.step_reveal(engine(), comp.id, group, delta, _actor())
    return jsonify({"step": step, "version": version})
