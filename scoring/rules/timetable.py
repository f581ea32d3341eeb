"""Sessions (场次), pure: who sits in which session at which station, and which session is on.

Conventions:

- **Seating** is reproducible from the draw's seed. Each group's contestants, shuffled, are dealt
  in turn to the sessions that admit the group (a session with no group list admits every group),
  in the sessions' order (date, start, code), skipping a full one, so the sessions fill evenly.
  A session with declared stations holds at most that many contestants and they get those
  stations, shuffled; a session without declares none: its contestants get 01, 02 ... A session's
  stations are shared by the groups in it, so two groups never get one station in one session.
- A **panel of a session** (``Panel.session``) marks only the contestants seated in that session;
  a panel without a session marks the others of its group and stage: everyone when no session has
  a panel of its own (``panel_applies``).
- The **current session** at a local date and time is the one running (started, and not past its
  end); if none is running, the next to start. None when every session is over (or there are
  none): the pickers then show every session, as after the competition one looks at all of them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Sitting:
    """A session as the rules see it; ``date`` YYYY-MM-DD and ``start``/``end`` HH:MM, local."""

    code: str
    date: str
    start: str
    end: str | None = None
    stations: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.date, self.start, self.code)


class TooFewStations(ValueError):
    """More contestants of some group than its sessions have stations."""

    def __init__(self, group: str, people: int, places: int) -> None:
        super().__init__(group, people, places)
        self.group, self.people, self.places = group, people, places


def seat(seed: str, groups: Mapping[str, Sequence[str]], sessions: Sequence[Sitting]) -> dict[str, tuple[str, str]]:
    """contestant code -> (session code, station), reproducible from ``seed``."""
    rng = random.Random(f"{seed}:sessions")
    ordered = sorted(sessions, key=lambda s: s.key)
    left = {s.code: len(s.stations) if s.stations else None for s in ordered}
    members: dict[str, list[str]] = {s.code: [] for s in ordered}
    for group in sorted(groups):
        people = sorted(groups[group])
        rng.shuffle(people)
        open_to = [s for s in ordered if not s.groups or group in s.groups]
        turn = 0
        for person in people:
            for _ in range(len(open_to)):
                s = open_to[turn % len(open_to)]
                turn += 1
                if left[s.code] is None or (left[s.code] or 0) > 0:
                    break
            else:
                places = sum(len(s.stations) for s in open_to)
                raise TooFewStations(group, len(people), places)
            members[s.code].append(person)
            if left[s.code] is not None:
                left[s.code] = (left[s.code] or 0) - 1
    out: dict[str, tuple[str, str]] = {}
    for s in ordered:
        stations = list(s.stations) or [f"{i:02d}" for i in range(1, len(members[s.code]) + 1)]
        rng.shuffle(stations)
        for person, station in zip(members[s.code], stations):
            out[person] = (s.code, station)
    return out


def current(sessions: Sequence[Sitting], date: str, clock: str) -> Sitting | None:
    """The session on at local ``date`` (YYYY-MM-DD) and ``clock`` (HH:MM); see the conventions."""
    ordered = sorted(sessions, key=lambda s: s.key)
    now = (date, clock)
    started = [s for s in ordered if (s.date, s.start) <= now]
    for s in reversed(started):
        if s.date == date and (s.end is None or clock < s.end):
            return s
    upcoming = [s for s in ordered if (s.date, s.start) > now]
    return upcoming[0] if upcoming else None


def panel_applies(panel_session: str | None, own_panels: frozenset[str], session: str | None) -> bool:
    """Does a panel (of ``panel_session``, or of none) mark a contestant seated in ``session``?
    ``own_panels``: the sessions that have a panel of their own for the group and stage."""
    if panel_session is not None:
        return session == panel_session
    return session not in own_panels
