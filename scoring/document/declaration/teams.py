"""Team events (团体项目): a group whose entries are teams, and a team's members.

Why the entry is the contestant: a team is drawn, marked, ranked and awarded as one, so it is the
group's contestant row (code, station, name = the team's name) with a list of members. Everything
that works on contestants (draw, panels, recusals, marks, the engine, boards) works on a team
unchanged; only what speaks of people (names on public screens, certificates, imports) reads the
members. A member's ``id_number`` and ``phone`` are private exactly like a contestant's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from scoring.document.declaration.base import Entry, omitted
from scoring.document.fields import IdNumber, Name, Phone, Text, Whole

TeamSize = Annotated[int, Whole(minimum=2, maximum=50)]


class Team(Entry):
    """The group is a team event: each entry has ``min_members``..``max_members`` members."""

    min_members: TeamSize = 2
    """Fewest members an entry may have (at least 2)."""
    max_members: TeamSize | None = omitted(None)
    """Most members an entry may have; null: no upper limit."""


class Member(Entry):
    """One member of a team entry. ``id_number`` and ``phone`` are private."""

    name: Name
    gender: Literal["男", "女", ""] = ""
    unit: Text = ""
    """Employer (单位)."""
    region: Text = ""
    """County or district (县市区); the delegation."""
    id_number: IdNumber = ""
    """Private: 18-character resident ID number."""
    phone: Phone = ""
    """Private."""


__all__ = ["Member", "Team", "TeamSize"]
