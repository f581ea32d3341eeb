"""The one visibility policy: what each audience may see of a competition in each state.

Why one place: freeze leaks in other systems came from scattered ``if frozen`` checks (CTFd
#986/#1092, DOMjudge #666). Every read path (pages, API, sockets, exports) asks ``view_for``
and ``services.results`` cuts the payload with the answer; nothing else decides.

The states:

- *embargoed*: nothing reaches the public or the phones (a stage is being marked and not yet
  locked); the chief judge and the organizer work as usual.
- *live*: the public sees provisional standings as marks are committed.
- *frozen*: public boards and phones stop at the snapshot stored at freeze time (``source ==
  "frozen"``); the chief judge and organizers still see live. The award reveal runs here.
- *published*: final results for everyone.

Judges never see ranks or totals (marking is criterion-referenced). Contestants appear by
name on public screens only after the draw map is revealed (``identities_revealed``); before
that they are their anonymous codes. Personal data (ID numbers, phones) is never in any
standings payload, for any audience; on the console only the organizer sees it. A team entry's
members (团体项目) are names like the team's own: shown with ``names``, never their personal data.

Accounts meet this policy through ``audience_of``: each account role watches as one audience.
A viewer (an observer such as a supervisor from the trade union) sees what the chief judge sees,
read-only, and never more: names only after the reveal, no personal data.

The stage dimension (staged publication, e.g. theory results announced while the practical is
still being marked): a stage publication makes one stage of one group (or of every group) final
for the public while the competition stays in its state. ``stage_cut`` answers, per group, where
each stage's column and the totals come from for an audience:

- a published stage: its score and its stage rank as published (the result version), in every state;
- a stage not published: as the state says (embargoed: nothing; live: provisional; frozen: the snapshot);
- the total, the overall rank, ties and awards: from the publication only when every stage of the
  group is published; otherwise as the state says (under embargo: nothing).

Officials see everything live as before; judges nothing; a full publication (state *published*)
shows every stage and the totals as final.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    PUBLIC = "public"  # boards on projectors, public pages
    AUDIENCE = "audience"  # phones in the seats (same rights as public)
    JUDGE = "judge"
    CHIEF = "chief"  # chief judge
    ORGANIZER = "organizer"


class State(StrEnum):
    EMBARGOED = "embargoed"  # nothing public until a stage is locked
    LIVE = "live"
    FROZEN = "frozen"  # public boards stop at a moment; organizers still see live
    PUBLISHED = "published"


@dataclass(frozen=True)
class View:
    standings: bool  # may see ranks and totals at all
    live: bool  # sees the current standings (False: the frozen snapshot)
    names: bool  # may see names and units (else anonymous codes)
    judge_marks: bool  # may see individual judges' marks
    flags: bool  # may see spread/outlier flags
    final: bool  # results are final (published)
    reveal: bool = False  # follows the award ceremony (public screens while frozen)

    @property
    def source(self) -> str:
        """Where the rows come from: "none", "live" or "frozen" (the stored snapshot)."""
        if not self.standings:
            return "none"
        return "live" if self.live else "frozen"


NOTHING = View(standings=False, live=False, names=False, judge_marks=False, flags=False, final=False)

PUBLIC_AUDIENCES = (Audience.PUBLIC, Audience.AUDIENCE)


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
        return View(True, False, identities_revealed, False, False, False, reveal=True)
    return View(True, True, identities_revealed, False, False, True)


def shows_team_standings(view: View, reveal_running: bool = False) -> bool:
    """Team standings (团体总分) follow the individual rows they are computed from: shown when the
    rows are, from the same source (live or the frozen snapshot), and only with names, since a
    county beside its counted results would tie anonymous codes to counties. Never while an award
    reveal replays the frozen rows one by one: team totals would announce what is still to come."""
    return view.standings and view.names and not reveal_running


@dataclass(frozen=True)
class StageCut:
    """Where one group's columns come from for an audience: "none", "live", "frozen" or
    "published" (the latest result version that covers the stage for the group)."""

    stages: dict[str, str]
    totals: str

    @property
    def anything(self) -> bool:
        return self.totals != "none" or any(src != "none" for src in self.stages.values())


def stage_cut(
    audience: Audience | str, state: State | str, stages: Sequence[str], published: Collection[str] = ()
) -> StageCut:
    """The stage dimension of the policy for one group: ``stages`` are the group's stage codes
    in order, ``published`` those a stage publication has made public for the group."""
    audience, state = Audience(audience), State(state)
    base = view_for(audience, state).source
    if audience not in PUBLIC_AUDIENCES or state is State.PUBLISHED:
        return StageCut({st: base for st in stages}, base)
    cols = {st: ("published" if st in published else base) for st in stages}
    every = bool(stages) and all(st in published for st in stages)
    return StageCut(cols, "published" if every else base)


# The one mapping from an account role to the audience it watches as (anonymous: the public).
ROLE_AUDIENCES = {
    "organizer": Audience.ORGANIZER,
    "chief": Audience.CHIEF,
    "viewer": Audience.CHIEF,
    "judge": Audience.JUDGE,
    # A clerk (录分员) types what a judge wrote on paper: they see what a judge sees (codes and
    # aspects, never standings, ranks or names), so double entry stays a copy, not a judgement.
    "clerk": Audience.JUDGE,
}
# Each audience sees at least what the ones below it see.
_REACH = {Audience.PUBLIC: 0, Audience.AUDIENCE: 0, Audience.JUDGE: 1, Audience.CHIEF: 2, Audience.ORGANIZER: 3}


def audience_of(role: str | None) -> Audience:
    """The audience an account of ``role`` watches as (None or an unknown role: the public)."""
    return ROLE_AUDIENCES.get(role or "", Audience.PUBLIC)


def may_watch(role: str | None, audience: Audience | str) -> bool:
    """Whether a signed-in role (None: anonymous) may ask for an audience's view. The caller
    passes None for an account limited to another competition (see web.access)."""
    audience = Audience(audience)
    return _REACH[audience_of(role)] >= _REACH[audience]


def sees_personal_data(audience: Audience | str) -> bool:
    """ID numbers and phone numbers: the organizer's console only (never any standings payload)."""
    return Audience(audience) is Audience.ORGANIZER
