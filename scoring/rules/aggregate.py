"""From the judges' marks for one aspect of one contestant to the aspect's mark.

Why one module: every sport and rulebook differs only in a few choices (which marks to drop,
how to combine the rest, what a missing mark means, where to round), and each result must say
which rule decided it. Keeping the choices in one place, over plain values, is what lets the
same rule run identically in the API, the board and the benchmark.

Decisions this module makes where the rulebooks are silent (all configurable or documented):

* Ties at a trimming line drop *one* instance (90, 90, 85, 85, 88 drops one 90 and one 85). The
  instance dropped is the later judge in panel order (high side) or the earlier one (low side);
  this only affects the ``counted``/``dropped`` lists, never the value.
* If fewer marks than ``2 x trim + 1`` are aggregated (possible with ``aggregate_given``), the trim
  is reduced to ``(n - 1) // 2`` and the note says so.
* SINGLE is complete as soon as one expected judge has entered a mark (a measurement team's agreed
  mark); if several have and they differ, the set is REJECTED until they agree.
* FIG: the score that picks the tolerance band is the trimmed mean rounded by the aspect's
  rounding (the published score). The "middle pair" is the two central marks for an even panel
  and the three central marks for an odd one (the gap is their max - min, so both neighbours of
  the middle mark must be within tolerance).
* Judgement aspects with a method other than WORLDSKILLS/ISU_GOE aggregate the levels and then
  scale by ``max_mark / scale_max``.
* TIME: seconds are aggregated (and rounded by the aspect's rounding); mark = max_mark at or under
  the target, 0 at or over the limit, linear between; only a target: 0 over it; only a limit: full
  marks under it; neither: full marks. The ZERO missing policy is not applied to times (a missing
  time never becomes "0 seconds"): such an aspect waits for every time, like ABSENT.
* MISSING with the ZERO policy: when nobody has marked yet the aspect is MISSING, not 0; zeros fill
  in only once marking of the aspect has started.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from scoring.rules.rounding import exact, quantize
from scoring.rules.technical import goe_step, is_invalid
from scoring.rules.types import (
    ZERO,
    Aggregation,
    AggregationMethod,
    Aspect,
    AspectResult,
    AspectStatus,
    AspectType,
    MissingPolicy,
)

M = AggregationMethod
HUNDRED = Decimal(100)
_EMPTY: Mapping[str, Decimal] = {}
_TRIMMING = (M.TRIMMED_MEAN, M.MIDDLE_SUM, M.ISU_GOE, M.FIG)
# A shortcut for one aspect: its complete marks (sorted in place) and the contestant's parameters -> the value,
# or None when the full rule must decide (see ``fast_value``).


class Outcome:
    """What a combination of judge values decided, before it is attached to an aspect."""

    __slots__ = ("status", "value", "counted", "dropped", "note", "rule", "filled")

    def __init__(
        self,
        status: AspectStatus,
        value: Decimal | None = None,
        counted: tuple[str, ...] = (),
        dropped: tuple[str, ...] = (),
        note: str = "",
        rule: str = "",
        filled: tuple[str, ...] = (),
    ):
        self.status = status
        self.value = value
        self.counted = counted
        self.dropped = dropped
        self.note = note
        self.rule = rule
        self.filled = filled


def param_name(agg: Aggregation) -> str | None:
    """The contestant parameter this aggregation needs (ISU defaults to ``base_value``)."""
    if agg.param:
        return agg.param
    return "base_value" if agg.method == M.ISU_GOE else None


def judge_mark(
    aspect: Aspect, raw: Decimal, base: Decimal | None = None, params: Mapping[str, Decimal] | None = None
) -> Decimal:
    """One judge's entry turned into a mark on the aspect's own scale, rounded per judge.

    Deductions become ``max - deduction`` (floor 0); an ISU GOE grade becomes points: the grade x
    the element's step (``technical.goe_step``: a share of its GOE basis, or a fixed step). Levels, measurements and seconds are kept as entered.
    """
    agg = aspect.aggregation
    if agg.method == M.ISU_GOE:
        value = raw * goe_step(agg, base, params)
    elif aspect.type == AspectType.DEDUCTION:
        value = aspect.max_mark - raw
        if value < 0:
            value = ZERO
    else:
        value = raw
    return quantize(value, agg.judge_rounding)


def stage_judge_mark(aspect: Aspect, raw: Decimal) -> Decimal:
    """A judge's contribution to their own stage total (stage-level aggregation).

    Only the type conversion applies: judgement levels are scaled to marks, deductions subtracted,
    times turned into marks. The aspect's own method (trimming, DD, GOE) belongs to the aspect
    result, not to a single judge's sheet.
    """
    if aspect.type == AspectType.JUDGEMENT:
        value = raw * aspect.max_mark / aspect.scale_max
    elif aspect.type == AspectType.DEDUCTION:
        value = aspect.max_mark - raw
        if value < 0:
            value = ZERO
    elif aspect.type == AspectType.TIME:
        value = time_mark(aspect, raw)
    else:
        value = raw
    return quantize(value, aspect.aggregation.judge_rounding)


def time_mark(aspect: Aspect, seconds: Decimal) -> Decimal:
    target, limit, top = aspect.time_target, aspect.time_limit, aspect.max_mark
    if target is not None and seconds <= target:
        return top
    if limit is not None and seconds >= limit:
        return ZERO
    if target is None:
        return top  # only a limit (and under it), or no limits at all
    if limit is None:
        return ZERO  # only a target, and over it
    return top * (limit - seconds) / (limit - target)


def aggregate(
    aspect: Aspect,
    marks: Mapping[str, Decimal],
    expected: Sequence[str] | None = None,
    params: Mapping[str, Decimal] | None = None,
) -> AspectResult:
    """The aspect result from the judges' entries.

    ``expected`` are the judges who should mark (panel order, recusals removed); marks by anyone
    else are ignored here (``checks`` flags them). ``None`` means no panel is known: the marks
    given are all used, in judge-code order. ``params`` are this contestant's parameters for
    this aspect (``dd``, ``base_value``).
    """
    with exact():
        return _aggregate(aspect, marks, expected, params if params is not None else _EMPTY)


def _aggregate(
    aspect: Aspect, marks: Mapping[str, Decimal], expected: Sequence[str] | None, params: Mapping[str, Decimal]
) -> AspectResult:
    agg = aspect.aggregation
    judges = tuple(expected) if expected is not None else tuple(sorted(marks))
    code = aspect.code
    if is_invalid(params):  # the technical panel's "-": 0, GOE 0, whatever was entered
        zero = quantize(ZERO, agg.rounding)
        return AspectResult(code, AspectStatus.OK, zero, note="declared invalid by the technical panel", rule="invalid")
    if not any(j in marks for j in judges):
        return AspectResult(code, AspectStatus.MISSING, note="no marks yet", rule="missing")
    pname = param_name(agg)
    pval = None
    if pname is not None:
        pval = params.get(pname)
        if pval is None and agg.method in (M.ISU_GOE, M.MIDDLE_SUM):
            return AspectResult(code, AspectStatus.INCOMPLETE, note=f"parameter {pname} missing", rule="param_missing")
    values = [(j, judge_mark(aspect, marks[j], pval, params) if j in marks else None) for j in judges]
    policy = agg.missing
    if aspect.type == AspectType.TIME and policy == MissingPolicy.ZERO:
        policy = MissingPolicy.ABSENT
    out = combine(agg, values, max_mark=aspect.max_mark, scale_max=aspect.scale_max, param=pval, policy=policy)
    seconds = None
    if out.status == AspectStatus.OK:
        value = out.value
        assert value is not None  # an OK outcome always carries its value
        if aspect.type == AspectType.JUDGEMENT and agg.method not in (M.WORLDSKILLS, M.ISU_GOE):
            value = value * aspect.max_mark / aspect.scale_max
        elif aspect.type == AspectType.TIME:
            seconds = quantize(value, agg.rounding)
            value = time_mark(aspect, seconds)
        out.value = quantize(value, agg.rounding)
    return AspectResult(code, out.status, out.value, out.counted, out.dropped, out.note, seconds, out.rule, out.filled)


def combine(
    agg: Aggregation,
    values: Sequence[tuple[str, Decimal | None]],
    *,
    max_mark: Decimal = HUNDRED,
    scale_max: Decimal = Decimal(3),
    param: Decimal | None = None,
    policy: MissingPolicy | None = None,
) -> Outcome:
    """Apply the missing policy and the method to judge values (``None`` = not given), in panel order.

    Used for one aspect (values are judge marks) and for stage-level aggregation (values are the
    judges' stage totals). The value is *not* yet rounded by ``agg.rounding`` (the caller may still
    scale it), except for ISU, whose mean is a declared rounding step of its own.
    """
    policy = policy or agg.missing
    given = [(j, v) for j, v in values if v is not None]
    if not given:
        return Outcome(AspectStatus.MISSING, note="no marks yet", rule="missing")
    method = agg.method
    if method == M.SINGLE:
        distinct = {v for _, v in given}
        judges = tuple(j for j, _ in given)
        if len(distinct) > 1:
            return Outcome(
                AspectStatus.REJECTED,
                counted=judges,
                note="single: the marks differ, agree on one",
                rule="single:disagree",
            )
        return Outcome(AspectStatus.OK, given[0][1], judges, (), "single mark", "single")
    missing = [j for j, v in values if v is None]
    filled: tuple[str, ...] = ()
    pairs = given
    if missing:
        n_all = len(values)
        if policy == MissingPolicy.ABSENT:
            return Outcome(AspectStatus.INCOMPLETE, note=f"{len(given)} of {n_all} marks", rule="incomplete")
        if policy == MissingPolicy.AGGREGATE_GIVEN:
            if len(given) < agg.min_marks:
                return Outcome(
                    AspectStatus.INCOMPLETE, note=f"{len(given)} marks, {agg.min_marks} needed", rule="incomplete"
                )
        else:
            if policy == MissingPolicy.MEAN_OF_GIVEN:
                fill = quantize(sum((v for _, v in given), ZERO) / len(given), agg.judge_rounding)
            else:  # ZERO
                fill = ZERO
            pairs = [(j, fill if v is None else v) for j, v in values]
            filled = tuple(missing)
    out = _method(agg, pairs, max_mark, scale_max, param)
    out.filled = filled
    if filled:
        out.note = f"{out.note}; {policy.value} for {', '.join(filled)}"
    elif missing:
        out.note = f"{out.note}; {len(given)} of {len(values)} marks"
    return out


def effective_trim(agg: Aggregation, n: int) -> tuple[int, str]:
    t = agg.trim
    if t > 0 and n <= 2 * t:
        t = (n - 1) // 2
        return t, f" (trim reduced to {t})"
    return t, ""


def _method(
    agg: Aggregation, pairs: list[tuple[str, Decimal]], max_mark: Decimal, scale_max: Decimal, param: Decimal | None
) -> Outcome:
    method = agg.method
    n = len(pairs)
    vals = [v for _, v in pairs]
    names = [j for j, _ in pairs]
    order = sorted(range(n), key=vals.__getitem__)  # stable: ties keep panel order
    everyone = tuple(names)

    def pick(idx: Sequence[int]) -> tuple[str, ...]:
        return tuple(names[i] for i in sorted(idx))

    if method == M.MEAN:
        return Outcome(AspectStatus.OK, sum(vals, ZERO) / n, everyone, (), f"mean of {n}", "mean")
    if method == M.SUM:
        return Outcome(AspectStatus.OK, sum(vals, ZERO), everyone, (), f"sum of {n}", "sum")
    if method == M.MEDIAN:
        mid = [order[n // 2]] if n % 2 else order[n // 2 - 1 : n // 2 + 1]
        value = sum((vals[i] for i in mid), ZERO) / len(mid)
        rest = [i for i in order if i not in mid]
        return Outcome(AspectStatus.OK, value, pick(mid), pick(rest), f"median of {n}", "median")
    if method == M.WORLDSKILLS:
        lo, hi = vals[order[0]], vals[order[-1]]
        if agg.spread is not None and hi - lo > agg.spread:
            return Outcome(
                AspectStatus.REJECTED,
                None,
                everyone,
                (),
                f"worldskills: spread {hi - lo} > {agg.spread}, re-mark",
                "worldskills:spread",
            )
        value = max_mark * sum(vals, ZERO) / (scale_max * n)
        return Outcome(
            AspectStatus.OK, value, everyone, (), f"worldskills: max x sum/({scale_max} x {n})", "worldskills"
        )
    if method == M.FIG:
        return _fig(agg, vals, names, order, pick)
    # trimming methods
    t, reduced = effective_trim(agg, n)
    keep = order[t : n - t]
    drop = order[:t] + order[n - t :]
    kept_sum = sum((vals[i] for i in keep), ZERO)
    if method == M.TRIMMED_MEAN:
        return Outcome(
            AspectStatus.OK,
            kept_sum / len(keep),
            pick(keep),
            pick(drop),
            f"trimmed mean: {t} high and {t} low dropped{reduced}",
            "trimmed_mean",
        )
    if method == M.MIDDLE_SUM:
        value = kept_sum * agg.factor
        note = f"middle sum of {len(keep)}"
        if agg.factor != 1:
            note += f" x {agg.factor}"
        if param is not None:
            value = value * param
            note += f" x {agg.param} {param}"
        return Outcome(AspectStatus.OK, value, pick(keep), pick(drop), note + reduced, "middle_sum")
    if method == M.ISU_GOE:
        mean = quantize(kept_sum / len(keep), agg.rounding)
        base = param if param is not None else ZERO
        return Outcome(
            AspectStatus.OK,
            base + mean,
            pick(keep),
            pick(drop),
            f"isu: base {base} + trimmed mean GOE {mean}{reduced}",
            "isu_goe",
        )
    raise ValueError(f"unknown aggregation method {method!r}")


def _fig(
    agg: Aggregation,
    vals: list[Decimal],
    names: list[str],
    order: list[int],
    pick: Callable[[Sequence[int]], tuple[str, ...]],
) -> Outcome:
    n = len(vals)
    t, reduced = effective_trim(agg, n)
    keep = order[t : n - t]
    drop = order[:t] + order[n - t :]
    trimmed = sum((vals[i] for i in keep), ZERO) / len(keep)
    score = quantize(trimmed, agg.rounding)
    if n < 2:
        return Outcome(AspectStatus.OK, trimmed, pick(keep), pick(drop), "fig: one mark", "fig:trimmed")
    central = order[n // 2 - 1 : n // 2 + 1] if n % 2 == 0 else order[n // 2 - 1 : n // 2 + 2]
    cv = [vals[i] for i in central]
    gap = max(cv) - min(cv)
    band = next((b for b in sorted(agg.bands, key=lambda b: b.min_score, reverse=True) if score >= b.min_score), None)
    if band is None:
        return Outcome(
            AspectStatus.OK,
            trimmed,
            pick(keep),
            pick(drop),
            f"fig: no tolerance band for {score}{reduced}",
            "fig:trimmed",
        )
    if gap > band.max_gap:
        return Outcome(
            AspectStatus.OK,
            sum(vals, ZERO) / n,
            tuple(names),
            (),
            f"fig: gap {gap} > {band.max_gap}, mean of all",
            "fig:mean_of_all",
        )
    return Outcome(
        AspectStatus.OK,
        trimmed,
        pick(keep),
        pick(drop),
        f"fig: gap {gap} <= {band.max_gap}, trimmed mean{reduced}",
        "fig:trimmed",
    )
