"""Prizes, medals and titles from places and totals.

Why: award rules are where rulebooks are vaguest (per group or overall, how to round a 10% quota,
what happens to a tie at the cut line, what comes after two golds). Each choice is a field of
``AwardRule``; this module applies it the same way everywhere.

Semantics:

* QUOTA_PERCENT / FIXED_COUNT: tier *i* gets ``count_i`` places (``percent_i x n / 100`` rounded
  with the rule's mode, n = ranked contestants of the group; 45 x 10% = 4.5 -> 5). The cut lines
  are cumulative positions ``B_i = count_1 + ... + count_i`` (capped at n), so tier 1 is places
  1..B_1, tier 2 places B_1+1..B_2 and so on. A tie group that straddles a cut line goes up under
  SHARE (all get the higher tier: a quota may be exceeded) and down under STRICT (the cumulative
  number of awards through tier *i* never exceeds ``B_i``). Positions, not displayed places, are
  counted, so the rank method does not change who gets a prize.
* THRESHOLD, MEDALS, TITLE: a row gets the first tier (in declared order) whose conditions all
  hold: ``max_rank`` (displayed place <= max_rank) and ``min_total`` (total >= min_total); a tier
  with neither never matches. Declare gold (max_rank 1), silver (2), bronze (3), then a
  medallion (min_total 700): two tied golds are followed by a bronze under standard ranking.
  A TITLE rule with several tiers is a ladder (the first tier that matches); independent titles
  are separate rules.
* A tier's own ``min_total`` also applies in quota rules: a row that misses it falls to the next
  tier whose conditions it meets.
* ``AwardRule.min_total`` keeps low totals out of the rule entirely (they still count in n).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from scoring.rules.rounding import exact, to_count
from scoring.rules.types import AwardKind, AwardRule, TiePolicy

HUNDRED = Decimal(100)
_CUT_KINDS = (AwardKind.QUOTA_PERCENT, AwardKind.FIXED_COUNT)


def quota_counts(rule: AwardRule, n: int) -> tuple[int, ...]:
    """Places per tier for n ranked contestants (78 at 10/20/30% -> 8, 16, 23)."""
    if rule.kind == AwardKind.FIXED_COUNT:
        return tuple(max(t.count or 0, 0) for t in rule.tiers)
    with exact():
        return tuple(max(to_count((t.percent or Decimal(0)) * n / HUNDRED, rule.rounding), 0) for t in rule.tiers)


def cut_positions(rule: AwardRule, n: int) -> tuple[int, ...] | None:
    """Cumulative cut lines (1-based last position of each tier), or None for rules without quotas."""
    if rule.kind not in _CUT_KINDS:
        return None
    out = []
    acc = 0
    for c in quota_counts(rule, n):
        acc = min(acc + c, n)
        out.append(acc)
    return tuple(out)


def tier_for(
    rule: AwardRule, cuts: tuple[int, ...] | None, rank: Decimal, first: int, last: int, total: Decimal
) -> str | None:
    """The tier name this row earns under one rule (None: no award)."""
    if rule.min_total is not None and total < rule.min_total:
        return None
    if cuts is not None:
        pos = first if rule.tie_policy == TiePolicy.SHARE else last
        for tier, cut in zip(rule.tiers, cuts):
            if pos <= cut and (tier.min_total is None or total >= tier.min_total):
                return tier.name
        return None
    for tier in rule.tiers:
        if tier.max_rank is None and tier.min_total is None:
            continue
        if tier.max_rank is not None and rank > tier.max_rank:
            continue
        if tier.min_total is not None and total < tier.min_total:
            continue
        return tier.name
    return None


def award_block(rule: AwardRule, places: Sequence[tuple[Decimal, int, int, Decimal]]) -> list[str | None]:
    """One rule over one ranked block: ``places`` are (rank, first, last, total) in ranked order."""
    cuts = cut_positions(rule, len(places))
    return [tier_for(rule, cuts, rank, first, last, total) for rank, first, last, total in places]
