"""Live boards: the screen registry, frozen public snapshots and the award reveal.

Why a stored snapshot: the freeze must hold across every derived view (pages, API, sockets,
exports). Public reads during a freeze are cut from the row written at freeze time, so no
mark entered after the freeze can reach them, whatever code path asks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from scoring.models.base import json_field, time_field


class Screen(SQLModel, table=True):
    """A board opened on a projector or TV, configured remotely by the organizer."""

    __table_args__ = (UniqueConstraint("competition_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    name: str = Field(max_length=60)
    group_code: str = ""  # "" = every group in turn
    columns: str = "full"  # full | compact
    theme: str = "dark"  # dark | light
    reload_token: int = 0  # bumped to make the screen reload itself
    last_seen: datetime | None = time_field(nullable=True)
    created_at: datetime = time_field()


class FrozenSnapshot(SQLModel, table=True):
    """The full standings payload at the moment of a freeze (cut per audience when read)."""

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    standings_version: int
    frozen_at: datetime = time_field()
    payload: dict[str, Any] = json_field(default={}, nullable=False)


class Reveal(SQLModel, table=True):
    """The award ceremony for one group: final standings fixed at its start, revealed bottom-up."""

    __table_args__ = (UniqueConstraint("competition_id", "group_code"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    group_code: str = Field(max_length=40)
    step: int = 0  # how many rows, from the bottom, show their final result
    active: bool = True
    final: dict[str, Any] = json_field(default={}, nullable=False)  # the final group payload (full)
    started_at: datetime = time_field()
