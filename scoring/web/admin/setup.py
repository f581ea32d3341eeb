"""The organizer console before marking: competitions (list, import, overview, document),
set-up, contestants, recusals (回避) and the draw (抽签/加密).

Why thin: each POST calls one service function (one transaction) and redirects; a refusal or
bad input is shown on the page it came from, translated, and changes nothing.
"""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import InvalidInput
from scoring.i18n import N_
from scoring.services import draw as draw_svc
from scoring.services import imports, results
from scoring.services import setup as setup_svc
from scoring.services.blockers import blockers_of
from scoring.services.seats import panel_list
from scoring.web import access, auth, uploads
from scoring.web.admin import jobs, replace
from scoring.web.admin.common import actor, ask, back, bp, done, problems_of
from scoring.web.admin.monitor import progress
from scoring.web.admin.simulate import is_demo
from scoring.web.common import competition_or_404, engine, standings_for
from scoring.web.inputs import confirmed, form_id
from scoring.web.locale import select_locale


@bp.get("/")
@access.rule(read=access.STAFF)
def index():
    with reading(engine()) as s:
        comps = [
            c
            for c in s.exec(select(m.Competition).order_by(m.Competition.id.desc()))
            if access.in_scope(auth.current_user(), c.id)
        ]
    return render_template("admin/index.html", competitions=comps)


@bp.post("/import")
@access.rule(read=access.NOBODY, write=access.INSTALLATION)
@uploads.limit("MAX_CONTENT_LENGTH")
def import_document():
    """A whole portable document (scheme, stages, weights, people) as a new or replacing competition.
    Replacing an existing competition asks first, with what it holds (``admin.replace``)."""
    from scoring.services.transfer import import_document as do_import

    token = request.form.get("staged", "")
    try:
        if token and confirmed():
            data, name = replace.staged(token), request.form.get("name", "document.json")
            if data is None:
                raise InvalidInput(
                    setup_svc.Problem("document", N_("The upload has expired; upload the document again."))
                )
        else:
            upload = request.files.get("document")
            if upload is None or not upload.filename:
                raise InvalidInput(setup_svc.Problem("document", N_("Choose a file to upload.")))
            data, name = upload.read(), uploads.filename(upload)
        # a bad document is refused in the child process, however many problems it has
        raw = uploads.read_off_loop("scoring.document.bounds:read_upload", data, name)
        wanted = bool(request.form.get("replace"))
        existing = _existing(raw["competition"]["slug"]) if wanted else None
        if existing is not None and not confirmed():
            return _ask_replace(existing, raw, replace.stage(data), name)
        if jobs.is_many(len(raw.get("contestants", [])) + len(raw.get("marks", []))):  # written by a child process
            args = (jobs.database_url(), raw, actor(), wanted, confirmed())
            answer = jobs.start(None, "document-import", imports.document_file, *args)
            replace.drop(token)
            return answer
        cid = do_import(engine(), raw, actor=actor(), replace=wanted, keep_history=confirmed())
    except InvalidInput as exc:
        with reading(engine()) as s:
            comps = list(s.exec(select(m.Competition).order_by(m.Competition.id.desc())))
        return render_template("admin/index.html", competitions=comps, problems=problems_of(exc)), 422
    replace.drop(token)
    with reading(engine()) as s:
        slug = s.get(m.Competition, cid).slug
    if existing is not None:
        done(_("The competition %(slug)s was replaced by the imported document.", slug=slug))
    else:
        flash(_("The competition was imported."))
    return back("admin.overview", slug)


def _existing(slug: str) -> m.Competition | None:
    with reading(engine()) as s:
        return s.exec(select(m.Competition).where(m.Competition.slug == slug)).first()


def _ask_replace(comp: m.Competition, raw: dict, token: str, name: str):  # noqa: ANN202
    from scoring.services.holdings import holdings

    now = holdings(engine(), comp.id)
    return ask(
        comp,
        title=_("Replace the competition %(name)s?", name=comp.name),
        facts=[
            _(
                "It now holds %(c)s contestants, %(k)s stored marks, %(v)s published result versions and "
                "%(z)s valid certificates.",
                c=now["contestants"],
                k=now["marks"],
                v=now["versions"],
                z=now["certificates"],
            ),
            _(
                "Its set-up, people and marks are replaced by the document's: %(c)s contestants and %(k)s marks.",
                c=len(raw.get("contestants", [])),
                k=len(raw.get("marks", [])),
            ),
            _("Judges' tablets signed in to it are asked to sign in again; their unsent marks wait."),
            _("Its published result versions and issued certificates are kept: every serial still verifies."),
        ],
        warning=_("The set-up, people and marks it holds now cannot be restored except from a downloaded document."),
        button=_("Replace %(slug)s", slug=comp.slug),
        links=[(_("Download the current document (JSON)"), url_for("admin.export_document", slug=comp.slug))],
        test="confirm-replace",
        fields={"replace": "1", "staged": token, "name": name},
        cancel=url_for("admin.index"),
    )


@bp.get("/c/<slug>")
@access.rule(read=access.STAFF)
def overview(slug: str):
    from scoring.services import publication

    comp = competition_or_404(slug)
    seen = access.console_view(comp)
    payload = standings_for(comp, seen.audience)
    return render_template(
        "admin/overview.html",
        comp=comp,
        payload=payload,
        blockers=blockers_of(engine(), comp.id, names=seen.names, limit=10),
        progress=progress(comp.id),
        pub=publication.summary(engine(), comp.id),
        draw=draw_svc.state(engine(), comp.id),
        demo=is_demo(comp),
    )


# --------------------------------------------------------------------------- set-up


@bp.route("/c/<slug>/setup", methods=["GET", "POST"])
@access.rule(read=access.STAFF, write=access.ORGANIZER)
def setup(slug: str):
    comp = competition_or_404(slug)
    problems = []
    if request.method == "POST":
        what = request.form.get("what")
        try:
            if what == "competition":
                setup_svc.update_competition(engine(), comp.id, request.form.to_dict(), actor())
            elif what == "group":
                setup_svc.add_group(
                    engine(), comp.id, request.form.get("code", ""), request.form.get("name", ""), actor()
                )
            elif what == "judge":
                setup_svc.add_judge(engine(), comp.id, request.form.to_dict(), actor())
            elif what == "aspect":
                setup_svc.update_aspect(
                    engine(),
                    comp.id,
                    request.form.get("code", ""),
                    request.form.get("name", ""),
                    request.form.get("max_mark", ""),
                    actor(),
                )
            else:
                abort(400)
            flash(_("Saved."))
            return back("admin.setup", slug)
        except InvalidInput as exc:
            problems = problems_of(exc)
        comp = competition_or_404(slug)
    with reading(engine()) as s:
        groups = list(s.exec(select(m.Group).where(m.Group.competition_id == comp.id).order_by(m.Group.position)))
        stages = list(s.exec(select(m.Stage).where(m.Stage.competition_id == comp.id).order_by(m.Stage.position)))
        judges = list(s.exec(select(m.Judge).where(m.Judge.competition_id == comp.id).order_by(m.Judge.id)))
        aspects = list(s.exec(select(m.Aspect).where(m.Aspect.competition_id == comp.id).order_by(m.Aspect.position)))
        panels = panel_list(s, comp.id, select_locale())
    return render_template(
        "admin/setup.html",
        comp=comp,
        groups=groups,
        stages=stages,
        judges=judges,
        aspects=aspects,
        panels=panels,
        problems=problems,
    ), (422 if problems else 200)


@bp.route("/c/<slug>/contestants", methods=["GET", "POST"])
@access.rule(read=access.STAFF, write=access.ORGANIZER)
@uploads.limit("MAX_SHEET_BYTES")
def contestants(slug: str):
    comp = competition_or_404(slug)
    problems = []
    if request.method == "POST":
        upload = request.files.get("sheet")
        try:
            if upload is None or not upload.filename:
                raise InvalidInput(setup_svc.Problem("sheet", N_("Choose a file to upload.")))
            name = uploads.filename(upload)
            read = uploads.read_off_loop(
                "scoring.services.roster:read_contestants", name, upload.read(), uploads.sheet_limits()
            )
            if not read[1] and jobs.is_many(len(read[0])):  # written by a child process (web.admin.jobs)
                return jobs.start(
                    comp, "import", imports.contestants_file, jobs.database_url(), comp.id, name, read, actor()
                )
            n = setup_svc.import_contestants(engine(), comp.id, name, b"", actor(), run=lambda *_: read)
            flash(_("%(n)s contestants were imported.", n=n))
            return back("admin.contestants", slug)
        except InvalidInput as exc:
            problems = problems_of(exc)
    seen = access.console_view(comp)
    rows = []
    if seen.names:  # before the reveal the list of people is the other half of the code map
        with reading(engine()) as s:
            rows = s.exec(
                select(m.Contestant, m.Group)
                .join(m.Group, m.Group.id == m.Contestant.group_id)
                .where(m.Contestant.competition_id == comp.id)
                .order_by(m.Contestant.id)
            ).all()
    from scoring.services.roster import header_names

    page = render_template(
        "admin/contestants.html",
        comp=comp,
        rows=rows,
        seen=seen,
        problems=problems,
        sheet_columns=header_names(select_locale()),
        team_groups=team_groups(comp.id),
    )
    return page, (422 if problems else 200)


def team_groups(cid: int) -> list[str]:
    """The names of the competition's team events (their lists need a team column)."""
    with reading(engine()) as s:
        groups = s.exec(select(m.Group).where(m.Group.competition_id == cid).order_by(m.Group.position))
        return [g.name for g in groups if g.team is not None]


@bp.get("/c/<slug>/contestants/template.<kind>")
@access.rule(read=access.ORGANIZER)
def contestant_template(slug: str, kind: str):
    if kind not in ("xlsx", "csv"):
        abort(404)
    mime = "text/csv" if kind == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        setup_svc.template_bytes(kind),
        mimetype=mime,
        headers={"Content-Disposition": f"attachment; filename=contestants-template.{kind}"},
    )


@bp.route("/c/<slug>/recusals", methods=["GET", "POST"])
@access.rule(read=access.STAFF, write=access.ORGANIZER)
def recusals(slug: str):
    comp = competition_or_404(slug)
    if request.method == "POST":
        f = request.form
        try:
            if f.get("action") == "apply_all":
                setup_svc.apply_suggested_recusals(engine(), comp.id, actor())
            else:
                setup_svc.set_recusal(
                    engine(),
                    comp.id,
                    form_id("judge_id"),
                    form_id("contestant_id"),
                    f.get("action") == "add",
                    f.get("reason", ""),
                    actor(),
                )
        except ValueError:
            abort(400)
        flash(_("Saved."))
        return back("admin.recusals", slug)
    with reading(engine()) as s:
        current = s.exec(
            select(m.Recusal, m.Judge, m.Contestant)
            .join(m.Judge, m.Judge.id == m.Recusal.judge_id)
            .join(m.Contestant, m.Contestant.id == m.Recusal.contestant_id)
            .where(m.Recusal.competition_id == comp.id)
            .order_by(m.Recusal.id)
        ).all()
    seen = access.console_view(comp)
    return render_template(
        "admin/recusals.html",
        comp=comp,
        current=current,
        seen=seen,
        labels={} if seen.names else results.draw_labels(engine(), comp.id),
        suggestions=setup_svc.suggest_recusals(engine(), comp.id) if seen.names else [],
    )


# --------------------------------------------------------------------------- draw (抽签/加密)


@bp.route("/c/<slug>/draw", methods=["GET", "POST"])
@access.rule(read=access.STAFF, write=access.ORGANIZER)
def draw(slug: str):
    comp = competition_or_404(slug)
    if request.method == "POST":
        action = request.form.get("action")
        if action == "draw":
            draw_svc.draw_lots(engine(), comp.id, actor(), seed=(request.form.get("seed") or "").strip() or None)
            flash(_("Lots drawn; the hash of the code map is now on the public page."))
        elif action == "seal":
            draw_svc.seal(engine(), comp.id, actor())
            flash(_("The hash of the code map is now on the public page."))
        elif action == "reveal":
            if not confirmed():
                n = draw_svc.reveal_preview(engine(), comp.id)  # refused as the reveal would be
                return ask(
                    comp,
                    title=_("Reveal the identities?"),
                    facts=[
                        _("The names behind %(n)s anonymous codes become visible in the console and on boards.", n=n),
                        _("The code map and its seed become public on the draw page, to be checked against the hash."),
                    ],
                    warning=_("A reveal cannot be undone: once public, the map stays public."),
                    button=_("Reveal %(n)s identities", n=n),
                    test="confirm-reveal",
                    fields={"action": "reveal"},
                    cancel=url_for("admin.draw", slug=slug),
                )
            draw_svc.reveal(engine(), comp.id, actor())
            done(_("Identities revealed; the map is public and can be checked against the hash."))
        else:
            abort(400)
        return back("admin.draw", slug)
    state = draw_svc.state(engine(), comp.id)
    with reading(engine()) as s:
        entries = s.exec(
            select(m.DrawEntry, m.Contestant)
            .join(m.Contestant, m.Contestant.id == m.DrawEntry.contestant_id)
            .where(m.DrawEntry.competition_id == comp.id)
            .order_by(m.DrawEntry.code)
        ).all()
        marks_begun = s.exec(select(m.Mark.id).where(m.Mark.competition_id == comp.id).limit(1)).first() is not None
        locked = draw_svc.all_stages_locked(s, comp.id)
        unlocked = [
            st
            for st in s.exec(select(m.Stage).where(m.Stage.competition_id == comp.id).order_by(m.Stage.position))
            if st.state != "locked"
        ]
    return render_template(
        "admin/draw.html",
        comp=comp,
        state=state,
        entries=entries,
        marks_begun=marks_begun,
        locked=locked,
        unlocked=unlocked,
        seen=access.console_view(comp),
    )
