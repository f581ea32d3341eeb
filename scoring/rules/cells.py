"""Who marks which cell, and which mark counts (pure: no database, no Flask).

Why one module: the write path (may this judge mark this?), the spread rule (is every expected
mark in?), the chief judge's grid, the organizer's progress bars, the live standings and the
exported document all ask these two questions, and each used to answer them in its own words.

Conventions (docs/document.md, "panels" and "marks"):

- A **cell** is (contestant, aspect). A judge is **expected** on a cell when they sit on a panel
  of the contestant's group and the aspect's stage whose aspect list is empty (the panel marks
  every aspect of the stage) or names the aspect, and they are not recused (回避) from the
  contestant. A withdrawn contestant expects nobody. When a stage runs in sessions (场次), a panel of
  a session sits only for the contestants seated in it (``rules.timetable.panel_applies``). An
  element the technical panel declared invalid for a contestant (params ``{"E2": {"invalid": "1"}}``,
  ``rules.technical``) expects nobody either: it scores 0 whatever was entered.
- A judge **may mark** a cell exactly when expected, or when they sit on a panel for the cell as a
  **trainee** (见习裁判, ``Panel.trainees``). The reason for a refusal is the first that applies of:
  recusal, withdrawal, not on a panel for the cell, the element declared invalid.
- A trainee marks like everyone else, and their marks never count: a trainee is never expected
  (progress, blockers, spread rule, sign-off), and a mark of a cell for which its judge sits only as
  a trainee (``Trainees.of``: on no panel of the cell as a counting judge) is left out of the
  standings, the flags and the panel statistics; it stays stored, shown and in the document.
- Marks are versions, never updated in place. In a cell only the **newest round** counts (the
  highest round any judge's mark has: a re-score round opened without marks yet does not stop
  round 1 from counting); in it each judge's **newest version** counts when its state is one of
  ``COUNTING_STATES`` and it has a value (a void, or a judge's mark of an older round, is no mark).
- A judge's **sheet** for one contestant (the aspects of a panel) is missing, partial, submitted
  (every aspect counted), signed (every aspect signed) or "remark" (a re-score round was opened
  after their mark of some aspect), judged from their newest mark per aspect.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, Protocol, TypeVar

from scoring.i18n import N_
from scoring.rules.technical import INVALID
from scoring.rules.timetable import panel_applies

#: The states of a mark version that count (a ``void`` withdraws the judge's mark).
COUNTING_STATES = frozenset({"submitted", "signed"})

RECUSED = N_("You are recused from marking this contestant.")
WITHDRAWN = N_("This contestant has withdrawn; no marks are taken.")
NOT_ON_PANEL = N_("You do not sit on the panel that marks this aspect for this contestant.")
INVALID_ELEMENT = N_("The technical panel declared this element invalid for this contestant: it takes no marks.")


class ContestantRef(Protocol):
    """What the seating needs of a contestant (a stored row fits)."""

    @property
    def id(self) -> int | None: ...
    @property
    def group_id(self) -> int: ...
    @property
    def withdrawn(self) -> bool: ...


class AspectRef(Protocol):
    """What the seating needs of an aspect (a stored row fits)."""

    @property
    def id(self) -> int | None: ...
    @property
    def stage_id(self) -> int: ...


class MarkVersion(Protocol):
    """One stored version of one judge's mark of one cell (a stored row fits)."""

    @property
    def round(self) -> int: ...
    @property
    def version(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def value(self) -> Decimal | None: ...


@dataclass(frozen=True)
class Panel:
    """A panel as the rule sees it: ids only. ``aspects`` empty: every aspect of the stage."""

    id: int
    group: int
    stage: int
    judges: tuple[int, ...]
    aspects: frozenset[int] = frozenset()
    session: str | None = None
    trainees: tuple[int, ...] = ()  # 见习裁判: mark like the judges, never counted

    def marks(self, aspect: AspectRef) -> bool:
        return aspect.stage_id == self.stage and (not self.aspects or aspect.id in self.aspects)


G = TypeVar("G", bound=Hashable)
K = TypeVar("K", bound=Hashable)
G_co = TypeVar("G_co", bound=Hashable, covariant=True)
K_co = TypeVar("K_co", bound=Hashable, covariant=True)


class Seat(Protocol[G_co, K_co]):
    """What ``Trainees`` needs of a panel: this module's ``Panel`` (ids) and the engine's
    ``rules.types.Panel`` (codes) both fit."""

    @property
    def group(self) -> G_co: ...
    @property
    def stage(self) -> G_co: ...
    @property
    def judges(self) -> tuple[K_co, ...]: ...
    @property
    def trainees(self) -> tuple[K_co, ...]: ...
    @property
    def aspects(self) -> Collection[K_co]: ...
    @property
    def session(self) -> str | None: ...


class Trainees(Generic[G, K]):
    """Which marks are a trainee's (见习): the judge sits on a panel of the cell as a trainee and on
    none of them as a counting judge. Ids or codes alike; answers are remembered per
    (judge, group, stage, aspect, session). Falsy when no panel has a trainee (nothing to ask)."""

    def __init__(self, panels: Iterable[Seat[G, K]]) -> None:
        self._by: dict[tuple[G, G], list[Seat[G, K]]] = {}
        self._own: dict[tuple[G, G], frozenset[str]] = {}
        self.judges: frozenset[K] = frozenset()
        for p in panels:
            key = (p.group, p.stage)
            self._by.setdefault(key, []).append(p)
            if p.session is not None:
                self._own[key] = self._own.get(key, frozenset()) | {p.session}
            self.judges |= frozenset(p.trainees)
        self._memo: dict[tuple[K, G, G, K, str | None], bool] = {}

    def __bool__(self) -> bool:
        return bool(self.judges)

    def of(self, judge: K, group: G, stage: G, aspect: K, session: str | None = None) -> bool:
        """Is ``judge``'s mark of this cell (contestant of ``group`` seated in ``session``, aspect of
        ``stage``) a trainee's, never counted?"""
        if judge not in self.judges:
            return False
        key = (judge, group, stage, aspect, session)
        hit = self._memo.get(key)
        if hit is None:
            own = self._own.get((group, stage), frozenset())
            seats = [
                p
                for p in self._by.get((group, stage), ())
                if (not p.aspects or aspect in p.aspects) and panel_applies(p.session, own, session)
            ]
            hit = self._memo[key] = any(judge in p.trainees for p in seats) and not any(
                judge in p.judges for p in seats
            )
        return hit


class Seating:
    """Who sits on which panel and who is recused: answers "who marks this cell"."""

    def __init__(
        self,
        panels: Iterable[Panel],
        recusals: Iterable[tuple[int, int]],
        seated: Mapping[int, str | None] | None = None,
        invalid: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.panels = sorted(panels, key=lambda p: p.id)
        self.recused = frozenset(recusals)  # (judge, contestant)
        self.invalid = frozenset(invalid)  # (contestant, aspect) declared invalid: nobody marks it
        self.seated = dict(seated or {})  # contestant -> session (场次) drawn
        self._of_judge: dict[int, list[Panel]] = {}
        self._for: dict[tuple[int, int], list[Panel]] = {}
        self._own: dict[tuple[int, int], frozenset[str]] = {}
        for panel in self.panels:
            self._for.setdefault((panel.group, panel.stage), []).append(panel)
            if panel.session is not None:
                key = (panel.group, panel.stage)
                self._own[key] = self._own.get(key, frozenset()) | {panel.session}
            for judge in panel.judges + panel.trainees:
                self._of_judge.setdefault(judge, []).append(panel)
        self.trainees: Trainees[int, int] = Trainees(self.panels)

    def sits_for(self, panel: Panel, contestant: int | None) -> bool:
        """Does the panel mark this contestant of its group (sessions, see the conventions)?"""
        own = self._own.get((panel.group, panel.stage), frozenset())
        return panel_applies(panel.session, own, self.seated.get(contestant) if contestant is not None else None)

    def panels_of(self, judge: int) -> list[Panel]:
        return list(self._of_judge.get(judge, ()))

    def refusal(self, judge: int, contestant: ContestantRef, aspect: AspectRef) -> str | None:
        """None when ``judge`` may mark the cell, else the reason (a message id)."""
        if (judge, contestant.id) in self.recused:
            return RECUSED
        if contestant.withdrawn:
            return WITHDRAWN
        for panel in self._of_judge.get(judge, ()):
            if panel.group == contestant.group_id and panel.marks(aspect) and self.sits_for(panel, contestant.id):
                return None if self.markable(contestant.id, aspect.id) else INVALID_ELEMENT
        return NOT_ON_PANEL

    def trainee(self, judge: int, contestant: ContestantRef, aspect: AspectRef) -> bool:
        """Is ``judge``'s mark of this cell a trainee's (kept, shown, never counted)?"""
        if not self.trainees or aspect.id is None:
            return False
        return self.trainees.of(
            judge, contestant.group_id, aspect.stage_id, aspect.id, self.seated.get(contestant.id or 0)
        )

    def markable(self, contestant: int | None, aspect: int | None) -> bool:
        """False when the technical panel declared this element invalid for this contestant."""
        return (contestant, aspect) not in self.invalid

    def expected(self, contestant: ContestantRef, aspect: AspectRef) -> set[int]:
        """The judges whose marks the cell waits for."""
        if contestant.withdrawn or not self.markable(contestant.id, aspect.id):
            return set()
        return {
            judge
            for panel in self._for.get((contestant.group_id, aspect.stage_id), ())
            if panel.marks(aspect) and self.sits_for(panel, contestant.id)
            for judge in panel.judges
            if (judge, contestant.id) not in self.recused
        }

    def expected_cells(
        self, contestants: Iterable[ContestantRef], aspects: Iterable[AspectRef]
    ) -> set[tuple[int, int, int]]:
        """Every (contestant, aspect, judge) expected, panel by panel (no pass over every pair)."""
        by_group: dict[int, list[int]] = {}
        for c in contestants:
            if not c.withdrawn and c.id is not None:
                by_group.setdefault(c.group_id, []).append(c.id)
        by_stage: dict[int, list[AspectRef]] = {}
        for a in aspects:
            by_stage.setdefault(a.stage_id, []).append(a)
        out: set[tuple[int, int, int]] = set()
        for panel in self.panels:
            marked = [a.id for a in by_stage.get(panel.stage, ()) if a.id is not None and panel.marks(a)]
            for contestant in by_group.get(panel.group, ()):
                if not self.sits_for(panel, contestant):
                    continue
                for judge in panel.judges:
                    if (judge, contestant) not in self.recused:
                        out.update((contestant, a, judge) for a in marked if (contestant, a) not in self.invalid)
        return out


def declared_invalid(params: Mapping[str, object] | None) -> bool:
    """Is one element's parameter set (as stored: numbers as text) declared invalid? ``1``: yes;
    ``0``, absent or unreadable: no (the document's checks refuse anything but 0 or 1)."""
    flag = (params or {}).get(INVALID)
    if flag is None or isinstance(flag, bool):
        return bool(flag)
    try:
        return Decimal(str(flag)) != 0
    except InvalidOperation:
        return False


def invalid_cells(
    contestants: Iterable[tuple[int | None, Mapping[str, Mapping[str, object]] | None]],
    aspect_ids: Mapping[str, int | None],
) -> frozenset[tuple[int, int]]:
    """Every (contestant, aspect) whose element the technical panel declared invalid, from each
    contestant's (id, per-aspect-code params) and the aspects' ids by code."""
    out: set[tuple[int, int]] = set()
    for contestant, params in contestants:
        for code, p in (params or {}).items():
            aspect = aspect_ids.get(code)
            if contestant is not None and aspect is not None and isinstance(p, Mapping) and declared_invalid(p):
                out.add((contestant, aspect))
    return frozenset(out)


def counts(mark: MarkVersion) -> bool:
    """Does this version, if it is the judge's newest in the newest round, count?"""
    return mark.state in COUNTING_STATES and mark.value is not None


C = TypeVar("C", bound=Hashable)
J = TypeVar("J", bound=Hashable)
M = TypeVar("M", bound=MarkVersion)


class Tally(Generic[C, J, M]):
    """The counting mark of every (cell, judge), fed version by version in any order.

    Why incremental: the live standings fold each new mark row into what they hold instead of
    re-reading every version (``services.standings``); the whole-competition read is the same
    fold over every row (``counting_marks``). ``add`` returns what changed as
    (cell, judge, counting mark or None when the judge's mark stopped counting)."""

    __slots__ = ("rounds", "newest", "judges_of", "counting")

    def __init__(self) -> None:
        self.rounds: dict[C, int] = {}
        self.newest: dict[tuple[C, J], tuple[int, int]] = {}
        self.judges_of: dict[C, set[J]] = {}
        self.counting: dict[tuple[C, J], M] = {}

    def add(self, cell: C, judge: J, mark: M) -> list[tuple[C, J, M | None]]:
        rnd = mark.round
        top = self.rounds.get(cell, 0)
        if rnd < top:
            return []
        changes: list[tuple[C, J, M | None]] = []
        if rnd > top:
            self.rounds[cell] = rnd
            for other in self.judges_of.get(cell, ()):  # a new round: earlier rounds stop counting
                if self.newest.get((cell, other), (0, 0))[0] < rnd:
                    self.counting.pop((cell, other), None)
                    changes.append((cell, other, None))
        key = (cell, judge)
        prev = self.newest.get(key)
        if prev is not None and prev >= (rnd, mark.version):
            return changes
        self.newest[key] = (rnd, mark.version)
        self.judges_of.setdefault(cell, set()).add(judge)
        if counts(mark):
            self.counting[key] = mark
            changes.append((cell, judge, mark))
        else:
            self.counting.pop(key, None)
            changes.append((cell, judge, None))
        return changes


def counting_marks(rows: Iterable[tuple[C, J, M]]) -> dict[tuple[C, J], M]:
    """The counting mark per (cell, judge) of a set of (cell, judge, version) rows, in any order."""
    tally: Tally[C, J, M] = Tally()
    for cell, judge, mark in rows:
        tally.add(cell, judge, mark)
    return tally.counting


def sheet_status(aspects: Sequence[tuple[MarkVersion | None, int]]) -> str:
    """One judge's sheet for one contestant from (their newest mark, the cell's open round) per
    aspect: "remark", "signed", "submitted", "partial" or "missing"."""
    done = signed = remark = 0
    for mark, open_round in aspects:
        if mark is None:
            continue
        if mark.round < open_round:
            remark += 1
        elif counts(mark):
            done += 1
            signed += mark.state == "signed"
    n = len(aspects)
    return (
        "remark"
        if remark
        else "signed"
        if n and signed == n
        else "submitted"
        if n and done == n
        else "partial"
        if done
        else "missing"
    )


def cell_state(mark: MarkVersion | None, open_round: int) -> str:
    """How a judge's own cell looks on their tablet: "remark", "missing", or the mark's state."""
    if mark is None:
        return "missing"
    return "remark" if mark.round < open_round else mark.state
