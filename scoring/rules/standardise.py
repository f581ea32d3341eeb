"""Results across groups on one scale (the WorldSkills Scale), and the awards that read it.

Why: groups (skills) are marked by different panels on different schemes, so 85 points in one
group and 85 in another are not the same performance. WorldSkills puts every skill's median mark
at 700 on a common scale and places the others by a statistical spread, so that results can be
compared across skills (https://skillshub.io/worldskills-scale/: "positions all competitors with
the median mark in their skill competition at the 700-point position"; scores typically fall
between 600 and 800; the 20 points per spread that ``points`` defaults to is the value usually
quoted, not from that page, hence declared). The declared rule (``Standardisation``) is::

    standardised = centre + points x (total - median) / spread

per group, over the group's ranked totals (rows without a total take no part and get none):

* ``median``: the middle total (the mean of the two middle ones for an even count), exact.
* ``spread`` SD: the standard deviation, ``sqrt((n x sum(x^2) - (sum x)^2) / (n x d))`` with
  ``d = n`` (population, the default: the group's contestants are everyone, not a sample) or
  ``d = n - 1`` (sample). The numerator is computed exactly, so adding a constant to every total
  of a group leaves the spread unchanged to the last digit.
* ``spread`` MAD: ``mad_scale x median(|total - median|)``; 1.4826 (the default) makes it
  estimate the SD of normally distributed totals, so ``points`` means the same for both.
* Only the final score is rounded, once, with ``Standardisation.rounding`` (two places, half-up
  by default). The division and the square root run in the rules' 60-digit context
  (``rounding.CONTEXT``; ``Decimal.sqrt`` is correctly rounded there), never in floats.
* A group with one ranked contestant, or with zero spread (equal totals; for MAD, more than
  half of the totals equal), cannot be divided by its spread: ``no_spread`` says what happens:
  ``centre`` (every ranked total maps to the centre) or ``none`` (no standardised scores).

The standardised score is shown beside the raw total, never instead of it: ranks inside a group
stay those of the totals. Award rules with ``basis: standardised`` read it (an award with a
threshold of 700, a best overall across groups) and are applied here, after the engine's runs
(``document.convert.merge_standings``), appended after each row's other awards in declared order:

* ``per_group: true``: places and quota positions are the group's own ranking; thresholds
  (``min_total`` of the rule and of its tiers) compare the standardised score.
* ``per_group: false``: all groups' rows with a standardised score are ranked by it (higher is
  better, the competition's rank method); equal scores stay tied (no tie-break reads across
  groups marked on different schemes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal

from scoring.rules.awards import cut_positions, tier_for
from scoring.rules.ranking import rank_block
from scoring.rules.rounding import CONTEXT, exact, quantize
from scoring.rules.types import (
    AwardBasis,
    AwardRule,
    GroupStandings,
    NoSpread,
    Row,
    Rules,
    SdKind,
    SpreadMeasure,
    Standardisation,
)

TWO = Decimal(2)


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value (mean of the two middle ones for an even count); exact."""
    s = sorted(values)
    n = len(s)
    if n == 0:
        raise ValueError("median of no values")
    mid = n // 2
    if n % 2:
        return s[mid]
    return CONTEXT.divide(CONTEXT.add(s[mid - 1], s[mid]), TWO)


def standard_deviation(values: Sequence[Decimal], kind: SdKind) -> Decimal:
    """Population or sample SD; zero when it is undefined (fewer than two values)."""
    n = len(values)
    if n < 2:
        return Decimal(0)
    with exact():  # the sums in the rules' 60-digit context, whatever the thread's context is
        total = sum(values, Decimal(0))
        squares = sum((v * v for v in values), Decimal(0))
        # n x sum(x^2) - (sum x)^2 is exact and does not move when a constant is added to every value.
        numerator = n * squares - total * total
        d = n if kind == SdKind.POPULATION else n - 1
        return (numerator / (n * d)).sqrt()


def median_absolute_deviation(values: Sequence[Decimal]) -> Decimal:
    """median(|x - median|), unscaled; zero when fewer than two values."""
    if len(values) < 2:
        return Decimal(0)
    m = median(values)
    return median([CONTEXT.abs(CONTEXT.subtract(v, m)) for v in values])


@dataclasses.dataclass(frozen=True)
class Scale:
    """One group's median and spread (spread None: the ``no_spread`` rule decides)."""

    median: Decimal
    spread: Decimal | None


def group_scale(totals: Sequence[Decimal], rule: Standardisation) -> Scale | None:
    """The scale of one group's ranked totals; None for a group without any."""
    if not totals:
        return None
    m = median(totals)
    if rule.spread == SpreadMeasure.SD:
        spread = standard_deviation(totals, rule.sd_kind)
    else:
        spread = CONTEXT.multiply(rule.mad_scale, median_absolute_deviation(totals))
    return Scale(m, spread if spread > 0 else None)


def standardised(total: Decimal, scale: Scale, rule: Standardisation) -> Decimal | None:
    """One total on the common scale, rounded once with the declared rounding."""
    if scale.spread is None:
        return quantize(rule.centre, rule.rounding) if rule.no_spread == NoSpread.CENTRE else None
    shifted = CONTEXT.multiply(rule.points, CONTEXT.subtract(total, scale.median))
    return quantize(CONTEXT.add(rule.centre, CONTEXT.divide(shifted, scale.spread)), rule.rounding)


def standardise_rows(rows: Sequence[Row], rule: Standardisation) -> tuple[Row, ...]:
    """The rows of one group with ``standardised`` set on every ranked row."""
    scale = group_scale([r.total for r in rows if r.total is not None and r.rank is not None], rule)
    if scale is None:
        return tuple(rows)
    return tuple(
        dataclasses.replace(r, standardised=standardised(r.total, scale, rule))
        if r.total is not None and r.rank is not None
        else r
        for r in rows
    )


def standardised_rules(rules: Rules) -> tuple[AwardRule, ...]:
    return tuple(r for r in rules.awards if r.basis == AwardBasis.STANDARDISED)


def without_standardised(rules: Rules) -> Rules:
    """The rules for the engine's runs: awards that read the raw total only (the others come after)."""
    keep = tuple(r for r in rules.awards if r.basis != AwardBasis.STANDARDISED)
    return rules if len(keep) == len(rules.awards) else dataclasses.replace(rules, awards=keep)


Place = tuple[Decimal, int, int, Decimal]  # rank, first and last position of its tie group, value
Key = tuple[str, str]  # group, contestant


def _group_places(gs: GroupStandings) -> list[tuple[Row, Place]]:
    """The ranked rows of a group with their own places, reading the standardised score."""
    ranked = [r for r in gs.rows if r.rank is not None and r.total is not None]
    out: list[tuple[Row, Place]] = []
    start = 0
    while start < len(ranked):
        end = start + 1
        while end < len(ranked) and ranked[end].rank == ranked[start].rank:
            end += 1
        for row in ranked[start:end]:
            if row.standardised is not None and row.rank is not None:
                out.append((row, (row.rank, start + 1, end, row.standardised)))
        start = end
    return out


def _across_places(groups: Mapping[str, GroupStandings], rules: Rules) -> list[tuple[Row, Place]]:
    """Every row with a standardised score, ranked across groups by it (ties stay tied)."""
    scored = [
        (r.standardised.copy_negate(), r) for gs in groups.values() for r in gs.rows if r.standardised is not None
    ]
    scored.sort(key=lambda item: (item[0], item[1].group, item[1].contestant))
    keys = [(k,) for k, _ in scored]
    places = rank_block(keys, 0, len(keys), rules.ranking)
    return [
        (row, (rank, first, last, key.copy_negate())) for (key, row), (rank, _l, _t, first, last) in zip(scored, places)
    ]


def _award(rule: AwardRule, places: list[tuple[Row, Place]], n: int, extra: dict[Key, tuple[str, ...]]) -> None:
    cuts = cut_positions(rule, n)
    for row, (rank, first, last, value) in places:
        tier = tier_for(rule, cuts, rank, first, last, value)
        if tier is not None:
            key = (row.group, row.contestant)
            extra[key] = extra.get(key, ()) + (tier,)


def award_standardised(groups: Mapping[str, GroupStandings], rules: Rules) -> dict[str, GroupStandings]:
    """The groups with the tiers of every ``basis: standardised`` award rule appended."""
    todo = standardised_rules(rules)
    if not todo:
        return dict(groups)
    extra: dict[Key, tuple[str, ...]] = {}
    for rule in todo:
        if rule.per_group:
            for gs in groups.values():
                ranked = sum(1 for r in gs.rows if r.rank is not None and r.total is not None)
                _award(rule, _group_places(gs), ranked, extra)
        else:
            across = _across_places(groups, rules)
            _award(rule, across, len(across), extra)
    return {
        name: dataclasses.replace(
            gs,
            rows=tuple(
                dataclasses.replace(r, awards=r.awards + extra[(r.group, r.contestant)])
                if (r.group, r.contestant) in extra
                else r
                for r in gs.rows
            ),
        )
        for name, gs in groups.items()
    }


def standardise(groups: Mapping[str, GroupStandings], rules: Rules) -> dict[str, GroupStandings]:
    """Every group's ranked rows with their standardised score, then the awards that read it.

    Without a declared ``Rules.standardisation`` the groups come back as they are (and an award
    rule that reads the standardised score finds no score, so it awards nothing; the document
    checks refuse such a rule)."""
    rule = rules.standardisation
    if rule is not None:
        groups = {name: dataclasses.replace(gs, rows=standardise_rows(gs.rows, rule)) for name, gs in groups.items()}
    return award_standardised(groups, rules)
