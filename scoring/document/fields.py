"""The field types of the competition document: what one value may be, how it is read, written
and published in the JSON Schema.

Why these types instead of pydantic's own ``Decimal``/``int``/``bool``: the document's rules are
stricter than pydantic's lax mode and must match the rest of the service. Every number is read
once by ``scoring.rules.numbers.parse_decimal`` (plain decimal text, a JSON integer, or the exact
text of a JSON fraction; never a float, an exponent or ``"1_0"``) and written back as plain decimal
text; whole numbers and true/false are never guessed from strings. A failure raises a
``PydanticCustomError`` whose type is ``"scoring"`` and whose context carries the message id and
its parameters, so ``scoring.document.problems`` turns it into a ``Problem`` without a second table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic_core import PydanticCustomError, core_schema

from scoring.errors import InvalidInput
from scoring.i18n import N_
from scoring.rules import numbers
from scoring.rules.numbers import JsonNumber, parse_decimal, shown

MAX_PLACES = numbers.MAX_PLACES  # the database keeps ten-thousandths
MAX_MAGNITUDE = Decimal(10) ** numbers.MAX_INTEGER_DIGITS
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$"
CRITERION_PATH_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}(/[A-Za-z0-9][A-Za-z0-9_.\-]{0,39})*$"
SLUG_PATTERN = r"^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$"
PHONE_PATTERN = r"^(\+?[0-9][0-9 ()\-]{4,22})?$"
LOOKUP_CODE_PATTERN = r"^([2-9A-HJ-NP-Z]{10})?$"  # scoring.rules.lookup: ALPHABET, LENGTH
ID_PATTERN = r"^([0-9]{17}[0-9Xx])?$"  # upper-cased once read
DATE_PATTERN = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
CODE_RE = re.compile(CODE_PATTERN)

#: What a string that does not match a declared pattern is told, by pattern.
PATTERN_MESSAGES = {
    CODE_PATTERN: N_("must be a code of letters, digits, '.', '_' or '-' (at most 40 characters)"),
    CRITERION_PATH_PATTERN: N_("must be a code of letters, digits, '.', '_' or '-' (at most 40 characters)"),
    SLUG_PATTERN: N_("must use lower-case letters, digits and hyphens only"),
    PHONE_PATTERN: N_("is not a phone number"),
    ID_PATTERN: N_("must be an 18-character ID number: 17 digits and a digit or X"),
    DATE_PATTERN: N_("must be a date such as 2025-05-23"),
}
NOT_EXACT = N_('must be an exact decimal number such as "8.5"')
#: The strict parser's verdicts, in the words the document has always used for them.
NUMBER_MESSAGES = {
    numbers.NOT_A_NUMBER: (NOT_EXACT, {}),
    numbers.REQUIRED: (NOT_EXACT, {}),
    numbers.TOO_LARGE: (N_("is too large: at most %(max)s"), {"max": format(MAX_MAGNITUDE, "f")}),
    numbers.TOO_MANY_PLACES: (N_("must have at most %(places)s decimal places"), {"places": str(MAX_PLACES)}),
}
WHOLE = N_("must be a whole number")
AT_LEAST = N_("must be at least %(min)s")
AT_MOST = N_("must be at most %(max)s")
ABOVE = N_("must be greater than %(min)s")


def refuse(msgid: str, **params: object) -> PydanticCustomError:
    """The error a field type raises: the message id and its parameters travel in the context."""
    return PydanticCustomError("scoring", msgid, {"msgid": msgid, **{k: str(v) for k, v in params.items()}})


def fmt_decimal(value: Decimal) -> str:
    """A Decimal as plain text without an exponent (``1E+2`` -> ``100``)."""
    return format(value, "f")


def canonical(value: Decimal) -> str:
    """How the document writes a number: plain text, no exponent, no trailing zeros (``"8.50"``
    and ``"8.5"`` are one value and one text)."""
    return format(value.normalize(), "f") if value else "0"


@dataclass(frozen=True)
class Exact:
    """An exact decimal, read by the one strict parser, within the declared bounds.

    ``minimum``/``maximum`` are inclusive; ``positive`` means greater than zero. A ``Decimal``
    validated with the context ``{"trusted": True}`` (a loaded document written back, database
    rows) is the service's own value, read strictly when it came in, and is taken as it is."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    positive: bool = False

    def read(self, value: Any, info: core_schema.ValidationInfo) -> Decimal:
        if type(value) is Decimal and info.context is not None and info.context.get("trusted"):
            return value
        if value is None:
            raise refuse(N_("is required"))
        try:
            number = parse_decimal(value, "")
        except InvalidInput as exc:
            msgid, params = NUMBER_MESSAGES.get(exc.problems[0].msgid, (NOT_EXACT, {}))
            raise refuse(msgid, **params) from None
        assert number is not None
        if self.positive and number <= 0:
            raise refuse(ABOVE, min=0)
        if self.minimum is not None and number < self.minimum:
            raise refuse(AT_LEAST, min=fmt_decimal(self.minimum))
        if self.maximum is not None and number > self.maximum:
            raise refuse(AT_MOST, max=fmt_decimal(self.maximum))
        return number

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(
            self.read, serialization=core_schema.plain_serializer_function_ser_schema(canonical, when_used="json")
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        # "pattern"/"maxLength" constrain the string form only, the bounds the number form only.
        out: dict[str, Any] = {"type": ["string", "number"], "pattern": DECIMAL_PATTERN, "maxLength": numbers.MAX_TEXT}
        if self.positive:
            out["exclusiveMinimum"] = 0
        for key, bound in (("minimum", self.minimum), ("maximum", self.maximum)):
            if bound is not None:
                out[key] = int(bound) if bound == int(bound) else float(bound)
        return out


@dataclass(frozen=True)
class Whole:
    """A whole number: a JSON integer (never a boolean or a string), or a JSON number whose exact
    text is whole (``2.0``)."""

    minimum: int | None = None
    maximum: int | None = None

    def read(self, value: Any) -> int:
        number: int
        if type(value) is int:
            number = value
        else:
            if not isinstance(value, (JsonNumber, Decimal)) or isinstance(value, bool):
                raise refuse(WHOLE)
            try:
                number = int(parse_decimal(value, "", places=0))  # type: ignore[arg-type]
            except InvalidInput:
                raise refuse(WHOLE) from None
        if self.minimum is not None and number < self.minimum:
            raise refuse(AT_LEAST, min=self.minimum)
        if self.maximum is not None and number > self.maximum:
            raise refuse(AT_MOST, max=self.maximum)
        return number

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.read)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


def _date(value: str) -> str:
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise refuse(PATTERN_MESSAGES[DATE_PATTERN]) from None
    return value


def _timezone(value: str) -> str:
    value = value or "Asia/Shanghai"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise refuse(N_("unknown time zone %(value)s"), value=shown(value)) from None
    return value


def _descriptor(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refuse(N_("must be a non-empty string"))
    return value.strip()


def _text(max_length: int, required: bool = False) -> StringConstraints:
    return StringConstraints(
        strict=True, strip_whitespace=True, min_length=1 if required else None, max_length=max_length
    )


Number = Annotated[Decimal, Exact()]
NonNegative = Annotated[Decimal, Exact(minimum=Decimal(0))]
Positive = Annotated[Decimal, Exact(positive=True)]
Percent = Annotated[Decimal, Exact(minimum=Decimal(0), maximum=Decimal(100))]
Share = Annotated[Decimal, Exact(positive=True, maximum=Decimal(100))]  # 0 < share <= 100
Count = Annotated[int, Whole(minimum=0)]
AtLeastOne = Annotated[int, Whole(minimum=1)]
Places = Annotated[int, Whole(minimum=0, maximum=MAX_PLACES)]
Text = Annotated[str, _text(500)]  # free text, trimmed, may be empty
Name = Annotated[str, _text(500, required=True)]  # free text, trimmed, not empty
Label = Annotated[str, _text(200)]
Station = Annotated[str, _text(40)]
Code = Annotated[str, StringConstraints(strict=True, pattern=CODE_PATTERN)]
CriterionPath = Annotated[str, StringConstraints(strict=True, pattern=CRITERION_PATH_PATTERN)]
Slug = Annotated[str, StringConstraints(strict=True, pattern=SLUG_PATTERN)]
IdNumber = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, to_upper=True, pattern=ID_PATTERN)]
Phone = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, pattern=PHONE_PATTERN)]
LookupCode = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, pattern=LOOKUP_CODE_PATTERN)]
IsoDate = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, pattern=DATE_PATTERN), AfterValidator(_date)
]
TimeZoneName = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, max_length=500), AfterValidator(_timezone)
]
Descriptor = Annotated[str, Field(min_length=1, max_length=500), BeforeValidator(_descriptor)]
Flag = Annotated[bool, Field(strict=True)]
