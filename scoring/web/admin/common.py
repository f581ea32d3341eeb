"""What every view of the organizer console shares: the blueprint, who is acting, where to go
back to, and how a refusal or bad input is shown.

Why the blueprint lives here and not in the package's ``__init__``: the view modules attach their
routes to it when imported, and the package imports the view modules; a blueprint in ``__init__``
would make every view module import its own package back (an import cycle).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from scoring.errors import InvalidInput, Refused
from scoring.i18n import N_
from scoring.web import auth
from scoring.web.locale import select_locale
from scoring.web.responses import error_response, wants_json

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_NAMES = {
    "organizer": N_("Organizer"),
    "chief": N_("Chief judge"),
    "judge": N_("Judge"),
    "viewer": N_("Viewer"),
    "clerk": N_("Clerk"),
}


@bp.app_context_processor
def _names():
    from scoring.i18n import translate

    return {"role_names": {k: translate(v, select_locale()) for k, v in ROLE_NAMES.items()}, "me": auth.current_user()}


@bp.errorhandler(Refused)
def _refused(exc: Refused):
    """A refusal on a form goes back to the page with the reason; the API shape elsewhere."""
    message = exc.message(select_locale())
    if not wants_json() and request.method == "POST" and request.referrer:
        flash(message, "error")
        return redirect(request.referrer)
    return error_response(exc.status, message)


def actor() -> str:
    user = auth.current_user()
    return user.username if user else "anonymous"


def base_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url


def back(endpoint: str, slug: str, **kw):
    return redirect(url_for(endpoint, slug=slug, **kw))


def problems_of(exc: InvalidInput) -> list[dict]:
    """The first problems and a count of the rest (errors.ProblemReport), in the reader's language."""
    return exc.report(select_locale())


def ask(comp, *, title: str, facts: list[str], button: str, test: str, fields: dict, cancel: str, **more):  # noqa: ANN001, ANN201
    """The confirmation page of an irreversible step: what it will do, with the counts that
    matter, and one button that posts the same form again with ``confirm=1``. Why a page and not
    a dialog: it works without script (CSP forbids inline script) and a POST without the
    confirmation changes nothing by construction. ``more``: warning, undo, blockers."""
    blockers = more.pop("blockers", None)
    confirm = {
        "title": title,
        "facts": facts,
        "button": button,
        "test": test,
        "fields": fields,
        "cancel": cancel,
        "action": request.path,
        **more,
    }
    return render_template("admin/confirm.html", comp=comp, confirm=confirm, blockers=blockers)


def done(message: str, undo: tuple[str, str] | None = None) -> None:
    """The success message of an irreversible step, and the way back (text, url) if there is one."""
    flash(message, "success")
    if undo is not None:
        flash(undo[0], "link:" + undo[1])
