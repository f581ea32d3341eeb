"""One rule's shortcut for a complete set of marks: exactly ``aggregate(...).value``, faster.

Why apart from ``aggregate``: the recompute of a national competition evaluates 200,000 mark sets,
and most are complete and plain; this module gives each rule's value for that case without the
notes and judge lists ``aggregate`` builds, and ``fastpath`` chains it over whole batches. The
tests compare all three on the same marks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from scoring.rules.rounding import quantizer
from scoring.rules.types import ZERO, AggregationMethod, Aspect, AspectType

M = AggregationMethod
FastValue = Callable[[list[Decimal], Mapping[str, Decimal]], Decimal | None]


def fast_value(aspect: Aspect) -> FastValue | None:
    """A shortcut for the common case, or None if this aspect has none.

    Why: a 10,000-contestant recompute aggregates 200,000 aspects; building every note and judge
    list there costs more than the whole budget. The shortcut returns exactly ``aggregate(...).value``
    when *every expected mark is present* (and no one else's), given the raw marks in any order; it
    returns None whenever it is not sure, and the caller then uses ``aggregate``. Tests compare the two.
    Call it inside ``rounding.exact()`` (as ``aggregate`` runs), or unrounded quotients differ.
    """
    agg = aspect.aggregation
    if aspect.type != AspectType.MEASUREMENT or agg.judge_rounding.places is not None or agg.review_gap is not None:
        return None  # (a review gap is a flag: the full rule raises it)
    q = quantizer(agg.rounding)
    method = agg.method
    if method == M.MEAN:

        def mean(vals: list[Decimal], params: Mapping[str, Decimal]) -> Decimal | None:
            return q(sum(vals, ZERO) / len(vals))

        return mean
    if method == M.SUM:

        def total(vals: list[Decimal], params: Mapping[str, Decimal]) -> Decimal | None:
            return q(sum(vals, ZERO))

        return total
    if method == M.MEDIAN:

        def median(vals: list[Decimal], params: Mapping[str, Decimal]) -> Decimal | None:
            n = len(vals)
            vals.sort()
            if n % 2:
                return q(vals[n // 2] / 1)
            return q((vals[n // 2 - 1] + vals[n // 2]) / 2)

        return median
    if method == M.TRIMMED_MEAN:
        t = agg.trim
        t2 = 2 * t

        def trimmed(vals: list[Decimal], params: Mapping[str, Decimal]) -> Decimal | None:
            n = len(vals)
            if n <= t2:
                return None
            vals.sort()
            return q(sum(vals[t : n - t], ZERO) / (n - t2))

        return trimmed
    if method == M.MIDDLE_SUM:
        t = agg.trim
        t2 = 2 * t
        factor = agg.factor
        pname = agg.param

        def middle(vals: list[Decimal], params: Mapping[str, Decimal]) -> Decimal | None:
            n = len(vals)
            if n <= t2:
                return None
            vals.sort()
            value = sum(vals[t : n - t], ZERO) * factor
            if pname is not None:
                p = params.get(pname)
                if p is None:
                    return None
                value = value * p
            return q(value)

        return middle
    return None
