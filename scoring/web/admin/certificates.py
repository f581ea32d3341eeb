"""Certificates (荣誉证书): templates with a seal, one certificate as PDF, and batches built in
the background with a progress page."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from scoring.certificates import service as certs
from scoring.errors import InvalidInput
from scoring.services import publication
from scoring.web import access, uploads
from scoring.web.admin import jobs
from scoring.web.admin.common import actor, back, base_url, bp, problems_of
from scoring.web.common import competition_or_404, engine


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
    return render_template(
        "admin/certificates.html",
        comp=comp,
        certificates=certs.certificates(engine(), comp.id),
        templates=certs.templates(engine(), comp.id),
        groups=groups,
        problems=problems,
    ), (422 if problems else 200)


@bp.get("/c/<slug>/certificates/<serial>.pdf")
@access.rule(read=access.ORGANIZER)
def certificate_pdf(slug: str, serial: str):
    comp = competition_or_404(slug)
    data = certs.certificate_pdf(engine(), comp.id, serial, base_url())
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=certificate-{serial}.pdf"},
    )


@bp.post("/c/<slug>/certificates/batch")
@access.rule(read=access.NOBODY, write=access.ORGANIZER)
def certificate_batch(slug: str):
    comp = competition_or_404(slug)
    group = request.form.get("group") or None
    name = f"{slug}-{group or 'all'}-certificates.pdf"
    job = certs.start_batch(engine(), comp.id, group, base_url(), jobs.directory(), name)
    return redirect(url_for("admin.job", slug=slug, job_id=job.id))


@bp.get("/c/<slug>/certificates/jobs/<job_id>")
@access.rule(read=access.ORGANIZER)
def certificate_job(slug: str, job_id: str):
    """A batch's progress (the address it had before every heavy job had one: ``admin.job``)."""
    return jobs.job(slug, job_id)


@bp.get("/c/<slug>/certificates/jobs/<job_id>/file")
@access.rule(read=access.ORGANIZER)
def certificate_job_file(slug: str, job_id: str):
    return jobs.job_file(slug, job_id)
