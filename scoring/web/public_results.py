"""Public pages of the results: published versions, the 公示 objection form, the draw check and
certificate verification. Nothing here shows ID numbers, phone numbers or raw judge marks."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from scoring.certificates import service as certs
from scoring.document.team_report import localized
from scoring.errors import InvalidInput, Refused
from scoring.labels import zone_label
from scoring.services import appeals, exports, publication
from scoring.services import draw as draw_svc
from scoring.spreadsheet import attachment
from scoring.web import access, public_cache
from scoring.web.common import competition_or_404, engine
from scoring.web.inputs import whole
from scoring.web.locale import select_locale, select_timezone
from scoring.web.responses import error_response

bp = Blueprint("public_results", __name__)


@bp.errorhandler(Refused)
def _refused(exc: Refused):
    """A refusal from a service (an unknown group or team standing of an export) in its own status."""
    return error_response(exc.status, exc.message(select_locale()), code=exc.msgid)


def _version(cid: int, number: int | None):
    versions = publication.versions(engine(), cid)
    if not versions:
        return None, None, versions
    if number is None:
        v = versions[-1]
    else:
        v = next((x for x in versions if x.number == number), None)
        if v is None:
            abort(404)
    prev = next((x for x in versions if x.number == v.number - 1), None)
    return v, prev, versions


@bp.route("/results/<slug>", methods=["GET", "POST"])
@bp.get("/results/<slug>/v<int:number>")
@access.rule(read=access.ANYONE, write=access.ANYONE)  # the public objection form (公示)
def results(slug: str, number: int | None = None):
    comp = competition_or_404(slug)
    problems = []
    if request.method == "POST":
        f = request.form
        try:
            appeals.file_appeal(
                engine(),
                comp.id,
                f.get("contestant", "").strip(),
                f.get("filed_by", ""),
                f.get("contact", ""),
                f.get("text", ""),
                "public",
            )
            flash(_("Your objection was received; the organizer will decide on it."))
            return redirect(url_for("public_results.results", slug=slug))
        except InvalidInput as exc:
            problems = exc.report(select_locale())
        except Refused as exc:
            problems = [{"field": "", "message": exc.message(select_locale())}]
    v, prev, versions = _version(comp.id, number)
    changes = publication.diff(prev.content, v.content) if v is not None and prev is not None else []
    latest = versions[-1] if versions else None
    decided = [a for a in appeals.appeals(engine(), comp.id) if a.state != "filed"]
    teams = localized(v.content.get("team_standings", []), select_locale()) if v is not None else []
    return render_template(
        "public/results.html",
        comp=comp,
        v=v,
        prev=prev,
        versions=versions,
        changes=changes,
        latest=latest,
        notice_open=publication.notice_open(latest),
        problems=problems,
        decided=decided,
        teams=teams,
    ), (422 if problems else 200)


@bp.get("/results/<slug>/v<int:number>.json")
@access.rule(read=access.ANYONE)
def results_json(slug: str, number: int):
    comp = competition_or_404(slug)
    v, _prev, _all = _version(comp.id, number)
    if v is None:
        abort(404)
    return jsonify({"content": v.content, "content_hash": v.content_hash, "published_at": v.published_at.isoformat()})


@bp.get("/results/<slug>/export/<group>.<fmt>")
@access.rule(read=access.ANYONE)
def public_export(slug: str, group: str, fmt: str):
    return _published_sheet(
        slug,
        fmt,
        group,
        lambda v: exports.group_csv(v.content, group, True, select_locale()),
        lambda v, stamp: exports.group_xlsx(v.content, group, True, stamp, select_locale()),
    )


@bp.get("/results/<slug>/teams/<name>.<fmt>")
@access.rule(read=access.ANYONE)
def public_team_export(slug: str, name: str, fmt: str):
    """One team standing (团体总分, ``name`` is its code) of a published version, as CSV or XLSX."""
    return _published_sheet(
        slug,
        fmt,
        f"teams-{name}",
        lambda v: exports.team_csv(v.content, name, select_locale()),
        lambda v, stamp: exports.team_xlsx(v.content, name, stamp, select_locale()),
    )


def _published_sheet(slug: str, fmt: str, what: str, as_csv, as_xlsx) -> Response:
    """A published version (``?v=``, else the newest) as a CSV or XLSX download named after ``what``;
    of a competition of more than ``JOB_INLINE_ROWS`` contestants, from the version's files
    (``public_cache``)."""
    comp = competition_or_404(slug)
    if fmt in ("csv", "xlsx") and public_cache.is_big(comp.id):
        return public_cache.sheet(comp, fmt, what)
    v, _prev, _all = _version(comp.id, request.args.get("v", type=whole))
    if v is None:
        abort(404)
    name = f"{slug}-{what}-v{v.number}"
    if fmt == "csv":
        return Response(as_csv(v), mimetype="text/csv", headers=attachment(f"{name}.csv"))
    if fmt == "xlsx":
        return Response(
            as_xlsx(v, {"number": v.number, "hash": v.content_hash}),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers=attachment(f"{name}.xlsx"),
        )
    abort(404)


@bp.get("/draw/<slug>")
@access.rule(read=access.ANYONE)
def draw(slug: str):
    comp = competition_or_404(slug)
    return render_template(
        "public/draw.html",
        comp=comp,
        state=draw_svc.state(engine(), comp.id),
        tz=zone_label(select_timezone(), select_locale()),
    )


@bp.get("/draw/<slug>/map.json")
@access.rule(read=access.ANYONE)
def draw_map(slug: str):
    comp = competition_or_404(slug)
    data = draw_svc.revealed_map(engine(), comp.id)
    if data is None:
        abort(404)
    return Response(
        data, mimetype="application/json", headers={"Content-Disposition": f"attachment; filename={slug}-draw-map.json"}
    )


@bp.get("/verify/<serial>")
@access.rule(read=access.ANYONE)
def verify(serial: str):
    found = certs.lookup(engine(), serial)
    if found is None:
        return render_template("public/verify.html", cert=None, comp=None, serial=serial), 404
    cert, comp = found
    return render_template("public/verify.html", cert=cert, comp=comp, serial=serial)
