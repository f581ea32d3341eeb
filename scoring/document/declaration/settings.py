"""The engine settings of the document: rounding, aggregation, tie-breaks, awards, checks, review.

Field names are the engine's own (``scoring.rules.types``), so ``scoring.document.typed`` maps
them by name; defaults are the engine's defaults (a test holds them together).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from scoring.document.declaration.base import Entry, omitted
from scoring.document.fields import (
    AtLeastOne,
    Code,
    Count,
    CriterionPath,
    Flag,
    Name,
    NonNegative,
    Number,
    Percent,
    Places,
    Positive,
    Share,
    Text,
)
from scoring.document.tolerant import Tolerant
from scoring.rules.types import (
    AggregationMethod,
    AwardBasis,
    AwardKind,
    MissingPolicy,
    NoSpread,
    RankMethod,
    RoundingMode,
    SdKind,
    ShortPolicy,
    SpreadMeasure,
    TeamMethod,
    TeamTieBreak,
    TieBreakKind,
    TiePolicy,
    WeightKind,
)


class Rounding(Entry):
    """A declared rounding step: ``{"places": 2, "mode": "half_up"}``."""

    places: Places | None = 2
    """Decimal places kept (0-4), or null for no rounding at this step."""
    mode: RoundingMode = RoundingMode.HALF_UP
    """half_up (away from zero), half_even, down, up, floor or ceiling."""


NO_ROUNDING = Rounding(places=None)
TWO_PLACES = Rounding()


class Band(Entry):
    """FIG: from ``min_score`` upwards the two middle marks may differ by at most ``max_gap``."""

    min_score: Number
    max_gap: NonNegative


class Aggregation(Entry):
    """How the judges' entries become one mark."""

    method: AggregationMethod = AggregationMethod.MEAN
    trim: Count = omitted(0)
    """Marks dropped at each end (trimmed_mean, middle_sum, isu_goe, fig)."""
    factor: Positive = omitted(Decimal(1))
    """Multiplier (middle_sum: synchro 0.6)."""
    spread: NonNegative | None = omitted(None)
    """worldskills: the largest allowed difference between the judges' levels."""
    bands: Annotated[list[Band], Tolerant()] = omitted([])
    """fig: tolerance bands."""
    goe_percent: NonNegative = omitted(Decimal(10))
    """isu_goe: percent of the GOE basis per grade (a contestant's goe_basis parameter, else the base value)."""
    goe_step: Positive | None = omitted(None)
    """isu_goe: fixed points per GOE grade instead (choreographic sequence: 0.5)."""
    review_gap: NonNegative | None = omitted(None)
    """Flag for post-event review when the extreme marks differ by this much or more (FIG: 1.0)."""
    param: Code | None = omitted(None)
    """A per-contestant parameter multiplied in (diving dd) or used as the base (base_value)."""
    missing: MissingPolicy = omitted(MissingPolicy.ABSENT)
    min_marks: AtLeastOne = omitted(1)
    """For aggregate_given: the fewest marks that may be aggregated."""
    judge_rounding: Rounding | None = omitted(NO_ROUNDING)
    """Of each judge's mark before aggregation; null for none."""
    rounding: Rounding | None = omitted(TWO_PLACES)
    """Of the aggregated result; null for none."""


DEFAULT_AGGREGATION = Aggregation()


class TieBreak(Entry):
    """One link of the tie-break chain."""

    kind: TieBreakKind
    ref: CriterionPath
    """The stage code, the aspect code, or the criterion's path of codes from the top (B/B1)."""
    higher_is_better: Flag | None = None
    """Default true, except false for time (shorter is better)."""


class Tier(Entry):
    """One award tier; the field its rule's kind needs is required."""

    name: Name
    """Unique across all award rules: what a row's awards list."""
    percent: Share | None = omitted(None)
    count: Count | None = omitted(None)
    min_total: Number | None = omitted(None)
    max_rank: AtLeastOne | None = omitted(None)


class Award(Entry):
    """An award rule: prizes by quota, count or threshold, medals, or a title."""

    name: Text = omitted("")
    kind: AwardKind
    tie_policy: TiePolicy = TiePolicy.SHARE
    rounding: RoundingMode = RoundingMode.HALF_UP
    """How a quota share becomes a head count (78 x 10 % = 7.8 -> 8)."""
    per_group: Flag = True
    min_total: Number | None = omitted(None)
    """Nobody below this total gets an award of this rule."""
    basis: AwardBasis = omitted(AwardBasis.TOTAL)
    """total (the raw total) or standardised (the score on rules.standardisation's scale)."""
    tiers: Annotated[list[Tier], Field(min_length=1), Tolerant()]


class Checks(Entry):
    """Advisory checks of the judges' marks."""

    outlier_distance: Positive | None = None
    """Flag a judge's mark this far from the mean of the other judges."""
    normalisation: SdKind | None = None
    """Advisory per-judge z-scores with this standard deviation."""


class Review(Entry):
    """复核: the top N in full plus a share of the rest; above an error rate re-check everything."""

    top_n: Count = 10
    sample_percent: Percent = Decimal(15)
    sample_rounding: RoundingMode = omitted(RoundingMode.HALF_UP)
    """How the sample's share becomes a head count: "at least 15 %" is up (41 x 10 % = 4.1 -> 5)."""
    full_recheck_error_rate: Percent = Decimal(5)


class TeamStanding(Entry):
    """A team standing (团体总分): the delegations ranked from their contestants' results."""

    code: Code
    """Unique among the team standings."""
    name: Name
    """Its name as printed, e.g. 县区团体总分."""
    name_en: Text = omitted("")
    """Its English name; empty: the name."""
    delegation: Literal["region", "unit"] = "region"
    """The contestant field that names the delegation: region (县市区) or unit (单位)."""
    groups: list[Code] = []
    """The groups whose results count; empty: every group."""
    method: TeamMethod
    """sum or mean of the best results, points by place, medal_table, weighted_awards."""
    best: AtLeastOne | None = omitted(None)
    """sum, mean, points: only the delegation's best N count; null: all."""
    short: ShortPolicy = omitted(ShortPolicy.RANK_BELOW)
    """sum, mean with best: fewer than N results rank below the complete delegations, or count as 0."""
    points: list[NonNegative] = omitted([])
    """points: per individual place from the first; places tied share the points of the places they cover."""
    tiers: list[Name] = omitted([])
    """medal_table, weighted_awards: award tier names, the best first."""
    weights: list[NonNegative] = omitted([])
    """weighted_awards: one per tier."""
    tie_breaks: list[TeamTieBreak] = omitted([])
    """best_result, best_place, more_firsts, more_results, in order."""
    ranking: RankMethod = omitted(RankMethod.STANDARD)
    rounding: Rounding | None = omitted(TWO_PLACES)
    """Of the score (a mean, shared points); null for none."""
    awards: Annotated[list[Award], Tolerant()] = omitted([])
    """Team awards (团体一等奖 ...): award rules over the delegations' places, as for contestants."""


# ------------------------------------------------ the cross-group scale (``scoring.rules.standardise``)


class Standardisation(Entry):
    """standardised = centre + points x (total - median) / spread, per group."""

    centre: Number = omitted(Decimal(700))
    """Where each group's median total lands (WorldSkills Scale: 700)."""
    points: Positive = omitted(Decimal(20))
    """Scale points for one unit of spread (20: one standard deviation is 20 points)."""
    spread: SpreadMeasure = omitted(SpreadMeasure.SD)
    """sd (standard deviation) or mad (median absolute deviation x mad_scale)."""
    sd_kind: SdKind = omitted(SdKind.POPULATION)
    """sd: population (divide by n; the group is everyone) or sample (divide by n - 1)."""
    mad_scale: Positive = omitted(Decimal("1.4826"))
    """mad: the factor that makes the MAD estimate the SD of normally distributed totals."""
    no_spread: NoSpread = omitted(NoSpread.CENTRE)
    """One contestant or zero spread: centre (every total maps to the centre) or none (no scores)."""
    rounding: Rounding = omitted(TWO_PLACES)
    """The one rounding step, of the standardised score."""


class Rules(Entry):
    """Ranking, tie-breaks, totals, awards, checks and review."""

    ranking: RankMethod = RankMethod.STANDARD
    tie_breaks: Annotated[list[TieBreak], Tolerant()] = []
    weight_kind: WeightKind = WeightKind.PERCENT
    total_rounding: Rounding | None = TWO_PLACES
    awards: Annotated[list[Award], Tolerant()] = []
    checks: Checks = Checks()
    review: Review = Review()
    team_standings: Annotated[list[TeamStanding], Tolerant()] = omitted([])
    """团体总分: any number of team standings, each with its own name and groups."""
    standardisation: Standardisation | None = omitted(None)
    """Each group's totals on one common scale, shown beside the raw totals (absent: none)."""
    criterion_breakdown: Flag = omitted(False)
    """成绩查询: a contestant looking up their own result also sees their score per criterion of each published stage."""
