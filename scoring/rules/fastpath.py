"""Shortcuts that make a 1,000,000-mark recompute fit in a second, without a second rule.

Why: on a 2-core machine the Python interpreter, not Decimal arithmetic, is the bottleneck of a
recompute of 200,000 five-mark sets: a loop iteration with a function call per aspect costs as
much as the arithmetic itself. When a contestant's marks arrive complete and in canonical order,
all aspects that share one rule and panel size are evaluated together by a chain of C-level
``map`` calls (slice, sort, pick the middle, sum, divide, quantize), with no Python bytecode per
aspect. Each chain performs exactly the operations of ``fastvalue.fast_value`` for its rule, which
in turn returns exactly ``aggregate(...).value`` (the tests compare all three).

(Memoising results by the multiset of marks was tried and dropped: hashing a freshly parsed
Decimal costs more than aggregating five of them.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from operator import itemgetter, mul, truediv

from scoring.rules.fastvalue import FastValue, fast_value
from scoring.rules.rounding import quantize_each
from scoring.rules.types import ZERO, Aggregation, AggregationMethod, Aspect, AspectType

M = AggregationMethod
ONE, TWO = Decimal(1), Decimal(2)
Batch = Callable[[list[Decimal], Sequence[slice]], list[Decimal]]
RuleKey = tuple[AspectType, Aggregation]


def batch_evaluator(aspect: Aspect, n: int) -> Batch | None:
    """``f(values, slices)`` -> the shortcut value of each slice (a set of n marks) for aspects
    with this aspect's rule, or None when the rule has no batch shortcut for n marks.

    Call inside ``rounding.exact()``, like ``fast_value``.
    """
    agg = aspect.aggregation
    if (
        aspect.type != AspectType.MEASUREMENT
        or agg.judge_rounding.places is not None
        or agg.param
        or fast_value(aspect) is None
        or n < 1
    ):
        return None
    rounding = agg.rounding

    def rounded(values: Iterable[Decimal]) -> list[Decimal]:
        return list(quantize_each(values, rounding))

    # Sums start at Decimal 0 and divisors are Decimals: the same values as ``fast_value``'s
    # ``sum(...) / int`` (an int converts exactly), without converting an int on every call.
    zero, dn = repeat(ZERO), Decimal(n)
    method = agg.method
    if method == M.MEAN:

        def mean(vals: list[Decimal], slices: Sequence[slice]) -> list[Decimal]:
            return rounded(map(truediv, map(sum, map(vals.__getitem__, slices), zero), repeat(dn)))

        return mean
    if method == M.SUM:

        def total(vals: list[Decimal], slices: Sequence[slice]) -> list[Decimal]:
            return rounded(map(sum, map(vals.__getitem__, slices), zero))

        return total
    if method == M.MEDIAN:
        if n % 2:
            middle = itemgetter(n // 2)

            def median_odd(vals: list[Decimal], slices: Sequence[slice]) -> list[Decimal]:
                return rounded(map(truediv, map(middle, map(sorted, map(vals.__getitem__, slices))), repeat(ONE)))

            return median_odd
        pair = itemgetter(slice(n // 2 - 1, n // 2 + 1))

        def median_even(vals: list[Decimal], slices: Sequence[slice]) -> list[Decimal]:
            return rounded(
                map(truediv, map(sum, map(pair, map(sorted, map(vals.__getitem__, slices))), zero), repeat(TWO))
            )

        return median_even
    t = agg.trim
    k = n - 2 * t
    if k <= 0:
        return None
    keep = itemgetter(slice(t, n - t))
    dk = Decimal(k)
    if method == M.TRIMMED_MEAN:

        def trimmed(vals: list[Decimal], slices: Sequence[slice]) -> list[Decimal]:
            return rounded(
                map(truediv, map(sum, map(keep, map(sorted, map(vals.__getitem__, slices))), zero), repeat(dk))
            )

        return trimmed
    if method == M.MIDDLE_SUM:
        factor = agg.factor

        def middle_sum(vals: list[Decimal], slices: Sequence[slice]) -> list[Decimal]:
            return rounded(
                map(mul, map(sum, map(keep, map(sorted, map(vals.__getitem__, slices))), zero), repeat(factor))
            )

        return middle_sum
    return None


class FastPath:
    """Per-engine shortcut evaluators: one per aspect, and batch evaluators per (rule, panel size)."""

    __slots__ = ("fns", "_aspects", "_batches")

    def __init__(self, aspects: Sequence[Aspect]):
        self._aspects = tuple(aspects)
        shared: dict[RuleKey, FastValue | None] = {}
        self.fns: list[FastValue | None] = []
        for a in self._aspects:
            key = (a.type, a.aggregation)
            if key not in shared:
                shared[key] = fast_value(a)
            self.fns.append(shared[key])
        self._batches: dict[tuple[RuleKey, int], Batch | None] = {}

    def rule_key(self, i: int) -> RuleKey:
        a = self._aspects[i]
        return (a.type, a.aggregation)

    def batch(self, i: int, n: int) -> Batch | None:
        """The batch evaluator for aspect i's rule with n marks per set (shared by equal rules)."""
        key = (self.rule_key(i), n)
        if key not in self._batches:
            self._batches[key] = batch_evaluator(self._aspects[i], n)
        return self._batches[key]

    def value(self, i: int, vals: list[Decimal], params: Mapping[str, Decimal]) -> Decimal | None:
        """The shortcut value for aspect i from its complete marks (None: use the full rule)."""
        f = self.fns[i]
        return None if f is None or not vals else f(vals, params)  # no marks expected: the full rule says so
