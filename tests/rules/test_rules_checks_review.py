"""Consistency flags, advisory judge statistics, and the review (复核) plan."""

from __future__ import annotations

from decimal import Decimal

from rules_builders import D, marks_of, single_stage, theory_practical

from scoring.i18n import translate
from scoring.rules.checks import judge_severity, normalisation_report, normalised_marks, outlier_flags
from scoring.rules.engine import compute_standings
from scoring.rules.review import needs_full_recheck, review_plan, sample_size
from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    Checks,
    Mark,
    MissingPolicy,
    ReviewPlanRule,
    Rules,
    SdKind,
    ToleranceBand,
)

M = AggregationMethod


def test_outlier_is_far_from_the_mean_of_the_other_judges():
    flags = outlier_flags("X", "A", ["J1", "J2", "J3", "J4"], [D(8), D(8), D("8.5"), D(5)], D(2))
    assert [(f.kind, f.judge) for f in flags] == [("outlier", "J4")]
    assert flags[0].detail == {"mark": "5", "others": "8.1667", "distance": "3.1667", "limit": "2"}
    assert translate(flags[0].reason, "en", **flags[0].detail)


def test_engine_flags_outliers_when_checks_ask_for_it():
    aspect = Aspect("A", "s", D(100), aggregation=Aggregation(M.TRIMMED_MEAN, trim=1))
    inp = single_stage(
        [aspect],
        {"X": "G"},
        marks_of("X", "A", [80, 82, 81, 60, 83]),
        rules=Rules(checks=Checks(outlier_distance=D(10))),
    )
    st = compute_standings(inp)
    assert [(f.kind, f.contestant, f.aspect, f.judge) for f in st.flags] == [("outlier", "X", "A", "J4")]
    assert st.groups["G"].rows[0].total == D("81.00")  # advisory: the result is unchanged


def test_fig_gap_flag_carries_gap_and_allowed_gap():
    bands = (ToleranceBand(D(8), D("0.3")), ToleranceBand(D(0), D("0.6")))
    aspect = Aspect("E", "s", D(100), aggregation=Aggregation(M.FIG, trim=1, bands=bands))
    inp = single_stage(
        [aspect], {"X": "G"}, marks_of("X", "E", ["8.0", "8.2", "8.7", "9.1"]), judges=("J1", "J2", "J3", "J4")
    )
    st = compute_standings(inp)
    assert [(f.kind, f.detail) for f in st.flags] == [("fig_gap", {"gap": "0.5", "allowed": "0.3"})]


def test_missing_mark_filled_by_policy_is_flagged_per_judge():
    aspect = Aspect("A", "s", D(100), aggregation=Aggregation(M.MEAN, missing=MissingPolicy.MEAN_OF_GIVEN))
    inp = single_stage(
        [aspect], {"X": "G"}, marks_of("X", "A", [80, None, 90], ["J1", "J2", "J3"]), judges=("J1", "J2", "J3")
    )
    st = compute_standings(inp)
    assert [(f.kind, f.judge, f.detail) for f in st.flags] == [("missing", "J2", {"policy": "mean_of_given"})]
    assert st.groups["G"].rows[0].total == D("85.00")


# ----------------------------------------------------------------------------- judge statistics


PANEL_MARKS = [
    Mark("C1", "A", "J1", D(7)),
    Mark("C1", "A", "J2", D(8)),
    Mark("C1", "A", "J3", D(9)),
    Mark("C2", "A", "J1", D(5)),
    Mark("C2", "A", "J2", D(6)),
    Mark("C2", "A", "J3", D(7)),
    Mark("C3", "A", "J1", D(6)),
    Mark("C3", "A", "J2", D(6)),
    Mark("C3", "A", "J3", D(6)),
]


def test_judge_severity_mean_deviation_and_z():
    sev = judge_severity(PANEL_MARKS, SdKind.SAMPLE)
    assert sev["J1"].mean_deviation == D("-0.6667") and sev["J3"].mean_deviation == D("0.6667")
    assert sev["J2"].mean_deviation == 0
    # sample SD of (7, 8, 9) is 1: z = -1 twice and 0 for the unanimous item
    assert sev["J1"].mean_z == D("-0.6667") and sev["J1"].items == 3
    pop = judge_severity(PANEL_MARKS, SdKind.POPULATION)
    assert pop["J1"].mean_z < sev["J1"].mean_z  # population SD is smaller -> larger |z|


def test_normalisation_report_is_off_unless_asked():
    assert normalisation_report(PANEL_MARKS, Checks()) == {}
    assert set(normalisation_report(PANEL_MARKS, Checks(normalisation=SdKind.SAMPLE))) == {"J1", "J2", "J3"}


def test_normalised_marks_per_judge_fll_style():
    z = normalised_marks(PANEL_MARKS, SdKind.SAMPLE)
    # J1's marks 7, 5, 6: mean 6, sample SD 1 -> 120, 80, 100
    assert z[("C1", "A", "J1")] == D("120.00")
    assert z[("C2", "A", "J1")] == D("80.00")
    assert z[("C3", "A", "J1")] == D("100.00")
    assert all(isinstance(v, Decimal) for v in z.values())


# ----------------------------------------------------------------------------- review plan


def _rows(n: int):
    return (
        compute_standings(theory_practical({f"C{k:03d}": (100 - k % 90, 100 - k % 90) for k in range(n)}, Rules()))
        .groups["G"]
        .rows
    )


def test_review_plan_top_ten_plus_half_up_sample_of_the_rest():
    rows = _rows(50)
    plan = review_plan(rows, ReviewPlanRule(), seed="draw-2025-05-23")
    assert len(plan.full) == 10 and plan.full == tuple(r.contestant for r in rows[:10])
    assert plan.rest == 40 and len(plan.sample) == 6  # 15% of 40 = 6
    assert not set(plan.full) & set(plan.sample)
    assert plan == review_plan(list(reversed(rows)), ReviewPlanRule(), seed="draw-2025-05-23")
    assert plan.sample != review_plan(rows, ReviewPlanRule(), seed="another").sample


def test_review_sample_size_half_up_with_minimum_one():
    assert sample_size(7, D(15)) == 1  # 1.05
    assert sample_size(3, D(15)) == 1  # 0.45 -> 0 -> at least 1
    assert sample_size(10, D(15)) == 2  # 1.5 -> 2
    assert sample_size(0, D(15)) == 0


def test_review_ties_at_the_top_line_all_reviewed():
    rows = (
        compute_standings(theory_practical({"A": (90, 90), "B": (80, 80), "C": (80, 80), "D": (70, 70)}, Rules()))
        .groups["G"]
        .rows
    )
    plan = review_plan(rows, ReviewPlanRule(top_n=2, sample_percent=D(50)), seed="s")
    assert plan.full == ("A", "B", "C") and len(plan.sample) == 1


def test_full_recheck_when_error_rate_exceeds_threshold():
    rule = ReviewPlanRule()
    assert not needs_full_recheck(100, 5, rule)  # 5% is not more than 5%
    assert needs_full_recheck(100, 6, rule)
    assert needs_full_recheck(19, 1, rule)  # 5.26%
    assert not needs_full_recheck(0, 0, rule)
