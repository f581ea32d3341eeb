"""The judges' side: login cards, re-score rounds, spread flags,
panel confirmations and tablet heartbeats.

Why no foreign keys here: a whole competition is replaced by ``import --replace`` (the demo
does it on every start), and that code deletes judges and contestants in its own order. These
rows are removed by the ``before_delete`` hook on ``Competition`` below instead, so a replace
never fails and no stale row (SQLite reuses ids) ever points at a new judge.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint, event, text
from sqlmodel import Field, SQLModel

from scoring.models.base import json_field, time_field
from scoring.models.competition import Competition


class JudgeCard(SQLModel, table=True):
    """The printable login card of a judge: the PIN printed on it and the serial in its QR token.

    The PIN is kept so the organizer can reprint the card (it is on paper anyway); sign-in checks
    ``Judge.pin_hash``. Re-issuing a card bumps ``serial``, which revokes the old QR code.
    """

    judge_id: int = Field(primary_key=True)
    competition_id: int = Field(index=True)
    pin: str = ""
    serial: int = 1
    issued_at: datetime = time_field()


class MarkingRound(SQLModel, table=True):
    """A re-score round opened by the chief judge for one aspect of one contestant (round >= 2)."""

    __table_args__ = (UniqueConstraint("contestant_id", "aspect_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(index=True)
    contestant_id: int
    aspect_id: int
    round: int
    opened_by: str = ""
    reason: str = ""
    opened_at: datetime = time_field()


class SpreadFlag(SQLModel, table=True):
    """A spread-rule violation of one round of one aspect: open until re-marked or corrected."""

    __table_args__ = (UniqueConstraint("contestant_id", "aspect_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(index=True)
    contestant_id: int
    aspect_id: int
    round: int
    state: str = "open"  # open | rescoring | resolved
    detail: dict[str, Any] = json_field(default={}, nullable=False)
    raised_at: datetime = time_field()


class SheetConfirmation(SQLModel, table=True):
    """The chief judge's confirmation of a panel's sheet for one contestant (revoked by an unlock)."""

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(index=True)
    panel_id: int
    contestant_id: int
    confirmed_by: str = ""
    confirmed_at: datetime = time_field()
    revoked_at: datetime | None = time_field(nullable=True)
    revoked_by: str = ""
    revoke_reason: str = ""


class TabletHeartbeat(SQLModel, table=True):
    """The last sign of life of a tablet and how many marks it still holds unsent."""

    client_id: str = Field(primary_key=True, max_length=80)
    competition_id: int = Field(index=True)
    judge_id: int = 0
    unsent: int = 0
    last_seen: datetime = time_field()


JUDGING_TABLES = (JudgeCard, MarkingRound, SpreadFlag, SheetConfirmation, TabletHeartbeat)


@event.listens_for(Competition, "before_delete")
def _forget_competition(_mapper, connection, target) -> None:  # noqa: ANN001
    for model in JUDGING_TABLES:
        connection.execute(text(f'DELETE FROM "{model.__tablename__}" WHERE competition_id = :cid'), {"cid": target.id})
