"""Heavy work of the organizer console as jobs (``scoring.jobs``): start one, watch its progress,
download its result.

Why: an export of 10,000 rows, a document dump, a certificate batch or a big import must not stop
the tablets and boards served by the same process. A heavy route calls ``start`` and answers at
once with a redirect to the job's page (or, asked for JSON, ``202`` with the job's address); the
page polls ``GET …/jobs/<id>?format=json`` and shows a download link or what the job says when
it is done. Small work (a competition of at most ``JOB_INLINE_ROWS`` contestants, an upload of
at most ``JOB_INLINE_BYTES``) is still answered in the request: it costs milliseconds.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from sqlalchemy import func
from sqlmodel import select

from scoring import jobs
from scoring import models as m
from scoring.db import reading
from scoring.errors import Problem, ProblemReport
from scoring.i18n import N_, translate
from scoring.spreadsheet import attachment
from scoring.web import access
from scoring.web.admin.common import bp
from scoring.web.common import competition_or_404, engine
from scoring.web.locale import select_locale
from scoring.web.responses import wants_json

# What a job's page is titled, by the job's kind.
KINDS = {
    "export": N_("Results export"),
    "document": N_("Document download"),
    "certificates": N_("Batch PDF"),
    "import": N_("Contestant import"),
    "sheets": N_("Score sheets"),
    "tickets": N_("Admission tickets"),
    "debrief": N_("Judge debrief"),
    "document-import": N_("Document import"),
}
# Jobs the chief judge may watch and download too (the sheets are theirs to print); the others
# (results, personal data, imports) are the organizer's only.
CHIEF_KINDS = frozenset({"sheets", "debrief"})


FAILED = N_("The work stopped before it was done; try again, and if it fails again the server log says why.")


def directory() -> Path:
    return Path(current_app.instance_path) / "jobs"


def database_url() -> str:
    return engine().url.render_as_string(hide_password=False)


def is_many(rows: int, limit: str = "JOB_INLINE_ROWS") -> bool:
    """More rows (or pages: ``JOB_INLINE_SHEETS``) than a request may work through on the serving loop."""
    return rows > current_app.config.get(limit, 500 if limit == "JOB_INLINE_ROWS" else 20)


def is_big(cid: int) -> bool:
    """A competition of more contestants than a request may work through on the serving loop."""
    with reading(engine()) as s:
        n = s.exec(select(func.count()).select_from(m.Contestant).where(m.Contestant.competition_id == cid)).one()
    return is_many(n)


def start(comp: m.Competition | None, kind: str, fn, *args, filename: str = "", mimetype: str = ""):  # noqa: ANN001, ANN201
    """Run ``fn`` as a job of ``comp`` (None: of the installation, e.g. a whole document's import)
    and answer with where to watch it."""
    new = jobs.run_job(
        kind,
        fn,
        *args,
        competition_id=comp.id if comp is not None else 0,
        directory=directory(),
        filename=filename,
        mimetype=mimetype,
        seconds=current_app.config.get("JOB_SECONDS", jobs.SECONDS),
    )
    if comp is None:
        where = url_for("admin.installation_job", job_id=new.id)
    else:
        where = url_for("admin.job", slug=comp.slug, job_id=new.id)
    if wants_json() or request.args.get("format") == "json":
        return jsonify({"job": new.id, "status": where + "?format=json"}), 202, {"Location": where}
    return redirect(where, 303)


def job_of(comp: m.Competition, job_id: str) -> jobs.Job:
    found = jobs.job(directory(), job_id)
    if found is None or found.competition_id != comp.id:
        abort(404)
    if found.kind not in CHIEF_KINDS and not access.allows(access.ORGANIZER, comp.id):
        abort(404)
    return found


def status(comp: m.Competition | None, found: jobs.Job) -> dict:
    """What the page's poll reads: progress, state, and the outcome in the reader's language."""
    locale = select_locale()
    message = found.message
    problems = ProblemReport([Problem(**p) for p in found.problems], locale)
    return {
        "state": found.state,
        "done": found.done,
        "total": found.total,
        "message": translate(message["msgid"], locale, **message.get("params", {})) if message else "",
        "problems": [f"{p['field']}: {p['message']}" if p["field"] else p["message"] for p in problems],
        "more": problems.more_message,
        "error": translate(FAILED, locale) if found.error else "",
        "download": url_for("admin.job_file", slug=comp.slug, job_id=found.id) if comp and found.has_file else None,
    }


@bp.get("/c/<slug>/jobs/<job_id>")
@access.rule(read=access.CHIEF)  # a chief judge: only the jobs of ``CHIEF_KINDS`` (``job_of``)
def job(slug: str, job_id: str):
    comp = competition_or_404(slug)
    found = job_of(comp, job_id)
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        return jsonify(status(comp, found))
    return _page(comp, found, url_for("admin.job", slug=slug, job_id=job_id, format="json"))


@bp.get("/jobs/<job_id>")
@access.rule(read=access.INSTALLATION)
def installation_job(job_id: str):
    """A job of no competition (the import of a whole document): the installation's organizer's."""
    found = jobs.job(directory(), job_id)
    if found is None or found.competition_id != 0:
        abort(404)
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        return jsonify(status(None, found))
    return _page(None, found, url_for("admin.installation_job", job_id=job_id, format="json"))


def _page(comp: m.Competition | None, found: jobs.Job, poll: str):  # noqa: ANN202
    title = translate(KINDS.get(found.kind, N_("Job")), select_locale())
    return render_template("admin/job.html", comp=comp, job=found, status=status(comp, found), title=title, poll=poll)


@bp.get("/c/<slug>/jobs/<job_id>/file")
@access.rule(read=access.CHIEF)  # as ``job``
def job_file(slug: str, job_id: str):
    comp = competition_or_404(slug)
    found = job_of(comp, job_id)
    path = jobs.result_path(directory(), found)
    if not found.has_file or not path.exists():
        abort(404)
    answer = send_file(path, mimetype=found.mimetype, as_attachment=True, download_name=found.filename)
    answer.headers.update(attachment(found.filename))  # as the direct answer names it (non-ASCII names too)
    return answer
