"""Writing a document back to plain JSON-able data.

Why a fixed shape: an archive is compared, diffed and hashed, so the same document must always
serialise to the same text: keys in a fixed order, every Decimal as a plain string (never
a float, never an exponent), optional engine settings written only when they differ from their
defaults. ``load_document(dump_document(doc)) == doc`` holds for every loaded document.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.rules.types import (
    Aggregation,
    Aspect,
    AspectType,
    AwardRule,
    AwardTier,
    Checks,
    ReviewPlanRule,
    Rounding,
    Rules,
    Stage,
)

from scoring.document.load import fmt_decimal
from scoring.document.model import FORMAT, VERSION, Criterion, Document

_DEFAULT_AGG = Aggregation()


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else fmt_decimal(value)


def _rounding(r: Rounding) -> dict:
    return {"places": r.places, "mode": r.mode.value}


def _aggregation(a: Aggregation) -> dict:
    out: dict[str, Any] = {"method": a.method.value}
    if a.trim != _DEFAULT_AGG.trim:
        out["trim"] = a.trim
    if a.factor != _DEFAULT_AGG.factor:
        out["factor"] = _dec(a.factor)
    if a.spread is not None:
        out["spread"] = _dec(a.spread)
    if a.bands:
        out["bands"] = [{"min_score": _dec(b.min_score), "max_gap": _dec(b.max_gap)} for b in a.bands]
    if a.goe_percent != _DEFAULT_AGG.goe_percent:
        out["goe_percent"] = _dec(a.goe_percent)
    if a.param is not None:
        out["param"] = a.param
    if a.missing != _DEFAULT_AGG.missing:
        out["missing"] = a.missing.value
    if a.min_marks != _DEFAULT_AGG.min_marks:
        out["min_marks"] = a.min_marks
    if a.judge_rounding != _DEFAULT_AGG.judge_rounding:
        out["judge_rounding"] = _rounding(a.judge_rounding)
    if a.rounding != _DEFAULT_AGG.rounding:
        out["rounding"] = _rounding(a.rounding)
    return out


def _tier(t: AwardTier) -> dict:
    out: dict[str, Any] = {"name": t.name}
    if t.percent is not None:
        out["percent"] = _dec(t.percent)
    if t.count is not None:
        out["count"] = t.count
    if t.min_total is not None:
        out["min_total"] = _dec(t.min_total)
    if t.max_rank is not None:
        out["max_rank"] = t.max_rank
    return out


def _award(a: AwardRule) -> dict:
    out: dict[str, Any] = {}
    if a.name:
        out["name"] = a.name
    out["kind"] = a.kind.value
    out["tie_policy"] = a.tie_policy.value
    out["rounding"] = a.rounding.value
    out["per_group"] = a.per_group
    if a.min_total is not None:
        out["min_total"] = _dec(a.min_total)
    out["tiers"] = [_tier(t) for t in a.tiers]
    return out


def _rules(r: Rules) -> dict:
    checks: Checks = r.checks
    review: ReviewPlanRule = r.review
    return {
        "ranking": r.ranking.value,
        "tie_breaks": [{"kind": t.kind.value, "ref": t.ref, "higher_is_better": t.higher_is_better}
                       for t in r.tie_breaks],
        "weight_kind": r.weight_kind.value,
        "total_rounding": _rounding(r.total_rounding),
        "awards": [_award(a) for a in r.awards],
        "checks": {
            "outlier_distance": _dec(checks.outlier_distance),
            "normalisation": checks.normalisation.value if checks.normalisation else None,
        },
        "review": {
            "top_n": review.top_n,
            "sample_percent": _dec(review.sample_percent),
            "full_recheck_error_rate": _dec(review.full_recheck_error_rate),
        },
    }


def _stage(s: Stage, state: str = "open") -> dict:
    out = {
        "code": s.code,
        "name": s.name,
        "weight": _dec(s.weight),
        "max_weight": _dec(s.max_weight),
        "max_mark": _dec(s.max_mark),
        "aggregation": _aggregation(s.aggregation) if s.aggregation is not None else None,
        "rounding": _rounding(s.rounding),
        "weighted_rounding": _rounding(s.weighted_rounding),
    }
    if state != "open":
        out["state"] = state
    return out


def _aspect(a: Aspect) -> dict:
    out: dict[str, Any] = {"code": a.code, "name": a.name, "type": a.type.value, "max_mark": _dec(a.max_mark),
                           "step": _dec(a.step)}
    if a.min_value != 0:
        out["min_value"] = _dec(a.min_value)
    if a.max_value is not None:
        out["max_value"] = _dec(a.max_value)
    if a.type == AspectType.JUDGEMENT or a.scale_max != 3:
        out["scale_max"] = _dec(a.scale_max)
    if a.descriptors:
        out["descriptors"] = list(a.descriptors)
    if a.time_target is not None:
        out["time_target"] = _dec(a.time_target)
    if a.time_limit is not None:
        out["time_limit"] = _dec(a.time_limit)
    if a.aggregation != _DEFAULT_AGG:
        out["aggregation"] = _aggregation(a.aggregation)
    return out


def _criterion(c: Criterion, top: bool) -> dict:
    out: dict[str, Any] = {"code": c.code, "name": c.name}
    if top:
        out["stage"] = c.stage
    if c.children:
        out["children"] = [_criterion(ch, False) for ch in c.children]
    if c.aspects:
        out["aspects"] = [_aspect(a) for a in c.aspects]
    return out


def dump_document(doc: Document) -> dict:
    """The document as JSON-able data (Decimals as strings), keys in a fixed order."""
    comp = doc.competition
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "competition": {"slug": comp.slug, "name": comp.name, "organizer": comp.organizer, "date": comp.date,
                        "venue": comp.venue, "timezone": comp.timezone, "locale": comp.locale,
                        "visibility": comp.visibility},
        "rules": _rules(doc.rules),
        "groups": [{"code": g.code, "name": g.name, "event": g.event} for g in doc.groups],
        "stages": [_stage(s, doc.stage_states.get(s.code, "open")) for s in doc.stages],
        "scheme": [_criterion(c, True) for c in doc.scheme],
        "contestants": [],
        "judges": [],
        "panels": [],
        "recusals": [{"judge": r.judge, "contestant": r.contestant, "reason": r.reason} for r in doc.recusals],
        "draw": None,
        "marks": [{"contestant": m.contestant, "aspect": m.aspect, "judge": m.judge, "value": _dec(m.value)}
                  for m in doc.marks],
    }
    for i, p in enumerate(doc.panels):
        panel: dict[str, Any] = {}
        if i < len(doc.panel_names) and doc.panel_names[i]:
            panel["name"] = doc.panel_names[i]
        panel.update({"group": p.group, "stage": p.stage, "judges": list(p.judges), "aspects": list(p.aspects)})
        out["panels"].append(panel)
    for c in doc.contestants:
        row: dict[str, Any] = {"code": c.code, "name": c.name, "gender": c.gender, "unit": c.unit,
                               "region": c.region, "group": c.group}
        if c.withdrawn:
            row["withdrawn"] = True
        row["id_number"] = c.id_number
        row["phone"] = c.phone
        if c.params:
            row["params"] = {a: {k: _dec(v) for k, v in p.items()} for a, p in c.params.items()}
        out["contestants"].append(row)
    for j in doc.judges:
        out["judges"].append({"code": j.code, "name": j.name, "role": j.role, "unit": j.unit, "region": j.region,
                              "id_number": j.id_number, "phone": j.phone})
    if doc.draw is not None:
        out["draw"] = {"seed": doc.draw.seed, "method": doc.draw.method, "map_hash": doc.draw.map_hash,
                       "entries": [{"contestant": e.contestant, "station": e.station, "code": e.code}
                                   for e in doc.draw.entries]}
    if doc.meta:
        out["meta"] = doc.meta
    return out


def _json_default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return fmt_decimal(o)
    raise TypeError(type(o).__name__)


def to_json(data: Any, indent: int | None = 2, width: int = 120) -> str:
    """Serialise a dumped document (or report): UTF-8, Chinese kept as is, Decimals as strings.

    Pretty but compact: a list or object that fits on one line of ``width`` characters is
    written on one line (so each mark is one line), larger ones are indented. ``indent=None``
    gives the smallest single-line text.
    """
    if indent is None:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_json_default) + "\n"
    return _pretty(data, 0, indent, width) + "\n"


def _pretty(value: Any, level: int, indent: int, width: int) -> str:
    flat = json.dumps(value, ensure_ascii=False, default=_json_default)
    if not isinstance(value, (dict, list)) or not value or len(flat) + level * indent <= width:
        return flat
    pad = " " * (indent * (level + 1))
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {_pretty(v, level + 1, indent, width)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "}"
    items = [pad + _pretty(v, level + 1, indent, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * (indent * level) + "]"


def write_document(doc_or_data: Document | dict, path: str | Path) -> None:
    data = dump_document(doc_or_data) if isinstance(doc_or_data, Document) else doc_or_data
    Path(path).write_text(to_json(data), encoding="utf-8")


__all__ = ["dump_document", "to_json", "write_document"]
