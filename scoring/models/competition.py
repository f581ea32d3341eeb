"""The competition and how it is marked: groups, stages, the marking scheme tree.

Engine-facing settings (aggregation, rounding, rules) are stored as the JSON fragments of
the portable document, so the database and the document can never drift apart in meaning.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from scoring.models.base import dec_field, json_field, time_field


class Competition(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=80)
    name: str
    organizer: str = ""
    date: str = ""
    venue: str = ""
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_Hans_CN"
    rules: dict[str, Any] = json_field(default={}, nullable=False)
    # Visibility of results to the public: embargoed | live | frozen | published (one policy reads it).
    visibility: str = "embargoed"
    frozen_at: datetime | None = time_field(nullable=True)
    # Bumped in exactly one place (services.standings) whenever marks or rules change.
    standings_version: int = 0
    # Bumped with it for every change that is not just new marks (see services.standings.bump).
    config_version: int = 0
    created_at: datetime = time_field()


def generation(created_at: datetime) -> str:
    """A competition's identity across a replace: a replaced competition (re-imported under the
    same slug) may get the same id back, and its judges ids that belonged to others, but never
    the same creation time. Sign-ins carry it so an old tablet cannot act in the new one."""
    return created_at.isoformat()


class Group(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("competition_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    code: str = Field(max_length=40)
    name: str
    event: str = ""
    position: int = 0
    # Set (as the document writes it, {"min_members": 2, ...}): a team event; None: individuals.
    team: dict[str, Any] | None = json_field()


class Stage(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("competition_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    code: str = Field(max_length=40)
    name: str = ""
    weight: Decimal = dec_field(Decimal(100))
    max_mark: Decimal = dec_field(Decimal(100))
    max_weight: Decimal | None = dec_field(None, nullable=True)
    aggregation: dict[str, Any] | None = json_field()
    rounding: dict[str, Any] | None = json_field()
    weighted_rounding: dict[str, Any] | None = json_field()
    position: int = 0
    # open | locked (locking is per stage; identities are revealed only after a lock)
    state: str = "open"


class Criterion(SQLModel, table=True):
    """A criterion or, with a parent, a sub-criterion of the marking scheme."""

    __table_args__ = (UniqueConstraint("competition_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    stage_id: int = Field(foreign_key="stage.id")
    parent_id: int | None = Field(default=None, foreign_key="criterion.id")
    code: str = Field(max_length=40)
    name: str = ""
    position: int = 0


class Aspect(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("competition_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    stage_id: int = Field(foreign_key="stage.id")
    criterion_id: int | None = Field(default=None, foreign_key="criterion.id")
    code: str = Field(max_length=40)
    name: str = ""
    type: str = "measurement"  # measurement | judgement | deduction | time
    max_mark: Decimal = dec_field(Decimal(0))
    step: Decimal = dec_field(Decimal("0.01"))
    min_value: Decimal = dec_field(Decimal(0))
    max_value: Decimal | None = dec_field(None, nullable=True)
    scale_max: Decimal = dec_field(Decimal(3))
    descriptors: list[str] = json_field(default=[], nullable=False)
    aggregation: dict[str, Any] | None = json_field()
    time_target: Decimal | None = dec_field(None, nullable=True)
    time_limit: Decimal | None = dec_field(None, nullable=True)
    position: int = 0
