"""Team entries from a contestant list: rows with the same team value in a team group are one entry.

Why pure and apart from ``roster``: the rows are read in a child process that knows nothing of the
competition; which groups are team events (and their sizes) is known only once the database is
read, so ``services.setup`` calls this with the groups' team sizes. Problems name the spreadsheet
rows the organizer sees, like every other problem of the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.errors import Problem
from scoring.i18n import N_
from scoring.services.roster import SheetRow

#: What a member keeps of a row (the group and the team value are the entry's).
MEMBER_FIELDS = ("name", "gender", "unit", "region", "id_number", "phone")


@dataclass
class TeamEntry:
    group: str  # the group's code
    name: str  # the team's name: the value of the team column
    lines: list[int] = field(default_factory=list)
    members: list[dict[str, str]] = field(default_factory=list)

    @property
    def unit(self) -> str:
        """The members' unit when they share one, else empty (the team is listed by its name)."""
        return _shared(m.get("unit", "") for m in self.members)

    @property
    def region(self) -> str:
        return _shared(m.get("region", "") for m in self.members)

    @property
    def row(self) -> dict[str, Any]:
        """The entry's contestant row: the team's name, shared unit and county, its members."""
        return {"name": self.name, "unit": self.unit, "region": self.region, "members": self.members}


def team_sizes(groups: dict[str, Any]) -> dict[str, tuple[int, int | None]]:
    """The codes of the team groups among ``groups`` with their (min, max) members; a group's
    ``team`` is stored as the document writes it ({"min_members": 2, "max_members": 3})."""
    return {
        g.code: (g.team.get("min_members", 2), g.team.get("max_members")) for g in groups.values() if g.team is not None
    }


def _shared(values: object) -> str:
    found = set(values)  # type: ignore[call-overload]
    return found.pop() if len(found) == 1 else ""


def team_entries(
    rows: list[SheetRow], groups: dict[str, Any], source: str = ""
) -> tuple[list[SheetRow], list[TeamEntry], list[Problem]]:
    """Pure: split the rows into individual contestants and team entries.

    ``groups`` are the competition's groups by code and by name (rows with ``code`` and ``team``,
    as stored), so the rows of one team may name their group either way; a team entry names its
    group by code. A row of a team group needs a team value; a row of another group must not have one."""
    sizes = team_sizes(groups)
    singles: list[SheetRow] = []
    teams: dict[tuple[str, str], TeamEntry] = {}
    problems: list[Problem] = []
    for r in rows:
        group, team = r.values.get("group", ""), r.values.get("team", "").strip()
        code = groups[group].code if group in groups else group
        if code not in sizes:
            if team:
                problems.append(
                    Problem(
                        source,
                        N_("Group %(group)s is not a team event; leave the team column empty."),
                        {"group": group},
                        row=r.line,
                    )
                )
            singles.append(r)
            continue
        if not team:
            problems.append(
                Problem(source, N_("Group %(group)s is a team event: the team is empty."), {"group": group}, row=r.line)
            )
            continue
        entry = teams.setdefault((code, team), TeamEntry(code, team))
        entry.lines.append(r.line)
        entry.members.append({k: r.values[k] for k in MEMBER_FIELDS if r.values.get(k)})
    for entry in teams.values():
        low, high = sizes[entry.group]
        if low <= len(entry.members) and (high is None or len(entry.members) <= high):
            continue
        params = {
            "team": entry.name,
            "count": len(entry.members),
            "rows": "、".join(str(n) for n in entry.lines),
            "min": low,
            "max": high if high is not None else "—",
        }
        problems.append(
            Problem(
                source,
                N_("The team %(team)s has %(count)s members (rows %(rows)s); it needs %(min)s to %(max)s."),
                params,
                row=entry.lines[0],
            )
        )
    return singles, list(teams.values()), problems
