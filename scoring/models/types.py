"""Column types that keep marks exact on every database.

Why not NUMERIC: SQLite has no exact decimal type (SQLAlchemy would pass floats), so a
mark is stored as an integer count of ten-thousandths on both SQLite and PostgreSQL. A value
with more than four decimal places is refused rather than silently rounded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Text
from sqlalchemy.types import TypeDecorator

SCALE = 4
_UNIT = Decimal(1).scaleb(-SCALE)


class ExactDecimal(TypeDecorator):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        if isinstance(value, float):
            raise TypeError("floats are not accepted for marks")
        scaled = d.scaleb(SCALE)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{d} has more than {SCALE} decimal places")
        return int(scaled)

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return (Decimal(int(value)) * _UNIT).normalize() if value else Decimal(0)


class JSONText(TypeDecorator):
    """JSON kept as text so both databases store the same bytes; Decimals written as strings."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default)

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return json.loads(value)


def _default(o):  # noqa: ANN001
    if isinstance(o, Decimal):
        return str(o)
    raise TypeError(type(o).__name__)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
