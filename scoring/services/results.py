"""Read path for standings: computed once per version, cut to what an audience may see."""
from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.document.report import decided_by_text
from scoring.i18n import N_, translate
from scoring.services import standings as standings_service
from scoring.visibility import Audience, View, view_for

STATE_LABELS = {
    "embargoed": N_("Embargoed: nothing is public yet"),
    "live": N_("Live (provisional)"),
    "frozen": N_("Frozen"),
    "published": N_("Final results"),
}


def identities_revealed(engine: Engine, cid: int) -> bool:
    with reading(engine) as s:
        draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
    return draw is None or draw.revealed_at is not None


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def visible_standings(engine: Engine, cid: int, audience: Audience, locale: str | None = None) -> dict:
    computed = standings_service.computed(engine, cid)
    version, doc, standings = computed
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
    view = view_for(audience, comp.visibility, identities_revealed(engine, cid))
    payload: dict = {
        "competition": {"slug": comp.slug, "name": comp.name},
        "version": version,
        "state": comp.visibility,
        "state_label": translate(STATE_LABELS.get(comp.visibility, comp.visibility), locale),
        "view": asdict(view),
        "stages": [],
        "groups": [],
        "flags": [],
    }
    if not view.standings or not view.live:
        return payload
    return _fill(payload, doc, standings, view, locale)


def _fill(payload: dict, doc, standings, view: View, locale: str | None) -> dict:
    percent = doc.rules.weight_kind.value == "percent"
    payload["stages"] = [{"code": st.code, "name": st.name or st.code,
                          "weight_label": f"{_fmt(st.weight)}%" if percent else f"×{_fmt(st.weight)}"}
                         for st in doc.stages]
    people = {c.code: c for c in doc.contestants}
    codes = {e.contestant: e.code for e in (doc.draw.entries if doc.draw else ())}
    for group in doc.groups:
        gs = standings.groups.get(group.code)
        if gs is None:
            continue
        rows = []
        for row in gs.rows:
            person = people.get(row.contestant)
            entry = {
                "code": row.contestant,
                "label": codes.get(row.contestant, row.contestant),
                "rank": None if row.rank is None else _fmt(row.rank),
                "total": _fmt(row.total),
                "stages": {k: _fmt(v.value) for k, v in row.stages.items()},
                "awards": list(row.awards),
                "tied": row.tied,
            }
            if view.names and person is not None:
                entry.update(name=person.name, unit=person.unit, region=person.region)
            if view.flags:
                entry["decided_by"] = row.decided_by
                entry["decided_by_text"] = decided_by_text(doc, row.decided_by, locale)
            rows.append(entry)
        payload["groups"].append({"code": group.code, "name": group.name, "rows": rows})
    if view.flags:
        payload["flags"] = [{"kind": f.kind, "contestant": f.contestant, "aspect": f.aspect, "judge": f.judge,
                             "message": translate(f.reason, locale, **dict(f.detail))} for f in standings.flags]
    return payload
