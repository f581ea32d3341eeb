"""From aspect marks to stage scores, weighted stage scores and the total.

Why separate: Chinese rules weight N stages (theory 30 / practical 70, or 25/55/20), each out of
100, and round at declared points; some score a stage by aggregating each judge's own stage
total (5 judges, drop highest and lowest). Missing is not zero: a stage with an aspect that is not
OK has no score, and a total with such a stage has none either, so nobody is ranked on a partial
score by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import cast

from scoring.rules.aggregate import combine, stage_judge_mark
from scoring.rules.rounding import quantize
from scoring.rules.types import ZERO, Aggregation, Aspect, AspectStatus, Rounding, Stage, WeightKind


def stage_sum(values: Sequence[Decimal | None], rounding: Rounding) -> tuple[Decimal | None, Decimal | None]:
    """(stage score, partial score so far) from its aspects' values (None = aspect not OK)."""
    try:
        v = quantize(sum(cast("Sequence[Decimal]", values), ZERO), rounding)
    except TypeError:  # an aspect without value (cheaper than scanning Decimals for None)
        ok = [x for x in values if x is not None]
        return None, (quantize(sum(ok, ZERO), rounding) if ok else None)
    return v, v


def judge_stage_totals(
    aspects: Sequence[Aspect],
    judges: Sequence[str],
    mark: Callable[[str, str], Decimal | None],
    invalid: Collection[str] = (),
) -> list[tuple[str, Decimal | None]]:
    """Each judge's own stage total (None if they have not marked every aspect of the stage).

    ``mark(aspect_code, judge)`` returns the judge's raw entry or None. An aspect in ``invalid``
    (declared so by the technical panel) counts 0 for every judge, marked or not.
    """
    totals: list[tuple[str, Decimal | None]] = []
    for j in judges:
        tot = ZERO
        for a in aspects:
            if a.code in invalid:
                continue
            raw = mark(a.code, j)
            if raw is None:
                totals.append((j, None))
                break
            tot = tot + stage_judge_mark(a, raw)
        else:
            totals.append((j, tot))
    return totals


def stage_from_judges(
    agg: Aggregation, totals: Sequence[tuple[str, Decimal | None]], rounding: Rounding
) -> Decimal | None:
    """The stage score from the judges' stage totals, aggregated by the stage's own rule."""
    out = combine(agg, totals)
    if out.status != AspectStatus.OK:
        return None
    return quantize(quantize(out.value, agg.rounding), rounding)


def weighted_value(stage: Stage, value: Decimal | None, kind: WeightKind) -> Decimal | None:
    """Stage x weight / 100 (PERCENT) or x weight (FACTOR), rounded as the stage declares."""
    if value is None:
        return None
    v = value * stage.weight / 100 if kind == WeightKind.PERCENT else value * stage.weight
    return quantize(v, stage.weighted_rounding)


def total_value(weighted: Sequence[Decimal | None], rounding: Rounding) -> tuple[Decimal | None, Decimal | None]:
    """(total, partial total) from the weighted stage scores; no total while a stage has none."""
    try:
        t = quantize(sum(cast("Sequence[Decimal]", weighted), ZERO), rounding)
    except TypeError:  # a stage without value
        ok = [w for w in weighted if w is not None]
        return None, (quantize(sum(ok, ZERO), rounding) if ok else None)
    return t, t


def stage_marks_lookup(marks: Mapping[tuple[str, str], Decimal]) -> Callable[[str, str], Decimal | None]:
    def get(aspect: str, judge: str) -> Decimal | None:
        return marks.get((aspect, judge))

    return get
