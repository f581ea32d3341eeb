"""Standings as JSON (and CSV), cut by the visibility policy for the asking audience.

This is also the snapshot endpoint boards re-fetch when they see a gap in versions.
"""

from __future__ import annotations

from flask import Response, abort, jsonify, request

from scoring.spreadsheet import attachment, csv_bytes, number
from scoring.visibility import Audience
from scoring.web import access
from scoring.web.api.blueprint import bp
from scoring.web.common import competition_or_404, standings_for


def _audience(cid: int) -> Audience:
    """Anyone may ask; what for is the visibility policy's question, with the competition scope."""
    try:
        audience = Audience(request.args.get("audience") or "public")
    except ValueError:
        abort(400)
    if not access.may_watch(audience, cid):
        abort(403)
    return audience


def _payload(slug: str) -> dict:
    comp = competition_or_404(slug)
    payload = standings_for(comp, _audience(comp.id))
    group = request.args.get("group")
    if group:
        payload = {**payload, "groups": [g for g in payload["groups"] if g["code"] == group]}
    return payload


@bp.get("/competitions/<slug>/standings")
@access.rule(read=access.ANYONE)
def standings(slug: str):
    return jsonify(_payload(slug))


@bp.get("/competitions/<slug>/standings.csv")
@access.rule(read=access.ANYONE)
def standings_csv(slug: str):
    """The same cut as a spreadsheet: exports obey the visibility policy too (cells via ``scoring.spreadsheet``)."""
    payload = _payload(slug)
    stages = payload["stages"]
    names = payload["view"]["names"]
    # a declared cross-group standardisation: its score beside the raw total
    scaled = any("standardised" in r for g in payload["groups"] for r in g["rows"])
    ranked = [s["code"] for s in stages if s.get("published")]  # a stage publication: its stage ranks
    rows = [
        [
            "group",
            "rank",
            "code",
            *(["name", "unit", "region"] if names else []),
            *[s["code"] for s in stages],
            *[f"{code}_rank" for code in ranked],
            "total",
            *(["standardised"] if scaled else []),
            "awards",
        ]
    ]
    for g in payload["groups"]:
        for r in g["rows"]:
            rows.append(
                [
                    g["code"],
                    number(r["rank"]),
                    r["code"],
                    *([r.get("name", ""), r.get("unit", ""), r.get("region", "")] if names else []),
                    *[number(r["stages"].get(s["code"])) for s in stages],
                    *[number((r.get("stage_ranks") or {}).get(code)) for code in ranked],
                    number(r["total"]),
                    *([number(r.get("standardised"))] if scaled else []),
                    " ".join(r["awards"]),
                ]
            )
    return Response(csv_bytes(rows), mimetype="text/csv; charset=utf-8", headers=attachment(f"{slug}-standings.csv"))
