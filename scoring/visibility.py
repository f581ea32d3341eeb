"""The one visibility policy: what each audience may see of a competition in each state.

Why one place: freeze leaks in other systems came from scattered ``if frozen`` checks. Every
read path (pages, API, sockets, exports) asks ``view_for`` and renders only what it allows.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    PUBLIC = "public"            # boards on projectors, public pages
    AUDIENCE = "audience"        # phones in the seats (same rights as public)
    JUDGE = "judge"
    CHIEF = "chief"              # chief judge
    ORGANIZER = "organizer"


class State(StrEnum):
    EMBARGOED = "embargoed"      # nothing public until a stage is locked
    LIVE = "live"
    FROZEN = "frozen"            # public boards stop at a moment; organizers still see live
    PUBLISHED = "published"


@dataclass(frozen=True)
class View:
    standings: bool              # may see ranks and totals at all
    live: bool                   # sees the current standings (False: the frozen snapshot)
    names: bool                  # may see names and units (else anonymous codes)
    judge_marks: bool            # may see individual judges' marks
    flags: bool                  # may see spread/outlier flags
    final: bool                  # results are final (published)


NOTHING = View(standings=False, live=False, names=False, judge_marks=False, flags=False, final=False)


def view_for(audience: Audience | str, state: State | str, identities_revealed: bool = False) -> View:
    audience, state = Audience(audience), State(state)
    if audience is Audience.ORGANIZER:
        return View(True, True, True, True, True, state is State.PUBLISHED)
    if audience is Audience.CHIEF:
        # The chief judge works by station/code; names only once the draw map is revealed.
        return View(True, True, identities_revealed, True, True, state is State.PUBLISHED)
    if audience is Audience.JUDGE:
        # Marking is criterion-referenced: judges never see live ranks (RULES.md item 8).
        return NOTHING
    # public boards and phones
    if state is State.EMBARGOED:
        return NOTHING
    if state is State.LIVE:
        return View(True, True, identities_revealed, False, False, False)
    if state is State.FROZEN:
        return View(True, False, identities_revealed, False, False, False)
    return View(True, True, True, False, False, True)
