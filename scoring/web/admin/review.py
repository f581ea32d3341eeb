"""The organizer console after marking: lock and review (复核), publication (公示) and appeals."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _

from scoring.errors import InvalidInput, Refused
from scoring.rules.numbers import parse_integer
from scoring.services import appeals as appeals_svc
from scoring.services import paper_queue, publication, results, staged
from scoring.services.blockers import blockers_of
from scoring.web import access
from scoring.web.admin.common import actor, ask, back, base_url, bp, done, problems_of
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import confirmed, form_id
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
        elif action == "lock":
            return _lock(comp)
        elif action == "unlock":
            stage = request.form.get("stage", "")
            try:
                name = publication.set_stage_state(
                    engine(), comp.id, stage, False, actor(), request.form.get("reason", "")
                )
            except InvalidInput as exc:
                flash("; ".join(p["message"] for p in problems_of(exc)), "error")
                return back("admin.review", slug)
            done(_("Stage %(stage)s is unlocked again; the reason is in the audit log.", stage=name))
        else:
            abort(400)
        return back("admin.review", slug)
    plan = publication.review_plan(engine(), comp.id)
    seen = access.console_view(comp)
    if not seen.names:
        labels = results.draw_labels(engine(), comp.id)
        plan = [{**g, "items": results.by_anonymous_code(g["items"], labels)} for g in plan]
    return render_template(
        "admin/review.html",
        comp=comp,
        plan=plan,
        pub=publication.summary(engine(), comp.id),
        blockers=blockers_of(engine(), comp.id, names=seen.names),
    )


def _lock(comp):  # noqa: ANN001, ANN202
    """Lock a stage: without ``confirm=1`` the confirmation page with what is still missing;
    with it, the lock (incomplete allowed, the counts recorded) and a message with the way back."""
    stage = request.form.get("stage", "")
    names = access.console_view(comp).names
    found = blockers_of(engine(), comp.id, stage_code=stage, names=names)
    name = next(
        (st.name or st.code for st in publication.summary(engine(), comp.id)["stages"] if st.code == stage), None
    )
    if name is None:
        abort(404)
    paper = paper_queue.counts_of(engine(), comp.id, stage)  # paper sheets of the stage not yet settled
    incomplete = not found["is_clear"] or bool(paper["pending"] or paper["conflict"])
    counts = _(
        "%(n)s contestants still incomplete, %(m)s marks missing",
        n=found["contestants_incomplete"],
        m=found["marks_missing"],
    )
    if found["missing_panels"]:
        counts += "; " + _("groups without a panel: %(n)s", n=len(found["missing_panels"]))
    if paper["pending"] or paper["conflict"]:
        counts += "; " + _(
            "paper sheets: %(n)s waiting for the independent entry, %(c)s in conflict",
            n=paper["pending"],
            c=paper["conflict"],
        )
    if not confirmed():
        facts = [
            counts if incomplete else _("Every expected mark of stage %(stage)s is in.", stage=name),
            _(
                "Locking makes the stage final: the tablets take no more marks for it, boards waiting for the lock "
                "show it, and once every stage is locked the identities can be revealed and the results published."
            ),
        ]
        return ask(
            comp,
            title=_("Lock stage %(stage)s?", stage=name),
            facts=facts,
            warning=_("Publication stays refused while any mark is missing: missing is not zero.")
            if incomplete
            else "",
            undo=_("The chief judge or the organizer can unlock it again on the review page, with a reason (audited)."),
            button=_("Lock %(stage)s anyway", stage=name) if incomplete else _("Lock %(stage)s", stage=name),
            test="confirm-lock",
            fields={"action": "lock", "stage": stage},
            cancel=url_for("admin.review", slug=comp.slug),
            blockers=found,
        )
    publication.set_stage_state(engine(), comp.id, stage, True, actor(), allow_incomplete=True)
    done(
        _("Stage %(stage)s is locked (%(counts)s).", stage=name, counts=counts)
        if incomplete
        else _("Stage %(stage)s is locked; every expected mark was in.", stage=name),
        (
            _("Undo: unlock %(stage)s with a reason", stage=name),
            url_for("admin.review", slug=comp.slug) + f"#stage-{stage}",
        ),
    )
    return back("admin.review", comp.slug)


@bp.route("/c/<slug>/publish", methods=["GET", "POST"])
@access.rule(read=access.ORGANIZER, write=access.ORGANIZER)
def publish(slug: str):
    comp = competition_or_404(slug)
    if request.method == "POST":
        try:
            days = parse_integer(request.form.get("notice_days", publication.DEFAULT_NOTICE_DAYS), "notice_days")
        except InvalidInput:
            days = -1  # the service says why
        if not confirmed():
            return _ask_publish(comp, days)
        try:
            n = publication.publish(engine(), comp.id, actor(), notice_days=days, base_url=base_url())
        except InvalidInput as exc:
            flash("; ".join(p["message"] for p in problems_of(exc)), "error")
            return back("admin.publish", slug)
        done(_("Result version %(n)s is published.", n=n))
        return back("admin.publish", slug)
    versions = publication.versions(engine(), comp.id)
    diffs = {
        v.number: publication.diff(versions[i - 1].content if i else None, v.content) for i, v in enumerate(versions)
    }
    current = publication.current_report(engine(), comp.id)
    return render_template(
        "admin/publish.html",
        comp=comp,
        versions=versions,
        diffs=diffs,
        pub=publication.summary(engine(), comp.id),
        groups=current["groups"],
        teams=current.get("team_standings", []),
        stages=publication.summary(engine(), comp.id)["stages"],
        scopes={v.number: staged.scope_text(v, select_locale()) for v in versions if v.scope},
        blockers=blockers_of(engine(), comp.id, need_locked=True, names=access.console_view(comp).names),
        reveal_needed=reveal_needed(comp.id),
    )


def reveal_needed(cid: int) -> bool:
    from scoring.services.results import identities_revealed

    return not identities_revealed(engine(), cid)


def _ask_publish(comp, days: int):  # noqa: ANN001, ANN202
    """The confirmation of a publication, after the same refusals as the publication itself."""
    if not 0 <= days <= 60:
        flash(_("The notice period is 0 to 60 days."), "error")
        return back("admin.publish", comp.slug)
    p = publication.preview(engine(), comp.id)  # a refusal goes back to the page with its reason
    facts = [
        _(
            "Version %(n)s makes public the results of %(c)s contestants in %(g)s groups, with %(a)s awards.",
            n=p["number"],
            c=p["contestants"],
            g=p["groups"],
            a=p["awards"],
        )
    ]
    if p["first"]:
        facts.append(_("A certificate is issued for each award; the public notice (公示) runs %(d)s days.", d=days))
    else:
        facts.append(
            _(
                "%(n)s changes for %(c)s contestants against the current version; certificates whose award "
                "changed are revoked and reissued.",
                n=p["changes"],
                c=p["changed_contestants"],
            )
        )
    return ask(
        comp,
        title=_("Publish result version %(n)s?", n=p["number"]),
        facts=facts,
        warning=_("A published version is never withdrawn: a correction is published as the next version."),
        button=_("Publish version %(n)s", n=p["number"]),
        test="confirm-publish",
        fields={"notice_days": days},
        cancel=url_for("admin.publish", slug=comp.slug),
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
            elif f.get("action") == "uphold" and not confirmed():
                return _ask_uphold(comp, f)
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


def _ask_uphold(comp, f):  # noqa: ANN001, ANN202
    """Upholding publishes the next version and may revoke certificates: say so, then confirm."""
    from scoring.certificates.service import certificates

    latest = publication.summary(engine(), comp.id)["latest"]
    n = (latest.number if latest else 0) + 1
    who = f.get("c_contestant", "").strip()
    valid = [c for c in certificates(engine(), comp.id) if c.contestant == who and c.state == "valid"]
    facts = [_("Upholding appeal #%(id)s publishes result version %(n)s.", id=f.get("appeal_id", ""), n=n)]
    if f.get("c_value", "").strip():
        facts.append(
            _(
                "Correction: %(contestant)s · %(aspect)s · %(judge)s → %(value)s.",
                contestant=who,
                aspect=f.get("c_aspect", ""),
                judge=f.get("c_judge", ""),
                value=f.get("c_value", ""),
            )
        )
    if who:
        facts.append(
            _(
                "%(k)s valid certificates of %(contestant)s: revoked and reissued if their award changes; a revoked "
                "certificate keeps its number and says why.",
                k=len(valid),
                contestant=who,
            )
        )
    keep = ("appeal_id", "decision", "c_contestant", "c_aspect", "c_judge", "c_value")
    return ask(
        comp,
        title=_("Uphold appeal #%(id)s?", id=f.get("appeal_id", "")),
        facts=facts,
        warning=_("A published version is never withdrawn: a correction is published as the next version."),
        button=_("Uphold and publish version %(n)s", n=n),
        test="confirm-uphold",
        fields={"action": "uphold", **{k: f.get(k, "") for k in keep}},
        cancel=url_for("admin.appeals", slug=comp.slug),
    )
