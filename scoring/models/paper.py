"""Paper score sheets (评分表) typed in by clerks (录分员), two independently.

Why a sheet row apart from the marks: a sheet is the legal record of one judge's marks for one
contestant on one panel, printed at one version (``rules.paper``). Its entries are what clerks
typed, never marks: only when two different clerks agree (or the chief judge decides against the
paper) do the values become the judge's marks, through the one write path. The constraints keep
the double entry honest: one entry per clerk per sheet, and each ordinal (first, second, third
entry) taken once, so two clerks racing for the same place cannot both get it.

Why no foreign keys to judges and contestants: like the judging tables, a replaced competition
deletes its people in its own order; these rows go with the competition (``before_delete``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, LargeBinary, UniqueConstraint, event, text
from sqlmodel import Field, SQLModel

from scoring.models.base import json_field, time_field
from scoring.models.competition import Competition

SHEET_STATES = ("pending", "matched", "conflict", "resolved")


class PaperSheet(SQLModel, table=True):
    __tablename__ = "paper_sheet"
    __table_args__ = (UniqueConstraint("competition_id", "judge_id", "contestant_id", "panel_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(index=True)
    judge_id: int
    contestant_id: int
    panel_id: int
    version: str = Field(max_length=16)  # rules.paper.version_of the panel's aspects when printed
    state: str = Field(default="pending", max_length=16)  # pending | matched | conflict | resolved
    conflict: str = Field(default="", max_length=16)  # "" | entries | tablet
    # the values that became (or confirmed) the judge's marks: {aspect code: "7.5"}
    values: dict[str, Any] = json_field(default={}, nullable=False)
    created_at: datetime = time_field()
    decided_at: datetime | None = time_field(nullable=True)
    decided_by: str = Field(default="", max_length=80)
    reason: str = ""


class PaperEntry(SQLModel, table=True):
    __tablename__ = "paper_entry"
    __table_args__ = (UniqueConstraint("sheet_id", "clerk"), UniqueConstraint("sheet_id", "ordinal"))
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(index=True)
    sheet_id: int = Field(foreign_key="paper_sheet.id", index=True)
    clerk: str = Field(max_length=80)  # the clerk account's user name
    ordinal: int  # 1, 2, or 3 (a third entry decides a mismatch)
    values: dict[str, Any] = json_field(default={}, nullable=False)  # {aspect code: "7.5"} as read
    entered_at: datetime = time_field()


class PaperImage(SQLModel, table=True):
    """A photo or scan of the paper sheet, for the chief judge deciding a conflict."""

    __tablename__ = "paper_image"
    sheet_id: int = Field(foreign_key="paper_sheet.id", primary_key=True)
    competition_id: int = Field(index=True)
    media_type: str = Field(max_length=20)  # image/png | image/jpeg
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: str = Field(default="", max_length=80)
    uploaded_at: datetime = time_field()


PAPER_TABLES = (PaperImage, PaperEntry, PaperSheet)  # in the order they are deleted


@event.listens_for(Competition, "before_delete")
def _forget_paper(_mapper, connection, target) -> None:  # noqa: ANN001
    for model in PAPER_TABLES:
        connection.execute(text(f'DELETE FROM "{model.__tablename__}" WHERE competition_id = :cid'), {"cid": target.id})
