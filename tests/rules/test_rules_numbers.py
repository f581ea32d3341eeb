"""The one strict number parser (scoring/rules/numbers.py), by its properties: every plain decimal
in range reads back exactly; everything else is refused; no message grows with the input."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scoring.errors import InvalidInput
from scoring.rules.numbers import (
    MAX_ID,
    MAX_INTEGER_DIGITS,
    MAX_PLACES,
    MAX_TEXT,
    SHOWN,
    JsonNumber,
    json_number,
    parse_decimal,
    parse_integer,
    plain_id,
)

PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")
LIMIT = 10**MAX_INTEGER_DIGITS


def accepted(text: str, places: int) -> bool:
    """The rule, written independently: plain ASCII digits, not "-0", bounded size and places."""
    if len(text) > MAX_TEXT or not PLAIN.fullmatch(text):
        return False
    whole, _, fraction = text.lstrip("-").partition(".")
    if text.startswith("-") and Decimal(text) == 0:
        return False
    return len(whole.lstrip("0")) <= MAX_INTEGER_DIGITS and len(fraction.rstrip("0")) <= places


def messages(exc: InvalidInput) -> list[str]:
    return [p.message(locale) for p in exc.problems for locale in ("en", "zh_Hans_CN")]


plain_decimals = st.builds(
    lambda n, p: Decimal(n).scaleb(-p),
    st.integers(min_value=-LIMIT + 1, max_value=LIMIT - 1),
    st.integers(0, MAX_PLACES),
)


@given(plain_decimals, st.integers(0, 3), st.integers(0, 3))
@example(Decimal("0"), 0, 0)
@example(Decimal("-0.0001"), 0, 0)
@example(Decimal("999999999999.9999"), 0, 0)
def test_every_plain_decimal_in_range_reads_back_exactly(value, leading_zeros, trailing_zeros):
    text = format(value, "f")
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    padded = (
        sign
        + "0" * leading_zeros
        + digits
        + (("" if "." in digits else ".") + "0" * trailing_zeros if trailing_zeros else "")
    )
    if len(padded) > MAX_TEXT:
        padded = text
    places = max(0, -value.as_tuple().exponent)
    assert parse_decimal(padded, "f", places=places) == value
    assert parse_decimal(padded, "f", places=places, minimum=value, maximum=value) == value
    if value == value.to_integral_value():
        assert parse_decimal(int(value), "f") == value  # a JSON integer
    assert parse_decimal(json_number(padded), "f", places=places) == value  # a JSON fraction


@given(st.text(max_size=60), st.integers(0, MAX_PLACES))
@example("1e-300000000", 4)
@example("1e999999", 4)
@example("１０", 4)
@example("٣", 4)
@example("1_0", 4)
@example("1e1", 4)
@example(" 7 ", 4)
@example("3.", 4)
@example(".5", 4)
@example("-0", 4)
@example("-0.00", 4)
@example("+5", 4)
@example("4.25", 1)
@example("3." + "0" * 69 + "1", 4)
@example("0x1A", 4)
@example("NaN", 4)
@example("-Infinity", 4)
@example("1\u00a0000", 4)
@example("7\n", 4)
def test_a_text_is_a_number_exactly_when_it_is_plain(text, places):
    if accepted(text, places):
        assert parse_decimal(text, "f", places=places) == Decimal(text)
        return
    if text == "":
        with pytest.raises(InvalidInput):
            parse_decimal(text, "f", places=places)
        assert parse_decimal(text, "f", required=False) is None
        return
    with pytest.raises(InvalidInput) as exc:
        parse_decimal(text, "f", places=places)
    assert exc.value.problems[0].path == "f"


@given(
    st.one_of(
        st.text(min_size=40, max_size=20_000),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.none(),
        st.builds(JsonNumber, st.text(max_size=5000)),
    ),
    st.integers(0, MAX_PLACES),
)
@example("9" * 100_000, 4)
@example("1." + "0" * 100_000, 4)
@example(10**4000, 4)
@example(-(10**4000), 4)
@example(Decimal("1e-300000000"), 4)
@example(Decimal("1e999999"), 4)
@example(JsonNumber("1e-300000000"), 4)
@example([1, 2], 4)
@settings(max_examples=300)
def test_no_message_repeats_more_than_a_short_prefix(raw, places):
    try:
        value = parse_decimal(raw, "aspect", places=places, minimum=Decimal(-5), maximum=Decimal(100))
    except InvalidInput as exc:
        for problem in exc.problems:
            shown = str(problem.params.get("value", ""))
            assert len(shown) <= SHOWN + 1
        assert all(len(text) < 120 for text in messages(exc)), messages(exc)
        return
    assert isinstance(value, Decimal) and Decimal(-5) <= value <= 100
    assert -value.as_tuple().exponent <= places


def test_range_and_places_messages_name_the_limits():
    with pytest.raises(InvalidInput) as exc:
        parse_decimal("101", "A1", maximum=Decimal(100))
    assert exc.value.problems[0].message("en") == "101 is above the highest allowed value 100."
    with pytest.raises(InvalidInput) as exc:
        parse_decimal("7.25", "A1", places=1)
    assert exc.value.problems[0].message("en") == "7.25 has more than 1 decimal places."
    with pytest.raises(InvalidInput) as exc:
        parse_decimal("3." + "0" * 69 + "1", "A1", places=1)
    assert exc.value.problems[0].message("en") == "3.00000000000000… has more than 1 decimal places."
    assert parse_decimal("7.50", "A1", places=1) == Decimal("7.5")


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_parse_integer_is_the_same_rule_for_whole_numbers(n):
    if abs(n) < LIMIT:
        assert parse_integer(str(n), "n") == n
        assert parse_integer(n, "n", minimum=n, maximum=n) == n
    else:
        with pytest.raises(InvalidInput):
            parse_integer(str(n), "n")
    with pytest.raises(InvalidInput):
        parse_integer(f"{n}.5", "n")


@given(st.one_of(st.text(max_size=14), st.integers(), st.booleans(), st.none()))
@example("²")
@example("１")
@example("2147483647")
@example("2147483648")
@example("99999999999999999999")
@example("0")
@example("-1")
@example(2**31)
def test_an_id_is_ten_ascii_digits_at_most_max_id(raw):
    got = plain_id(raw)
    if isinstance(raw, bool) or raw is None:
        assert got is None
    elif isinstance(raw, int):
        assert got == (raw if 0 <= raw <= MAX_ID else None)
    elif re.fullmatch(r"[0-9]{1,10}", raw) and int(raw) <= MAX_ID:
        assert got == int(raw)
    else:
        assert got is None


def test_json_fractions_are_kept_as_text_never_floats():
    body = json.loads('{"a": 8.5, "b": 1e-300000000, "c": [2.50]}', parse_float=json_number)
    assert body == {"a": JsonNumber("8.5"), "b": JsonNumber("1e-300000000"), "c": [JsonNumber("2.50")]}
    assert not isinstance(body["a"], (float, str))
    assert parse_decimal(body["c"][0], "c", places=1) == Decimal("2.5")
    with pytest.raises(InvalidInput):
        parse_decimal(body["b"], "b")
