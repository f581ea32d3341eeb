"""Result exports: one group's results as CSV, XLSX or a signed-off PDF sheet, and one team
standing as CSV or XLSX, current or of a published version."""

from __future__ import annotations

from flask import Response, abort, request

from scoring.certificates.render import results_sheet_pdf
from scoring.services import exports, publication
from scoring.spreadsheet import attachment
from scoring.web import access
from scoring.web.admin.common import bp
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import whole
from scoring.web.locale import select_locale

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        return Response(
            exports.group_csv(report, group, public, select_locale()),
            mimetype="text/csv",
            headers=attachment(f"{name}.csv"),
        )
    if fmt == "xlsx":
        return Response(
            exports.group_xlsx(report, group, public, ver, select_locale()),
            mimetype=XLSX,
            headers=attachment(f"{name}.xlsx"),
        )
    if fmt == "pdf":
        one = {**report, "groups": [g for g in report["groups"] if g["code"] == group]}
        if not one["groups"]:
            abort(404)
        judges, chief = exports.judges_of(engine(), comp.id)
        return Response(
            results_sheet_pdf(one, ver, judges, chief, select_locale()),
            mimetype="application/pdf",
            headers={"Content-Disposition": f"inline; filename={name}.pdf"},
        )
    abort(404)


@bp.get("/c/<slug>/teams/<name>.<fmt>")
@access.rule(read=access.ORGANIZER)
def team_export(slug: str, name: str, fmt: str):
    """One team standing (团体总分, ``name`` is its code), current or of a published version."""
    comp = competition_or_404(slug)
    version = request.args.get("v", type=whole)
    report, ver = _report_and_version(comp.id, version)
    file = f"{slug}-teams-{name}{f'-v{version}' if version else ''}"
    if fmt == "csv":
        return Response(
            exports.team_csv(report, name, select_locale()), mimetype="text/csv", headers=attachment(f"{file}.csv")
        )
    if fmt == "xlsx":
        return Response(
            exports.team_xlsx(report, name, ver, select_locale()), mimetype=XLSX, headers=attachment(f"{file}.xlsx")
        )
    abort(404)
