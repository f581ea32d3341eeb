"""The vocabulary of the scoring engine: plain, immutable data in, plain data out.

Why a separate module: the engine, the portable document, the database layer and the
benchmarks all speak these types, so they must not depend on any of them. Nothing here
knows about Flask, a database or a clock. Every number is a ``Decimal``; a float here is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from scoring.rules.scale_types import NoSpread as NoSpread
from scoring.rules.scale_types import SdKind as SdKind
from scoring.rules.scale_types import SpreadMeasure as SpreadMeasure

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class AspectType(StrEnum):
    MEASUREMENT = "measurement"  # objective: the judge enters the awarded mark 0..max
    JUDGEMENT = "judgement"  # 0..scale_max (3) per judge, turned into 0..max by the aggregation
    DEDUCTION = "deduction"  # the judge enters deductions; mark = max - deductions, floor 0
    TIME = "time"  # the judge enters seconds; mark from target/limit; time feeds tie-breaks


class RoundingMode(StrEnum):
    HALF_UP = "half_up"  # half away from zero (Chinese rules, ISU): -1.465 -> -1.47
    HALF_EVEN = "half_even"  # banker's
    DOWN = "down"  # toward zero (truncate)
    UP = "up"  # away from zero
    FLOOR = "floor"
    CEILING = "ceiling"


@dataclass(frozen=True)
class Rounding:
    """A declared rounding step. ``places=None`` means the step keeps full precision."""

    places: int | None = 2
    mode: RoundingMode = RoundingMode.HALF_UP


NO_ROUNDING = Rounding(places=None)


class AggregationMethod(StrEnum):
    SINGLE = "single"  # exactly one mark expected (one judge, or a measurement team's agreed mark)
    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"  # drop `trim` highest and `trim` lowest, mean of the rest
    MEDIAN = "median"
    SUM = "sum"
    MIDDLE_SUM = "middle_sum"  # drop `trim` highest and lowest, sum the rest, x factor (x param such as DD)
    WORLDSKILLS = "worldskills"  # judgement 0..3: max x sum / (3 x n); spread > `spread` rejects the set
    FIG = "fig"  # middle-pair tolerance bands; gap too large -> mean of all marks
    ISU_GOE = "isu_goe"  # trimmed mean GOE -> base value x (1 + mean x goe_percent / 100)


class MissingPolicy(StrEnum):
    ABSENT = "absent"  # the aspect stays missing until every expected mark is in
    MEAN_OF_GIVEN = "mean_of_given"  # FIG aerobic: a missing judge's mark is replaced by the mean of the given ones
    AGGREGATE_GIVEN = "aggregate_given"  # aggregate whatever is in, if at least `min_marks` are
    ZERO = "zero"  # a missing mark counts as 0 (only if a rulebook says so)


@dataclass(frozen=True)
class ToleranceBand:
    """FIG: when the final score is >= ``min_score`` the two middle marks may differ by at most ``max_gap``."""

    min_score: Decimal
    max_gap: Decimal


@dataclass(frozen=True)
class Aggregation:
    method: AggregationMethod = AggregationMethod.MEAN
    trim: int = 0
    factor: Decimal = Decimal(1)
    # WORLDSKILLS: maximum allowed difference between the highest and lowest mark (1 on the 0..3 scale).
    spread: Decimal | None = None
    bands: tuple[ToleranceBand, ...] = ()
    goe_percent: Decimal = Decimal(10)
    # ISU_GOE: fixed points per GOE grade (choreographic sequence: 0.50), not goe_percent of the basis (rules.technical).
    goe_step: Decimal | None = None
    # FIG: flag the set for post-event review when the highest and lowest entries differ by this
    # much or more (1.0); None: no such flag. Entries are compared as typed.
    review_gap: Decimal | None = None
    # Name of a per-contestant parameter multiplied in (diving "dd") or used as the base ("base_value" for ISU).
    param: str | None = None
    missing: MissingPolicy = MissingPolicy.ABSENT
    min_marks: int = 1
    # Rounding of each judge's mark before aggregation (ISU rounds GOE points per judge).
    judge_rounding: Rounding = NO_ROUNDING
    # Rounding of the aggregated result.
    rounding: Rounding = Rounding(2)


@dataclass(frozen=True)
class Aspect:
    code: str
    stage: str
    max_mark: Decimal
    type: AspectType = AspectType.MEASUREMENT
    aggregation: Aggregation = Aggregation()
    name: str = ""
    criterion: str = ""  # path such as "A/A1" (criterion/sub-criterion)
    scale_max: Decimal = Decimal(3)  # judgement scale top
    descriptors: tuple[str, ...] = ()  # judgement level descriptors, index = level
    step: Decimal = Decimal("0.01")  # smallest input unit a judge may enter
    min_value: Decimal = ZERO  # lowest value a judge may enter (ISU GOE: -5)
    max_value: Decimal | None = None  # highest value a judge may enter; None -> max_mark (judgement: scale_max)
    time_target: Decimal | None = None  # TIME: full marks at or under this many seconds
    time_limit: Decimal | None = None  # TIME: zero at or over this many seconds (linear between)


class WeightKind(StrEnum):
    PERCENT = "percent"  # weighted total = sum(stage x weight / 100); weights add to 100
    FACTOR = "factor"  # weighted total = sum(stage x weight) (e.g. a component x 1.60)


@dataclass(frozen=True)
class Stage:
    code: str
    name: str = ""
    weight: Decimal = HUNDRED
    max_mark: Decimal = HUNDRED
    # None: stage = sum of aggregated aspects. Set: each judge's stage total (sum of that judge's
    # aspect marks) is aggregated across judges (Chinese practice: 5 judges, drop high and low).
    aggregation: Aggregation | None = None
    rounding: Rounding = Rounding(2)  # of the stage total
    weighted_rounding: Rounding = NO_ROUNDING  # of stage x weight, before the stages are added
    max_weight: Decimal | None = None  # validation cap, e.g. theory <= 30 (percent)


class RankMethod(StrEnum):
    STANDARD = "standard"  # 1224
    MODIFIED = "modified"  # 1334
    DENSE = "dense"  # 1223
    ORDINAL = "ordinal"  # 1234
    FRACTIONAL = "fractional"  # 1 2.5 2.5 4


class TieBreakKind(StrEnum):
    STAGE = "stage"  # a stage's (unweighted) score, e.g. practical
    ASPECT = "aspect"  # one aspect's mark
    CRITERION = "criterion"  # a criterion's sum of aspects
    TIME = "time"  # a TIME aspect's recorded seconds (shorter is better by default)


@dataclass(frozen=True)
class TieBreak:
    kind: TieBreakKind
    ref: str  # stage, aspect or criterion code
    higher_is_better: bool = True


class AwardKind(StrEnum):
    QUOTA_PERCENT = "quota_percent"  # tiers get percent of the group's ranked contestants, half-up
    FIXED_COUNT = "fixed_count"  # tiers get fixed counts (1/3/6)
    THRESHOLD = "threshold"  # tiers by minimum total
    MEDALS = "medals"  # gold/silver/bronze by rank + medallion for excellence threshold
    TITLE = "title"  # a title for rank <= N (技术能手), independent of prizes


class TiePolicy(StrEnum):
    SHARE = "share"  # everyone tied at a cut line gets the award (quota may be exceeded)
    STRICT = "strict"  # no more than the quota: those tied across the cut line get the lower tier


class AwardBasis(StrEnum):
    TOTAL = "total"  # the raw total of the group
    STANDARDISED = "standardised"  # the total on the common scale across groups (WorldSkills Scale)


@dataclass(frozen=True)
class AwardTier:
    name: str  # e.g. "一等奖", "gold", "技术能手"
    percent: Decimal | None = None
    count: int | None = None
    min_total: Decimal | None = None
    max_rank: int | None = None  # MEDALS / TITLE: rank threshold


@dataclass(frozen=True)
class AwardRule:
    kind: AwardKind
    tiers: tuple[AwardTier, ...]
    tie_policy: TiePolicy = TiePolicy.SHARE
    rounding: RoundingMode = RoundingMode.HALF_UP  # quota counts: 45 x 10% = 4.5 -> 5
    per_group: bool = True
    min_total: Decimal | None = None  # nobody below this total gets an award of this rule
    name: str = ""  # e.g. "prizes", "titles"
    # What the rule reads: the raw total, or the cross-group standardised score
    # (``scoring.rules.standardise``; its thresholds are then on that scale, e.g. 700).
    basis: AwardBasis = AwardBasis.TOTAL


@dataclass(frozen=True)
class Standardisation:
    """Each group's totals on one scale: centre + points x (total - median) / spread."""

    centre: Decimal = Decimal(700)  # where each group's median lands (WorldSkills Scale: 700)
    points: Decimal = Decimal(20)  # scale points for one unit of spread
    spread: SpreadMeasure = SpreadMeasure.SD
    sd_kind: SdKind = SdKind.POPULATION  # the group's ranked contestants are the whole population
    mad_scale: Decimal = Decimal("1.4826")  # MAD x 1.4826 estimates the SD of normal totals
    no_spread: NoSpread = NoSpread.CENTRE  # zero spread or one contestant: no division by zero
    rounding: Rounding = Rounding(2)  # the one rounding step, of the standardised score


@dataclass(frozen=True)
class ReviewPlanRule:
    """复核: top N in full plus a percentage of the rest; re-check all when errors exceed a rate."""

    top_n: int = 10
    sample_percent: Decimal = Decimal(15)
    # How the sample's share becomes a head count: "at least 15 %" reads as UP (41 x 10 % -> 5).
    sample_rounding: RoundingMode = RoundingMode.HALF_UP
    full_recheck_error_rate: Decimal = Decimal(5)


@dataclass(frozen=True)
class Checks:
    outlier_distance: Decimal | None = None  # flag a judge mark this far from the mean of the other judges
    normalisation: SdKind | None = None  # per-judge z-scores (advisory) with this SD kind


class TeamMethod(StrEnum):
    SUM = "sum"  # sum of the best N results (totals) of the delegation
    MEAN = "mean"  # mean of the best N results
    POINTS = "points"  # points by individual place (9-7-6-5-4-3-2-1), ties share the places' points
    MEDAL_TABLE = "medal_table"  # counts of award tiers, ordered by firsts, then seconds ... (Olympic)
    WEIGHTED_AWARDS = "weighted_awards"  # a weighted count of award tiers


class ShortPolicy(StrEnum):
    RANK_BELOW = "rank_below"  # a delegation with fewer than N results ranks below every complete one
    ZERO = "zero"  # the missing results count as 0


class TeamTieBreak(StrEnum):
    BEST_RESULT = "best_result"  # the higher best single total
    BEST_PLACE = "best_place"  # the better best individual place
    MORE_FIRSTS = "more_firsts"  # more individual first places
    MORE_RESULTS = "more_results"  # more contestants with a result


@dataclass(frozen=True)
class TeamStandingRule:
    """A team standing (团体总分) over delegations; see ``scoring.rules.teams``."""

    code: str
    name: str
    method: TeamMethod
    name_en: str = ""
    delegation: str = "region"  # the contestant field that names the delegation: "region" or "unit"
    groups: tuple[str, ...] = ()  # empty: every group
    best: int | None = None  # N of "best N" (None: every result)
    short: ShortPolicy = ShortPolicy.RANK_BELOW
    points: tuple[Decimal, ...] = ()  # POINTS: per place from 1st
    tiers: tuple[str, ...] = ()  # MEDAL_TABLE / WEIGHTED_AWARDS: award tier names, best first
    weights: tuple[Decimal, ...] = ()  # WEIGHTED_AWARDS: one per tier
    tie_breaks: tuple[TeamTieBreak, ...] = ()
    ranking: RankMethod = RankMethod.STANDARD
    rounding: Rounding = Rounding(2)  # of the score (a mean, shared points)
    awards: tuple[AwardRule, ...] = ()  # 团体一等奖 ...: by the delegations' places (and scores)


@dataclass(frozen=True)
class Rules:
    ranking: RankMethod = RankMethod.STANDARD
    tie_breaks: tuple[TieBreak, ...] = ()
    weight_kind: WeightKind = WeightKind.PERCENT
    total_rounding: Rounding = Rounding(2)
    awards: tuple[AwardRule, ...] = ()
    checks: Checks = Checks()
    review: ReviewPlanRule = ReviewPlanRule()
    team_standings: tuple[TeamStandingRule, ...] = ()
    standardisation: Standardisation | None = None  # cross-group scale, beside the raw total
    criterion_breakdown: bool = False  # the result lookup (成绩查询) shows a contestant's criterion scores


@dataclass(frozen=True)
class Scheme:
    stages: tuple[Stage, ...]
    aspects: tuple[Aspect, ...]


@dataclass(frozen=True)
class Panel:
    """Who marks what: these judges mark these aspects (all of the stage's if empty) for a group."""

    group: str
    stage: str
    judges: tuple[str, ...]
    aspects: tuple[str, ...] = ()
    session: str | None = None  # 场次: marks only the contestants seated in it (rules.timetable)
    trainees: tuple[str, ...] = ()  # 见习裁判: their marks never count (rules.cells.Trainees)


@dataclass(frozen=True)
class Contestant:
    code: str  # stable id inside the competition (never a name on public paths)
    group: str
    params: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)  # per aspect: {"D1": {"dd": 3.0}}
    session: str | None = None  # the session (场次) drawn, when a stage runs in sessions


@dataclass(frozen=True)
class Mark:
    """The newest valid version of one judge's mark for one aspect of one contestant."""

    contestant: str
    aspect: str
    judge: str
    value: Decimal


@dataclass(frozen=True)
class CompetitionInput:
    rules: Rules
    scheme: Scheme
    contestants: tuple[Contestant, ...]
    panels: tuple[Panel, ...]
    marks: tuple[Mark, ...]
    recusals: frozenset[tuple[str, str]] = frozenset()  # (judge, contestant)


# ----------------------------------------------------------------------------- results


class AspectStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"  # no mark at all yet
    INCOMPLETE = "incomplete"  # some but not all expected marks (and the policy does not aggregate)
    REJECTED = "rejected"  # spread rule violated: the set must be re-marked


@dataclass(frozen=True)
class AspectResult:
    aspect: str
    status: AspectStatus
    value: Decimal | None = None
    counted: tuple[str, ...] = ()  # judges whose marks counted
    dropped: tuple[str, ...] = ()  # judges whose marks were trimmed
    note: str = ""  # which rule decided (e.g. "fig: gap 0.5 > 0.3, mean of all")
    seconds: Decimal | None = None  # TIME aspects: the aggregated recorded time
    # Added by the engine (defaults keep older constructors working):
    rule: str = ""  # machine-readable code of the deciding rule, e.g. "fig:mean_of_all"
    filled: tuple[str, ...] = ()  # judges whose missing mark the missing policy filled in (mean_of_given, zero)


@dataclass(frozen=True)
class StageResult:
    stage: str
    value: Decimal | None  # None while any aspect is not OK
    weighted: Decimal | None
    partial: Decimal | None = None  # sum of the aspects that are OK so far (stage rounding); for progress only


@dataclass(frozen=True)
class Flag:
    kind: str  # "spread" | "outlier" | "fig_gap" | "review_gap" | "missing" | "recused_mark" ...
    contestant: str
    aspect: str | None
    judge: str | None
    reason: str  # a message key, see scoring.rules.checks
    detail: Mapping[str, str] = field(default_factory=dict)  # values for the message, as strings


@dataclass(frozen=True)
class Row:
    contestant: str
    group: str
    aspects: Mapping[str, AspectResult]
    stages: Mapping[str, StageResult]
    total: Decimal | None  # None: not complete; such a row is unranked
    rank: Decimal | None = None  # int-valued Decimal, or x.5 for fractional ranking
    decided_by: str | None = (
        None  # the deepest rule needed to separate this row from its neighbours ("total" if the total did)
    )
    tied: bool = False
    awards: tuple[str, ...] = ()
    partial_total: Decimal | None = None  # sum of the weighted stages that are complete; for progress only
    standardised: Decimal | None = None  # the total on the cross-group scale, when one is declared


@dataclass(frozen=True)
class GroupStandings:
    group: str
    rows: tuple[Row, ...]  # ranked rows first (by rank), then unranked ones by code


@dataclass(frozen=True)
class Standings:
    groups: Mapping[str, GroupStandings]
    flags: tuple[Flag, ...] = ()
