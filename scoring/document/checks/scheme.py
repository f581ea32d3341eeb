"""Cross-field checks of the marking scheme and the rules.

The scheme walk also fills the index: criterion codes and paths (``A``, ``A/A1``: how a tie-break
names a criterion) and every aspect with the stage it inherits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.document import declaration as d
from scoring.document.checks.index import DUPLICATE, AspectAt, Index, entries, sound_entries
from scoring.document.checks.teams import REQUIRED_FOR, check_team_standings
from scoring.document.tolerant import Broken, code_of, sound
from scoring.i18n import N_
from scoring.rules.types import AggregationMethod, AspectType, AwardBasis, AwardKind, TieBreakKind

M = AggregationMethod
UNKNOWN_STAGE = N_("unknown stage %(code)s")
UNKNOWN_ASPECT = N_("unknown aspect %(code)s")
PARENT_STAGE = N_("must be the parent criterion's stage %(stage)s")
REQUIRED_FOR_METHOD = REQUIRED_FOR
#: The field each kind of award needs on every tier.
TIER_NEEDS = {
    AwardKind.QUOTA_PERCENT: "percent",
    AwardKind.FIXED_COUNT: "count",
    AwardKind.THRESHOLD: "min_total",
    AwardKind.TITLE: "max_rank",
}


def check_scheme(doc: d.Document, ix: Index) -> None:
    if isinstance(doc.scheme, Broken):
        ix.aspects = None
        ix.criterion_paths = None
        return
    for i, entry in enumerate(doc.scheme):
        _criterion(entry, f"scheme[{i}]", None, (), ix)


def _criterion(entry: Any, p: str, parent_stage: str | None, parent_path: tuple[str, ...], ix: Index) -> None:
    """``parent_stage``: None at the top level, "" under a parent whose stage is unknown."""
    crit = entry.repaired if isinstance(entry, Broken) else entry
    code = code_of(entry)
    ix.unique(ix.criteria, code, f"{p}.code")
    if crit is None:
        _salvage(entry.raw, ix)
        return
    stage = parent_stage
    if parent_stage is None:
        stage = crit.stage if ix.resolves(ix.stages, crit.stage, f"{p}.stage", UNKNOWN_STAGE) else ""
    elif crit.stage is not None and parent_stage and crit.stage != parent_stage:
        ix.add(f"{p}.stage", PARENT_STAGE, stage=parent_stage)
    path = parent_path + (code or "?",)
    if ix.criterion_paths is not None:
        ix.criterion_paths.add("/".join(path))
    for name in ("children", "aspects"):
        if isinstance(getattr(crit, name), Broken):
            ix.aspects = ix.criterion_paths = None  # what it held is unknown: references are not judged
    for j, child in enumerate(entries(crit.children)):
        _criterion(child, f"{p}.children[{j}]", stage or "", path, ix)
    for k, aspect in enumerate(entries(crit.aspects)):
        _aspect(aspect, f"{p}.aspects[{k}]", stage or "", "/".join(path), ix)
    if not crit.children and not crit.aspects:
        ix.add(p, N_("must have sub-criteria or aspects"))


def _salvage(raw: Any, ix: Index) -> None:
    """The aspect codes under a criterion that could not be read: known, so marks naming them are
    not reported as unknown, and unusable, so no sum is checked."""
    pending = [raw]  # a loop, not recursion: the raw tree may be nested beyond any limit
    while pending and ix.aspects is not None:
        node = pending.pop()
        if not isinstance(node, dict):
            continue
        children, aspects = node.get("children"), node.get("aspects")
        pending.extend(children if isinstance(children, list) else ())
        for item in aspects if isinstance(aspects, list) else ():
            code = item.get("code") if isinstance(item, dict) else None
            if isinstance(code, str) and code not in ix.aspects:
                ix.aspects[code] = AspectAt(code, "", "", "", None)


def _aspect(entry: Any, p: str, stage: str, criterion: str, ix: Index) -> None:
    code = code_of(entry)
    if ix.aspects is None or code is None:
        return
    if code in ix.aspects:
        ix.add(f"{p}.code", DUPLICATE, code=code, first=ix.aspects[code].path + ".code")
        return
    a = sound(entry)
    before = len(ix.problems)
    if a is not None:
        _aspect_fields(a, p, stage, ix)
    ok = a is not None and len(ix.problems) == before and bool(stage)
    ix.aspects[code] = AspectAt(code, stage, p, criterion, a if ok else None)


def _aspect_fields(a: d.Aspect, p: str, stage: str, ix: Index) -> None:
    if a.stage is not None and stage and a.stage != stage:
        ix.add(f"{p}.stage", PARENT_STAGE, stage=stage)
    if a.max_value is not None and a.max_value < a.min_value:
        ix.add(f"{p}.max_value", N_("must not be below min_value %(min)s"), min=a.min_value)
    if a.type == AspectType.JUDGEMENT:
        if a.scale_max != a.scale_max.to_integral_value():
            ix.add(f"{p}.scale_max", N_("must be a whole number"))
        elif len(a.descriptors) != int(a.scale_max) + 1:
            ix.add(
                f"{p}.descriptors",
                N_("a judgement aspect needs one descriptor for each level 0..%(scale)s (%(need)s), not %(got)s"),
                scale=int(a.scale_max),
                need=int(a.scale_max) + 1,
                got=len(a.descriptors),
            )
    if a.type == AspectType.TIME:
        for key in ("time_target", "time_limit"):
            if getattr(a, key) is None:
                ix.add(f"{p}.{key}", N_("is required for time aspects"))
        if a.time_target is not None and a.time_limit is not None and a.time_limit <= a.time_target:
            ix.add(f"{p}.time_limit", N_("must be greater than time_target %(target)s"), target=a.time_target)
    else:
        for key in ("time_target", "time_limit"):
            if getattr(a, key) is not None:
                ix.add(f"{p}.{key}", N_("only time aspects take this field"))
    check_aggregation(a.aggregation, f"{p}.aggregation", ix)
    if a.aggregation.method == M.WORLDSKILLS and a.type != AspectType.JUDGEMENT:
        ix.add(
            f"{p}.aggregation.method",
            N_("the %(method)s method needs a judgement aspect"),
            method=a.aggregation.method.value,
        )


def check_aggregation(agg: d.Aggregation, p: str, ix: Index, stage_level: bool = False) -> None:
    if agg.method == M.FIG and not agg.bands:
        ix.add(f"{p}.bands", REQUIRED_FOR_METHOD, method=agg.method.value)
    if agg.method == M.ISU_GOE and not agg.param:
        ix.add(f"{p}.param", REQUIRED_FOR_METHOD, method=agg.method.value)
    if stage_level and agg.method in (M.WORLDSKILLS, M.ISU_GOE, M.FIG):
        ix.add(
            f"{p}.method",
            N_("the %(method)s method applies to single aspects, not to a stage"),
            method=agg.method.value,
        )


def check_stages(doc: d.Document, ix: Index) -> None:
    for p, s in sound_entries(doc.stages, "stages"):
        if s.aggregation is not None:
            check_aggregation(s.aggregation, f"{p}.aggregation", ix, stage_level=True)


def check_rules(doc: d.Document, ix: Index) -> None:
    rules = doc.rules.repaired if isinstance(doc.rules, Broken) else doc.rules
    if rules is None:
        return
    for p, tb in sound_entries(rules.tie_breaks, "rules.tie_breaks"):
        _tie_break(tb, f"{p}.ref", ix)
    tier_names: dict[str, str] = {}
    for p, award in sound_entries(rules.awards, "rules.awards"):
        _award(award, p, tier_names, ix)
        if award.basis == AwardBasis.STANDARDISED and rules.standardisation is None:
            ix.add(f"{p}.basis", N_("reads the standardised score: declare rules.standardisation"))
    check_team_standings(rules, tier_names, ix)
    for p, ts in sound_entries(rules.team_standings, "rules.team_standings"):
        team_tiers: dict[str, str] = {}
        for ap, award in sound_entries(ts.awards, f"{p}.awards"):
            _award(award, ap, team_tiers, ix)


def _tie_break(tb: d.TieBreak, p: str, ix: Index) -> None:
    if tb.kind == TieBreakKind.STAGE:
        ix.resolves(ix.stages, tb.ref, p, UNKNOWN_STAGE)
    elif tb.kind == TieBreakKind.CRITERION:
        ix.resolves(ix.criterion_paths, tb.ref, p, N_("unknown criterion %(code)s"))
    elif ix.resolves(ix.aspects, tb.ref, p, UNKNOWN_ASPECT) and tb.kind == TieBreakKind.TIME and ix.aspects:
        at = ix.aspects[tb.ref]
        if at.decl is not None and at.decl.type != AspectType.TIME:
            ix.add(p, N_("aspect %(code)s is not a time aspect"), code=tb.ref)


def _award(award: d.Award, p: str, tier_names: dict[str, str], ix: Index) -> None:
    need = TIER_NEEDS.get(award.kind)
    percent = Decimal(0)
    for tp, tier in sound_entries(award.tiers, f"{p}.tiers"):
        ix.unique(tier_names, tier.name, f"{tp}.name")
        if need is not None and getattr(tier, need) is None:
            ix.add(f"{tp}.{need}", N_("is required for %(kind)s awards"), kind=award.kind.value)
        if award.kind == AwardKind.MEDALS and tier.max_rank is None and tier.min_total is None:
            ix.add(f"{tp}.max_rank", N_("is required for %(kind)s awards"), kind=award.kind.value)
        percent += tier.percent or 0
    if award.kind == AwardKind.QUOTA_PERCENT and percent > 100:
        ix.add(f"{p}.tiers", N_("the tiers' percentages add up to %(sum)s, more than 100"), sum=percent)
