"""The public read side of staged publication (services.staged): the newest stage publication as
the read path (``services.results``) needs it, and the public's groups cut per
``visibility.stage_cut``. Separate from the write side so the read path imports no write path."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

# (engine, competition) -> (content hash of the newest version, layer): the hash, not the number,
# so a replaced competition that got the same id and numbers never reads another's layer
_layer_cache: dict[tuple[int, int], tuple[str, dict]] = {}
_layer_lock = threading.Lock()


def forget() -> None:
    with _layer_lock:
        _layer_cache.clear()


def published_layer(engine: Engine, cid: int, labels: Callable[[], dict[str, str]]) -> dict:
    """The newest stage publication as the read path needs it: {"covers": {group: [stages]},
    "rows": {group: {contestant code: row}}, "names": bool}; empty when none (or a full one is newest)."""
    with reading(engine) as s:
        head = s.exec(
            select(m.ResultVersion.number, m.ResultVersion.scope, m.ResultVersion.content_hash)
            .where(m.ResultVersion.competition_id == cid)
            .order_by(m.ResultVersion.number.desc())
            .limit(1)
        ).first()
        if head is None or head[1] is None:
            return {}
        hit = _layer_cache.get((id(engine), cid))
        if hit is not None and hit[0] == head[2]:
            return hit[1]
        v = s.exec(
            select(m.ResultVersion).where(m.ResultVersion.competition_id == cid, m.ResultVersion.number == head[0])
        ).one()
        content, scope = v.content, v.scope
    rows: dict[str, dict] = {}
    by_label = {}
    if not scope.get("names", True):
        by_label = {label: code for code, label in labels().items()}
    for g in content.get("groups", []):
        rows[g["code"]] = {by_label.get(r["code"], r["code"]): r for r in g["rows"]}
    layer = {"number": head[0], "covers": scope.get("covers", {}), "rows": rows}
    with _layer_lock:
        _layer_cache[(id(engine), cid)] = (head[2], layer)
    return layer


def public_groups(full: dict | None, meta: dict, layer: dict, audience, state: str, only: str | None, cut) -> list:  # noqa: ANN001
    """The groups an audience of the public sees with a stage publication in force: each column
    from where ``visibility.stage_cut`` says. ``full`` is what the state shows (None under embargo),
    ``meta`` the current full payload, used for the identity of a row only (its code, anonymous
    code, name), never for a value; ``cut`` cuts a row to the view (names)."""
    from scoring.visibility import stage_cut

    codes = [st["code"] for st in meta["stages"]]
    base_groups = {g["code"]: g for g in (full or {}).get("groups", [])}
    out = []
    for g in meta["groups"]:
        if only and g["code"] != only:
            continue
        covered = layer["covers"].get(g["code"], [])
        sc = stage_cut(audience, state, codes, covered)
        if not sc.anything:
            continue
        base = {r["code"]: r for r in base_groups[g["code"]]["rows"]} if g["code"] in base_groups else {}
        pub = layer["rows"].get(g["code"], {})
        order = list(base) if base else [c for c in pub if c in {r["code"] for r in g["rows"]}]
        who = {r["code"]: r for r in g["rows"]}
        rows = []
        for code in order:
            ident, b, p = who.get(code, {}), base.get(code), pub.get(code)
            row = {k: ident.get(k) for k in ("code", "label", "name", "unit", "region")}
            row.update(rank=None, total=None, awards=[], tied=False, stages={}, stage_ranks={})
            for st in codes:
                src = sc.stages[st]
                if src == "published":
                    row["stages"][st] = p["stages"].get(st, {}).get("score") if p else None
                    row["stage_ranks"][st] = p.get("stage_ranks", {}).get(st) if p else None
                elif src != "none" and b is not None:
                    row["stages"][st] = b["stages"].get(st)
            if sc.totals == "published" and p is not None:
                row.update(rank=p.get("rank"), total=p.get("total"), awards=p.get("awards", []), tied=p.get("tied"))
            elif sc.totals != "none" and b is not None:
                row.update({k: b.get(k) for k in ("rank", "total", "awards", "tied")})
            rows.append(cut(row))
        # Totals hidden: the rows stand in the order of the first published stage, and say so.
        ranked_by = next((st for st in codes if sc.stages[st] == "published"), None) if sc.totals == "none" else None
        out.append(
            {"code": g["code"], "name": g["name"], "rows": rows, "published_stages": covered, "ranked_by": ranked_by}
        )
    return out
