"""Marks as append-only versions, and the audit log.

Why append-only: no mark is ever lost or overwritten. A correction is a new row with the next
version; the newest row of (contestant, aspect, judge, round) in state ``submitted`` or
``signed`` counts; ``void`` withdraws a mark. The idempotency key makes a retried submission
return the row it already created instead of adding another.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from scoring.models.base import dec_field, json_field, time_field


class Mark(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("competition_id", "idempotency_key"),
        UniqueConstraint("contestant_id", "aspect_id", "judge_id", "round", "version"),
        Index("ix_mark_sheet", "competition_id", "contestant_id", "aspect_id", "judge_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id")
    contestant_id: int = Field(foreign_key="contestant.id")
    aspect_id: int = Field(foreign_key="aspect.id")
    judge_id: int = Field(foreign_key="judge.id")
    round: int = 1  # a re-score round after a spread violation is round 2, ...
    version: int = 1
    value: Decimal | None = dec_field(None, nullable=True)
    state: str = "submitted"  # submitted | signed | void
    created_at: datetime = time_field()
    client_id: str = ""  # the tablet that sent it
    idempotency_key: str = Field(max_length=80)
    based_on_version: int = 0  # what the client saw; a stale base is refused
    entered_by: str = ""  # the account or judge that entered it
    reason: str = ""  # required for unlock/void/corrections by others


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int | None = Field(default=None, foreign_key="competition.id", index=True)
    at: datetime = time_field()
    actor: str = ""
    kind: str = Field(max_length=60)
    subject: str = ""
    payload: dict[str, Any] = json_field(default={}, nullable=False)
