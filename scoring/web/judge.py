"""Judges' side: PIN or card sign-in, the offline-capable marking page, the chief judge's
progress grid, printable login cards, and the service worker that keeps the page usable
without the network. The tablet's sign-in itself is ``web.tablet_session``; the chief judge's
live grid is ``web.judge_live``.
"""

from __future__ import annotations

from pathlib import Path

import segno
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded

from scoring import models as m
from scoring.config import ROOT
from scoring.db import reading
from scoring.services import credentials
from scoring.services.credentials import JudgeIdentity
from scoring.web import access, auth, brakes
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale
from scoring.web.responses import error_response, wants_json
from scoring.web.tablet_session import current_judge, judge_page, sign_in, sign_out

bp = Blueprint("judge", __name__, url_prefix="/judge")


def _client_ip() -> str:
    return request.remote_addr or "?"  # the proxy's client only with SCORING_TRUSTED_PROXIES (web.brakes)


# --------------------------------------------------------------------------- sign-in


@bp.get("/c/<slug>")
@access.rule(read=access.ANYONE)
def start(slug: str):
    comp = competition_or_404(slug)
    who = current_judge(comp.id, comp.created_at)
    if who is not None:
        return redirect(url_for("judge.chief" if who.role == "chief" else "judge.mark", slug=slug))
    return render_template("judge/start.html", comp=comp, error=None, code="")


@bp.post("/c/<slug>/signin")
@access.rule(read=access.NOBODY, write=access.ANYONE)
@brakes.judge_pin_sign_in
def signin(slug: str):
    comp = competition_or_404(slug)
    code = request.form.get("code", "")
    judge = credentials.sign_in_pin(engine(), comp.id, code, request.form.get("pin", ""), _client_ip())
    if judge is None:
        return render_template("judge/start.html", comp=comp, code=code[:40], error=_("Wrong judge code or PIN.")), 401
    sign_in(judge, comp)
    return redirect(url_for("judge.chief" if judge.role == "chief" else "judge.mark", slug=slug))


@bp.errorhandler(RateLimitExceeded)
def _throttled(_exc: RateLimitExceeded):
    """Too many failures: the PIN form again (with the code typed) saying how long to wait."""
    slug = (request.view_args or {}).get("slug")
    if request.endpoint != "judge.signin" or not slug or wants_json():
        return error_response(429, brakes.throttled_message(), code="too_many")
    message = _("Too many wrong PINs. Wait %(minutes)s min or ask the chief judge.", minutes=brakes.wait_minutes())
    return render_template(
        "judge/start.html", comp=competition_or_404(slug), code=request.form.get("code", "")[:40], error=message
    ), 429


@bp.get("/card/<token>")
@access.rule(read=access.ANYONE)
@brakes.card_sign_in
def card_signin(token: str):
    """The QR code on a printed login card leads here."""
    judge = credentials.sign_in_token(engine(), current_app.config["SECRET_KEY"], token, _client_ip())
    if judge is None:
        return render_template(
            "error.html",
            status=401,
            problems=[],
            message=_("This login card is not valid any more. Ask the organizer for a new one."),
        ), 401
    with reading(engine()) as s:
        comp = s.get(m.Competition, judge.competition_id)
    sign_in(judge, comp)
    return redirect(url_for("judge.chief" if judge.role == "chief" else "judge.mark", slug=comp.slug))


@bp.post("/c/<slug>/signout")
@access.rule(read=access.NOBODY, write=access.ANYONE)
def signout(slug: str):
    sign_out()
    return redirect(url_for("judge.start", slug=slug))


# --------------------------------------------------------------------------- pages


@bp.get("/c/<slug>/mark")
@access.rule(read=access.TABLET)
@judge_page
def mark(comp: m.Competition, who: JudgeIdentity):
    from scoring.services.judge_sheet import trainee_panels

    with reading(engine()) as s:
        trainee = bool(trainee_panels(s, who.judge_id))
    return render_template("judge/mark.html", comp=comp, who=who, trainee=trainee)


@bp.get("/c/<slug>/chief")
@access.rule(read=access.TABLET_CHIEF)
@judge_page
def chief(comp: m.Competition, who: JudgeIdentity):
    if who.role != "chief":
        abort(403)
    return render_template("judge/chief.html", comp=comp, who=who)


@bp.route("/c/<slug>/cards", methods=["GET", "POST"])
@access.rule(read=access.ORGANIZER, write=access.ORGANIZER)
def cards(slug: str):
    """Printable login cards, one page per panel: name, panel, PIN and a QR code that signs in."""
    comp = competition_or_404(slug)
    user = auth.current_user()
    reissue = request.method == "POST"
    rows = credentials.cards(engine(), comp.id, reissue=reissue, actor=user.username, locale=select_locale())
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    secret = current_app.config["SECRET_KEY"]
    for row in rows:
        row["url"] = base + url_for(
            "judge.card_signin", token=credentials.card_token(secret, row["judge_id"], row["serial"])
        )
        row["qr"] = segno.make(row["url"], error="m").svg_inline(scale=3, border=2)
    pages: dict[str, list[dict]] = {}
    for row in rows:
        for panel in row["panels"] or [_("Chief judges and judges without a panel")]:
            pages.setdefault(panel, []).append(row)
    return render_template("judge/cards.html", comp=comp, pages=pages, reissued=reissue)


# --------------------------------------------------------------------------- the service worker

SW_PATH = ROOT / "static" / "js" / "judge-sw.js"


@bp.get("/sw.js")
@access.rule(read=access.ANYONE)
def service_worker():
    """Served under /judge/ so its scope covers every marking page; never cached by the browser."""
    body = Path(SW_PATH).read_text(encoding="utf-8")
    resp = Response(body, mimetype="application/javascript")
    resp.headers["Cache-Control"] = "no-cache, no-store, must-revalidate"
    resp.headers["Service-Worker-Allowed"] = "/judge/"
    return resp
