"""Declared rounding steps and the arithmetic context every rule runs in.

Why: published protocols only reproduce when the engine rounds at the same points, in the same
way, as the rulebook. Python's ``round()`` and the default ``decimal`` context round half to
even (4.5 -> 4, -1.465 -> -1.46), which is wrong for Chinese quotas and ISU protocols. So
rounding happens only here, only with an explicit mode, and everything before a declared step
is computed exactly.

A rounding step never yields a negative zero: ``decimal`` keeps the sign of a small negative
value it rounds to zero (a GOE of -0.004 -> ``-0.00``), and every reader, writer and page would
then print "-0.00" where a protocol prints "0.00". Clearing the sign here, where every declared
rounding happens, fixes every place a rounded number is formatted or dumped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from itertools import repeat
from typing import overload

from scoring.rules.types import Rounding, RoundingMode

# decimal's HALF_UP is "half away from zero" for negatives too (-1.465 -> -1.47), as the rules want.
MODES: dict[RoundingMode, str] = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.UP: ROUND_UP,
    RoundingMode.FLOOR: ROUND_FLOOR,
    RoundingMode.CEILING: ROUND_CEILING,
}

# 60 significant digits: sums and products of marks are exact, and a quotient such as 263/3 is
# carried far beyond any declared rounding step. A repeating decimal of a small denominator never
# has a run of 50 nines, so rounding at 60 digits and then at the declared step cannot double-round.
PRECISION = 60
CONTEXT = Context(
    prec=PRECISION,
    rounding=ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

_EXPONENTS: dict[int, Decimal] = {}
# One context per rounding mode: ``ctx.quantize(value, exp)`` with positional arguments is several
# times cheaper than ``value.quantize(exp, rounding=..., context=...)``, which parses keywords
# and the mode's name on every call (it showed up as a third of a full recompute).
_BY_MODE: dict[RoundingMode, Context] = {}
for _mode, _name in MODES.items():
    _ctx = CONTEXT.copy()
    _ctx.rounding = _name
    _BY_MODE[_mode] = _ctx


# Unary plus in a half-even context: +(-0.00) is 0.00, any other value is returned unchanged
# (60 digits are far more than a rounded mark has), at C speed in a ``map``.
_UNSIGNED_ZERO = CONTEXT.plus


def exact() -> AbstractContextManager[Context]:
    """The local context for rule arithmetic (thread-safe: it never touches the global context)."""
    return localcontext(CONTEXT)


def exponent(places: int) -> Decimal:
    e = _EXPONENTS.get(places)
    if e is None:
        e = _EXPONENTS[places] = Decimal(1).scaleb(-places)
    return e


def rounding_context(mode: RoundingMode) -> Context:
    """The rules' context with this rounding mode (precision and traps as ``CONTEXT``)."""
    return _BY_MODE[mode]


@overload
def quantize(value: Decimal, rounding: Rounding) -> Decimal: ...
@overload
def quantize(value: None, rounding: Rounding) -> None: ...
@overload
def quantize(value: Decimal | None, rounding: Rounding) -> Decimal | None: ...


def quantize(value: Decimal | None, rounding: Rounding) -> Decimal | None:
    """Apply one declared rounding step; ``places=None`` keeps full precision."""
    if value is None or rounding.places is None:
        return value
    return _UNSIGNED_ZERO(_BY_MODE[rounding.mode].quantize(value, exponent(rounding.places)))


def quantizer(rounding: Rounding) -> Callable[[Decimal], Decimal]:
    """A one-argument rounding function for hot loops (the mode lookup is done once)."""
    if rounding.places is None:
        return _identity
    exp = exponent(rounding.places)
    q = _BY_MODE[rounding.mode].quantize

    def rounded(value: Decimal) -> Decimal:
        return _UNSIGNED_ZERO(q(value, exp))

    return rounded


def _identity(value: Decimal) -> Decimal:
    return value


def quantize_each(values: Iterable[Decimal], rounding: Rounding) -> Iterator[Decimal]:
    """``quantize`` over many values as one C-level map (no Python call per value)."""
    if rounding.places is None:
        return iter(values)
    return map(_UNSIGNED_ZERO, map(_BY_MODE[rounding.mode].quantize, values, repeat(exponent(rounding.places))))


def to_count(value: Decimal, mode: RoundingMode) -> int:
    """A head count from a share (45 x 10% = 4.5 -> 5 under HALF_UP)."""
    return int(_BY_MODE[mode].quantize(value, Decimal(1)))
