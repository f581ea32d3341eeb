"""The organizer console after marking: lock and review (复核), publication (公示) and appeals."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from scoring.errors import InvalidInput, Refused
from scoring.rules.numbers import parse_integer
from scoring.services import appeals as appeals_svc
from scoring.services import publication, results, staged
from scoring.web import access
from scoring.web.admin.common import actor, back, base_url, bp, problems_of
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import form_id
from scoring.web.locale import select_locale


@bp.route("/c/<slug>/review", methods=["GET", "POST"])
@access.rule(read=access.STAFF, write=access.CHIEF)
def review(slug: str):
    comp = competition_or_404(slug)
    if request.method == "POST":
        action = request.form.get("action")
        if action == "finding":
            contestant = results.contestant_code(engine(), comp.id, request.form.get("contestant", ""))
            publication.record_finding(
                engine(), comp.id, contestant, request.form.get("error") == "1", request.form.get("note", ""), actor()
            )
        elif action in ("lock", "unlock"):
            try:
                publication.set_stage_state(
                    engine(),
                    comp.id,
                    request.form.get("stage", ""),
                    action == "lock",
                    actor(),
                    request.form.get("reason", ""),
                )
            except InvalidInput as exc:
                flash("; ".join(p["message"] for p in problems_of(exc)), "error")
        else:
            abort(400)
        return back("admin.review", slug)
    plan = publication.review_plan(engine(), comp.id)
    if not access.console_view(comp).names:
        labels = results.draw_labels(engine(), comp.id)
        plan = [{**g, "items": results.by_anonymous_code(g["items"], labels)} for g in plan]
    return render_template("admin/review.html", comp=comp, plan=plan, pub=publication.summary(engine(), comp.id))


@bp.route("/c/<slug>/publish", methods=["GET", "POST"])
@access.rule(read=access.ORGANIZER, write=access.ORGANIZER)
def publish(slug: str):
    comp = competition_or_404(slug)
    if request.method == "POST":
        try:
            days = parse_integer(request.form.get("notice_days", publication.DEFAULT_NOTICE_DAYS), "notice_days")
        except InvalidInput:
            days = -1  # the service says why
        try:
            n = publication.publish(engine(), comp.id, actor(), notice_days=days, base_url=base_url())
        except InvalidInput as exc:
            flash("; ".join(p["message"] for p in problems_of(exc)), "error")
            return back("admin.publish", slug)
        flash(_("Result version %(n)s is published.", n=n))
        return back("admin.publish", slug)
    versions = publication.versions(engine(), comp.id)
    diffs = {
        v.number: publication.diff(versions[i - 1].content if i else None, v.content) for i, v in enumerate(versions)
    }
    return render_template(
        "admin/publish.html",
        comp=comp,
        versions=versions,
        diffs=diffs,
        pub=publication.summary(engine(), comp.id),
        groups=publication.current_report(engine(), comp.id)["groups"],
        stages=publication.summary(engine(), comp.id)["stages"],
        scopes={v.number: staged.scope_text(v, select_locale()) for v in versions if v.scope},
    )


@bp.route("/c/<slug>/publish/stage", methods=["POST"])
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def publish_stage(slug: str):
    """Staged publication (services.staged): one stage for one group or all, after a server-side
    confirmation that states what will become public and what still blocks it."""
    comp = competition_or_404(slug)
    f = request.form
    stage, group = f.get("stage", "")[:40], f.get("group", "")[:40]
    try:
        days = parse_integer(f.get("notice_days", publication.DEFAULT_NOTICE_DAYS), "notice_days")
    except InvalidInput:
        days = -1  # the service says why
    try:
        check = staged.blockers(engine(), comp.id, stage, group)
        if f.get("confirm") != "1":
            return render_template("admin/publish_stage_confirm.html", comp=comp, check=check, days=days, group=group)
        n = staged.publish_stage(engine(), comp.id, stage, group, actor(), notice_days=days)
    except InvalidInput as exc:
        flash("; ".join(p["message"] for p in problems_of(exc)), "error")
        return back("admin.publish", slug)
    except Refused as exc:
        flash(exc.message(select_locale()), "error")
        return back("admin.publish", slug)
    flash(_("Result version %(n)s is published: stage %(stage)s.", n=n, stage=check["stage_name"]), "success")
    return back("admin.publish", slug)


@bp.route("/c/<slug>/appeals", methods=["GET", "POST"])
@access.rule(read=access.ORGANIZER, write=access.ORGANIZER)
def appeals(slug: str):
    comp = competition_or_404(slug)
    problems = []
    if request.method == "POST":
        f = request.form
        try:
            if f.get("action") == "file":
                appeals_svc.file_appeal(
                    engine(),
                    comp.id,
                    f.get("contestant", "").strip(),
                    f.get("filed_by", ""),
                    f.get("contact", ""),
                    f.get("text", ""),
                    actor(),
                )
                flash(_("The objection was recorded."))
            else:
                corrections = []
                if f.get("c_contestant") or f.get("c_value"):
                    corrections.append(
                        (
                            f.get("c_contestant", "").strip(),
                            f.get("c_aspect", "").strip(),
                            f.get("c_judge", "").strip(),
                            f.get("c_value", "").strip(),
                        )
                    )
                n = appeals_svc.decide_appeal(
                    engine(),
                    comp.id,
                    form_id("appeal_id"),
                    f.get("action") == "uphold",
                    f.get("decision", ""),
                    actor(),
                    corrections,
                    base_url(),
                )
                flash(_("Upheld; result version %(n)s is published.", n=n) if n else _("Decision recorded."))
            return back("admin.appeals", slug)
        except InvalidInput as exc:
            problems = problems_of(exc)
        except ValueError:
            abort(400)
    return render_template(
        "admin/appeals.html",
        comp=comp,
        appeals=appeals_svc.appeals(engine(), comp.id),
        pub=publication.summary(engine(), comp.id),
        problems=problems,
    ), (422 if problems else 200)
