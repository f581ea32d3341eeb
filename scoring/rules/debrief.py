"""A judge's debrief: each of their marks against the panel's counting marks (pure).

Why: the chief judge's debrief after a competition ("where did you differ from the panel, and
how much?") reads the same statistics the console shows while marking, item by item. Nothing
here changes a result.

Conventions:

- An **item** is one of the judge's marks (contestant, aspect). Its **reference** is the counting
  marks of the same cell: every judge's but a trainee's (``rules.cells.Trainees``, asked through
  ``trainee``). A counting judge's own mark is part of its reference, as in ``checks.judge_severity``;
  a trainee's never is, so a trainee is compared with the counting panel alone.
- Entries are compared as typed (levels, deductions, seconds), like every judge statistic.
- An item is **compared** when its reference has at least two marks (a counting judge) or at least
  one (a trainee); its mean, median, difference (mark − mean) and z-score (``checks.z_score``:
  0 where the panel agreed exactly) are then given, else left None.
- The **outlier** flag is ``checks.outlier_flags`` over the reference and the judge's mark (a
  trainee's mark joins the reference for this question only): the mark is more than the declared
  distance from the mean of the others. No distance declared: no flags.
- The summary: items compared, mean difference, mean absolute difference, mean z, outlier flags,
  and the correlation (Pearson's r) of the judge's marks with the panel means over the compared
  items (None with fewer than three, or when either side does not vary).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.rules.checks import outlier_flags, panel_stats, z_score
from scoring.rules.rounding import exact, quantize
from scoring.rules.types import ZERO, Mark, Rounding, SdKind

_PLACES = Rounding(4)


@dataclass(frozen=True)
class DebriefItem:
    contestant: str
    aspect: str
    value: Decimal
    panel: int  # how many counting marks the reference has
    mean: Decimal | None = None
    median: Decimal | None = None
    difference: Decimal | None = None
    z: Decimal | None = None
    outlier: bool = False


@dataclass(frozen=True)
class Debrief:
    judge: str
    trainee: bool  # every mark of the judge is a trainee's
    items: tuple[DebriefItem, ...]
    compared: int
    mean_difference: Decimal | None
    mean_absolute: Decimal | None
    mean_z: Decimal | None
    outliers: int
    correlation: Decimal | None


def debrief(
    judge: str,
    marks: Iterable[Mark],
    trainee: Callable[[Mark], bool],
    outlier_distance: Decimal | None = None,
    kind: SdKind = SdKind.SAMPLE,
    order: Callable[[Mark], Any] | None = None,
) -> Debrief:
    """The debrief of ``judge`` from every counting mark of the competition (trainees' included);
    ``order`` sorts the items (default: contestant, then aspect)."""
    mine: list[Mark] = []
    reference: dict[tuple[str, str], list[tuple[str, Decimal]]] = {}
    as_trainee: set[tuple[str, str]] = set()
    for mk in marks:
        cell = (mk.contestant, mk.aspect)
        is_trainee = trainee(mk)
        if mk.judge == judge:
            mine.append(mk)
            if is_trainee:
                as_trainee.add(cell)
        if not is_trainee:
            reference.setdefault(cell, []).append((mk.judge, mk.value))
    mine.sort(key=order or (lambda mk: (mk.contestant, mk.aspect)))
    with exact():
        items = tuple(_item(mk, reference.get((mk.contestant, mk.aspect), []), outlier_distance, kind) for mk in mine)
        return _summary(judge, bool(mine) and len(as_trainee) == len(mine), items)


def _item(mk: Mark, ref: list[tuple[str, Decimal]], distance: Decimal | None, kind: SdKind) -> DebriefItem:
    counted = any(j == mk.judge for j, _ in ref)
    vals = [v for _, v in ref]
    if len(vals) < (2 if counted else 1):
        return DebriefItem(mk.contestant, mk.aspect, mk.value, len(vals))
    mean, sd = panel_stats(vals, kind)
    flagged = False
    if distance is not None:
        given = ref if counted else [*ref, (mk.judge, mk.value)]
        flags = outlier_flags(mk.contestant, mk.aspect, [j for j, _ in given], [v for _, v in given], distance)
        flagged = any(f.judge == mk.judge for f in flags)
    return DebriefItem(
        mk.contestant,
        mk.aspect,
        mk.value,
        len(vals),
        quantize(mean, _PLACES),
        _median(vals),
        quantize(mk.value - mean, _PLACES),
        quantize(z_score(mk.value, mean, sd), _PLACES),
        flagged,
    )


def _median(vals: list[Decimal]) -> Decimal:
    s = sorted(vals)
    n = len(s)
    mid = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return quantize(mid, _PLACES)


def _summary(judge: str, trainee: bool, items: tuple[DebriefItem, ...]) -> Debrief:
    done = [i for i in items if i.difference is not None]
    n = len(done)
    if not n:
        return Debrief(judge, trainee, items, 0, None, None, None, 0, None)
    diffs = [i.difference for i in done if i.difference is not None]
    zs = [i.z for i in done if i.z is not None]
    return Debrief(
        judge,
        trainee,
        items,
        n,
        quantize(sum(diffs, ZERO) / n, _PLACES),
        quantize(sum((abs(d) for d in diffs), ZERO) / n, _PLACES),
        quantize(sum(zs, ZERO) / n, _PLACES),
        sum(1 for i in items if i.outlier),
        _correlation([i.value for i in done], [i.mean for i in done if i.mean is not None]),
    )


def _correlation(xs: list[Decimal], ys: list[Decimal]) -> Decimal | None:
    """Pearson's r of two equally long lists (None: fewer than three pairs, or no variation)."""
    n = len(xs)
    if n < 3 or len(ys) != n:
        return None
    mx, my = sum(xs, ZERO) / n, sum(ys, ZERO) / n
    sxy = sum(((x - mx) * (y - my) for x, y in zip(xs, ys)), ZERO)
    sxx = sum(((x - mx) * (x - mx) for x in xs), ZERO)
    syy = sum(((y - my) * (y - my) for y in ys), ZERO)
    if not sxx or not syy:
        return None
    return quantize(sxy / (sxx * syy).sqrt(), _PLACES)
