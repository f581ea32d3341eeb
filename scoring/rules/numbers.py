"""Numbers from outside, read strictly once: plain ASCII decimals, nothing else.

Why one parser: a mark, a weight, a parameter or a spreadsheet cell that reached ``Decimal()``
directly let ``"1e-300000000"`` become a 300 MB answer and ``"１０"`` or ``"1_0"`` a number no
tablet ever showed. Every door (API, form, document, sheet) hands its raw value to
``parse_decimal``; what comes out is a finite ``Decimal`` of bounded size with no more decimal
places than the caller allows, or ``InvalidInput`` naming the field with at most a short prefix
of what was sent.

The accepted text is ``-?[0-9]+(\\.[0-9]+)?`` (ASCII digits only): no exponent, no sign ``+``,
no spaces, no ``"3."``/``".5"``, no digit separators, no full-width or other scripts' digits,
and no negative zero (``"-0"``, ``"-0.00"``). JSON integers are read as their digits; JSON
fractions arrive as ``JsonNumber`` (their exact text, see ``json_number``), never as floats.
Ids (route parts, form fields, ``#<id>`` references) are whole numbers up to ``MAX_ID``, the
largest a 32-bit database integer holds: a larger one is not an id of anything (``plain_id``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_

MAX_PLACES = 4  # the database keeps ten-thousandths
MAX_INTEGER_DIGITS = 12  # |value| < 10**12 (ten-thousandths in a 64-bit integer)
MAX_TEXT = 1 + MAX_INTEGER_DIGITS + 1 + 32  # a longer text is refused before it is looked at
SHOWN = 16  # characters of a refused input a message may repeat
MAX_ID = 2**31 - 1  # the largest id a database integer column holds
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_LONGEST = 4096  # a longer text is never looked at in full

NOT_A_NUMBER = N_("%(value)s is not a number: write plain digits such as 8.5.")
REQUIRED = N_("A number is required (blank is not zero).")
TOO_MANY_PLACES = N_("%(value)s has more than %(places)s decimal places.")
TOO_LARGE = N_("%(value)s is too large.")
BELOW_MIN = N_("%(value)s is below the lowest allowed value %(min)s.")
ABOVE_MAX = N_("%(value)s is above the highest allowed value %(max)s.")


class JsonNumber:
    """The exact text of a JSON number with a fraction or exponent (``json.loads(parse_float=...)``):
    kept as text so the one parser below decides, and a float never exists. Not a ``str``: code
    that wants a string refuses a number, as it refused a float before."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"JsonNumber({self.text[:SHOWN]!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def json_number(text: str) -> JsonNumber:
    return JsonNumber(text)


def plain_id(raw: object) -> int | None:
    """An id written as 1 to 10 ASCII digits, at most ``MAX_ID``; None for anything else
    (``"#²"``, ``"１"``, ``"99999999999999999999"``: not an id of anything, never a 500)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 <= raw <= MAX_ID else None
    if not isinstance(raw, str) or not 0 < len(raw) <= 10 or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


def shown(raw: object) -> str:
    """What a message may repeat of a refused input: a short, printable prefix."""
    if isinstance(raw, bool) or isinstance(raw, float):
        text = str(raw)
    elif isinstance(raw, JsonNumber):
        text = raw.text[: SHOWN + 1]
    elif isinstance(raw, str):
        text = raw[: SHOWN + 1]
    elif isinstance(raw, int):
        text = str(raw) if abs(raw) < 10**40 else "…"
    elif isinstance(raw, Decimal):
        text = str(raw)[: SHOWN + 1]
    else:
        text = "…"  # a list or an object: never repeated
    text = text[: SHOWN + 1]
    if not text.isprintable():  # a lone surrogate is not printable either
        text = "".join(ch if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF else "?" for ch in text)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def places_of(step: Decimal) -> int:
    """How many decimal places a step allows (0.5 -> 1, 0.01 -> 2, 1 -> 0)."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else MAX_PLACES


def _text_of(raw: object, field: str) -> str:
    """The text to read: strings as sent; JSON integers and Decimals by their digits, refused
    first when their size alone is out of bounds (nothing large is ever formatted)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, JsonNumber):
        return raw.text
    if isinstance(raw, int) and not isinstance(raw, bool):
        if abs(raw) >= 10**MAX_INTEGER_DIGITS:
            raise InvalidInput(Problem(field, TOO_LARGE, {"value": "…"}))
        return str(raw)
    if isinstance(raw, Decimal) and raw.is_finite():
        exponent = raw.as_tuple().exponent
        assert isinstance(exponent, int)
        if raw.adjusted() >= MAX_INTEGER_DIGITS:
            raise InvalidInput(Problem(field, TOO_LARGE, {"value": shown(str(raw))}))
        if exponent < -MAX_TEXT:
            raise InvalidInput(Problem(field, TOO_MANY_PLACES, {"value": shown(str(raw)), "places": MAX_PLACES}))
        return format(raw, "f")
    raise InvalidInput(Problem(field, NOT_A_NUMBER, {"value": shown(raw)}))


def parse_decimal(
    raw: object,
    field: str,
    *,
    places: int = MAX_PLACES,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    required: bool = True,
) -> Decimal | None:
    """The exact value of ``raw`` or ``InvalidInput`` for ``field``. ``places``: decimal places
    allowed (trailing zeros beyond them are fine: ``"7.50"`` with one place is 7.5, never rounded);
    ``minimum``/``maximum``: the declared range, inclusive. Blank (None or "") is None when not
    ``required``."""
    if raw is None or (isinstance(raw, str) and raw == ""):
        if required:
            raise InvalidInput(Problem(field, REQUIRED))
        return None
    text = _text_of(raw, field)
    if len(text) > MAX_TEXT:
        head = text[:MAX_TEXT]
        if _PLAIN.fullmatch(head) and "." not in text[: MAX_INTEGER_DIGITS + 2]:
            raise InvalidInput(Problem(field, TOO_LARGE, {"value": shown(text)}))
        if _PLAIN.fullmatch(head) and _PLAIN.fullmatch(text[:_LONGEST]):  # a long fraction: say so
            raise InvalidInput(
                Problem(field, TOO_MANY_PLACES, {"value": shown(text), "places": min(places, MAX_PLACES)})
            )
        raise InvalidInput(Problem(field, NOT_A_NUMBER, {"value": shown(text)}))
    if not _PLAIN.fullmatch(text):
        raise InvalidInput(Problem(field, NOT_A_NUMBER, {"value": shown(text)}))
    value = Decimal(text)
    if text.startswith("-") and value == 0:
        raise InvalidInput(Problem(field, NOT_A_NUMBER, {"value": shown(text)}))
    whole = text.lstrip("-").split(".")[0].lstrip("0")
    if len(whole) > MAX_INTEGER_DIGITS:
        raise InvalidInput(Problem(field, TOO_LARGE, {"value": shown(text)}))
    fraction = text.split(".")[1].rstrip("0") if "." in text else ""
    if len(fraction) > min(places, MAX_PLACES):
        raise InvalidInput(Problem(field, TOO_MANY_PLACES, {"value": shown(text), "places": min(places, MAX_PLACES)}))
    value = value.quantize(Decimal(1).scaleb(-len(fraction))) if fraction else value.quantize(Decimal(1))
    if minimum is not None and value < minimum:
        raise InvalidInput(Problem(field, BELOW_MIN, {"value": shown(text), "min": format(minimum, "f")}))
    if maximum is not None and value > maximum:
        raise InvalidInput(Problem(field, ABOVE_MAX, {"value": shown(text), "max": format(maximum, "f")}))
    return value


def parse_integer(raw: object, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number in a bounded range (ids, counts, positions): the same strict text rule."""
    value = parse_decimal(
        raw,
        field,
        places=0,
        minimum=None if minimum is None else Decimal(minimum),
        maximum=None if maximum is None else Decimal(maximum),
    )
    assert value is not None
    return int(value)
