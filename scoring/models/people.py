"""Contestants, judges, panels, recusals and the draw.

Personal contact data (ID number, phone) lives only on ``Contestant`` and is never part of a
public payload; the visibility policy and the public export leave it out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from scoring.models.base import json_field, time_field


class Contestant(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("competition_id", "code"),
        UniqueConstraint("competition_id", "lookup_code", name="uq_contestant_lookup_code"),
    )
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    group_id: int = Field(foreign_key="group.id", index=True)
    code: str = Field(max_length=40)
    name: str
    gender: str = ""
    unit: str = ""
    region: str = ""
    id_number: str = ""  # private
    phone: str = ""  # private
    params: dict[str, Any] = json_field(default={}, nullable=False)  # per-aspect parameters (e.g. difficulty)
    withdrawn: bool = False
    withdrawn_as: str = Field(default="withdrawn", max_length=20)  # withdrawn (弃权) | absent (缺考)
    withdrawn_reason: str = ""
    withdrawn_stage: str | None = Field(default=None, max_length=40)  # a stage code; None: all
    # Team events: the members as the document writes them (id_number and phone private, as above).
    members: list[dict[str, Any]] = json_field(default=[], nullable=False)
    # 成绩查询: the code printed on the admission ticket (scoring.rules.lookup), private like
    # id_number; given once, never changed or given to anyone else (None: not given yet).
    lookup_code: str | None = Field(default=None, max_length=12)


class Judge(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("competition_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    code: str = Field(max_length=40)
    name: str
    role: str = "judge"  # judge | chief
    unit: str = ""
    region: str = ""
    pin_hash: str = ""
    # Bumped whenever a credential of this judge is withdrawn (new PIN or card, removal from a
    # panel): a tablet's sign-in carries the value it was made with and stops working on change.
    credential_epoch: int = 0


class Panel(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    group_id: int = Field(foreign_key="group.id")
    stage_id: int = Field(foreign_key="stage.id")
    name: str = ""
    session: str | None = Field(default=None, max_length=40)  # a StageSession code: marks only its contestants


class PanelJudge(SQLModel, table=True):
    panel_id: int = Field(foreign_key="panel.id", primary_key=True)
    judge_id: int = Field(foreign_key="judge.id", primary_key=True)
    trainee: bool = False  # 见习裁判: marks like the judges, never counted (rules.cells)


class PanelAspect(SQLModel, table=True):
    """Restricts a panel to some aspects of its stage; no rows means all of them."""

    panel_id: int = Field(foreign_key="panel.id", primary_key=True)
    aspect_id: int = Field(foreign_key="aspect.id", primary_key=True)


class Recusal(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("judge_id", "contestant_id"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    judge_id: int = Field(foreign_key="judge.id")
    contestant_id: int = Field(foreign_key="contestant.id")
    reason: str = ""


class Draw(SQLModel, table=True):
    """The lot drawing of a competition: its seed and the published hash of the code map."""

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True, unique=True)
    seed: str = ""
    map_hash: str = ""
    drawn_at: datetime = time_field()
    revealed_at: datetime | None = time_field(nullable=True)
    revealed_by: str = ""


class DrawEntry(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("competition_id", "contestant_id"),
        UniqueConstraint("competition_id", "code"),
    )
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competition.id", index=True)
    contestant_id: int = Field(foreign_key="contestant.id")
    station: str = ""
    code: str = Field(max_length=40)
    session: str | None = Field(default=None, max_length=40)  # a StageSession code (场次), drawn
