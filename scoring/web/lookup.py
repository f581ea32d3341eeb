"""The result lookup (成绩查询): a contestant's own published result, score report and certificates.

Why a signed session rather than ids in URLs: after a successful lookup the contestant is kept
(``LOOKUP_SESSION_MINUTES``, 15) in the session as the contestant row and a digest of their
lookup code, so the score report and certificate links carry nothing that names anyone; a URL
copied to another browser, or with another serial, finds nothing. A failed lookup, whichever
half was wrong or whether the person exists at all, gets the same translated answer (401) and
counts against the brakes (``brakes.result_lookup``); what is shown is ``services.lookup``'s
answer, which reads only published result versions through the visibility policy.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded

from scoring.certificates import service as certs
from scoring.i18n import N_
from scoring.rules.lookup import read_code, read_tail, shown_code
from scoring.services import lookup, lookup_codes
from scoring.services.tickets import lookup_url
from scoring.web import access, brakes
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale, select_timezone
from scoring.web.responses import error_response, wants_json

bp = Blueprint("lookup", __name__)
KEY = "lookup"


def _digest(code: str) -> str:
    return hashlib.sha256(f"lookup:{code}".encode()).hexdigest()[:32]


def _holder(comp) -> lookup.Holder | None:  # noqa: ANN001
    """The contestant this browser looked up in ``comp``, while the session lasts."""
    kept = session.get(KEY)
    if not isinstance(kept, dict) or kept.get("cid") != comp.id or kept.get("until", 0) < time.time():
        return None
    holder = lookup.holder_of(engine(), comp.id, int(kept.get("id") or 0), str(kept.get("member") or ""))
    return holder if holder is not None and _digest(holder.code) == kept.get("d") else None


def _remember(comp, holder: lookup.Holder) -> None:  # noqa: ANN001
    minutes = int(current_app.config.get("LOOKUP_SESSION_MINUTES", 15))
    session[KEY] = {
        "cid": comp.id,
        "id": holder.contestant_id,
        "d": _digest(holder.code),
        "member": holder.member,
        "until": int(time.time()) + 60 * minutes,
    }


FAILED = N_("No result matches what you entered. Check it and try again.")


@bp.route("/results/<slug>/lookup", methods=["GET", "POST"])
@access.rule(read=access.ANYONE, write=access.ANYONE)  # a contestant's own lookup (rate-limited)
@brakes.result_lookup
def page(slug: str):
    comp = competition_or_404(slug)
    error, status = None, 200
    if request.method == "POST":
        if request.form.get("action") == "end":
            session.pop(KEY, None)
            return redirect(url_for("lookup.page", slug=slug))
        typed_code = request.form.get("code", "").strip()
        name, typed_tail = request.form.get("name", "").strip(), request.form.get("id_tail", "").strip()
        if not typed_code and not (name and typed_tail):
            error, status = _("Enter your lookup code, or your name and the last 6 characters of your ID number."), 422
        else:
            code = read_code(typed_code) if typed_code else None
            tail = None if typed_code else read_tail(typed_tail)
            if tail:  # a competition from before lookup codes: its contestants get theirs now
                lookup_codes.ensure_codes(engine(), comp.id)
            holder = lookup.find(engine(), comp.id, code=code, name=name, tail=tail) if (code or tail) else None
            if holder is None:
                error, status = _(FAILED), 401
            else:
                _remember(comp, holder)
                return redirect(url_for("lookup.page", slug=slug))
    holder = _holder(comp) if request.method == "GET" else None
    seen = lookup.personal(engine(), comp.id, holder) if holder is not None else None
    prefill = read_code(request.args.get("code", "")) if request.method == "GET" else None
    return render_template(
        "public/lookup.html", comp=comp, seen=seen, error=error, prefill=shown_code(prefill or "")
    ), status


@bp.errorhandler(RateLimitExceeded)
def _throttled(_exc: RateLimitExceeded):
    """Too many failed lookups: the form again, saying how long to wait."""
    if wants_json() or request.endpoint != "lookup.page":
        return error_response(429, brakes.lookup_throttled_message(), code="too_many")
    comp = competition_or_404(str((request.view_args or {}).get("slug", "")))
    return render_template(
        "public/lookup.html", comp=comp, seen=None, error=brakes.lookup_throttled_message(), prefill=""
    ), 429


@bp.get("/results/<slug>/lookup/report.pdf")
@access.rule(read=access.ANYONE)  # only for the contestant of this browser's lookup
def report(slug: str):
    from scoring.certificates.papers import report_pdf

    comp = competition_or_404(slug)
    holder = _holder(comp)
    if holder is None:
        return redirect(url_for("lookup.page", slug=slug))
    seen = lookup.personal(engine(), comp.id, holder)
    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo(select_timezone()))
    data = report_pdf(seen, lookup_url(_base(), slug), now, local.strftime("%Y-%m-%d"), select_locale())
    name = f"{slug}-{seen['me']['code']}-score-report.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/results/<slug>/lookup/certificate/<serial>.pdf")
@access.rule(read=access.ANYONE)  # only a certificate of this browser's lookup
def certificate(slug: str, serial: str):
    comp = competition_or_404(slug)
    holder = _holder(comp)
    if holder is None:
        return redirect(url_for("lookup.page", slug=slug))
    own = lookup.personal(engine(), comp.id, holder).get("certificates", [])
    if not any(c["serial"] == serial for c in own):
        abort(404)
    data = certs.certificate_pdf(engine(), comp.id, serial, _base())
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=certificate-{serial}.pdf"},
    )


def _base() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url
