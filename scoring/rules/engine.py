"""Standings from a competition's rules, scheme, people and marks: full and incremental.

Why both: boards need the new standings within milliseconds of each mark, and an auditor needs
to recompute everything from the stored marks and get the same answer. ``StandingsEngine`` keeps
the state of one competition and updates only the marked contestant (its aspect, stage and total,
see ``scorer``) and the places in its group that can have moved (``placing``);
``compute_standings`` is the same engine built from scratch. The tests replay random mark
sequences and compare the two.

Decisions documented here:

* Expected judges for (contestant, aspect) are the judges of the panels for the contestant's
  group and the aspect's stage (a panel with no aspect list covers the whole stage), in panel
  order, minus recusals. When no panel covers an aspect, whoever marked it counts (open panel).
* A panel of a session (场次) marks only the contestants seated in it; a panel without one marks
  the rest (``rules.timetable.panel_applies``).
* A trainee's marks (见习裁判, ``Panel.trainees``; ``rules.cells.Trainees``) are left out before
  anything else sees them: no value, no flag, as if never given.
* Marks by judges outside that list are ignored and flagged (``recused_mark`` / ``not_on_panel``);
  marks for unknown contestants or aspects are ignored by ``compute_standings`` and refused by
  ``StandingsEngine.apply_mark``. If a (contestant, aspect, judge) appears twice, the later wins.
* Missing is not zero: a stage with an aspect that is not OK has no value, a total with a stage
  without value is None and the row is unranked; partial sums stay visible (``StageResult.partial``,
  ``Row.partial_total``).
* Stage-level aggregation (``Stage.aggregation``): each judge's stage total is the sum of that
  judge's marks over *all* the stage's aspects (type conversion only, see
  ``aggregate.stage_judge_mark``); a judge who has not marked every aspect has no total, and the
  stage aggregation's missing policy decides. Aspect results are still shown per aspect.
* Overall award rules (``per_group=False``) rank every group together; after a mark they are
  re-evaluated for all rows (linear; the per-group path is the fast one).
* A full build pauses the cyclic garbage collector: it allocates several hundred thousand
  acyclic objects, and the collector would otherwise re-scan them many times over (it doubled
  the time of a 10,000-contestant recompute). The previous state is restored afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain, groupby
from operator import attrgetter

from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.rules.cells import Trainees
from scoring.rules.placing import GroupPlaces, Placer
from scoring.rules.ranking import level_names
from scoring.rules.results import AspectResults, MarkRun, StageResults
from scoring.rules.rounding import exact
from scoring.rules.scorer import Scorer
from scoring.rules.state import ContestantState, Expect, unrank
from scoring.rules.timetable import panel_applies
from scoring.rules.types import CompetitionInput, Mark, Standings
from scoring.rules.validation import validate_config

_NONE: frozenset[str] = frozenset()

__all__ = ["compute_standings", "StandingsEngine", "validate_config"]

_EMPTY: Mapping[str, Mapping[str, Decimal]] = {}
_BY_CONTESTANT = attrgetter("contestant")
_ASPECT = attrgetter("aspect")
_JUDGE = attrgetter("judge")
_VALUE = attrgetter("value")
UNKNOWN_CONTESTANT = N_("there is no contestant %(code)s")
UNKNOWN_ASPECT = N_("there is no aspect %(code)s")


def compute_standings(inp: CompetitionInput) -> Standings:
    """Standings recomputed from scratch (pure: same input, same output).

    The collector stays paused until the engine's working state is gone, so the one collection
    that follows sees only the standings, not the state they were computed from.
    """
    with gc_paused():
        engine = StandingsEngine(inp)
        standings = engine.standings
        del engine
    return standings


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a large, acyclic structure is built (standings, a loaded
    document): every allocation would otherwise trigger scans of everything built so far."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class StandingsEngine:
    """Standings kept up to date mark by mark.

    ``standings`` is always the current immutable ``Standings``. ``apply_mark`` and ``remove_mark``
    update the working state only; the changed groups' rows are made when ``standings`` is next
    read, so a burst of marks replayed between two reads (as the server does) builds them once.
    Not thread-safe: one engine per competition, updated by one writer.
    """

    def __init__(self, inp: CompetitionInput):
        with exact(), gc_paused():
            self._compile(inp)
            self._load(inp)
            sc = self._scorer
            clean = [c for c in self._contestants if sc.compute_aspects(c)]
            if len(clean) < len(self._contestants):
                ids = set(map(id, clean))
                for c in self._contestants:
                    if id(c) not in ids:
                        sc.compute_stages(c)
            sc.bulk_stages(clean)
            placer = self._placer
            members: dict[str, list[ContestantState]] = {}
            for c in self._contestants:
                members.setdefault(c.group, []).append(c)
            for g in self._groups.values():
                placer.place_all(g, members[g.code])
            if placer.overall_rules:
                placer.award_overall(self._contestants)
            for c in self._contestants:
                c.row = placer.make_row(c)
            for g in self._groups.values():
                g.rows = [c.row for c in g.members]
                g.urows = [c.row for c in g.umembers]
            self._flags = tuple(chain.from_iterable(c.flags for c in self._contestants))
            self._standings = Standings(
                groups={code: self._groups[code].result() for code in sorted(self._groups)}, flags=self._flags
            )
        self._dirty: dict[str, GroupPlaces] = {}
        self._flags_dirty = False

    # ------------------------------------------------------------------ public

    @property
    def standings(self) -> Standings:
        if self._dirty or self._flags_dirty:
            # (collector paused: copying thousands of shifted rows would otherwise run it many times
            # over objects that cannot form cycles)
            with exact(), gc_paused():
                groups = dict(self._standings.groups)
                for code, g in self._dirty.items():
                    groups[code] = g.result()
                if self._flags_dirty:
                    self._flags = tuple(chain.from_iterable(x.flags for x in self._contestants))
                self._standings = Standings(groups=groups, flags=self._flags)
            self._dirty = {}
            self._flags_dirty = False
        return self._standings

    def apply_mark(self, mark: Mark) -> None:
        """Take in the newest version of one judge's mark (read ``standings`` for the result)."""
        c, i = self._cell(mark.contestant, mark.aspect)
        if self._trainees and self._trainee(mark):
            return
        key = (mark.aspect, mark.judge)
        current = self._scorer.marks(c)
        old = current.get(key)
        if old is not None and old.as_tuple() == mark.value.as_tuple():
            return
        marks = dict(current)
        marks[key] = mark.value
        self._changed(c, i, marks, key)

    def remove_mark(self, contestant: str, aspect: str, judge: str) -> None:
        """Forget a judge's mark (withdrawn or voided); read ``standings`` for the result."""
        c, i = self._cell(contestant, aspect)
        key = (aspect, judge)
        current = self._scorer.marks(c)
        if key not in current:
            return
        marks = dict(current)
        del marks[key]
        self._changed(c, i, marks, key)

    # ------------------------------------------------------------------ compile

    def _compile(self, inp: CompetitionInput) -> None:
        rules = inp.rules
        self._scorer = sc = Scorer(rules, inp.scheme)
        self._aspects, self._codes, self._aidx = sc.aspects, sc.codes, sc.aidx
        self._placer = Placer(rules.ranking, level_names(rules.tie_breaks), rules.awards)
        self._recusals: dict[str, set[str]] = {}
        for j, c in inp.recusals:
            self._recusals.setdefault(c, set()).add(j)
        self._panels = tuple(inp.panels)
        self._trainees: Trainees[str, str] = Trainees(self._panels)
        self._seat_of = {c.code: (c.group, c.session) for c in inp.contestants} if self._trainees else {}
        # (group, stage) -> the sessions with a panel of their own (rules.timetable.panel_applies)
        self._own_panels: dict[tuple[str, str], frozenset[str]] = {}
        for p in self._panels:
            if p.session is not None:
                key = (p.group, p.stage)
                self._own_panels[key] = self._own_panels.get(key, _NONE) | {p.session}

    def _expect_for(self, group: str, recused: set[str] | None, session: str | None = None) -> Expect:
        judges: list[tuple[str, ...] | None] = []
        own = self._own_panels
        for a in self._aspects:
            found = False
            js: list[str] = []
            for p in self._panels:
                if (
                    p.group == group
                    and p.stage == a.stage
                    and (not p.aspects or a.code in p.aspects)
                    and panel_applies(p.session, own.get((group, p.stage), _NONE), session)
                ):
                    found = True
                    for j in p.judges:
                        if j not in js and not (recused and j in recused):
                            js.append(j)
            judges.append(tuple(js) if found else None)
        return Expect(judges, self._codes, self._scorer.stage_aspects)

    # ------------------------------------------------------------------ load

    def _load(self, inp: CompetitionInput) -> None:
        group_expect: dict[tuple[str, str | None], Expect] = {}
        self._contestants: list[ContestantState] = []
        self._by_code: dict[str, ContestantState] = {}
        self._groups: dict[str, GroupPlaces] = {}
        for ct in inp.contestants:
            if ct.code in self._by_code:
                continue
            c = ContestantState()
            c.code = ct.code
            c.group = ct.group
            c.params = ct.params or _EMPTY
            recused = self._recusals.get(ct.code)
            c.recused = recused or ()
            if recused:
                c.exp = self._expect_for(ct.group, recused, ct.session)
            else:
                exp = group_expect.get((ct.group, ct.session))
                if exp is None:
                    exp = group_expect[(ct.group, ct.session)] = self._expect_for(ct.group, None, ct.session)
                c.exp = exp
            if c.exp.batches is None:
                c.exp.batches = self._scorer.batches(c.exp)
            c.mlist = None
            c.src = None
            c.marks = None
            c.vals = None
            c.canon = False
            unrank(c)
            self._contestants.append(c)
            self._by_code[ct.code] = c
            if ct.group not in self._groups:
                self._groups[ct.group] = GroupPlaces(ct.group)
        # One pass over the marks, grouped by contestant (groupby + extend: right for any order,
        # cheap when a database returns them grouped). While a contestant's marks are still in
        # the CPU cache, check whether they are in canonical order and take their values.
        by_code = self._by_code
        marks = inp.marks if isinstance(inp.marks, (tuple, list)) else tuple(inp.marks)
        if self._trainees:
            marks = tuple(mk for mk in marks if not self._trainee(mk))
        pos = 0
        for code, run in groupby(marks, _BY_CONTESTANT):
            lst = list(run)
            start, pos = pos, pos + len(lst)
            known = by_code.get(code)
            if known is None:
                continue
            c = known
            if c.mlist is None:
                c.mlist = lst
                c.src = MarkRun(marks, start, pos)
                exp = c.exp
                if (
                    exp.flat_aspects is not None
                    and len(lst) == len(exp.flat_aspects)
                    and list(map(_ASPECT, lst)) == exp.flat_aspects
                    and list(map(_JUDGE, lst)) == exp.flat_judges
                ):
                    c.canon = True
                    c.vals = list(map(_VALUE, lst))
            else:
                c.mlist.extend(lst)
                c.src = None  # marks of this contestant are scattered: keep the list
                c.canon = False
                c.vals = None
        for c in self._contestants:
            if c.mlist is None:
                c.mlist = []

    def _trainee(self, mark: Mark) -> bool:
        """Is this a trainee's mark (``rules.cells.Trainees``), never counted?"""
        seat = self._seat_of.get(mark.contestant)
        aspect = self._aidx.get(mark.aspect)
        if seat is None or aspect is None:
            return False
        return self._trainees.of(mark.judge, seat[0], self._aspects[aspect].stage, mark.aspect, seat[1])

    # ------------------------------------------------------------------ incremental

    def _cell(self, contestant: str, aspect: str) -> tuple[ContestantState, int]:
        c = self._by_code.get(contestant)
        if c is None:
            raise InvalidInput(Problem("contestant", UNKNOWN_CONTESTANT, {"code": contestant}))
        i = self._aidx.get(aspect)
        if i is None:
            raise InvalidInput(Problem("aspect", UNKNOWN_ASPECT, {"code": aspect}))
        return c, i

    def _changed(self, c: ContestantState, i: int, marks: dict[tuple[str, str], Decimal], key: tuple[str, str]) -> None:
        with exact():
            old_skey, old_flags = c.skey, c.flags
            c.marks = marks
            code = self._codes[i]
            c.cache = {k: v for k, v in c.cache.items() if k != code}
            sc = self._scorer
            sc.aspect(c, i, marks)
            if key not in c.exp.key_set:
                c.xflags = sc.extra_flags(c)
            c.flags = sc.collect_flags(c)
            s = sc.stage_of[i]
            if s >= 0:
                info = sc.stage_info[s]
                v, part, w = sc.stage(c, s, info)
                # new lists: the old ones belong to the previous standings' rows
                c.svals, c.sparts, c.sweighted = list(c.svals), list(c.sparts), list(c.sweighted)
                c.svals[s], c.sparts[s], c.sweighted[s] = v, part, w
                c.stages = StageResults(sc.stage_view, c.svals, c.sweighted, c.sparts)
            sc.total(c)
            c.amap = AspectResults(sc.view, marks, c.exp.judges, c.params, c.cache)
            g = self._groups[c.group]
            dirty = self._dirty
            dirty[g.code] = g
            placer = self._placer
            placer.move(g, c, old_skey)
            if placer.overall_rules:
                for other in placer.award_overall(self._contestants) - {c}:
                    other.row = placer.make_row(other)
                    og = self._groups[other.group]
                    og.put_row(other)
                    dirty[og.code] = og
                c.row = placer.make_row(c)
                g.put_row(c)
            if c.flags != old_flags:
                self._flags_dirty = True
