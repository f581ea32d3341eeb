"""Team standings (团体总分): delegations ranked from their contestants' individual results.

Why a module of its own: city-wide competitions rank the counties that sent the contestants as
well as the contestants, and the rulebooks differ on how (the best three totals, points by place,
a medal table). Each way is one declared ``TeamStandingRule``; this module applies it to the
individual standings the engine already computed, and never changes them.

Conventions (the same as ``ranking``):

* A *result* is a ranked individual row (a total and a place) of a contestant of the rule's
  groups whose delegation is not empty. Withdrawn contestants and rows still missing marks are
  not results (missing is not zero). A delegation is listed when any of its contestants is in the
  rule's groups; a delegation without a single result is unranked (``rank=None``, ``score=None``).
* SUM / MEAN: the delegation's best ``best`` totals (all of them when ``best`` is None), the best
  first (equal totals in group, then contestant-code order). With fewer than ``best`` results,
  ``short`` decides: RANK_BELOW ranks the delegation below every complete one (by what it has;
  its mean is over what it has), ZERO counts the missing as 0 (a mean is still over ``best``).
* POINTS: a result earns ``points[place - 1]`` in its group (0 beyond the list). Rows that share
  a place share the points of the places they cover: three rows tied for places 1-3 under
  9-7-6 get (9 + 7 + 6) / 3 each, rounded by ``rounding`` (so the group's points are conserved
  exactly when ``rounding.places`` is None). The score is the sum of the best ``best`` (or all).
* MEDAL_TABLE: counts of the award ``tiers`` among the results, compared first tier first (the
  Olympic table); ``score`` is None. WEIGHTED_AWARDS: ``score`` = sum of weight x count.
* Ties: rows are ordered by a sort key (smaller first): ``(complete?, -score or -counts...,
  tie-breaks...)``. ``decided_by`` names the deepest component needed to separate a row from its
  neighbours: ``"complete"``, ``"score"``, ``"tier:<name>"`` or a ``TeamTieBreak`` value; rows
  that share a place have ``decided_by=None`` and ``tied=True``. Rows with equal keys are listed
  in delegation-name order.

Nothing here depends on the order of the input: the same results give the same standing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from scoring.rules.awards import award_block
from scoring.rules.ranking import INF, SortKey, component, dec, rank_block
from scoring.rules.rounding import exact, quantize
from scoring.rules.types import (
    ZERO,
    GroupStandings,
    ShortPolicy,
    TeamMethod,
    TeamStandingRule,
    TeamTieBreak,
)

_BY_TOTAL = (TeamMethod.SUM, TeamMethod.MEAN)
_ONE = Decimal(1)


@dataclass(frozen=True)
class Entrant:
    """A contestant as a team standing reads them: which group, which delegation."""

    contestant: str
    group: str
    delegation: str  # "" : belongs to no delegation (counted nowhere)
    withdrawn: bool = False


class Person(Protocol):
    """A contestant record as team standings read it (the document's, the database's)."""

    @property
    def code(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def withdrawn(self) -> bool: ...


def entrants(rule: TeamStandingRule, people: Iterable[Person]) -> list[Entrant]:
    """The contestants with the delegation the rule reads (``region`` or ``unit``)."""
    unit = rule.delegation == "unit"
    return [Entrant(p.code, p.group, (p.unit if unit else p.region).strip(), p.withdrawn) for p in people]


@dataclass(frozen=True)
class Result:
    """One individual result as a team standing counts it."""

    contestant: str
    group: str
    total: Decimal
    rank: Decimal
    points: Decimal | None = None  # POINTS: what this place earns
    awards: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamRow:
    delegation: str
    score: Decimal | None  # None: no result at all, or a medal table (see ``counts``)
    rank: Decimal | None = None
    decided_by: str | None = None
    tied: bool = False
    complete: bool = True  # SUM/MEAN with ``best``: had at least ``best`` results
    results: int = 0  # contestants of the delegation with a result in the rule's groups
    counted: tuple[Result, ...] = ()  # the results that made the score, best first
    counts: tuple[int, ...] = ()  # MEDAL_TABLE / WEIGHTED_AWARDS: per tier
    awards: tuple[str, ...] = ()  # the team awards (团体一等奖 ...) of the rule's award rules


@dataclass(frozen=True)
class TeamStanding:
    rule: TeamStandingRule
    rows: tuple[TeamRow, ...]  # ranked rows by place, then unranked ones by delegation


def level_names(rule: TeamStandingRule) -> tuple[str, ...]:
    """The names of the sort-key components, as ``decided_by`` reports them."""
    head: tuple[str, ...] = ()
    if _ranks_short_below(rule):
        head = ("complete",)
    if rule.method == TeamMethod.MEDAL_TABLE:
        head += tuple(f"tier:{t}" for t in rule.tiers)
    else:
        head += ("score",)
    return head + tuple(tb.value for tb in rule.tie_breaks)


def _ranks_short_below(rule: TeamStandingRule) -> bool:
    return rule.method in _BY_TOTAL and rule.best is not None and rule.short == ShortPolicy.RANK_BELOW


def shared_points(points: Sequence[Decimal], first: int, last: int) -> Decimal:
    """The exact share of each row tied over places first..last (1-based): the mean of their points."""
    with exact():
        covered = [points[p - 1] if p <= len(points) else ZERO for p in range(first, last + 1)]
        return sum(covered, ZERO) / dec(len(covered))


def group_results(rule: TeamStandingRule, gs: GroupStandings) -> dict[str, Result]:
    """The results of one group's standings by contestant, with their points under ``rule``."""
    ranked = [r for r in gs.rows if r.rank is not None and r.total is not None]
    ranked.sort(key=lambda r: r.rank or INF)  # (already in place order; the sort keeps ties together)
    out: dict[str, Result] = {}
    i = 0
    while i < len(ranked):
        j = i + 1
        while j < len(ranked) and ranked[j].rank == ranked[i].rank:
            j += 1
        pts = None
        if rule.method == TeamMethod.POINTS:
            pts = quantize(shared_points(rule.points, i + 1, j), rule.rounding)
        for r in ranked[i:j]:
            assert r.total is not None and r.rank is not None  # (filtered above)
            out[r.contestant] = Result(r.contestant, r.group, r.total, r.rank, pts, r.awards)
        i = j
    return out


def _score(rule: TeamStandingRule, results: list[Result]) -> tuple[Decimal | None, bool, tuple[Result, ...]]:
    """(score, complete, counted) of one delegation's results."""
    if rule.method in (TeamMethod.MEDAL_TABLE, TeamMethod.WEIGHTED_AWARDS):
        return None, True, tuple(results)
    if rule.method == TeamMethod.POINTS:
        ordered = sorted(results, key=lambda r: (-(r.points or ZERO), r.group, r.contestant))
    else:
        ordered = sorted(results, key=lambda r: (-r.total, r.group, r.contestant))
    counted = tuple(ordered if rule.best is None else ordered[: rule.best])
    complete = rule.best is None or len(counted) >= rule.best
    with exact():
        if rule.method == TeamMethod.POINTS:
            total = sum((r.points or ZERO for r in counted), ZERO)
        else:
            total = sum((r.total for r in counted), ZERO)
        if rule.method == TeamMethod.MEAN:
            n = rule.best if rule.best is not None and rule.short == ShortPolicy.ZERO else len(counted)
            total = total / dec(n)
    return quantize(total, rule.rounding), complete, counted


def _counts(rule: TeamStandingRule, results: Iterable[Result]) -> tuple[int, ...]:
    if rule.method not in (TeamMethod.MEDAL_TABLE, TeamMethod.WEIGHTED_AWARDS):
        return ()
    results = list(results)
    return tuple(sum(1 for r in results if tier in r.awards) for tier in rule.tiers)


def _tie_break(tb: TeamTieBreak, results: list[Result]) -> Decimal:
    if tb == TeamTieBreak.BEST_RESULT:
        return component(max((r.total for r in results), default=None))
    if tb == TeamTieBreak.BEST_PLACE:
        return component(min((r.rank for r in results), default=None), higher_is_better=False)
    if tb == TeamTieBreak.MORE_FIRSTS:
        return -dec(sum(1 for r in results if r.rank == _ONE))
    return -dec(len(results))  # MORE_RESULTS


def team_standing(
    rule: TeamStandingRule, entrants: Iterable[Entrant], groups: Mapping[str, GroupStandings]
) -> TeamStanding:
    """The team standing of ``rule`` from the individual standings ``groups`` (by group code)."""
    wanted = set(rule.groups) if rule.groups else set(groups)
    results: dict[str, Result] = {}
    for code in sorted(wanted & set(groups)):
        results.update(group_results(rule, groups[code]))
    by_delegation: dict[str, list[Result]] = {}
    for e in entrants:
        if e.group not in wanted or not e.delegation:
            continue
        mine = by_delegation.setdefault(e.delegation, [])
        r = results.get(e.contestant)
        if r is not None and not e.withdrawn and r.group == e.group:
            mine.append(r)
    keyed: list[tuple[SortKey, str, TeamRow]] = []
    unranked: list[TeamRow] = []
    for name in sorted(by_delegation):
        mine = sorted(by_delegation[name], key=lambda r: (r.group, r.contestant))
        if not mine:
            unranked.append(TeamRow(name, None, complete=False))
            continue
        score, complete, counted = _score(rule, mine)
        counts = _counts(rule, mine)
        if rule.method == TeamMethod.WEIGHTED_AWARDS:
            with exact():
                score = sum((w * c for w, c in zip(rule.weights, counts)), ZERO)
        key: list[Decimal] = []
        if _ranks_short_below(rule):
            key.append(ZERO if complete else _ONE)
        if rule.method == TeamMethod.MEDAL_TABLE:
            key.extend(-dec(c) for c in counts)
        else:
            key.append(component(score))
        key.extend(_tie_break(tb, mine) for tb in rule.tie_breaks)
        row = TeamRow(name, score, complete=complete, results=len(mine), counted=counted, counts=counts)
        keyed.append((tuple(key), name, row))
    keyed.sort(key=lambda k: (k[0], k[1]))
    levels = level_names(rule)
    keys = [k for k, _, _ in keyed]
    places = rank_block(keys, 0, len(keys), rule.ranking)
    won = _awards(
        rule, [(rank, first, last, row.score or ZERO) for (_, _, row), (rank, _, _, first, last) in zip(keyed, places)]
    )
    rows = []
    for (_, _, row), (rank, level, tied, _first, _last), awards in zip(keyed, places, won):
        rows.append(
            TeamRow(
                row.delegation,
                row.score,
                rank,
                None if level is None else levels[level],
                tied,
                row.complete,
                row.results,
                row.counted,
                row.counts,
                awards,
            )
        )
    return TeamStanding(rule, tuple(rows) + tuple(unranked))


def _awards(rule: TeamStandingRule, places: list[tuple[Decimal, int, int, Decimal]]) -> list[tuple[str, ...]]:
    """Each ranked delegation's team awards, rule by rule in declared order (``awards`` semantics:
    quotas count ranked delegations, ties at a cut line per the rule's tie policy; a medal table's
    rows have no score, so its awards go by place)."""
    per_rule = [award_block(a, places) for a in rule.awards]
    return [tuple(t for t in tiers if t is not None) for tiers in zip(*per_rule)] if per_rule else [()] * len(places)


def team_standings(
    rules: Iterable[TeamStandingRule], people: Sequence[Person], groups: Mapping[str, GroupStandings]
) -> tuple[TeamStanding, ...]:
    """Every declared team standing, in declared order."""
    return tuple(team_standing(rule, entrants(rule, people), groups) for rule in rules)
