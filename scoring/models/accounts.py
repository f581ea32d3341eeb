"""People who sign in with a password: organizers, chief judges, judges, viewers, clerks.

Judges at the venue usually sign in with a short PIN instead (see the judge blueprint); an
account is for staff who run or watch the competition from a browser.

Why a session table: a signed cookie alone cannot be withdrawn. The cookie names a
``StaffSession``; sign-out, a password change, a deactivation or a role change revoke the row,
and every request asks for the row (with its user, in one query).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from scoring.models.base import time_field

ROLES = ("organizer", "chief", "judge", "viewer", "clerk")


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=80)
    display_name: str = ""
    password_hash: str
    role: str = "viewer"  # organizer | chief | judge | viewer | clerk (录分员: types in paper sheets)
    # None: every competition (an organizer of the whole installation)
    competition_id: int | None = Field(default=None, foreign_key="competition.id")
    judge_id: int | None = Field(default=None, foreign_key="judge.id")
    active: bool = True
    created_at: datetime = time_field()


class StaffSession(SQLModel, table=True):
    """One sign-in of an account on one browser; valid until revoked or idle too long."""

    id: str = Field(primary_key=True, max_length=64)  # random, carried in the signed cookie
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = time_field()
    last_seen: datetime = time_field()
    revoked_at: datetime | None = time_field(nullable=True)
    revoked_reason: str = Field(default="", max_length=40)  # logout | password | deactivated | role
