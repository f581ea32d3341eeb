"""Cross-field checks of team events: a team's size fits its group, members only in team events,
each member's ID number sound and no person in two teams of a group."""

from __future__ import annotations

from scoring.document import declaration as d
from scoring.document.checks.index import Index, sound_entries
from scoring.document.checks.people import id_check_digit
from scoring.i18n import N_

TOO_FEW = N_("a team of group %(group)s has at least %(min)s members")
TOO_MANY = N_("a team of group %(group)s has at most %(max)s members")
NOT_A_TEAM_EVENT = N_("group %(group)s is not a team event: its entries have no members")


def check_teams(doc: d.Document, ix: Index) -> None:
    teams: dict[str, d.Team | None] = {}
    for p, g in sound_entries(doc.groups, "groups"):
        teams[g.code] = g.team
        if g.team is not None and g.team.max_members is not None and g.team.max_members < g.team.min_members:
            ix.add(f"{p}.team.max_members", N_("must be at least %(min)s"), min=g.team.min_members)
    ids: dict[tuple[str, str], str] = {}
    for p, c in sound_entries(doc.contestants, "contestants"):
        if c.group not in teams:
            continue  # unknown or broken group: reported elsewhere
        team = teams[c.group]
        if team is None:
            if c.members:
                ix.add(f"{p}.members", NOT_A_TEAM_EVENT, group=c.group)
            continue
        if len(c.members) < team.min_members:
            ix.add(f"{p}.members", TOO_FEW, group=c.group, min=team.min_members)
        elif team.max_members is not None and len(c.members) > team.max_members:
            ix.add(f"{p}.members", TOO_MANY, group=c.group, max=team.max_members)
        for k, member in enumerate(c.members):
            at = f"{p}.members[{k}].id_number"
            if not member.id_number:
                continue
            if id_check_digit(member.id_number[:17]) != member.id_number[17]:
                ix.add(at, N_("the ID number's check digit is wrong"))
            elif (c.group, member.id_number) in ids:
                ix.add(
                    at,
                    N_("this person is already a member of a team at %(first)s"),
                    first=ids[(c.group, member.id_number)],
                )
            else:
                ids[(c.group, member.id_number)] = at
