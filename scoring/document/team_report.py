"""Team standings (团体总分) of a recompute, as JSON-able data and as terminal tables.

Why apart from ``report``: the individual report joins rows with people; this joins delegations
with the results that made their score, in the same number formats (``formats``), and says in
words which rule decided each place. Private fields are never read here either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.document.formats import aligned, format_number, format_rank
from scoring.document.model import Document
from scoring.i18n import N_, translate
from scoring.rules.teams import team_standings
from scoring.rules.types import GroupStandings, TeamMethod

_TIERED = (TeamMethod.MEDAL_TABLE, TeamMethod.WEIGHTED_AWARDS)
DECIDED = {
    "score": N_("team score"),
    "complete": N_("fewer than %(best)s results"),
    "best_result": N_("tie-break: best single result"),
    "best_place": N_("tie-break: best individual place"),
    "more_firsts": N_("tie-break: more first places"),
    "more_results": N_("tie-break: more contestants with a result"),
}
METHODS = {
    TeamMethod.SUM: N_("sum of the best %(best)s results"),
    TeamMethod.MEAN: N_("mean of the best %(best)s results"),
    TeamMethod.POINTS: N_("points by place"),
    TeamMethod.MEDAL_TABLE: N_("award table: firsts, then seconds, then thirds"),
    TeamMethod.WEIGHTED_AWARDS: N_("weighted award count"),
}
ALL_RESULTS = {
    TeamMethod.SUM: N_("sum of all results"),
    TeamMethod.MEAN: N_("mean of all results"),
}


def decided_text(decided_by: str | None, best: int | None, locale: str | None) -> str:
    """A reader's description of the rule that separated a delegation from its neighbours."""
    if not decided_by:
        return ""
    kind, _, tier = decided_by.partition(":")
    if kind == "tier":
        return translate(N_("number of %(tier)s"), locale, tier=tier)
    if decided_by in DECIDED:
        return translate(DECIDED[decided_by], locale, best=best or "")
    return decided_by


def standing_title(name: str, name_en: str, locale: str | None) -> str:
    return name_en if (locale or "").startswith("en") and name_en else name


def method_text(method: TeamMethod, best: int | None, locale: str | None) -> str:
    if best is None and method in ALL_RESULTS:
        return translate(ALL_RESULTS[method], locale)
    return translate(METHODS[method], locale, best=best or "")


def localized(section: list[dict[str, Any]], locale: str | None) -> list[dict[str, Any]]:
    """A stored ``team_standings`` section (e.g. of a published version) with its words in
    ``locale``: the codes it keeps (method, best, decided_by) say everything the words say."""
    out = []
    for ts in section:
        best = ts.get("best")
        rows = [{**r, "decided_by_text": decided_text(r.get("decided_by"), best, locale)} for r in ts["rows"]]
        out.append(
            {
                **ts,
                "title": standing_title(ts["name"], ts.get("name_en", ""), locale),
                "method_text": method_text(TeamMethod(ts["method"]), best, locale),
                "rows": rows,
            }
        )
    return out


def team_report(doc: Document, groups: Mapping[str, GroupStandings], locale: str | None = None) -> list[dict[str, Any]]:
    """Every declared team standing: delegations with rank, score (or award counts), the
    results that counted, and which rule decided each place."""
    people = {c.code: c for c in doc.contestants}
    total_rounding = doc.rules.total_rounding
    out = []
    for ts in team_standings(doc.rules.team_standings, doc.contestants, groups):
        rule = ts.rule
        codes = list(rule.groups) or [g.code for g in doc.groups]
        rows = []
        for r in ts.rows:
            rows.append(
                {
                    "rank": format_rank(r.rank),
                    "delegation": r.delegation,
                    "score": format_number(r.score, None if rule.method in _TIERED else rule.rounding),
                    "counts": dict(zip(rule.tiers, r.counts)),
                    "complete": r.complete,
                    "results": r.results,
                    "tied": r.tied,
                    "awards": list(r.awards),
                    "decided_by": r.decided_by,
                    "decided_by_text": decided_text(r.decided_by, rule.best, locale),
                    "counted": [
                        {
                            "code": c.contestant,
                            "name": people[c.contestant].name if c.contestant in people else "",
                            "group": c.group,
                            "total": format_number(c.total, total_rounding),
                            "rank": format_rank(c.rank),
                            "points": format_number(c.points, rule.rounding),
                        }
                        for c in r.counted
                    ],
                }
            )
        out.append(
            {
                "code": rule.code,
                "name": rule.name,
                "name_en": rule.name_en,
                "title": standing_title(rule.name, rule.name_en, locale),
                "method": rule.method.value,
                "method_text": method_text(rule.method, rule.best, locale),
                "delegation": rule.delegation,
                "groups": codes,
                "best": rule.best,
                "short": rule.short.value,
                "tiers": list(rule.tiers),
                "provisional": _provisional(doc, groups, codes),
                "rows": rows,
            }
        )
    return out


def _provisional(doc: Document, groups: Mapping[str, GroupStandings], codes: list[str]) -> bool:
    """True while a contestant of the standing's groups (not withdrawn) has no total yet."""
    done = {r.contestant for code in codes if code in groups for r in groups[code].rows if r.total is not None}
    return any(c.group in codes and not c.withdrawn and c.code not in done for c in doc.contestants)


def team_tables(report: list[dict[str, Any]], locale: str | None) -> list[str]:
    """Terminal lines: one table per team standing."""

    def t(msgid: str, **kw: object) -> str:
        return translate(msgid, locale, **kw)

    lines: list[str] = []
    for ts in report:
        lines.append("")
        lines.append(f"{ts['title']} ({ts['method_text']})")
        if ts["provisional"]:
            lines.append(t(N_("Provisional: some marks are missing.")))
        tiers = ts["tiers"]
        head = [t(N_("Rank")), t(N_("Delegation"))]
        if ts["method"] == TeamMethod.MEDAL_TABLE.value:
            head += tiers
        elif tiers:
            head += tiers + [t(N_("Score"))]
        else:
            head += [t(N_("Score"))]
        head += [t(N_("Awards")), t(N_("Results") if tiers else N_("Counted")), t(N_("Decided by"))]
        numeric = [True, False] + [True] * (len(head) - 5) + [False, False, False]
        table = [head]
        for r in ts["rows"]:
            rank = "—" if r["rank"] is None else r["rank"] + ("=" if r["tied"] else "")
            cells = [rank, r["delegation"]]
            cells += [str(r["counts"].get(name, 0)) for name in tiers]
            if ts["method"] != TeamMethod.MEDAL_TABLE.value:
                cells.append(r["score"] or "—")
            counted = "、".join(f"{c['name'] or c['code']} {c['points'] or c['total']}" for c in r["counted"])
            if ts["method"] in (TeamMethod.MEDAL_TABLE.value, TeamMethod.WEIGHTED_AWARDS.value):
                counted = t(N_("%(count)s results"), count=r["results"])
            cells += [
                "、".join(r.get("awards", [])),
                counted,
                r["decided_by_text"] if r["decided_by"] != "score" else "",
            ]
            table.append(cells)
        lines.extend(aligned(table, numeric))
    return lines
