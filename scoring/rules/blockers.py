"""What blocks a step (lock a stage, review, publish): pure, over the cell tally.

Why one function: the lock, review and publish pages, the overview and the monitor all refuse
or warn for the same reasons, and an organizer who reads "部分成绩不完整" on one page must read
the same list, in the same words and counts, on every other. Who is expected on a cell is
``rules.cells.Seating``'s answer; this module only subtracts what is in.

Conventions:

- A **missing mark** is an expected (contestant, aspect, judge) of a stage in scope without a
  counting mark (``rules.cells``: newest round, newest version, a value). Missing is not zero.
- A **missing panel** is a (group, stage) with no panel at all: nobody can mark it, so no count
  of missing marks can say how far it is. It blocks whether or not the group has contestants yet
  (a group added a minute ago must still be named).
- An **open stage** blocks publication, never the lock of another stage.
- Lists are sorted (contestant, stage, aspect, judge ids) so that "the first N" is stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scoring.rules.cells import AspectRef, ContestantRef, Seating


@dataclass(frozen=True)
class StageRef:
    """A stage as the blockers see it: its id and whether it is locked."""

    id: int
    locked: bool = False


@dataclass(frozen=True)
class Incomplete:
    """One contestant still waiting for marks: which (aspect, judge) pairs, per stage."""

    contestant: int
    missing: tuple[tuple[int, int], ...]  # (aspect, judge), sorted


@dataclass(frozen=True)
class Blockers:
    """Everything that blocks the step, with the counts an organizer reads first."""

    contestants: tuple[Incomplete, ...] = ()
    missing_panels: tuple[tuple[int, int], ...] = ()  # (group, stage)
    open_stages: tuple[int, ...] = ()
    by_judge: dict[int, int] = field(default_factory=dict)  # judge -> marks missing

    @property
    def marks_missing(self) -> int:
        return sum(len(c.missing) for c in self.contestants)

    @property
    def contestants_incomplete(self) -> int:
        return len(self.contestants)

    @property
    def clear(self) -> bool:
        return not (self.contestants or self.missing_panels or self.open_stages)


def blockers(
    seating: Seating,
    groups: Iterable[int],
    stages: Iterable[StageRef],
    contestants: Iterable[ContestantRef],
    aspects: Iterable[AspectRef],
    counted: Iterable[tuple[int, int, int]],
    *,
    stage: int | None = None,
    need_locked: bool = False,
) -> Blockers:
    """What blocks the step. ``stage``: only that stage (the lock of one stage); None: every
    stage. ``need_locked``: open stages block too (publication). ``counted``: every
    (contestant, aspect, judge) with a counting mark."""
    stage_list = [st for st in stages if stage is None or st.id == stage]
    in_scope = {st.id for st in stage_list}
    aspect_list = [a for a in aspects if a.stage_id in in_scope]
    expected = seating.expected_cells(contestants, aspect_list)
    missing = sorted(expected.difference(counted))
    per: dict[int, list[tuple[int, int]]] = {}
    by_judge: dict[int, int] = {}
    for contestant, aspect, judge in missing:
        per.setdefault(contestant, []).append((aspect, judge))
        by_judge[judge] = by_judge.get(judge, 0) + 1
    panelled = {(p.group, p.stage) for p in seating.panels}
    no_panel = tuple((g, st) for g in sorted(set(groups)) for st in sorted(in_scope) if (g, st) not in panelled)
    return Blockers(
        contestants=tuple(Incomplete(c, tuple(pairs)) for c, pairs in sorted(per.items())),
        missing_panels=no_panel,
        open_stages=tuple(st.id for st in stage_list if not st.locked) if need_locked else (),
        by_judge=dict(sorted(by_judge.items())),
    )
