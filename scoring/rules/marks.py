"""Is one entered value acceptable for an aspect? (pure; the API turns problems into 422s)

Why here: the range and step of an entry are part of the marking scheme, and the tablet, the
API and the import must refuse exactly the same values: from ``min_value`` to the highest value,
in steps of ``step`` counted from ``min_value`` (docs/document.md).

Why ``read_mark_value`` reads the text itself: a value reaches the arithmetic only through the one
strict parser (``rules.numbers``), so it is a plain decimal of bounded size with no more places
than the aspect's step allows; ``check_mark_value`` re-checks that bound for any Decimal it is
given, so no input can make the step arithmetic overflow or run for seconds.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.rules.numbers import MAX_PLACES, TOO_MANY_PLACES, parse_decimal, places_of, shown
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


def entry_places(aspect: Aspect) -> int:
    """The decimal places an entry can have: those of the step and of the lowest value (entries
    are ``min_value + k × step``)."""
    return min(MAX_PLACES, max(places_of(aspect.step), places_of(aspect.min_value)))


def read_mark_value(aspect: Aspect, raw: object) -> Decimal:
    """The exact entry for ``raw`` (a text, JSON number or integer), or InvalidInput naming the
    aspect: strictly a plain decimal (``rules.numbers``), then range and step. A value with more
    places than the step but within what the database keeps is refused for its step (the message
    the tablet shows too); a longer one for its places."""
    try:
        value = parse_decimal(raw, aspect.code, places=entry_places(aspect))
    except InvalidInput as exc:
        if exc.problems[0].msgid != TOO_MANY_PLACES:
            raise
        try:
            value = parse_decimal(raw, aspect.code)
        except InvalidInput:
            raise exc from None
    assert value is not None
    problems = check_mark_value(aspect, value)
    if problems:
        raise InvalidInput(problems)
    return value


def check_mark_value(aspect: Aspect, value: object) -> list[Problem]:
    """Every problem with one entry (empty list: acceptable). ``path`` is the aspect code."""
    path = aspect.code
    if (
        isinstance(value, bool)
        or not isinstance(value, (Decimal, int))
        or (isinstance(value, Decimal) and not value.is_finite())
    ):
        return [Problem(path, NOT_A_NUMBER, {"value": shown(value)})]
    if isinstance(value, Decimal) and value.is_zero():
        value = value.copy_abs()  # a computed -0 is zero (only the text "-0" is refused)
    try:
        value = parse_decimal(value, path)  # bounded: no arithmetic below can overflow
    except InvalidInput as exc:
        return exc.problems
    assert value is not None
    text = format(value, "f")
    problems = []
    if value < aspect.min_value:
        problems.append(Problem(path, BELOW_MIN, {"value": text, "min": format(aspect.min_value, "f")}))
    top = highest_value(aspect)
    if top is not None and value > top:
        problems.append(Problem(path, ABOVE_MAX, {"value": text, "max": format(top, "f")}))
    step = aspect.step
    if step is not None and step > 0:
        try:
            with exact():
                off = (value - aspect.min_value) % step  # entries are min_value + k × step
        except ArithmeticError:
            off = Decimal(1)
        if off != 0:
            problems.append(Problem(path, NOT_A_STEP, {"value": text, "step": format(step, "f")}))
    return problems
