"""Checks of the whole: stage weights, what each group is marked on per stage (a panel, aspects
that add up to the stage's full mark), panel sizes that fit the aggregation, and the
per-contestant parameters an aggregation multiplies in."""

from __future__ import annotations

from decimal import Decimal

from scoring.document import declaration as d
from scoring.document.checks.index import AspectAt, Index, PanelAt, entries
from scoring.document.model import group_aspects
from scoring.document.tolerant import Broken, field_of, sound
from scoring.i18n import N_
from scoring.rules.technical import is_invalid
from scoring.rules.types import AggregationMethod, WeightKind

M = AggregationMethod
# Aggregations whose result is not bounded by the aspects' max marks (so the scheme sum is not checked).
UNBOUNDED = {M.MIDDLE_SUM, M.ISU_GOE, M.SUM}
TRIMMING = (M.TRIMMED_MEAN, M.MIDDLE_SUM, M.ISU_GOE, M.FIG)


def check_weights(doc: d.Document, ix: Index) -> None:
    if isinstance(doc.stages, Broken):
        return
    kind = field_of(doc.rules, "weight_kind")
    weights = [field_of(s, "weight") for s in doc.stages]
    if doc.stages and kind == WeightKind.PERCENT and all(w is not None for w in weights):
        total = sum(weights, Decimal(0))
        if total != 100:
            ix.add("stages", N_("the stage weights add up to %(sum)s, not 100"), sum=total)
    for i, (stage, weight) in enumerate(zip(doc.stages, weights)):
        cap = field_of(stage, "max_weight")
        if kind == WeightKind.FACTOR and weight is not None and weight <= 0:
            ix.add(f"stages[{i}].weight", N_("must be greater than %(min)s"), min=0)
        if cap is not None and weight is not None and weight > cap:
            ix.add(
                f"stages[{i}].weight",
                N_("the weight %(weight)s is above this stage's cap of %(cap)s"),
                weight=weight,
                cap=cap,
            )


def check_groups(doc: d.Document, ix: Index) -> None:
    """Per group and stage: a panel, aspects, their sum, panel sizes; then the parameters."""
    aspects = ix.sound_aspects()
    if aspects is None or ix.panels is None or ix.groups is None:
        return  # the sums and panel checks would only repeat the aspects' or panels' own problems
    stages = [(i, s) for i, s in enumerate(entries(doc.stages)) if sound(s) is not None]
    for group in ix.groups:
        for i, s in stages:
            _group_stage(group, i, s, aspects, ix.panels, ix)
    for i, entry in enumerate(entries(doc.contestants)):
        c = sound(entry)
        if c is None or c.withdrawn or c.group not in ix.groups:
            continue
        for _, s in stages:
            for a in group_aspects(aspects, ix.panels, c.group, s.code):
                name = a.decl.aggregation.param  # type: ignore[union-attr]
                given = c.params.get(a.code, {})
                if name and name not in given and not is_invalid(given):
                    ix.add(
                        f"contestants[{i}].params.{a.code}.{name}",
                        N_("is required: aspect %(aspect)s multiplies it in"),
                        aspect=a.code,
                    )


def _group_stage(group: str, i: int, s: d.Stage, aspects: list[AspectAt], panels: list[PanelAt], ix: Index) -> None:
    mine_panels = [x for x in panels if x.group == group and x.stage == s.code]
    if not mine_panels:
        ix.add(f"stages[{i}]", N_("group %(group)s has no panel for stage %(stage)s"), group=group, stage=s.code)
        return
    mine = group_aspects(aspects, panels, group, s.code)
    if not mine:
        ix.add(f"stages[{i}]", N_("group %(group)s has no aspects in stage %(stage)s"), group=group, stage=s.code)
        return
    aggs = [a.decl.aggregation for a in mine]  # type: ignore[union-attr]
    if not any(g.method in UNBOUNDED or g.factor != 1 or g.param for g in aggs):
        total = sum((a.decl.max_mark for a in mine), Decimal(0))  # type: ignore[union-attr]
        if total != s.max_mark:
            ix.add(
                f"stages[{i}].max_mark",
                N_("the aspects of stage %(stage)s for group %(group)s add up to %(sum)s, not %(max)s"),
                stage=s.code,
                group=group,
                sum=total,
                max=s.max_mark,
            )
    if s.aggregation is not None:
        if len(mine_panels) > 1:
            ix.add(
                f"stages[{i}].aggregation",
                N_(
                    "a stage aggregated across judges needs one panel per group marking all its aspects "
                    "(group %(group)s has %(count)s)"
                ),
                group=group,
                count=len(mine_panels),
            )
        _panel_size(s.aggregation, len(mine_panels[0].judges), f"stages[{i}].aggregation", group, s.code, ix)
        return
    for a, agg in zip(mine, aggs):
        judges = {j for x in mine_panels if not x.aspects or a.code in x.aspects for j in x.judges}
        _panel_size(agg, len(judges), f"{a.path}.aggregation", group, a.code, ix)


def _panel_size(agg: d.Aggregation, n: int, p: str, group: str, what: str, ix: Index) -> None:
    if agg.method == M.SINGLE and n != 1:
        ix.add(
            p,
            N_("the single method takes exactly one judge; group %(group)s has %(have)s for %(what)s"),
            group=group,
            have=n,
            what=what,
        )
    elif agg.method in TRIMMING and n <= 2 * agg.trim:
        ix.add(
            p,
            N_(
                "trimming %(trim)s high and low marks needs more than %(need)s judges; "
                "group %(group)s has %(have)s for %(what)s"
            ),
            trim=agg.trim,
            need=2 * agg.trim,
            group=group,
            have=n,
            what=what,
        )
