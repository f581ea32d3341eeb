"""The console's withdrawals page (弃权/缺考): mark a contestant withdrawn or absent with a reason,
or take it back with a reason. Each POST is one service call (``services.withdrawals``)."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import InvalidInput
from scoring.services import results
from scoring.services import withdrawals as svc
from scoring.web import access
from scoring.web.admin.common import actor, back, bp, problems_of
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import form_id


@bp.route("/c/<slug>/withdrawals", methods=["GET", "POST"])
@access.rule(read=access.STAFF, write=access.ORGANIZER)
def withdrawals(slug: str):
    comp = competition_or_404(slug)
    problems: list[dict] = []
    if request.method == "POST":
        f = request.form
        try:
            if f.get("action") == "set":
                stage = f.get("stage") or None
                svc.set_withdrawal(
                    engine(), comp.id, form_id("contestant_id"), f.get("kind", ""), f.get("reason", ""), stage, actor()
                )
            elif f.get("action") == "undo":
                svc.undo_withdrawal(engine(), comp.id, form_id("contestant_id"), f.get("reason", ""), actor())
            else:
                abort(400)
            flash(_("Saved."))
            return back("admin.withdrawals", slug)
        except InvalidInput as exc:
            problems = problems_of(exc)
    with reading(engine()) as s:
        rows = s.exec(
            select(m.Contestant, m.Group)
            .join(m.Group, m.Group.id == m.Contestant.group_id)
            .where(m.Contestant.competition_id == comp.id)
            .order_by(m.Group.position, m.Contestant.id)
        ).all()
        stages = list(s.exec(select(m.Stage).where(m.Stage.competition_id == comp.id).order_by(m.Stage.position)))
    seen = access.console_view(comp)
    labels = {} if seen.names else results.draw_labels(engine(), comp.id)
    if not seen.names:  # before the reveal: by anonymous code, in code order (the map stays hidden)
        rows = sorted(rows, key=lambda r: labels.get(r[0].code, ""))
    page = render_template(
        "admin/withdrawals.html",
        comp=comp,
        rows=rows,
        stages=stages,
        seen=seen,
        labels=labels,
        problems=problems,
        kinds=svc.KINDS,
        stage_names={
            st.code: st.name for st in stages
        },  # a variable, not a literal: Jinja would fold a literal's filter in one language
    )
    return page, (422 if problems else 200)
