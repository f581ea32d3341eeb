"""The console's reconciliation queue of paper score sheets (chief judge, organizer): both clerks'
entries side by side with the differing aspects marked, the judge's tablet marks, the sheet's
image, and the decision against the paper (``services.paper_queue``).
"""

from __future__ import annotations

from flask import Response, flash, render_template, request
from flask_babel import gettext as _

from scoring.errors import InvalidInput
from scoring.services import paper_queue
from scoring.web import access, auth, uploads
from scoring.web.admin.common import actor, back, bp, problems_of
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import form_id
from scoring.web.locale import select_locale


@bp.app_template_global("paper_counts")
def paper_counts(cid: int) -> dict[str, int]:
    """For the console's progress cards: sheets waiting for the independent entry, in conflict."""
    return paper_queue.counts_of(engine(), cid)


@bp.route("/c/<slug>/paper", methods=["GET", "POST"])
@access.rule(read=access.CHIEF, write=access.CHIEF)
@uploads.limit("MAX_IMAGE_BYTES")
def paper(slug: str):
    comp = competition_or_404(slug)
    problems: list = []
    failed: int | None = None
    if request.method == "POST":
        action = request.form.get("action", "")
        try:
            sheet_id = form_id("sheet_id")
            failed = sheet_id
            if action == "image":
                upload = request.files.get("image")
                paper_queue.attach_image(engine(), comp.id, sheet_id, upload.read() if upload else None, actor())
                flash(_("The sheet's image was stored."), "success")
            else:
                typed = {k[2:]: v for k, v in request.form.items() if k.startswith("v:")}
                n = paper_queue.decide(
                    engine(), comp.id, slug, sheet_id, typed, request.form.get("reason", ""), actor()
                )
                flash(_("Decided: %(n)s marks written from the paper sheet.", n=n), "success")
            return back("admin.paper", slug)
        except InvalidInput as exc:
            problems = problems_of(exc)
    q = paper_queue.queue(engine(), comp.id, slug, select_locale())
    typed = {k[2:]: v for k, v in request.form.items() if k.startswith("v:")} if problems else {}
    return render_template(
        "admin/paper.html",
        comp=comp,
        q=q,
        problems=problems,
        failed=failed,
        typed=typed,
        reason=request.form.get("reason", "")[:500] if problems else "",
        me=auth.current_user(),
    ), (422 if problems else 200)


@bp.get("/c/<slug>/paper/<int:sheet_id>/image")
@access.rule(read=access.CHIEF)
def paper_image(slug: str, sheet_id: int):
    comp = competition_or_404(slug)
    data, media = paper_queue.image_of(engine(), comp.id, sheet_id)
    return Response(data, mimetype=media, headers={"Cache-Control": "private, no-store"})
