"""What changed between two published result versions, and which stages a version covers.

Why apart from ``publication``: pure functions over two version contents (no database), read by the
publication page, the public results page, appeals and staged publication alike.
"""

from __future__ import annotations


def _shown(v: object) -> object:
    """A diff cell: awards stay a list (the page joins them in its language), nothing as a dash."""
    return list(v) if isinstance(v, list) else (v if v is not None else "—")


def covers(content: dict | None) -> dict[str, set[str]]:
    """Which stages of which groups a version's content publishes (a full version: all of them)."""
    if not content:
        return {}
    scope = content.get("scope")
    if scope is None:
        return {g["code"]: {st["code"] for st in g.get("stages", [])} for g in content.get("groups", [])}
    return {g: set(stages) for g, stages in scope.get("covers", {}).items()}


def diff(old: dict | None, new: dict) -> list[dict]:
    """Pure: what changed for each contestant between two published contents.

    Scope-aware: only what both versions publish is compared. A stage or a total published for
    the first time is news, not a change (the stage publication had no totals to change)."""
    if not old:
        return []
    out = []
    before = {(g["code"], r["code"]): r for g in old.get("groups", []) for r in g["rows"]}
    old_covers, new_covers = covers(old), covers(new)
    for g in new.get("groups", []):
        stage_names = {st["code"]: st.get("name", "") for st in g.get("stages", [])}
        both = old_covers.get(g["code"], set()) & new_covers.get(g["code"], set())
        totals = bool(stage_names) and both >= set(stage_names)
        for r in g["rows"]:
            o = before.get((g["code"], r["code"]))
            if o is None:
                continue
            for key, label in (("rank", "rank"), ("total", "total"), ("awards", "awards")) if totals else ():
                if o.get(key) != r.get(key):
                    out.append(
                        {
                            "group": g["name"],
                            "code": r["code"],
                            "name": r.get("name", ""),
                            "field": label,
                            "before": _shown(o.get(key)),
                            "after": _shown(r.get(key)),
                        }
                    )
            for stage, val in r.get("stages", {}).items():
                if stage not in both:
                    continue
                ov = o.get("stages", {}).get(stage, {})
                if ov.get("score") != val.get("score"):
                    out.append(
                        {
                            "group": g["name"],
                            "code": r["code"],
                            "name": r.get("name", ""),
                            "field": stage,
                            "stage": stage_names.get(stage, ""),  # the page names it (labels.stage_label)
                            "before": ov.get("score") or "—",
                            "after": val.get("score") or "—",
                        }
                    )
    return out + _team_diff(old, new)


def _team_diff(old: dict, new: dict) -> list[dict]:
    """What changed for each delegation of each team standing (团体总分) between two contents."""
    before = {(ts["code"], r["delegation"]): r for ts in old.get("team_standings", []) for r in ts["rows"]}
    out = []
    for ts in new.get("team_standings", []):
        for r in ts["rows"]:
            o = before.get((ts["code"], r["delegation"]))
            for key in ("rank", "score", "awards") if o is not None else ():
                if o.get(key) != r.get(key):
                    out.append(
                        {
                            "group": ts["name"],
                            "group_en": ts.get("name_en", ""),
                            "code": "",
                            "name": r["delegation"],
                            "field": key,
                            "before": _shown(o.get(key)),
                            "after": _shown(r.get(key)),
                        }
                    )
    return out
