"""Aggregation of one aspect: methods, missing-mark policies, aspect types, the fast path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_builders import D

from scoring.rules.aggregate import aggregate, combine, stage_judge_mark, time_mark
from scoring.rules.fastvalue import fast_value
from scoring.rules.rounding import exact
from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    AspectStatus,
    AspectType,
    MissingPolicy,
    Rounding,
    ToleranceBand,
)

M = AggregationMethod
J5 = ["J1", "J2", "J3", "J4", "J5"]


def marks(values: str, judges=None) -> dict[str, Decimal]:
    judges = judges or [f"J{k + 1}" for k in range(len(values.split()))]
    return {j: D(v) for j, v in zip(judges, values.split()) if v != "-"}


def aspect(method=M.MEAN, **kw) -> Aspect:
    agg_kw = {k: kw.pop(k) for k in list(kw) if k in Aggregation.__dataclass_fields__}
    return Aspect("A1", "s", kw.pop("max_mark", D(10)), aggregation=Aggregation(method, **agg_kw), **kw)


# ----------------------------------------------------------------------------- methods


def test_mean_median_sum():
    assert aggregate(aspect(M.MEAN), marks("7 8 9"), ["J1", "J2", "J3"]).value == D("8.00")
    assert aggregate(aspect(M.MEDIAN), marks("7 9 8.5"), ["J1", "J2", "J3"]).value == D("8.50")
    assert aggregate(aspect(M.MEDIAN), marks("7 9 8 1"), ["J1", "J2", "J3", "J4"]).value == D("7.50")
    assert aggregate(aspect(M.SUM), marks("1 2 3.5"), ["J1", "J2", "J3"]).value == D("6.50")


def test_median_of_three_counts_the_middle_judge():
    r = aggregate(aspect(M.MEDIAN), marks("7 9 8"), ["J1", "J2", "J3"])
    assert r.counted == ("J3",) and r.dropped == ("J1", "J2")


def test_aggregation_rounding_is_applied_to_the_result_only():
    r = aggregate(aspect(M.MEAN, rounding=Rounding(1)), marks("1 1 2"), ["J1", "J2", "J3"])
    assert r.value == D("1.3")


def test_trimmed_mean_with_too_few_marks_reduces_the_trim():
    a = aspect(M.TRIMMED_MEAN, trim=2, missing=MissingPolicy.AGGREGATE_GIVEN, min_marks=2)
    r = aggregate(a, marks("6 8 - - -"), J5)
    assert r.status == AspectStatus.OK and r.value == D("7.00")
    assert "trim reduced to 0" in r.note


def test_middle_sum_synchro_factor():
    a = aspect(M.MIDDLE_SUM, trim=1, factor=D("0.6"), param="dd", max_mark=D(100))
    r = aggregate(a, marks("8 8 8 8 8 8 8"), [f"J{k}" for k in range(1, 8)], {"dd": D("3.2")})
    assert r.value == D("76.80")  # 5 x 8 x 0.6 x 3.2


def test_middle_sum_without_its_parameter_is_incomplete():
    a = aspect(M.MIDDLE_SUM, trim=1, param="dd")
    r = aggregate(a, marks("8 8 8"), ["J1", "J2", "J3"], {})
    assert r.status == AspectStatus.INCOMPLETE and r.rule == "param_missing"


def test_single_mark_complete_with_one_judge_and_rejected_when_team_disagrees():
    a = aspect(M.SINGLE)
    assert aggregate(a, marks("7 - -"), ["J1", "J2", "J3"]).value == D("7.00")
    assert aggregate(a, marks("7 7 -"), ["J1", "J2", "J3"]).value == D("7.00")
    r = aggregate(a, marks("7 6 -"), ["J1", "J2", "J3"])
    assert r.status == AspectStatus.REJECTED and r.rule == "single:disagree"


def test_marks_of_judges_not_expected_are_ignored():
    r = aggregate(aspect(M.MEAN), {"J1": D(4), "J2": D(6), "X": D(100)}, ["J1", "J2"])
    assert r.value == D("5.00") and r.counted == ("J1", "J2")


def test_open_panel_uses_every_mark_given():
    r = aggregate(aspect(M.MEAN), {"B": D(4), "A": D(6)}, None)
    assert r.value == D("5.00") and r.counted == ("A", "B")


# ----------------------------------------------------------------------------- missing policies


def test_absent_policy_missing_and_incomplete():
    a = aspect(M.TRIMMED_MEAN, trim=1)
    none = aggregate(a, {}, J5)
    some = aggregate(a, marks("8 8 - 8 8"), J5)
    assert none.status == AspectStatus.MISSING and none.value is None
    assert some.status == AspectStatus.INCOMPLETE and some.value is None
    assert "4 of 5" in some.note


def test_mean_of_given_fills_the_missing_judge_fig_aerobic():
    a = aspect(M.MEAN, missing=MissingPolicy.MEAN_OF_GIVEN)
    r = aggregate(a, marks("8 9 - 10"), ["J1", "J2", "J3", "J4"])
    assert r.status == AspectStatus.OK
    assert r.value == D("9.00")
    assert r.filled == ("J3",) and "J3" in r.counted


def test_mean_of_given_with_trimming_uses_the_filled_mark():
    a = aspect(M.TRIMMED_MEAN, trim=1, missing=MissingPolicy.MEAN_OF_GIVEN)
    r = aggregate(a, marks("6 9 - 9 10"), J5)  # fill = 8.5
    assert r.value == D("8.83")  # (8.5 + 9 + 9) / 3


def test_aggregate_given_needs_min_marks():
    a = aspect(M.MEAN, missing=MissingPolicy.AGGREGATE_GIVEN, min_marks=3)
    assert aggregate(a, marks("8 9 - - -"), J5).status == AspectStatus.INCOMPLETE
    r = aggregate(a, marks("8 9 10 - -"), J5)
    assert r.status == AspectStatus.OK and r.value == D("9.00") and r.counted == ("J1", "J2", "J3")


def test_zero_policy_counts_missing_as_zero_once_marking_started():
    a = aspect(M.MEAN, missing=MissingPolicy.ZERO)
    assert aggregate(a, {}, J5).status == AspectStatus.MISSING
    r = aggregate(a, marks("10 10 - - -"), J5)
    assert r.value == D("4.00") and r.filled == ("J3", "J4", "J5")


# ----------------------------------------------------------------------------- FIG bands

BANDS = (
    ToleranceBand(D(8), D("0.3")),
    ToleranceBand(D(7), D("0.4")),
    ToleranceBand(D(6), D("0.5")),
    ToleranceBand(D(0), D("0.6")),
)


def test_fig_middle_pair_within_band_uses_trimmed_mean():
    a = aspect(M.FIG, trim=1, bands=BANDS)
    r = aggregate(a, marks("8.5 8.6 8.8 9.5"), ["J1", "J2", "J3", "J4"])
    assert r.rule == "fig:trimmed"
    assert r.value == D("8.70")  # (8.6 + 8.8) / 2


def test_fig_gap_too_large_falls_back_to_mean_of_all():
    a = aspect(M.FIG, trim=1, bands=BANDS)
    r = aggregate(a, marks("8.0 8.2 8.7 9.1"), ["J1", "J2", "J3", "J4"])  # middle 8.2 / 8.7: gap 0.5 > 0.3
    assert r.rule == "fig:mean_of_all"
    assert r.value == D("8.50")  # 34.0 / 4
    assert r.dropped == () and len(r.counted) == 4
    assert "0.5 > 0.3" in r.note


def test_fig_band_follows_the_score():
    a = aspect(M.FIG, trim=1, bands=BANDS)
    # score 6.5 -> band 6.00-6.99 allows 0.5: a gap of 0.5 is fine here (it would not be above 8)
    r = aggregate(a, marks("6.0 6.25 6.75 7.0"), ["J1", "J2", "J3", "J4"])
    assert r.rule == "fig:trimmed" and r.value == D("6.50")


def test_fig_odd_panel_checks_the_three_central_marks():
    a = aspect(M.FIG, trim=1, bands=BANDS)
    ok = aggregate(a, marks("8.0 8.5 8.6 8.7 9.9"), J5)
    bad = aggregate(a, marks("8.0 8.3 8.6 8.7 9.9"), J5)  # central 8.3..8.7: gap 0.4 > 0.3
    assert ok.rule == "fig:trimmed"
    assert bad.rule == "fig:mean_of_all"


def test_fig_on_deduction_e_score():
    e = Aspect("E", "s", D(10), type=AspectType.DEDUCTION, aggregation=Aggregation(M.FIG, trim=1, bands=BANDS))
    r = aggregate(e, marks("1.0 1.1 1.2 1.5"), ["J1", "J2", "J3", "J4"])  # marks 9.0 8.9 8.8 8.5
    assert r.value == D("8.85") and r.rule == "fig:trimmed"


# ----------------------------------------------------------------------------- aspect types


def test_deduction_floor_zero():
    d = Aspect("D", "s", D(5), type=AspectType.DEDUCTION, aggregation=Aggregation(M.MEAN))
    assert aggregate(d, marks("1 2 3"), ["J1", "J2", "J3"]).value == D("3.00")
    assert aggregate(d, marks("7 9 5"), ["J1", "J2", "J3"]).value == D("0.00")
    assert aggregate(d, marks("6 4 5"), ["J1", "J2", "J3"]).value == D("0.33")  # 0, 1, 0


def test_judgement_mean_of_levels_is_scaled_to_the_max_mark():
    j = Aspect("J", "s", D(6), type=AspectType.JUDGEMENT, aggregation=Aggregation(M.MEAN))
    assert aggregate(j, marks("2 3 1"), ["J1", "J2", "J3"]).value == D("4.00")  # 2/3 x 6


TIMED = Aspect(
    "T",
    "s",
    D(10),
    type=AspectType.TIME,
    time_target=D(600),
    time_limit=D(900),
    aggregation=Aggregation(M.MEAN, rounding=Rounding(2)),
)


@pytest.mark.parametrize(
    "seconds,mark",
    [("500", "10.00"), ("600", "10.00"), ("750", "5.00"), ("800", "3.33"), ("900", "0.00"), ("1000", "0.00")],
)
def test_time_aspect_linear_between_target_and_limit(seconds, mark):
    r = aggregate(TIMED, {"J1": D(seconds)}, ["J1"])
    assert r.value == D(mark)
    assert r.seconds == D(seconds)


def test_time_aspect_keeps_the_aggregated_seconds():
    r = aggregate(TIMED, marks("700 720 710"), ["J1", "J2", "J3"])
    assert r.seconds == D("710.00")
    assert r.value == D("6.33")


def test_time_without_target_or_limit_gives_full_marks_and_zero_policy_is_not_applied():
    free = Aspect("T", "s", D(4), type=AspectType.TIME, aggregation=Aggregation(M.MEAN, missing=MissingPolicy.ZERO))
    assert aggregate(free, {"J1": D(12345)}, ["J1"]).value == D("4.00")
    assert aggregate(free, {"J1": D(10)}, ["J1", "J2"]).status == AspectStatus.INCOMPLETE
    only_target = Aspect("T", "s", D(4), type=AspectType.TIME, time_target=D(60))
    assert time_mark(only_target, D(61)) == 0 and time_mark(only_target, D(60)) == 4
    only_limit = Aspect("T", "s", D(4), type=AspectType.TIME, time_limit=D(60))
    assert time_mark(only_limit, D(59)) == 4 and time_mark(only_limit, D(60)) == 0


def test_stage_judge_mark_converts_by_type():
    j = Aspect("J", "s", D(6), type=AspectType.JUDGEMENT)
    d = Aspect("D", "s", D(5), type=AspectType.DEDUCTION)
    assert stage_judge_mark(j, D(2)) == 4
    assert stage_judge_mark(d, D(7)) == 0
    assert stage_judge_mark(TIMED, D(750)) == 5


def test_combine_for_stage_totals_uses_the_policy():
    agg = Aggregation(M.TRIMMED_MEAN, trim=1)
    out = combine(agg, [("J1", D(80)), ("J2", D(90)), ("J3", D(85)), ("J4", None), ("J5", D(70))])
    assert out.status == AspectStatus.INCOMPLETE


# ----------------------------------------------------------------------------- fast path equals the rule

FAST_METHODS = [M.MEAN, M.TRIMMED_MEAN, M.MEDIAN, M.SUM, M.MIDDLE_SUM]


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(FAST_METHODS),
    trim=st.integers(0, 2),
    values=st.lists(st.integers(0, 200).map(lambda k: Decimal(k) / 4), min_size=1, max_size=9),
    places=st.sampled_from([0, 1, 2, 3, None]),
    dd=st.sampled_from([None, "2.5", "3.3"]),
)
def test_fast_path_equals_the_full_rule(method, trim, values, places, dd):
    a = Aspect(
        "A",
        "s",
        D(50),
        aggregation=Aggregation(method, trim=trim, param="dd" if dd else None, rounding=Rounding(places)),
    )
    judges = [f"J{k}" for k in range(len(values))]
    params = {"dd": D(dd)} if dd else {}
    f = fast_value(a)
    assert f is not None
    with exact():  # the engine always calls shortcuts inside the rules' context
        fast = f(list(values), params)
    full = aggregate(a, dict(zip(judges, values)), judges, params)
    if fast is not None:
        assert full.status == AspectStatus.OK
        assert fast == full.value
        if places is not None:
            assert fast.as_tuple() == full.value.as_tuple()


def test_no_fast_path_where_it_would_differ():
    assert fast_value(Aspect("J", "s", D(3), type=AspectType.JUDGEMENT)) is None
    assert fast_value(aspect(M.ISU_GOE)) is None
    assert fast_value(aspect(M.MEAN, judge_rounding=Rounding(1))) is None
