"""Sign-in, sign-out, the first-run set-up of the first organizer, and account management."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded

from scoring import models as m
from scoring.errors import InvalidInput, Problem, Refused
from scoring.i18n import N_
from scoring.services import accounts as svc
from scoring.services.accounts import authenticate
from scoring.web import access, auth, brakes
from scoring.web.inputs import form_id
from scoring.web.locale import select_locale
from scoring.web.responses import error_response, wants_json

bp = Blueprint("accounts", __name__)


def _engine():
    return current_app.extensions["scoring.engine"]


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of this site (auth.local_path), else the home page."""
    return auth.local_path(target) or url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@access.rule(read=access.ANYONE, write=access.ANYONE)
@brakes.staff_sign_in
def login():
    if request.method == "GET" and not svc.has_any_organizer(_engine()):
        return redirect(url_for("accounts.setup"))
    error = None
    if request.method == "POST":
        user = authenticate(_engine(), request.form.get("username", ""), request.form.get("password", ""))
        if user is None:
            error = _("Wrong user name or password.")
        else:
            auth.login(user)
            flash(_("Signed in."))
            default = url_for("admin.index") if user.role in ("organizer", "chief", "viewer") else None
            if user.role == "clerk":  # a clerk's account leads to the paper sheet entry form only
                default = url_for("clerk.index")
            return redirect(_safe_next(request.args.get("next") or default))
    return render_template("accounts/login.html", error=error), (401 if error else 200)


@bp.errorhandler(RateLimitExceeded)
def _throttled(_exc: RateLimitExceeded):
    """Too many failed sign-ins: the form again, saying how long to wait (web.brakes)."""
    if request.endpoint != "accounts.login" or wants_json():
        return error_response(429, brakes.throttled_message(), code="too_many")
    return render_template("accounts/login.html", error=brakes.throttled_message()), 429


@bp.post("/logout")
@access.rule(read=access.NOBODY, write=access.ANYONE)
def logout():
    auth.logout()
    return redirect(url_for("public.home"))


@bp.route("/setup", methods=["GET", "POST"])
@access.rule(read=access.ANYONE, write=access.ANYONE)  # only while no organizer exists (checked inside)
def setup():
    """Shown only while no organizer exists: creates the first one and signs them in."""
    if svc.has_any_organizer(_engine()):
        abort(404)
    problems = []
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("password2", ""):
            problems = [{"field": "password2", "message": _("The two passwords differ.")}]
        else:
            try:
                uid = svc.create_first_organizer(
                    _engine(), request.form.get("username", ""), password, request.form.get("display_name", "")
                )
            except InvalidInput as exc:
                problems = exc.report(select_locale())
            except Refused:
                abort(404)
            else:
                user = authenticate(_engine(), request.form.get("username", ""), password)
                if user is not None and user.id == uid:
                    auth.login(user)
                flash(_("The organizer account was created."))
                return redirect(url_for("admin.index"))
    return render_template("accounts/setup.html", problems=problems), (422 if problems else 200)


@bp.route("/admin/accounts", methods=["GET", "POST"])
@access.rule(read=access.INSTALLATION, write=access.INSTALLATION)
def manage():
    me = auth.current_user()
    problems = []
    if request.method == "POST":
        f = request.form
        try:
            target = form_id("user_id") if f.get("action") != "create" else 0
            if f.get("action") == "create":
                svc.create_user(
                    _engine(),
                    f.get("username", ""),
                    f.get("password", ""),
                    role=f.get("role", "viewer"),
                    display_name=f.get("display_name", ""),
                    competition_id=_competition(f.get("competition", "")),
                    actor=me.username,
                )
                flash(_("Account created."))
            elif f.get("action") in ("deactivate", "activate"):
                svc.update_user(_engine(), target, me.username, active=f["action"] == "activate")
                flash(_("Saved."))
            elif f.get("action") == "password":
                # the organizer's own session survives their own new password; every other one ends
                svc.update_user(
                    _engine(),
                    target,
                    me.username,
                    password=f.get("password", ""),
                    keep_session=auth.current_session_id() if target == me.id else None,
                )
                flash(_("Password changed."))
            elif f.get("action") == "role":
                svc.update_user(_engine(), target, me.username, role=f.get("role", ""))
                flash(_("Saved."))
            return redirect(url_for("accounts.manage"))
        except InvalidInput as exc:
            problems = exc.report(select_locale())
    return render_template(
        "accounts/manage.html",
        users=svc.list_users(_engine()),
        roles=m.ROLES,
        problems=problems,
        competitions=_competitions(),
    ), (422 if problems else 200)


def _competitions() -> dict[int, m.Competition]:
    from sqlmodel import select

    from scoring.db import reading

    with reading(_engine()) as s:
        return {c.id: c for c in s.exec(select(m.Competition).order_by(m.Competition.id))}


def _competition(slug: str) -> int | None:
    """The competition an account is limited to (blank: every competition), by slug from the form."""
    if not slug:
        return None
    found = next((c.id for c in _competitions().values() if c.slug == slug), None)
    if found is None:
        raise InvalidInput(Problem("competition", N_("Unknown competition.")))
    return found
