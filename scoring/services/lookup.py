"""The result lookup (成绩查询): a contestant finds their own published result.

Why only from published result versions: a lookup is a public page. What it shows of a
contestant is what the newest result version (``services.publication``) publishes of their row,
cut per ``visibility.stage_cut`` exactly as the public results are: before any publication
nothing; after a stage publication only the stages published for their group (and a total,
rank or award only when every stage of the group is); after a full publication everything of
their row, their delegation's team standings (``visibility.shows_team_standings``) and their
certificates. Never a live or provisional value, never another contestant's row, never the
anonymous code. The criterion breakdown is read from the current standings only where the
competition allows it (``rules.criterion_breakdown``) and only for a published stage whose
score the standings still give exactly as published.

Finding the contestant (``find``): the lookup code, or a name with the last six characters of
the ID number (a team's member by their own name and ID number). Unknown and wrong answer the
same None; the web layer says one generic thing and the brakes count it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.document.formats import format_number
from scoring.rules.lookup import person_matches
from scoring.visibility import Audience, State, shows_team_standings, stage_cut, view_for


@dataclass(frozen=True)
class Holder:
    """Who looked up: a contestant row and, for a team's member, the member's name."""

    contestant_id: int
    code: str  # the lookup code, checked again on every request of the signed session
    member: str = ""


def find(engine: Engine, cid: int, code: str | None = None, name: str = "", tail: str | None = None) -> Holder | None:
    """The contestant a lookup code, or a name + ID tail, names in ``cid``; None for anything else."""
    with reading(engine) as s:
        if code:
            row = s.exec(
                select(m.Contestant).where(m.Contestant.competition_id == cid, m.Contestant.lookup_code == code)
            ).first()
            return Holder(row.id, row.lookup_code) if row is not None else None
        if not (name and tail):
            return None
        rows = s.exec(
            select(m.Contestant).where(m.Contestant.competition_id == cid, m.Contestant.lookup_code.is_not(None))
        )
        for row in rows:
            if person_matches(row.name, row.id_number, name, tail):
                return Holder(row.id, row.lookup_code)
            for member in row.members:
                if person_matches(member.get("name", ""), member.get("id_number", ""), name, tail):
                    return Holder(row.id, row.lookup_code, member.get("name", ""))
    return None


def holder_of(engine: Engine, cid: int, contestant_id: int, member: str = "") -> Holder | None:
    """The holder a signed session names, with the code the contestant has now (the session
    compares it with the digest it kept: a replace may have given the row id to someone else)."""
    with reading(engine) as s:
        row = s.get(m.Contestant, contestant_id)
        if row is None or row.competition_id != cid or not row.lookup_code:
            return None
        if member and member not in {p.get("name") for p in row.members}:
            return None
        return Holder(row.id, row.lookup_code, member)


def personal(engine: Engine, cid: int, holder: Holder) -> dict:
    """What the holder may see of their own result (see the module's doc)."""
    from scoring.certificates.service import certificates
    from scoring.services.publication import latest_version

    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        c = s.get(m.Contestant, holder.contestant_id)
        group = s.get(m.Group, c.group_id)
        v = latest_version(s, cid)
        every = list(s.exec(select(m.Stage.code).where(m.Stage.competition_id == cid).order_by(m.Stage.position)))
    me = {
        "name": holder.member or c.name,
        "team": c.name if holder.member else "",
        "members": [p.get("name", "") for p in c.members] if not holder.member else [],
        "code": c.code,
        "unit": c.unit,
        "region": c.region,
        "group": group.name,
    }
    out = {"competition": comp.name, "slug": comp.slug, "me": me, "version": None, "stages": [], "total": None}
    if v is None:
        return out
    groups = {g["code"]: g for g in v.content.get("groups", [])}
    g = groups.get(group.code)
    out["version"] = {"number": v.number, "hash": v.content_hash, "published_at": v.published_at, "full": not v.scope}
    if g is None:
        return out
    row = _own_row(engine, cid, c.code, g)
    if row is None:
        return out
    covered = (v.scope or {}).get("covers", {}).get(group.code, [])
    cut = stage_cut(Audience.PUBLIC, comp.visibility, every, covered) if v.scope else None
    shown = [st for st in g["stages"] if cut is None or cut.stages.get(st["code"]) == "published"]
    totals = cut is None or cut.totals == "published"
    out["stages"] = [
        {
            "code": st["code"],
            "name": st.get("name") or st["code"],
            "weight": st.get("weight"),
            "score": row["stages"].get(st["code"], {}).get("score"),
            "rank": (row.get("stage_ranks") or {}).get(st["code"]),
        }
        for st in shown
    ]
    out["status"] = row.get("status")
    out["reason"] = row.get("reason", "")
    if totals:
        out.update(total=row.get("total"), rank=row.get("rank"), awards=list(row.get("awards") or []))
        out["ranked"] = g.get("ranked")
        out["standardised"] = row.get("standardised")
    if not v.scope:
        out["teams"] = _team_standings(v.content, c, group.code) if shows_team_standings(_FINAL) else []
        out["certificates"] = [
            {"serial": x.serial, "award": x.award, "state": x.state, "replaced_by": x.replaced_by, "name": x.name}
            for x in certificates(engine, cid, group.code)
            if x.contestant == c.code and x.standing == "" and (not holder.member or x.name == holder.member)
        ]
    if (comp.rules or {}).get("criterion_breakdown") and out["stages"]:
        _breakdown(engine, cid, c.code, out["stages"])
    return out


# the public's view of a full publication (the draw map is revealed before anything is published)
_FINAL = view_for(Audience.PUBLIC, State.PUBLISHED, identities_revealed=True)


def _own_row(engine: Engine, cid: int, code: str, group: dict) -> dict | None:
    """The contestant's row of a published group: by code, or (a stage publication before the
    reveal) by the anonymous code the row carries instead."""
    rows = {r["code"]: r for r in group["rows"]}
    if code in rows:
        return rows[code]
    with reading(engine) as s:
        label = s.exec(
            select(m.DrawEntry.code)
            .join(m.Contestant, m.Contestant.id == m.DrawEntry.contestant_id)
            .where(m.DrawEntry.competition_id == cid, m.Contestant.code == code)
        ).first()
    return rows.get(label) if label else None


def _team_standings(content: dict, c: m.Contestant, group: str) -> list[dict]:
    """Each published team standing (of the contestant's group) and its line of the contestant's
    delegation (region or unit)."""
    out = []
    for ts in content.get("team_standings", []):
        if ts.get("groups") and group not in ts["groups"]:
            continue
        delegation = c.region if ts.get("delegation", "region") == "region" else c.unit
        line = next((r for r in ts.get("rows", []) if r.get("delegation") == delegation and delegation), None)
        if line is not None:
            out.append(
                {
                    "name": ts.get("name"),
                    "name_en": ts.get("name_en"),
                    "delegation": delegation,
                    "rank": line.get("rank"),
                    "score": line.get("score"),
                    "awards": list(line.get("awards") or []),
                    "of": len(ts.get("rows", [])),
                }
            )
    return out


def _breakdown(engine: Engine, cid: int, code: str, stages: list[dict]) -> None:
    """Add each shown stage's criteria (name, score, out of) from the current standings, where the
    stage's score there is still the published one."""
    from scoring.services.standings import computed

    found = computed(engine, cid)
    if found is None:
        return
    _version, doc, st = found
    row = next((r for gs in st.groups.values() for r in gs.rows if r.contestant == code), None)
    if row is None:
        return
    declared = {s.code: s for s in doc.stages}
    for stage in stages:
        res = row.stages.get(stage["code"])
        decl = declared.get(stage["code"])
        if res is None or decl is None or format_number(res.value, decl.rounding) != stage["score"]:
            continue
        parts = []
        for crit in doc.scheme:
            if crit.stage != stage["code"]:
                continue
            values = [row.aspects[a.code].value for a in crit.walk_aspects() if a.code in row.aspects]
            if not values or any(x is None for x in values):
                continue
            total = sum((x for x in values if x is not None), Decimal(0))
            parts.append(
                {
                    "name": crit.name or crit.code,
                    "score": format_number(total, decl.rounding),
                    "max": format_number(crit.max_mark),
                }
            )
        stage["criteria"] = parts
