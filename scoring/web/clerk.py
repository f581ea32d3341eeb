"""Clerks' side (录分员): the keyboard-first form that types a paper score sheet in.

Why its own blueprint: a clerk is its own audience. They see the sheet a scanned code names
(judge code, contestant code, station, the aspects with their ranges) and their own entries,
never standings, names, the other clerk's entry or whether one exists (double blind). The
decisions are ``services.paper``'s; this module reads the form and shows the answer.

The flow: the scan field has the focus; a USB scanner types the QR code's text and Enter (the
form's GET opens the sheet); a phone or tablet camera does the same where the browser has
BarcodeDetector (``static/js/clerk.js``, no library); or the clerk types the judge, contestant
and the eight characters printed under the QR code. Tab (or Enter) moves through the aspects in
the scheme's order; Enter on the last saves.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import InvalidInput, Refused
from scoring.services import paper
from scoring.web import access, auth
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale

bp = Blueprint("clerk", __name__, url_prefix="/clerk")


@bp.get("/")
@access.rule(read=access.CLERK)
def index():
    """The competitions a clerk's account may enter sheets for (one: straight to its form)."""
    me = auth.current_user()
    with reading(engine()) as s:
        q = select(m.Competition).order_by(m.Competition.id)
        if me.competition_id is not None:
            q = q.where(m.Competition.id == me.competition_id)
        comps = list(s.exec(q))
    if len(comps) == 1:
        return redirect(url_for("clerk.entry", slug=comps[0].slug))
    return render_template("clerk/index.html", comps=comps)


@bp.route("/c/<slug>", methods=["GET", "POST"])
@access.rule(read=access.CLERK, write=access.CLERK)
def entry(slug: str):
    comp = competition_or_404(slug)
    me = auth.current_user()
    locale = select_locale()
    text = request.values.get("sheet", "")
    view = closed = error = None
    problems: list = []
    typed: dict[str, str] = {}
    status = 200
    if text:
        try:
            view = paper.open_sheet(engine(), comp.id, slug, text, locale)
            if request.method == "POST":
                typed = {a["code"]: request.form.get("v:" + a["code"], "") for a in view.aspects}
                paper.enter(engine(), comp.id, slug, text, me.username, typed)
                flash(
                    _(
                        "Saved: the sheet of judge %(judge)s for %(contestant)s. Scan the next sheet.",
                        judge=view.judge,
                        contestant=view.contestant,
                    ),
                    "success",
                )
                return redirect(url_for("clerk.entry", slug=slug))
            closed = paper.closed_message(engine(), view, me.username)
        except InvalidInput as exc:
            problems, status = exc.report(locale), 422
        except Refused as exc:
            error, status = exc.message(locale), exc.status
    sheet_problems = [p for p in problems if p["field"] == "sheet"]
    fields = {p["field"]: p["message"] for p in problems if p["field"] != "sheet"}
    codes = [a["code"] for a in view.aspects] if view is not None and closed is None and error is None else []
    focus = next((c for c in codes if c in fields), codes[0] if codes else None)  # else the scan field
    return render_template(
        "clerk/entry.html",
        comp=comp,
        me=me,
        text=text[:400] if (view is None or sheet_problems) else "",
        view=view,
        closed=None if closed is None else _(closed),
        error=error,
        sheet_problems=sheet_problems,
        field_problems=fields,
        focus=focus,
        typed=typed,
        mine=paper.own_entries(engine(), comp.id, me.username),
    ), status
