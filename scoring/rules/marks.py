"""Is one entered value acceptable for an aspect? (pure; the API turns problems into 422s)

Why here: the range and step of an entry are part of the marking scheme, and the tablet, the
API and the import must refuse exactly the same values: from ``min_value`` to the highest value,
in steps of ``step`` counted from ``min_value`` (docs/document.md).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from scoring.errors import Problem
from scoring.i18n import N_
from scoring.rules.rounding import exact
from scoring.rules.types import Aspect, AspectType

NOT_A_NUMBER = N_("%(value)s is not a number.")
BELOW_MIN = N_("%(value)s is below the lowest allowed value %(min)s.")
ABOVE_MAX = N_("%(value)s is above the highest allowed value %(max)s.")
NOT_A_STEP = N_("%(value)s is not a multiple of %(step)s.")


def highest_value(aspect: Aspect) -> Decimal | None:
    """The highest entry a judge may make: declared, else the judgement scale, else the max mark
    (None for times without a declared maximum: any duration can be recorded)."""
    if aspect.max_value is not None:
        return aspect.max_value
    if aspect.type == AspectType.JUDGEMENT:
        return aspect.scale_max
    if aspect.type == AspectType.TIME:
        return None
    return aspect.max_mark


def check_mark_value(aspect: Aspect, value: object) -> list[Problem]:
    """Every problem with one entry (empty list: acceptable). ``path`` is the aspect code."""
    path = aspect.code
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        return [Problem(path, NOT_A_NUMBER, {"value": str(value)})]
    value = Decimal(value)
    if not value.is_finite():
        return [Problem(path, NOT_A_NUMBER, {"value": str(value)})]
    shown = format(value, "f")
    problems = []
    if value < aspect.min_value:
        problems.append(Problem(path, BELOW_MIN, {"value": shown, "min": format(aspect.min_value, "f")}))
    top = highest_value(aspect)
    if top is not None and value > top:
        problems.append(Problem(path, ABOVE_MAX, {"value": shown, "max": format(top, "f")}))
    step = aspect.step
    if step is not None and step > 0:
        try:
            with exact():
                off = (value - aspect.min_value) % step   # entries are min_value + k × step
        except InvalidOperation:
            off = Decimal(1)
        if off != 0:
            problems.append(Problem(path, NOT_A_STEP, {"value": shown, "step": format(step, "f")}))
    return problems
