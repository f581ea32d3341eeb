"""Results across groups on one scale (scoring.rules.standardise): worked examples and properties.

Worked examples are computed by hand from the formula stated in the module:
standardised = centre + points x (total - median) / spread, rounded once (two places, half-up).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.rules.rounding import CONTEXT
from scoring.rules.standardise import (
    group_scale,
    median,
    median_absolute_deviation,
    standard_deviation,
    standardise,
    standardise_rows,
    standardised,
    without_standardised,
)
from scoring.rules.types import (
    AwardBasis,
    AwardKind,
    AwardRule,
    AwardTier,
    GroupStandings,
    NoSpread,
    RankMethod,
    Rounding,
    RoundingMode,
    Row,
    Rules,
    SdKind,
    SpreadMeasure,
    Standardisation,
)

D = Decimal
WS = Standardisation()  # 700, 20 points per population SD, two places half-up
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def group(name: str, totals: list[str | None]) -> GroupStandings:
    """Rows ranked by total (standard ranking); None: an incomplete row (unranked)."""
    ranked = sorted((D(t) for t in totals if t is not None), reverse=True)
    rows = []
    for i, t in enumerate(ranked):
        rank = D(ranked.index(t) + 1)
        rows.append(Row(f"{name}{i + 1}", name, {}, {}, t, rank, tied=ranked.count(t) > 1))
    rows += [Row(f"{name}x{i}", name, {}, {}, None) for i, t in enumerate(totals) if t is None]
    return GroupStandings(name, tuple(rows))


def scores(gs: GroupStandings, rule: Standardisation = WS) -> list[Decimal | None]:
    return [r.standardised for r in standardise_rows(gs.rows, rule)]


# ------------------------------------------------------------------------------- worked examples


def test_worked_example_population_sd_puts_the_median_at_700():
    # 60..100: median 80, population variance 200, SD 14.1421356...; 100 -> 700 + 20 x 20 / SD
    assert scores(group("A", ["60", "70", "80", "90", "100"])) == [
        D("728.28"),
        D("714.14"),
        D("700.00"),
        D("685.86"),
        D("671.72"),
    ]


def test_worked_example_sample_sd_divides_by_n_minus_one():
    # sample variance 1000 / 4 = 250, SD 15.8113883...; 100 -> 700 + 400 / 15.81 = 725.30
    rule = Standardisation(sd_kind=SdKind.SAMPLE)
    assert scores(group("A", ["60", "70", "80", "90", "100"]), rule)[:2] == [D("725.30"), D("712.65")]


def test_worked_example_mad_with_and_without_the_normal_constant():
    # |x - 80| = 20, 10, 0, 10, 20: MAD 10; x 1.4826 = 14.826; 100 -> 700 + 400 / 14.826 = 726.98
    totals = group("A", ["60", "70", "80", "90", "100"])
    assert scores(totals, Standardisation(spread=SpreadMeasure.MAD))[:2] == [D("726.98"), D("713.49")]
    raw = Standardisation(spread=SpreadMeasure.MAD, mad_scale=D(1))
    assert scores(totals, raw) == [D("740.00"), D("720.00"), D("700.00"), D("680.00"), D("660.00")]


def test_worked_example_the_median_not_the_mean_is_the_centre():
    # 50, 80, 81, 82, 100: median 81 (mean 78.6) -> 81 gets exactly 700
    out = scores(group("A", ["50", "80", "81", "82", "100"]))
    assert out[2] == D("700.00")
    assert out[0] is not None and out[0] > D(700)


def test_worked_example_even_count_median_is_the_mean_of_the_middle_two():
    assert median([D(70), D(80), D(90), D(100)]) == D(85)
    out = scores(group("A", ["70", "80", "90", "100"]))
    # population SD of 70..100 = sqrt(125) = 11.1803...; 90 -> 700 + 20 x 5 / 11.18 = 708.94
    assert out == [D("726.83"), D("708.94"), D("691.06"), D("673.17")]


def test_declared_rounding_is_the_only_rounding_step():
    rule = Standardisation(rounding=Rounding(0, RoundingMode.DOWN))
    assert scores(group("A", ["60", "70", "80", "90", "100"]), rule) == [D(728), D(714), D(700), D(685), D(671)]


def test_one_contestant_maps_to_the_centre_by_default():
    assert scores(group("A", ["87.5"])) == [D(700)]


def test_one_contestant_gets_no_score_under_none():
    assert scores(group("A", ["87.5"]), Standardisation(no_spread=NoSpread.NONE)) == [None]


def test_equal_totals_have_no_spread_and_never_divide_by_zero():
    assert scores(group("A", ["80", "80", "80"])) == [D(700)] * 3


def test_mad_of_zero_with_unequal_totals_follows_the_no_spread_rule():
    # 80, 80, 80, 90: median 80, deviations 0, 0, 0, 10 -> MAD 0
    gs = group("A", ["90", "80", "80", "80"])
    assert scores(gs, Standardisation(spread=SpreadMeasure.MAD)) == [D(700)] * 4
    assert scores(gs, Standardisation(spread=SpreadMeasure.MAD, no_spread=NoSpread.NONE)) == [None] * 4


def test_incomplete_rows_take_no_part_and_get_no_score():
    out = scores(group("A", ["60", "80", "100", None]))
    assert out[3] is None
    assert out[1] == D("700.00")  # median of the three ranked totals


def test_no_declared_standardisation_leaves_the_rows_alone():
    groups = {"A": group("A", ["60", "80"])}
    assert standardise(groups, Rules()) == groups


def test_raw_total_is_kept_beside_the_standardised_score():
    rows = standardise_rows(group("A", ["60", "100"]).rows, WS)
    assert [r.total for r in rows] == [D(100), D(60)]
    assert [r.standardised for r in rows] == [D("720.00"), D("680.00")]


# ------------------------------------------------------------------------------- awards that read it

EXCELLENCE = AwardRule(
    AwardKind.THRESHOLD, (AwardTier("优秀奖", min_total=D(700)),), basis=AwardBasis.STANDARDISED, name="excellence"
)
BEST = AwardRule(
    AwardKind.TITLE, (AwardTier("全场最佳", max_rank=1),), per_group=False, basis=AwardBasis.STANDARDISED, name="best"
)


def awarded(groups: dict[str, GroupStandings]) -> dict[str, tuple[str, ...]]:
    return {r.contestant: r.awards for gs in groups.values() for r in gs.rows if r.awards}


def test_worked_example_excellence_award_for_standardised_at_least_700():
    rules = Rules(awards=(EXCELLENCE,), standardisation=WS)
    out = standardise({"A": group("A", ["60", "70", "80", "90", "100"])}, rules)
    assert awarded(out) == {"A1": ("优秀奖",), "A2": ("优秀奖",), "A3": ("优秀奖",)}


def test_worked_example_best_overall_by_standardised_score_not_by_raw_total():
    # A is marked severely (median 60), B leniently (median 90): A's 80 beats B's 95 on the scale.
    a = group("A", ["40", "50", "60", "70", "80"])  # 80 -> 700 + 20 x 20 / 14.14 = 728.28
    b = group("B", ["85", "88", "90", "92", "95"])  # 95 -> 700 + 20 x 5 / 3.406 = 729.36
    rules = Rules(awards=(BEST,), standardisation=WS)
    out = standardise({"A": a, "B": b}, rules)
    assert awarded(out) == {"B1": ("全场最佳",)}
    wide = group("B", ["75", "85", "90", "95", "96"])  # 96 -> 700 + 20 x 6 / 7.679 = 715.63
    assert scores(a)[0] == D("728.28") and scores(b)[0] == D("729.36") and scores(wide)[0] == D("715.63")
    assert awarded(standardise({"A": a, "B": wide}, rules)) == {"A1": ("全场最佳",)}


def test_equal_standardised_scores_across_groups_share_the_best_overall():
    rules = Rules(awards=(BEST,), standardisation=WS)
    out = standardise({"A": group("A", ["60", "100"]), "B": group("B", ["10", "30"])}, rules)
    assert awarded(out) == {"A1": ("全场最佳",), "B1": ("全场最佳",)}


def test_standardised_quota_uses_the_group_places_and_standardised_thresholds():
    rule = AwardRule(
        AwardKind.QUOTA_PERCENT,
        (AwardTier("first", percent=D(40), min_total=D(710)),),
        basis=AwardBasis.STANDARDISED,
    )
    out = standardise({"A": group("A", ["60", "70", "80", "90", "100"])}, Rules(awards=(rule,), standardisation=WS))
    assert awarded(out) == {"A1": ("first",), "A2": ("first",)}


def test_standardised_awards_come_after_the_others_and_leave_the_engine():
    rules = Rules(awards=(EXCELLENCE, AwardRule(AwardKind.TITLE, (AwardTier("t", max_rank=1),))))
    assert without_standardised(rules).awards == (rules.awards[1],)
    gs = group("A", ["60", "100"])
    gs = GroupStandings("A", tuple(r if r.rank != 1 else Row(**{**r.__dict__, "awards": ("t",)}) for r in gs.rows))
    out = standardise({"A": gs}, Rules(awards=rules.awards, standardisation=WS))
    assert awarded(out) == {"A1": ("t", "优秀奖")}


def test_an_award_on_the_scale_without_a_declared_scale_awards_nothing():
    assert awarded(standardise({"A": group("A", ["60", "100"])}, Rules(awards=(EXCELLENCE,)))) == {}


def test_fractional_ranking_across_groups():
    rules = Rules(ranking=RankMethod.FRACTIONAL, awards=(BEST,), standardisation=WS)
    out = standardise({"A": group("A", ["60", "100"]), "B": group("B", ["10", "30"])}, rules)
    assert awarded(out) == {}  # both tied at 1.5: no one has place 1


# ------------------------------------------------------------------------------- properties

totals_st = st.lists(
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False), min_size=1, max_size=25
)
rules_st = st.builds(
    Standardisation,
    spread=st.sampled_from(list(SpreadMeasure)),
    sd_kind=st.sampled_from(list(SdKind)),
    no_spread=st.sampled_from(list(NoSpread)),
    rounding=st.sampled_from([Rounding(2), Rounding(0), Rounding(None), Rounding(3, RoundingMode.HALF_EVEN)]),
)


@SETTINGS
@given(totals=totals_st, rule=rules_st)
def test_property_monotone_within_a_group(totals, rule):
    scale = group_scale(totals, rule)
    assert scale is not None
    pairs = sorted((t, standardised(t, scale, rule)) for t in totals)
    values = [s for _, s in pairs]
    if any(v is None for v in values):
        assert all(v is None for v in values)
        return
    assert values == sorted(values)


@SETTINGS
@given(totals=totals_st, rule=rules_st)
def test_property_median_maps_to_the_centre(totals, rule):
    scale = group_scale(totals, rule)
    assert scale is not None
    out = standardised(median(totals), scale, rule)
    assert out is None or out == rule.centre


@SETTINGS
@given(totals=totals_st, rule=rules_st, shift=st.decimals(min_value=-50, max_value=50, places=2))
def test_property_invariant_under_adding_a_constant(totals, rule, shift):
    moved = [CONTEXT.add(t, shift) for t in totals]
    a, b = group_scale(totals, rule), group_scale(moved, rule)
    assert a is not None and b is not None
    assert a.spread == b.spread
    assert [standardised(t, a, rule) for t in totals] == [standardised(t, b, rule) for t in moved]


@SETTINGS
@given(totals=totals_st, rule=rules_st)
def test_property_no_spread_never_divides_by_zero(totals, rule):
    """Zero spread or one contestant: the declared rule, never an exception."""
    scale = group_scale(totals, rule)
    assert scale is not None
    if scale.spread is None:
        expected = rule.centre if rule.no_spread == NoSpread.CENTRE else None
        assert {standardised(t, scale, rule) for t in totals} == {expected}
    else:
        assert scale.spread > 0


@SETTINGS
@given(totals=totals_st)
def test_property_spread_measures_are_exact_decimals(totals):
    sd = standard_deviation(totals, SdKind.POPULATION)
    mad = median_absolute_deviation(totals)
    assert isinstance(sd, Decimal) and isinstance(mad, Decimal)
    assert sd >= 0 and mad >= 0
    if len(set(totals)) == 1:
        assert sd == 0 and mad == 0


def test_the_thread_decimal_context_does_not_change_a_score():
    """Every step runs in the declared 60-digit context, not in whatever context the caller set."""
    from decimal import ROUND_DOWN, localcontext

    gs = group("A", ["60.25", "70.5", "80.75", "90", "100"])
    expected = scores(gs)
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 4, ROUND_DOWN
        assert scores(gs) == expected


@SETTINGS
@given(
    a=st.lists(st.sampled_from(["55", "60.5", "70", "80.25", "90", "99.5"]), min_size=1, max_size=8),
    b=st.lists(st.sampled_from(["30", "41", "45.5", "50", "52.75"]), min_size=1, max_size=8),
    rule=rules_st,
)
def test_property_the_scale_sits_beside_the_results_and_changes_none(a, b, rule):
    """Totals, ranks and earlier awards stay; 优秀奖 is exactly standardised >= 700; one best overall place."""
    groups = {"A": group("A", list(a)), "B": group("B", list(b))}
    rules = Rules(awards=(EXCELLENCE, BEST), standardisation=rule)
    out = standardise(groups, rules)
    for name, gs in groups.items():
        for before, after in zip(gs.rows, out[name].rows):
            assert (before.contestant, before.total, before.rank) == (after.contestant, after.total, after.rank)
            assert after.awards[: len(before.awards)] == before.awards
            s = after.standardised
            assert ("优秀奖" in after.awards) == (s is not None and s >= 700)
    best = [r.standardised for gs in out.values() for r in gs.rows if "全场最佳" in r.awards]
    scored = [r.standardised for gs in out.values() for r in gs.rows if r.standardised is not None]
    if scored:  # the best overall: every row with the highest score (ties share the place), nobody else
        assert best and set(best) == {max(scored)} and len(best) == scored.count(max(scored))
    else:
        assert best == []
