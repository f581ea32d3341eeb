"""Is a rule set and marking scheme usable, before the first mark? (pure; returns every problem)

Why: a scheme is frozen before the event; a weight that does not add up, a tie-break naming a
stage that does not exist or a judgement aspect without level descriptors must be found while it
can still be fixed, not when results are being published. Paths name the field the organiser must
change (``stages[theory].weight``); messages are English ids marked for translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from scoring.errors import Problem
from scoring.i18n import N_
from scoring.rules.marks import highest_value
from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    AspectType,
    AwardKind,
    CompetitionInput,
    MissingPolicy,
    Panel,
    Rules,
    Scheme,
    Stage,
    TieBreakKind,
    WeightKind,
)

M = AggregationMethod
HUNDRED = Decimal(100)
# Results not bounded by the aspect's max mark (DD, base values, plain sums): excluded from the
# "aspects add up to the stage's max mark" check.
UNBOUNDED = (M.MIDDLE_SUM, M.ISU_GOE, M.SUM)
TRIMMING = (M.TRIMMED_MEAN, M.MIDDLE_SUM, M.ISU_GOE, M.FIG)
TRIM_PANEL = N_("trimming %(trim)s high and low marks needs more than %(need)s judges; panel %(panel)s has %(have)s")


class _Add(Protocol):
    """Records one problem: field path, message id, parameters for the message."""

    def __call__(self, path: str, msgid: str, **params: object) -> None: ...


def _f(value: Decimal | int | None) -> str:
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def validate_config(
    rules: Rules | CompetitionInput, scheme: Scheme | None = None, panels: Sequence[Panel] = ()
) -> list[Problem]:
    """Every problem found in the rules and scheme (and panels, when given).

    Also accepts a whole ``CompetitionInput`` as the only argument (its rules, scheme and panels).
    """
    if isinstance(rules, CompetitionInput):
        whole = rules
        rules, scheme, panels = whole.rules, whole.scheme, whole.panels
    if scheme is None:
        raise TypeError("validate_config needs a scheme")
    out: list[Problem] = []

    def add(path: str, msgid: str, **params: object) -> None:
        out.append(
            Problem(
                path,
                msgid,
                {
                    k: _f(v) if isinstance(v, (Decimal, int)) and not isinstance(v, bool) else v
                    for k, v in params.items()
                },
            )
        )

    stage_codes = [s.code for s in scheme.stages]
    stages = {s.code: s for s in scheme.stages}
    aspects = {a.code: a for a in scheme.aspects}
    _stages(rules, scheme, add, stage_codes)
    _aspects(scheme, add, stages)
    _stage_sums(scheme, add)
    _panels(scheme, panels, add, stages, aspects)
    _tie_breaks(rules, scheme, add, stages, aspects)
    _awards(rules, add)
    r = rules.review
    if r.top_n < 0:
        add("rules.review.top_n", N_("must not be negative"))
    if not (0 <= r.sample_percent <= 100):
        add("rules.review.sample_percent", N_("must be between 0 and 100"))
    if not (0 <= r.full_recheck_error_rate <= 100):
        add("rules.review.full_recheck_error_rate", N_("must be between 0 and 100"))
    if rules.checks.outlier_distance is not None and rules.checks.outlier_distance <= 0:
        add("rules.checks.outlier_distance", N_("must be greater than 0"))
    return out


def _stages(rules: Rules, scheme: Scheme, add: _Add, stage_codes: list[str]) -> None:
    if not scheme.stages:
        add("stages", N_("must not be empty"))
    seen = set()
    for s in scheme.stages:
        p = f"stages[{s.code}]"
        if s.code in seen:
            add(p, N_("the code %(code)s is used twice"), code=s.code)
        seen.add(s.code)
        if s.weight < 0:
            add(f"{p}.weight", N_("must not be negative"))
        if s.max_weight is not None and s.weight > s.max_weight:
            add(
                f"{p}.weight",
                N_("weight %(weight)s is above this stage's cap of %(cap)s"),
                weight=s.weight,
                cap=s.max_weight,
            )
        if s.max_mark <= 0:
            add(f"{p}.max_mark", N_("must be greater than 0"))
        if s.aggregation is not None:
            _aggregation(s.aggregation, f"{p}.aggregation", add)
            if s.aggregation.method in (M.WORLDSKILLS, M.ISU_GOE, M.FIG):
                add(
                    f"{p}.aggregation.method",
                    N_("the %(method)s method applies to single aspects, not to a stage"),
                    method=s.aggregation.method.value,
                )
    if rules.weight_kind == WeightKind.PERCENT and scheme.stages:
        total = sum((s.weight for s in scheme.stages), Decimal(0))
        if total != HUNDRED:
            add("stages", N_("the stage weights add up to %(sum)s, not 100"), sum=total)


def _aggregation(agg: Aggregation, p: str, add: _Add) -> None:
    if agg.trim < 0:
        add(f"{p}.trim", N_("must not be negative"))
    if agg.min_marks < 1:
        add(f"{p}.min_marks", N_("must be at least 1"))
    if agg.method in TRIMMING and agg.missing == MissingPolicy.AGGREGATE_GIVEN and agg.min_marks <= 2 * agg.trim:
        add(
            f"{p}.min_marks",
            N_("trimming %(trim)s high and low marks needs at least %(need)s marks"),
            trim=agg.trim,
            need=2 * agg.trim + 1,
        )
    if agg.method == M.FIG and not agg.bands:
        add(f"{p}.bands", N_("is required for the %(method)s method"), method=agg.method.value)
    if agg.method == M.WORLDSKILLS and agg.spread is not None and agg.spread < 0:
        add(f"{p}.spread", N_("must not be negative"))
    if agg.goe_step is not None and (agg.goe_step <= 0 or agg.method != M.ISU_GOE):
        add(f"{p}.goe_step", N_("must be greater than 0, with the isu_goe method"))
    if agg.review_gap is not None and agg.review_gap < 0:
        add(f"{p}.review_gap", N_("must not be negative"))
    for name, r in (("judge_rounding", agg.judge_rounding), ("rounding", agg.rounding)):
        if r.places is not None and not (-6 <= r.places <= 10):
            add(f"{p}.{name}.places", N_("must be between %(low)s and %(high)s"), low=-6, high=10)


def _aspects(scheme: Scheme, add: _Add, stages: dict[str, Stage]) -> None:
    seen = set()
    for a in scheme.aspects:
        p = f"aspects[{a.code}]"
        if a.code in seen:
            add(p, N_("the code %(code)s is used twice"), code=a.code)
        seen.add(a.code)
        if a.stage not in stages:
            add(f"{p}.stage", N_("there is no stage %(code)s"), code=a.stage)
        if a.max_mark < 0:
            add(f"{p}.max_mark", N_("must not be negative"))
        if a.step is not None and a.step <= 0:
            add(f"{p}.step", N_("must be greater than 0"))
        top = highest_value(a)
        if top is not None and a.min_value > top:
            add(f"{p}.min_value", N_("is above the highest allowed value %(max)s"), max=top)
        agg = a.aggregation
        _aggregation(agg, f"{p}.aggregation", add)
        if a.type == AspectType.JUDGEMENT:
            if a.scale_max < 1 or a.scale_max != a.scale_max.to_integral_value():
                add(f"{p}.scale_max", N_("must be a whole number of at least 1"))
            else:
                levels = int(a.scale_max) + 1
                if len(a.descriptors) != levels or any(not str(d).strip() for d in a.descriptors):
                    add(
                        f"{p}.descriptors",
                        N_("a judgement aspect needs a description for each level 0 to %(top)s"),
                        top=int(a.scale_max),
                    )
        if a.type == AspectType.TIME:
            if a.time_target is not None and a.time_limit is not None and a.time_target >= a.time_limit:
                add(f"{p}.time_limit", N_("must be greater than the time target %(target)s"), target=a.time_target)
            if agg.missing == MissingPolicy.ZERO:
                add(f"{p}.aggregation.missing", N_("a missing time cannot count as zero; use absent"))
        if agg.method == M.ISU_GOE and a.type != AspectType.MEASUREMENT:
            add(
                f"{p}.aggregation.method",
                N_("the %(method)s method needs a measurement aspect (the GOE grade)"),
                method=agg.method.value,
            )


def _stage_sums(scheme: Scheme, add: _Add) -> None:
    for s in scheme.stages:
        members = [a for a in scheme.aspects if a.stage == s.code]
        if not members:
            add(f"stages[{s.code}]", N_("the stage has no aspects"))
            continue
        if any(a.aggregation.method in UNBOUNDED for a in members):
            continue
        total = sum((a.max_mark for a in members), Decimal(0))
        if total != s.max_mark:
            add(
                f"stages[{s.code}].max_mark",
                N_("the aspects of this stage add up to %(sum)s marks, not %(max)s"),
                sum=total,
                max=s.max_mark,
            )


def _panels(
    scheme: Scheme, panels: Sequence[Panel], add: _Add, stages: dict[str, Stage], aspects: dict[str, Aspect]
) -> None:
    for k, panel in enumerate(panels):
        p = f"panels[{k}]"
        if panel.stage not in stages:
            add(f"{p}.stage", N_("there is no stage %(code)s"), code=panel.stage)
            continue
        n = len(panel.judges)
        if len(set(panel.judges)) != n:
            add(f"{p}.judges", N_("a judge is listed twice"))
        covered = []
        for code in panel.aspects:
            a = aspects.get(code)
            if a is None or a.stage != panel.stage:
                add(f"{p}.aspects", N_("aspect %(code)s is not in stage %(stage)s"), code=code, stage=panel.stage)
            else:
                covered.append(a)
        if not panel.aspects:
            covered = [a for a in scheme.aspects if a.stage == panel.stage]
        for a in covered:
            agg = a.aggregation
            if agg.method in TRIMMING and n <= 2 * agg.trim:
                add(
                    f"aspects[{a.code}].aggregation.trim",
                    TRIM_PANEL,
                    trim=agg.trim,
                    need=2 * agg.trim,
                    panel=f"{panel.group}/{panel.stage}",
                    have=n,
                )
        sagg = stages[panel.stage].aggregation
        if sagg is not None and sagg.method in TRIMMING and n <= 2 * sagg.trim:
            add(
                f"stages[{panel.stage}].aggregation.trim",
                TRIM_PANEL,
                trim=sagg.trim,
                need=2 * sagg.trim,
                panel=f"{panel.group}/{panel.stage}",
                have=n,
            )


def _tie_breaks(rules: Rules, scheme: Scheme, add: _Add, stages: dict[str, Stage], aspects: dict[str, Aspect]) -> None:
    criteria = set()
    for a in scheme.aspects:
        parts = a.criterion.split("/") if a.criterion else []
        for i in range(1, len(parts) + 1):
            criteria.add("/".join(parts[:i]))
    for k, tb in enumerate(rules.tie_breaks):
        p = f"rules.tie_breaks[{k}].ref"
        if tb.kind == TieBreakKind.STAGE and tb.ref not in stages:
            add(p, N_("there is no stage %(code)s"), code=tb.ref)
        elif tb.kind in (TieBreakKind.ASPECT, TieBreakKind.TIME) and tb.ref not in aspects:
            add(p, N_("there is no aspect %(code)s"), code=tb.ref)
        elif tb.kind == TieBreakKind.TIME and aspects[tb.ref].type != AspectType.TIME:
            add(p, N_("aspect %(code)s is not a time aspect"), code=tb.ref)
        elif tb.kind == TieBreakKind.CRITERION and tb.ref not in criteria:
            add(p, N_("there is no criterion %(code)s"), code=tb.ref)


def _awards(rules: Rules, add: _Add) -> None:
    for k, rule in enumerate(rules.awards):
        p = f"rules.awards[{k}]"
        if not rule.tiers:
            add(f"{p}.tiers", N_("must not be empty"))
        if rule.kind == AwardKind.QUOTA_PERCENT:
            total = Decimal(0)
            for i, t in enumerate(rule.tiers):
                if t.percent is None:
                    add(f"{p}.tiers[{i}].percent", N_("is required for the %(kind)s award"), kind=rule.kind.value)
                elif not (0 < t.percent <= 100):
                    add(f"{p}.tiers[{i}].percent", N_("must be more than 0 and at most 100"))
                else:
                    total += t.percent
            if total > HUNDRED:
                add(f"{p}.tiers", N_("the tier percentages add up to %(sum)s, more than 100"), sum=total)
        elif rule.kind == AwardKind.FIXED_COUNT:
            for i, t in enumerate(rule.tiers):
                if t.count is None or t.count < 0:
                    add(f"{p}.tiers[{i}].count", N_("is required for the %(kind)s award"), kind=rule.kind.value)
        elif rule.kind == AwardKind.THRESHOLD:
            for i, t in enumerate(rule.tiers):
                if t.min_total is None:
                    add(f"{p}.tiers[{i}].min_total", N_("is required for the %(kind)s award"), kind=rule.kind.value)
        elif rule.kind == AwardKind.MEDALS:
            for i, t in enumerate(rule.tiers):
                if t.max_rank is None and t.min_total is None:
                    add(f"{p}.tiers[{i}]", N_("a medal tier needs a max_rank or a min_total"))
        elif rule.kind == AwardKind.TITLE:
            for i, t in enumerate(rule.tiers):
                if t.max_rank is None:
                    add(f"{p}.tiers[{i}].max_rank", N_("is required for the %(kind)s award"), kind=rule.kind.value)
        for i, t in enumerate(rule.tiers):
            if t.max_rank is not None and t.max_rank < 1:
                add(f"{p}.tiers[{i}].max_rank", N_("must be at least 1"))
