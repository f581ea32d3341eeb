"""Results of a recompute, as JSON-able data and as a terminal table.

Why separate from the engine: the engine ranks codes; people read names, units and counties.
This joins the two, formats every number as a string with its declared places (the same text
on a terminal, in JSON and in a PDF, never a float), and leaves out what must not leave the
archive: ``id_number`` and ``phone`` are never read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from scoring.document.fields import fmt_decimal
from scoring.document.formats import aligned, format_number, format_rank
from scoring.document.model import Criterion, Document, public_members
from scoring.document.team_report import team_report, team_tables
from scoring.i18n import N_, translate
from scoring.labels import stage_label
from scoring.rules.standardise import group_scale
from scoring.rules.types import AspectStatus, Rounding, Standardisation, Standings, TieBreakKind

#: A contestant out of the ranking (弃权/缺考), as the rank column says it: never a 0.
OUT = {"withdrawn": N_("withdrawn"), "absent": N_("absent")}
SCALE_SHOWN = Rounding(4)  # a group's median and spread as a reader rechecks them (display only)


def decided_by_text(doc: Document, decided_by: str | None, locale: str | None) -> str:
    """A reader's description of the rule that separated a row from the one above."""
    if not decided_by:
        return ""
    if decided_by == "total":
        return translate(N_("total score"), locale)
    names: dict[tuple[str, str], str] = {}
    for s in doc.stages:
        names[(TieBreakKind.STAGE.value, s.code)] = stage_label(s.name, s.code, locale)
    for a in doc.aspects:
        names[(TieBreakKind.ASPECT.value, a.code)] = a.name or a.code
        names[(TieBreakKind.TIME.value, a.code)] = a.name or a.code

    def paths(criteria: Iterable[Criterion], prefix: str = "") -> None:
        for c in criteria:
            path = f"{prefix}/{c.code}" if prefix else c.code
            names[(TieBreakKind.CRITERION.value, path)] = c.name or c.code
            paths(c.children, path)

    paths(doc.scheme)
    texts = {
        TieBreakKind.STAGE.value: N_("tie-break: %(name)s score"),
        TieBreakKind.ASPECT.value: N_("tie-break: %(name)s mark"),
        TieBreakKind.CRITERION.value: N_("tie-break: %(name)s score"),
        TieBreakKind.TIME.value: N_("tie-break: %(name)s time"),
    }
    kind, sep, ref = decided_by.partition(":")
    if sep and (kind, ref) in names:
        return translate(texts[kind], locale, name=names[(kind, ref)])
    for tb in doc.rules.tie_breaks:  # an engine that names only the rule's ref
        if decided_by in (tb.ref, f"{tb.kind.value} {tb.ref}", f"{tb.kind.value}/{tb.ref}"):
            key = (tb.kind.value, tb.ref)
            return translate(texts[tb.kind.value], locale, name=names.get(key, tb.ref))
    return decided_by


def standardisation_report(rule: Standardisation) -> dict[str, Any]:
    """The declared cross-group scale as strings."""
    return {
        "centre": fmt_decimal(rule.centre),
        "points": fmt_decimal(rule.points),
        "spread": rule.spread.value,
        "sd_kind": rule.sd_kind.value,
        "mad_scale": fmt_decimal(rule.mad_scale),
        "no_spread": rule.no_spread.value,
        "places": rule.rounding.places,
        "mode": rule.rounding.mode.value,
    }


def group_scale_report(rule: Standardisation, totals: list[Decimal]) -> dict[str, str | None] | None:
    """A group's median and spread (four places, for a reader to recheck; spread null: none), or None."""
    scale = group_scale(totals, rule)
    if scale is None:
        return None
    return {"median": format_number(scale.median, SCALE_SHOWN), "spread": format_number(scale.spread, SCALE_SHOWN)}


def results_report(doc: Document, standings: Standings, locale: str | None = None) -> dict[str, Any]:
    """Standings joined with the people, numbers as strings. Private fields never appear."""
    locale = locale or doc.competition.locale
    stages = doc.stages
    total_rounding = doc.rules.total_rounding
    scale = doc.rules.standardisation
    station = {e.contestant: e.station for e in (doc.draw.entries if doc.draw else ())}
    people = {c.code: c for c in doc.contestants}
    tier_order = [t.name for rule in doc.rules.awards for t in rule.tiers]
    groups: list[dict[str, Any]] = []
    for g in doc.groups:
        gs = standings.groups.get(g.code)
        rows: list[dict[str, Any]] = []
        seen = set()
        award_counts: dict[str, int] = {}
        for row in gs.rows if gs is not None else ():
            person = people.get(row.contestant)
            seen.add(row.contestant)
            incomplete = [code for code, res in row.aspects.items() if res.status != AspectStatus.OK]
            for name in row.awards:
                award_counts[name] = award_counts.get(name, 0) + 1
            rows.append(
                {
                    "rank": format_rank(row.rank),
                    "code": row.contestant,
                    "name": person.name if person else "",
                    "unit": person.unit if person else "",
                    "region": person.region if person else "",
                    **({"members": public_members(person)} if person and person.members else {}),
                    "station": station.get(row.contestant, ""),
                    "stages": {
                        s.code: {
                            "score": format_number(row.stages[s.code].value, s.rounding)
                            if s.code in row.stages
                            else None,
                            "weighted": format_number(row.stages[s.code].weighted, s.weighted_rounding)
                            if s.code in row.stages
                            else None,
                        }
                        for s in stages
                    },
                    "total": format_number(row.total, total_rounding),
                    **({"standardised": format_number(row.standardised, scale.rounding)} if scale is not None else {}),
                    # progress only: the weighted stages complete so far (never a result)
                    "partial_total": format_number(getattr(row, "partial_total", None), total_rounding)
                    if row.total is None
                    else None,
                    "decided_by": row.decided_by,
                    "decided_by_text": decided_by_text(doc, row.decided_by, locale),
                    "tied": row.tied,
                    "awards": list(row.awards),
                    "status": "ranked" if row.rank is not None else "incomplete",
                    "missing": [
                        code
                        for code in incomplete
                        if row.aspects[code].status in (AspectStatus.MISSING, AspectStatus.INCOMPLETE)
                    ],
                    "rejected": [code for code in incomplete if row.aspects[code].status == AspectStatus.REJECTED],
                }
            )
        for c in doc.contestants:
            if c.group == g.code and c.code not in seen:
                rows.append(
                    {
                        "rank": None,
                        "code": c.code,
                        "name": c.name,
                        "unit": c.unit,
                        "region": c.region,
                        "station": station.get(c.code, ""),
                        "stages": {s.code: {"score": None, "weighted": None} for s in stages},
                        "total": None,
                        **({"standardised": None} if scale is not None else {}),
                        "partial_total": None,
                        "decided_by": None,
                        "decided_by_text": "",
                        "tied": False,
                        "awards": [],
                        "status": c.withdrawn_as if c.withdrawn else "incomplete",
                        "reason": c.withdrawn_reason if c.withdrawn else "",
                        "missing": [],
                        "rejected": [],
                    }
                )
        if scale is not None:  # the group's median and spread, beside its rows (only when declared)
            ranked = [r.total for r in (gs.rows if gs else ()) if r.total is not None and r.rank is not None]
            extra: dict[str, Any] = {"scale": group_scale_report(scale, ranked)}
        else:
            extra = {}
        groups.append(
            {
                "code": g.code,
                "name": g.name,
                "event": g.event,
                "contestants": len(rows),
                "ranked": sum(1 for r in rows if r["status"] == "ranked"),
                "stages": [{"code": s.code, "name": s.name, "weight": fmt_decimal(s.weight)} for s in stages],
                "awards": {name: award_counts[name] for name in tier_order if name in award_counts},
                **extra,
                "rows": rows,
            }
        )
    flags = []
    for f in standings.flags:
        person = people.get(f.contestant)
        flags.append(
            {
                "kind": f.kind,
                "contestant": f.contestant,
                "name": person.name if person else "",
                "aspect": f.aspect,
                "judge": f.judge,
                "reason": f.reason,
                "message": translate(f.reason, locale, **dict(f.detail)),
                "detail": dict(f.detail),
            }
        )
    comp = doc.competition
    return {
        "competition": {
            "slug": comp.slug,
            "name": comp.name,
            "organizer": comp.organizer,
            "date": comp.date,
            "venue": comp.venue,
        },
        "locale": locale,
        "complete": all(r["status"] != "incomplete" for g in groups for r in g["rows"]),
        **({"standardisation": standardisation_report(scale)} if scale is not None else {}),
        "groups": groups,
        "team_standings": team_report(doc, standings.groups, locale),
        "flags": flags,
    }


# --------------------------------------------------------------------------- the terminal table


def team_label(row: dict[str, Any], locale: str | None = None) -> str:
    """A row's name, and for a team its members' names: 榆阳区育婴一队（张燕、李娜）."""
    names = [m["name"] for m in row.get("members") or ()]
    if not names:
        return str(row["name"])
    if (locale or "").startswith("en"):
        return f"{row['name']} ({', '.join(names)})"
    return f"{row['name']}（{'、'.join(names)}）"


def results_table(report: dict[str, Any], locale: str | None = None) -> str:
    """A plain-text table per group, aligned for CJK width, for a terminal."""
    locale = locale or report.get("locale")

    def t(msgid: str, **kw: object) -> str:
        return translate(msgid, locale, **kw)

    lines = []
    comp = report["competition"]
    title = " ".join(x for x in (comp["name"], comp.get("date", ""), comp.get("venue", "")) if x)
    lines.append(title)
    if not report.get("complete", True):
        lines.append(t(N_("Provisional: some marks are missing.")))
    for g in report["groups"]:
        lines.append("")
        lines.append(
            t(
                N_("%(group)s: %(count)s contestants, %(ranked)s ranked"),
                group=f"{g['name']} ({g['code']})",
                count=g["contestants"],
                ranked=g["ranked"],
            )
        )
        head = [t(N_("Rank")), t(N_("Code")), t(N_("Name")), t(N_("Unit")), t(N_("Region"))]
        head += [f"{s['name'] or s['code']} {s['weight']}%" for s in g["stages"]]
        scaled = report.get("standardisation") is not None
        head += [t(N_("Total"))] + ([t(N_("Standardised"))] if scaled else []) + [t(N_("Awards")), t(N_("Decided by"))]
        numeric = [True, False, False, False, False] + [True] * len(g["stages"]) + [True] * (1 + scaled) + [False] * 2
        table = [head]
        for r in g["rows"]:
            if r["status"] in OUT:
                rank = t(OUT[r["status"]])
            elif r["rank"] is None:
                rank = "—"
            else:
                rank = r["rank"] + ("=" if r["tied"] else "")
            cells = [rank, r["code"], team_label(r, locale), r["unit"], r["region"]]
            cells += [r["stages"][s["code"]]["score"] or "—" for s in g["stages"]]
            total = r["total"] or (t(N_("incomplete")) if r["status"] == "incomplete" else r.get("reason") or "—")
            # "total" is the usual case: only a tie-break is worth a word in the table
            cells += [total] + ([r.get("standardised") or "—"] if scaled else [])
            cells += ["、".join(r["awards"]), r["decided_by_text"] if r["decided_by"] != "total" else ""]
            table.append(cells)
        lines.extend(aligned(table, numeric))
        if scaled and g.get("scale"):
            lines.append(t(N_("Standardised: median %(median)s, spread %(spread)s"), **g["scale"]))
        if g["awards"]:
            lines.append(
                t(N_("Awards: %(counts)s"), counts=", ".join(f"{name} {count}" for name, count in g["awards"].items()))
            )
    lines.extend(team_tables(report.get("team_standings", []), locale))
    if report["flags"]:
        lines.append("")
        lines.append(t(N_("Flags")))
        for f in report["flags"]:
            who = " ".join(x for x in (f["contestant"], f["name"], f["aspect"] or "", f["judge"] or "") if x)
            lines.append(f"- {who}: {f['message']}")
    return "\n".join(lines) + "\n"
