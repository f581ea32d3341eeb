"""Sign-in and sign-out for accounts (organizers, chief judges, viewers)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from scoring.services.accounts import authenticate
from scoring.web import auth

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        user = authenticate(current_app.extensions["scoring.engine"], request.form.get("username", ""),
                            request.form.get("password", ""))
        if user is None:
            error = _("Wrong user name or password.")
        else:
            auth.login(user)
            flash(_("Signed in."))
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():
    auth.logout()
    return redirect(url_for("public.home"))
