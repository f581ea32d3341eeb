"""Sessions (场次) of a stage run in several sittings (see docs/document.md, "sessions").

Why date and start as text: they are the organizer's local calendar and clock (the competition's
time zone), printed as typed on the schedule; the current session is found by comparing them with
the clock read in that zone. Stations and groups are short lists kept as the document writes them.
"""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from scoring.models.base import json_field


class StageSession(SQLModel, table=True):
    __tablename__ = "stage_session"
    __table_args__ = (UniqueConstraint("competition_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    stage_id: int = Field(foreign_key="stage.id")
    code: str = Field(max_length=40)
    name: str = ""
    date: str = Field(default="", max_length=10)  # YYYY-MM-DD, local
    start: str = Field(default="", max_length=5)  # HH:MM, local
    end: str | None = Field(default=None, max_length=5)
    stations: list[str] = json_field(default=[], nullable=False)
    groups: list[str] = json_field(default=[], nullable=False)
    position: int = 0
