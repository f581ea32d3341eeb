"""Result review (成绩复核): who must be re-checked, and when to re-check everyone.

Why: the rule is "all of the top N, a sample of at least X% of the rest, and everything if the
error rate exceeds Y%". The sample must be reproducible (an arbiter can redo it from the seed) and
unpredictable to judges before the seed is drawn, so it is chosen by a seeded generator, never by
the clock.

Choices: the top block is every ranked row with place <= top_n (a tie at the line brings all
tied rows in). The rest is every other row of the group, ranked or not, and the sample size is
``sample_percent x len(rest) / 100`` rounded by the declared ``sample_rounding``, at least 1 when
the rest is not empty. Half-up is the default (15% of 7 = 1.05 -> 1), so documents written before
the setting keep their meaning; a rulebook that says "at least 15 %" declares ``up`` (a sample may
not fall short of the share: 10 % of 41 = 4.1 -> 5, where half-up gives 4).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.rules.rounding import exact, to_count
from scoring.rules.types import ReviewPlanRule, RoundingMode, Row


@dataclass(frozen=True)
class ReviewPlan:
    full: tuple[str, ...]  # contestant codes reviewed in full (the top block), in ranked order
    sample: tuple[str, ...]  # the spot-check sample from the rest, in code order
    rest: int  # how many rows the sample was drawn from


def sample_size(rest: int, percent: Decimal, mode: RoundingMode = RoundingMode.HALF_UP) -> int:
    """How many of ``rest`` rows the spot check takes (at least 1 of a non-empty rest)."""
    if rest <= 0:
        return 0
    with exact():
        k = to_count(percent * rest / Decimal(100), mode)
    return min(max(k, 1), rest)


def review_plan(rows: Sequence[Row], rule: ReviewPlanRule, seed: str) -> ReviewPlan:
    """The review plan for one group's rows (as in ``GroupStandings.rows``)."""
    ranked = sorted((r.rank, r.contestant) for r in rows if r.rank is not None)
    full = tuple(code for rank, code in ranked if rank <= rule.top_n)
    chosen = set(full)
    rest = sorted(r.contestant for r in rows if r.contestant not in chosen)
    k = sample_size(len(rest), rule.sample_percent, rule.sample_rounding)
    sample = tuple(sorted(random.Random(seed).sample(rest, k)))
    return ReviewPlan(full=full, sample=sample, rest=len(rest))


def needs_full_recheck(checked: int, errors: int, rule: ReviewPlanRule) -> bool:
    """True when the error rate found in review exceeds the rule's threshold (5% -> re-check all)."""
    if checked <= 0:
        return False
    return Decimal(errors) * 100 > rule.full_recheck_error_rate * checked
