"""Organizer console, after marking: lock, review (复核), publish, appeals, exports, certificates."""
from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from scoring.certificates import service as certs
from scoring.certificates.render import results_sheet_pdf
from scoring.errors import InvalidInput
from scoring.rules.numbers import parse_integer
from scoring.services import exports, publication, results
from scoring.spreadsheet import attachment
from scoring.web import access, uploads
from scoring.web.admin.setup import actor, back, base_url, bp, problems_of
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import form_id, whole

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/c/<slug>/review", methods=["GET", "POST"])
@access.rule(read=access.STAFF, write=access.CHIEF)
def review(slug: str):
    comp = competition_or_404(slug)
    if request.method == "POST":
        action = request.form.get("action")
        if action == "finding":
            contestant = results.contestant_code(engine(), comp.id, request.form.get("contestant", ""))
            publication.record_finding(engine(), comp.id, contestant,
                                       request.form.get("error") == "1", request.form.get("note", ""), actor())
        elif action in ("lock", "unlock"):
            try:
                publication.set_stage_state(engine(), comp.id, request.form.get("stage", ""), action == "lock", actor(),
                                            request.form.get("reason", ""))
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
            days = -1   # the service says why
        try:
            n = publication.publish(engine(), comp.id, actor(), notice_days=days, base_url=base_url())
        except InvalidInput as exc:
            flash("; ".join(p["message"] for p in problems_of(exc)), "error")
            return back("admin.publish", slug)
        flash(_("Result version %(n)s is published.", n=n))
        return back("admin.publish", slug)
    versions = publication.versions(engine(), comp.id)
    diffs = {v.number: publication.diff(versions[i - 1].content if i else None, v.content) for i, v in enumerate(versions)}
    return render_template("admin/publish.html", comp=comp, versions=versions, diffs=diffs,
                           pub=publication.summary(engine(), comp.id),
                           groups=publication.current_report(engine(), comp.id)["groups"])


@bp.route("/c/<slug>/appeals", methods=["GET", "POST"])
@access.rule(read=access.ORGANIZER, write=access.ORGANIZER)
def appeals(slug: str):
    comp = competition_or_404(slug)
    problems = []
    if request.method == "POST":
        f = request.form
        try:
            if f.get("action") == "file":
                publication.file_appeal(engine(), comp.id, f.get("contestant", "").strip(), f.get("filed_by", ""),
                                        f.get("contact", ""), f.get("text", ""), actor())
                flash(_("The objection was recorded."))
            else:
                corrections = []
                if f.get("c_contestant") or f.get("c_value"):
                    corrections.append((f.get("c_contestant", "").strip(), f.get("c_aspect", "").strip(),
                                        f.get("c_judge", "").strip(), f.get("c_value", "").strip()))
                n = publication.decide_appeal(engine(), comp.id, form_id("appeal_id"), f.get("action") == "uphold",
                                              f.get("decision", ""), actor(), corrections, base_url())
                flash(_("Upheld; result version %(n)s is published.", n=n) if n else _("Decision recorded."))
            return back("admin.appeals", slug)
        except InvalidInput as exc:
            problems = problems_of(exc)
        except ValueError:
            abort(400)
    return render_template("admin/appeals.html", comp=comp, appeals=publication.appeals(engine(), comp.id),
                           pub=publication.summary(engine(), comp.id), problems=problems), (422 if problems else 200)


# --------------------------------------------------------------------------- exports


def _report_and_version(cid: int, version: int | None):
    if version:
        for v in publication.versions(engine(), cid):
            if v.number == version:
                return v.content, {"number": v.number, "hash": v.content_hash}
        abort(404)
    return publication.current_report(engine(), cid), None


@bp.get("/c/<slug>/export/<group>.<fmt>")
@access.rule(read=access.ORGANIZER)
def export(slug: str, group: str, fmt: str):
    comp = competition_or_404(slug)
    version = request.args.get("v", type=whole)
    public = request.args.get("public") == "1"
    report, ver = _report_and_version(comp.id, version)
    name = f"{slug}-{group}{'-public' if public else ''}{f'-v{version}' if version else ''}"
    if fmt == "csv":
        return Response(exports.group_csv(report, group, public), mimetype="text/csv",
                        headers=attachment(f"{name}.csv"))
    if fmt == "xlsx":
        return Response(exports.group_xlsx(report, group, public, ver), mimetype=XLSX,
                        headers=attachment(f"{name}.xlsx"))
    if fmt == "pdf":
        one = {**report, "groups": [g for g in report["groups"] if g["code"] == group]}
        if not one["groups"]:
            abort(404)
        judges, chief = exports.judges_of(engine(), comp.id)
        return Response(results_sheet_pdf(one, ver, judges, chief), mimetype="application/pdf",
                        headers={"Content-Disposition": f"inline; filename={name}.pdf"})
    abort(404)


# --------------------------------------------------------------------------- certificates


@bp.route("/c/<slug>/certificates", methods=["GET", "POST"])
@access.rule(read=access.ORGANIZER, write=access.ORGANIZER)
@uploads.limit("MAX_IMAGE_BYTES")
def certificates(slug: str):
    comp = competition_or_404(slug)
    problems = []
    if request.method == "POST":
        upload = request.files.get("seal")
        seal = uploads.image(upload)
        try:
            certs.save_template(engine(), comp.id, request.form.get("award", ""), request.form.to_dict(), seal, actor())
            flash(_("Saved."))
            return back("admin.certificates", slug)
        except InvalidInput as exc:
            problems = problems_of(exc)
    groups = publication.current_report(engine(), comp.id)["groups"]
    return render_template("admin/certificates.html", comp=comp, certificates=certs.certificates(engine(), comp.id),
                           templates=certs.templates(engine(), comp.id), groups=groups, problems=problems), \
        (422 if problems else 200)


@bp.get("/c/<slug>/certificates/<serial>.pdf")
@access.rule(read=access.ORGANIZER)
def certificate_pdf(slug: str, serial: str):
    comp = competition_or_404(slug)
    data = certs.certificate_pdf(engine(), comp.id, serial, base_url())
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=certificate-{serial}.pdf"})


@bp.post("/c/<slug>/certificates/batch")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def certificate_batch(slug: str):
    comp = competition_or_404(slug)
    group = request.form.get("group") or None
    out = Path(current_app.instance_path) / "certificates"
    job = certs.start_batch(engine(), comp.id, group, base_url(), out, f"{slug}-{group or 'all'}-certificates.pdf")
    return redirect(url_for("admin.certificate_job", slug=slug, job_id=job.id))


@bp.get("/c/<slug>/certificates/jobs/<job_id>")
@access.rule(read=access.ORGANIZER)
def certificate_job(slug: str, job_id: str):
    comp = competition_or_404(slug)
    job = certs.job(job_id)
    if job is None:
        abort(404)
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        return jsonify({"total": job.total, "done": job.done, "state": job.state, "error": job.error,
                        "download": url_for("admin.certificate_job_file", slug=slug, job_id=job.id)})
    return render_template("admin/certificate_job.html", comp=comp, job=job)


@bp.get("/c/<slug>/certificates/jobs/<job_id>/file")
@access.rule(read=access.ORGANIZER)
def certificate_job_file(slug: str, job_id: str):
    competition_or_404(slug)
    job = certs.job(job_id)
    if job is None or job.state != "done":
        abort(404)
    return send_file(job.path, mimetype="application/pdf", as_attachment=True, download_name=job.filename)
