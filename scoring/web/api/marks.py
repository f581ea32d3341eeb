"""The judging JSON API (used by the tablet page and by anyone scripting a panel).

A mark is POSTed with an idempotency key and the version it was based on; the answer comes only
after the commit is durable: 201 with a receipt, 200 with the original receipt for a retried
key, 409 for a stale version or a signed sheet, 422 naming the aspect, 403 outside the panel or
recused, 401 without a (current) judge sign-in.

Why no CSRF token here: these routes accept only ``application/json`` bodies, which a foreign
page cannot send cross-site without a CORS preflight that this app never grants, and the
session cookie is SameSite=Lax. The offline tablet can then replay its queue long after the
page that made it was rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, jsonify
from flask_babel import gettext as _

from scoring.errors import Refused
from scoring.extensions import csrf
from scoring.rules.numbers import plain_id
from scoring.services import judging, timetable
from scoring.services import marks as marks_service
from scoring.web import access
from scoring.web.api.blueprint import bp
from scoring.web.common import competition_id_or_404, competition_or_404, engine
from scoring.web.inputs import json_object
from scoring.web.locale import select_locale, select_timezone
from scoring.web.responses import error_response
from scoring.web.tablet_session import current_judge

_CODES = {401: "not_signed_in", 403: "forbidden", 404: "not_found", 409: "conflict", 429: "too_many"}


class _CompetitionRef:
    """What a lean route needs of its competition: the id and slug (no ORM object)."""

    __slots__ = ("id", "slug")

    def __init__(self, cid: int, slug: str) -> None:
        self.id, self.slug = cid, slug


def _judging_api(chief_only: bool = False, write: bool = False, lean: bool = False) -> Callable:
    """Resolve the competition and the signed-in judge; turn refusals into the one error shape.
    ``lean`` routes get only the competition's id and slug (the marks hot path)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(slug: str):
            if lean:
                g.quiet_session = True  # see web.sessions: the judge's expiry lives in the session
                comp = _CompetitionRef(competition_id_or_404(slug), slug)
                who = current_judge(comp.id)
                if who is None and competition_id_or_404(slug, fresh=True) != comp.id:
                    comp = _CompetitionRef(competition_id_or_404(slug), slug)  # replaced since remembered
                    who = current_judge(comp.id)
            else:
                comp = competition_or_404(slug)
                who = current_judge(comp.id, comp.created_at)
            if who is None:
                return _signed_out()
            if chief_only and who.role != "chief":
                return error_response(403, _("Only the chief judge may do this."), code="forbidden")
            body = json_object() if write else None
            try:
                try:
                    return view(comp, who, body) if write else view(comp, who)
                except marks_service.StaleCompetition:
                    # the remembered id is gone or belongs to another slug now: look it up again
                    comp = _CompetitionRef(competition_id_or_404(slug, fresh=True), slug)
                    who = current_judge(comp.id)
                    if who is None:
                        return _signed_out()
                    return view(comp, who, body) if write else view(comp, who)
            except Refused as exc:
                return error_response(exc.status, exc.message(select_locale()), code=_CODES.get(exc.status))

        return csrf.exempt(wrapped) if write else wrapped

    return decorate


def _signed_out():
    return error_response(
        401, _("Your judge sign-in has expired. Sign in again; unsent marks are kept."), code="not_signed_in"
    )


def _int(body: dict, key: str, default: int | None = None) -> object:
    value = body.get(key, default)
    return value


@bp.get("/judging/<slug>/sheet")
@access.rule(read=access.TABLET)
@_judging_api()
def sheet(comp, who):
    """The judge's own sheet: their panels' contestants by code and station, aspects, own marks."""
    return jsonify(
        {
            "competition": {"slug": comp.slug, "name": comp.name},
            **judging.judge_sheet(engine(), comp.id, who.judge_id, select_locale()),
            **timetable.picker(engine(), comp.id, select_timezone()),  # 场次: the list filters by session
        }
    )


@bp.post("/judging/<slug>/marks")
@access.rule(read=access.NOBODY, write=access.TABLET, lean=True)
@_judging_api(write=True, lean=True)
def post_mark(comp, who, body):
    receipt = marks_service.submit_coded(
        engine(),
        competition_id=comp.id,
        slug=comp.slug,
        generation=who.generation,
        epoch=who.epoch,
        judge_id=who.judge_id,
        contestant_ref=str(body.get("contestant") or ""),
        aspect_code=str(body.get("aspect") or ""),
        value=body.get("value"),
        idempotency_key=body.get("idempotency_key") or "",
        based_on_version=_int(body, "based_on_version", -1),
        client_id=str(body.get("client_id") or ""),
        state="void" if body.get("state") == "void" else "submitted",
        reason=str(body.get("reason") or ""),
    )
    return jsonify(receipt.as_dict()), (200 if receipt.replayed else 201)


@bp.post("/judging/<slug>/sign")
@access.rule(read=access.NOBODY, write=access.TABLET)
@_judging_api(write=True)
def sign(comp, who, body):
    change = judging.sign_for_judge(engine(), comp.id, who.judge_id, str(body.get("contestant") or ""))
    return jsonify({"contestant": body.get("contestant"), "signed": change.changed, "state": change.state})


@bp.post("/judging/<slug>/heartbeat")
@access.rule(read=access.NOBODY, write=access.TABLET)
@_judging_api(write=True)
def heartbeat(comp, who, body):
    judging.heartbeat(engine(), comp.id, who.judge_id, str(body.get("client_id") or ""), body.get("unsent", 0))
    return jsonify({"ok": True})


@bp.get("/judging/<slug>/progress")
@access.rule(read=access.CHIEF_GRID)
def progress(slug: str):
    """The chief judge's grid (also for a chief judge's or organizer's account)."""
    comp = competition_or_404(slug)
    grid = judging.progress(engine(), comp.id, select_locale())
    return jsonify({**grid, **timetable.picker(engine(), comp.id, select_timezone())})


@bp.post("/judging/<slug>/unlock")
@access.rule(read=access.NOBODY, write=access.TABLET_CHIEF)
@_judging_api(chief_only=True, write=True)
def unlock(comp, who, body):
    chief = _judge_row(who)
    change = judging.unlock_for_chief(
        engine(),
        comp.id,
        str(body.get("judge") or ""),
        str(body.get("contestant") or ""),
        chief,
        str(body.get("reason") or ""),
    )
    return jsonify({"unlocked": change.changed})


@bp.post("/judging/<slug>/confirm")
@access.rule(read=access.NOBODY, write=access.TABLET_CHIEF)
@_judging_api(chief_only=True, write=True)
def confirm(comp, who, body):
    panel_id = plain_id(body.get("panel"))
    if panel_id is None:
        return error_response(400, _("Send the data as a JSON object."), code="bad_request")
    judging.confirm_sheet(engine(), comp.id, panel_id, str(body.get("contestant") or ""), _judge_row(who))
    return jsonify({"confirmed": True})


@bp.post("/judging/<slug>/rescore")
@access.rule(read=access.NOBODY, write=access.TABLET_CHIEF)
@_judging_api(chief_only=True, write=True)
def rescore(comp, who, body):
    rnd = judging.open_rescore(
        engine(),
        comp.id,
        str(body.get("contestant") or ""),
        str(body.get("aspect") or ""),
        who.code,
        str(body.get("reason") or ""),
    )
    return jsonify({"round": rnd})


def _judge_row(who):
    from scoring import models as m
    from scoring.db import reading

    with reading(engine()) as s:
        return s.get(m.Judge, who.judge_id)
