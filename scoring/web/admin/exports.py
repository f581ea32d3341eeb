"""Result exports: one group's results as CSV, XLSX or a signed-off PDF sheet, and one team
standing as CSV or XLSX, current or of a published version.

A competition of more than ``JOB_INLINE_ROWS`` contestants is exported by a job in a child
process (``web.admin.jobs``): the request answers at once with the job's page, which shows the
progress and then the download; the file is the same as the one answered directly."""

from __future__ import annotations

from flask import Response, abort, request

from scoring.certificates.render import results_sheet_pdf
from scoring.errors import NotFound
from scoring.services import exports
from scoring.spreadsheet import attachment
from scoring.web import access
from scoring.web.admin import jobs
from scoring.web.admin.common import bp
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import whole
from scoring.web.locale import select_locale

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIMETYPES = {"csv": "text/csv", "xlsx": XLSX, "pdf": "application/pdf"}


def _report_and_version(cid: int, version: int | None):
    try:
        return exports.report_of(engine(), cid, version)
    except NotFound:
        abort(404)


@bp.get("/c/<slug>/export/<group>.<fmt>")
@access.rule(read=access.ORGANIZER)
def export(slug: str, group: str, fmt: str):
    comp = competition_or_404(slug)
    if fmt not in MIMETYPES:
        abort(404)
    version = request.args.get("v", type=whole)
    public = request.args.get("public") == "1"
    name = f"{slug}-{group}{'-public' if public else ''}{f'-v{version}' if version else ''}.{fmt}"
    if jobs.is_big(comp.id):
        args = (jobs.database_url(), comp.id, "group", group, fmt, public, version, select_locale())
        return jobs.start(comp, "export", exports.export_file, *args, filename=name, mimetype=MIMETYPES[fmt])
    report, ver = _report_and_version(comp.id, version)
    if fmt == "pdf":
        one = {**report, "groups": [g for g in report["groups"] if g["code"] == group]}
        if not one["groups"]:
            abort(404)
        judges, chief = exports.judges_of(engine(), comp.id)
        return Response(
            results_sheet_pdf(one, ver, judges, chief, select_locale()),
            mimetype="application/pdf",
            headers={"Content-Disposition": f"inline; filename={name}"},
        )
    data = exports.sheet_file(report, "group", group, fmt, public, ver, select_locale())
    return Response(data, mimetype=MIMETYPES[fmt], headers=attachment(name))


@bp.get("/c/<slug>/teams/<name>.<fmt>")
@access.rule(read=access.ORGANIZER)
def team_export(slug: str, name: str, fmt: str):
    """One team standing (团体总分, ``name`` is its code), current or of a published version."""
    comp = competition_or_404(slug)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    version = request.args.get("v", type=whole)
    file = f"{slug}-teams-{name}{f'-v{version}' if version else ''}.{fmt}"
    if jobs.is_big(comp.id):
        args = (jobs.database_url(), comp.id, "team", name, fmt, False, version, select_locale())
        return jobs.start(comp, "export", exports.export_file, *args, filename=file, mimetype=MIMETYPES[fmt])
    report, ver = _report_and_version(comp.id, version)
    data = exports.sheet_file(report, "team", name, fmt, False, ver, select_locale())
    return Response(data, mimetype=MIMETYPES[fmt], headers=attachment(file))


@bp.get("/c/<slug>/document.json")
@access.rule(read=access.ORGANIZER)
def export_document(slug: str):
    from scoring.document import to_json
    from scoring.services.transfer import export_document as do_export

    comp = competition_or_404(slug)
    if jobs.is_big(comp.id):  # built and written in a child process (web.admin.jobs)
        return jobs.start(
            comp,
            "document",
            exports.document_file,
            jobs.database_url(),
            comp.id,
            filename=f"{slug}.json",
            mimetype="application/json",
        )
    data = to_json(do_export(engine(), comp.id, include_private=True))
    return Response(
        data, mimetype="application/json", headers={"Content-Disposition": f"attachment; filename={slug}.json"}
    )
