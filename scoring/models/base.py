"""Shared field helpers for the tables."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field

from scoring.models.types import ExactDecimal, JSONText, UTCDateTime, utcnow


def dec_field(default: Decimal | None = None, nullable: bool = False) -> Any:
    return Field(default=default, sa_column=Column(ExactDecimal, nullable=nullable))


def json_field(default: Any = None, nullable: bool = True) -> Any:
    factory = (lambda: type(default)()) if isinstance(default, (dict, list)) else None
    if factory:
        return Field(default_factory=factory, sa_column=Column(JSONText, nullable=nullable))
    return Field(default=default, sa_column=Column(JSONText, nullable=nullable))


def time_field(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


__all__ = ["dec_field", "json_field", "time_field", "datetime"]
