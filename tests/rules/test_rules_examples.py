"""Every worked example of RULES.md section (b), named after it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rules_builders import D, marks_of, single_stage, theory_practical

from scoring.rules.aggregate import aggregate
from scoring.rules.awards import quota_counts
from scoring.rules.engine import compute_standings
from scoring.rules.ranking import rank_values
from scoring.rules.rounding import quantize
from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    AspectStatus,
    AspectType,
    AwardKind,
    AwardRule,
    AwardTier,
    RankMethod,
    Rounding,
    RoundingMode,
    Rules,
    Stage,
    TieBreak,
    TieBreakKind,
)

M = AggregationMethod


def judges(n: int) -> list[str]:
    return [f"J{k + 1}" for k in range(n)]


def by_judge(values: str) -> dict[str, Decimal]:
    return {f"J{k + 1}": D(v) for k, v in enumerate(values.split())}


# ----------------------------------------------------------------------------- 1. diving


def test_example_1_diving_seven_judges_drop_two_high_two_low_sum_times_dd():
    dive = Aspect("D1", "final", D(10), aggregation=Aggregation(M.MIDDLE_SUM, trim=2, param="dd", rounding=Rounding(2)))
    r = aggregate(dive, by_judge("7.5 7.0 7.5 7.0 7.5 8.0 6.5"), judges(7), {"dd": D("3.0")})
    assert r.status == AspectStatus.OK
    assert r.value == D("66.0")
    assert len(r.counted) == 3 and len(r.dropped) == 4
    assert "J6" in r.dropped and "J7" in r.dropped  # the 8.0 and the 6.5
    assert r.rule == "middle_sum"


def test_example_1_diving_through_the_engine_with_a_contestant_parameter():
    dive = Aspect("D1", "s", D(100), aggregation=Aggregation(M.MIDDLE_SUM, trim=2, param="dd", rounding=Rounding(1)))
    inp = single_stage(
        [dive],
        {"A": "G"},
        marks_of("A", "D1", "7.5 7.0 7.5 7.0 7.5 8.0 6.5".split()),
        judges=judges(7),
        params={"A": {"D1": {"dd": D("3.0")}}},
    )
    row = compute_standings(inp).groups["G"].rows[0]
    assert row.aspects["D1"].value == D("66.0")
    assert row.total == D("66.00")


# ----------------------------------------------------------------------------- 4. ISU GOE


def test_example_4_isu_goe_per_judge_points_trimmed_mean_plus_base_value():
    element = Aspect(
        "E1",
        "short",
        D(10),
        min_value=D(-5),
        max_value=D(5),
        step=D(1),
        aggregation=Aggregation(
            M.ISU_GOE, trim=1, goe_percent=D(10), param="base_value", judge_rounding=Rounding(2), rounding=Rounding(2)
        ),
    )
    r = aggregate(element, by_judge("3 3 2 2 1 2 2"), judges(7), {"base_value": D("4.00")})
    assert r.value == D("4.88")
    assert len(r.dropped) == 2  # one 3 and the 1
    assert "0.88" in r.note


# ----------------------------------------------------------------------------- 6. Chinese trimmed mean


CHINESE = Aspect("P1", "practical", D(100), aggregation=Aggregation(M.TRIMMED_MEAN, trim=1, rounding=Rounding(2)))


def test_example_6_chinese_five_judges_drop_highest_and_lowest():
    r = aggregate(CHINESE, by_judge("85 88 90 86 95"), judges(5))
    assert r.value == D("88.00")
    assert str(r.value) == "88.00"
    assert set(r.dropped) == {"J1", "J5"}


def test_example_6_chinese_ties_drop_one_instance_each_and_round_half_up():
    r = aggregate(CHINESE, by_judge("90 90 85 85 88"), judges(5))
    assert r.value == D("87.67")  # 263 / 3 = 87.666...
    assert len(r.dropped) == 2 and len(r.counted) == 3


# ----------------------------------------------------------------------------- 7. WorldSkills


WS = Aspect(
    "J1",
    "m",
    D("2.00"),
    type=AspectType.JUDGEMENT,
    descriptors=("below", "meets", "exceeds some", "excellent"),
    aggregation=Aggregation(M.WORLDSKILLS, spread=D(1), rounding=Rounding(2)),
)


@pytest.mark.parametrize("scores,expected", [("2 3 2", "1.56"), ("3 3 3", "2.00"), ("0 0 0", "0")])
def test_example_7_worldskills_judgement_max_times_sum_over_nine(scores, expected):
    r = aggregate(WS, by_judge(scores), judges(3))
    assert r.status == AspectStatus.OK
    assert r.value == D(expected)


def test_example_7_worldskills_spread_over_one_is_rejected_not_aggregated():
    r = aggregate(WS, by_judge("1 3 2"), judges(3))
    assert r.status == AspectStatus.REJECTED
    assert r.value is None
    assert r.rule == "worldskills:spread"


def test_example_7_rejected_set_leaves_the_contestant_unranked_with_a_spread_flag():
    inp = single_stage(
        [WS], {"A": "G"}, marks_of("A", "J1", [1, 3, 2]), judges=judges(3), stage=Stage("m", max_mark=D(2))
    )
    st = compute_standings(inp)
    row = st.groups["G"].rows[0]
    assert row.total is None and row.rank is None
    assert [f.kind for f in st.flags] == ["spread"]
    assert st.flags[0].detail == {"spread": "2", "allowed": "1"}


# ----------------------------------------------------------------------------- 8. weighted tie trap


def test_example_8_weighted_thirty_seventy_tie_is_exact_and_practical_breaks_it():
    rules = Rules(tie_breaks=(TieBreak(TieBreakKind.STAGE, "practical"), TieBreak(TieBreakKind.STAGE, "theory")))
    inp = theory_practical({"D": (76, 82), "E": (62, 88)}, rules)
    rows = compute_standings(inp).groups["G"].rows
    assert rows[0].total == rows[1].total == D("80.20")
    assert [r.contestant for r in rows] == ["E", "D"]
    assert [r.rank for r in rows] == [1, 2]
    assert rows[0].decided_by == rows[1].decided_by == "stage:practical"
    assert not rows[0].tied
    # the trap this avoids: the same sums in floats are not equal
    assert 76 * 0.3 + 82 * 0.7 != 62 * 0.3 + 88 * 0.7


def test_example_8_weighted_stage_values():
    inp = theory_practical({"D": (76, 82)}, Rules())
    stages = compute_standings(inp).groups["G"].rows[0].stages
    assert stages["theory"].weighted == D("22.8")
    assert stages["practical"].weighted == D("57.4")


# ----------------------------------------------------------------------------- 10. half-up quotas


def _prizes(*percents: int) -> AwardRule:
    return AwardRule(AwardKind.QUOTA_PERCENT, tuple(AwardTier(f"p{k}", percent=D(p)) for k, p in enumerate(percents)))


@pytest.mark.parametrize("n,expected", [(45, 5), (25, 3)])
def test_example_10_half_up_first_prizes(n, expected):
    assert quota_counts(_prizes(10), n) == (expected,)
    assert round(n / 10) == expected - 1  # what Python's round() would wrongly give


def test_example_10_seventy_eight_contestants_get_8_16_23():
    assert quota_counts(_prizes(10, 20, 30), 78) == (8, 16, 23)


def test_example_10_quota_applied_to_a_ranked_group_of_45():
    rules = Rules(awards=(_prizes(10, 20, 30),))
    inp = theory_practical({f"C{k:02d}": (k, k) for k in range(45)}, rules)
    rows = compute_standings(inp).groups["G"].rows
    counts = {name: sum(1 for r in rows if name in r.awards) for name in ("p0", "p1", "p2")}
    assert counts == {"p0": 5, "p1": 9, "p2": 14}  # 4.5 -> 5, 9, 13.5 -> 14


def test_half_up_is_away_from_zero_for_negatives():
    assert quantize(D("-1.465"), Rounding(2, RoundingMode.HALF_UP)) == D("-1.47")
    assert quantize(D("1.465"), Rounding(2, RoundingMode.HALF_UP)) == D("1.47")
    assert quantize(D("-1.465"), Rounding(2, RoundingMode.HALF_EVEN)) == D("-1.46")


# ----------------------------------------------------------------------------- 11. ranking methods


SCORES = [D(x) for x in (44, 42, 42, 41, 41, 41, 39)]


@pytest.mark.parametrize(
    "method,expected",
    [
        (RankMethod.STANDARD, ["1", "2", "2", "4", "4", "4", "7"]),
        (RankMethod.MODIFIED, ["1", "3", "3", "6", "6", "6", "7"]),
        (RankMethod.DENSE, ["1", "2", "2", "3", "3", "3", "4"]),
        (RankMethod.ORDINAL, ["1", "2", "3", "4", "5", "6", "7"]),
        (RankMethod.FRACTIONAL, ["1", "2.5", "2.5", "5", "5", "5", "7"]),
    ],
)
def test_example_11_ranking_methods(method, expected):
    assert rank_values(SCORES, method) == [D(x) for x in expected]


@pytest.mark.parametrize(
    "method,expected",
    [
        (RankMethod.STANDARD, ["1", "2", "2", "4", "4", "4", "7"]),
        (RankMethod.FRACTIONAL, ["1", "2.5", "2.5", "5", "5", "5", "7"]),
        (RankMethod.DENSE, ["1", "2", "2", "3", "3", "3", "4"]),
    ],
)
def test_example_11_ranking_methods_through_the_engine(method, expected):
    inp = theory_practical({f"C{k}": (s, s) for k, s in enumerate((44, 42, 42, 41, 41, 41, 39))}, Rules(ranking=method))
    rows = compute_standings(inp).groups["G"].rows
    assert [r.rank for r in rows] == [D(x) for x in expected]
    assert [r.tied for r in rows] == [False, True, True, True, True, True, False]


# ----------------------------------------------------------------------------- 12. tie-break chain


def _chain_input(times: dict[str, int], scores: dict[str, tuple[int, int]]):
    from scoring.rules.types import CompetitionInput, Contestant, Mark, Panel, Scheme

    single = Aggregation(M.SINGLE)
    stages = (Stage("theory", weight=D(30)), Stage("practical", weight=D(70)))
    aspects = (
        Aspect("T", "theory", D(100), aggregation=single),
        Aspect("P", "practical", D(100), aggregation=single),
        Aspect("TIME", "practical", D(0), type=AspectType.TIME, aggregation=single),
    )
    rules = Rules(
        tie_breaks=(
            TieBreak(TieBreakKind.TIME, "TIME", higher_is_better=False),
            TieBreak(TieBreakKind.STAGE, "practical"),
            TieBreak(TieBreakKind.STAGE, "theory"),
        )
    )
    marks = []
    for c, (t, p) in scores.items():
        marks += [Mark(c, "T", "J1", D(t)), Mark(c, "P", "J1", D(p)), Mark(c, "TIME", "J1", D(times[c] * 60))]
    return CompetitionInput(
        rules,
        Scheme(stages, aspects),
        tuple(Contestant(c, "G") for c in scores),
        (Panel("G", "theory", ("J1",)), Panel("G", "practical", ("J1",))),
        tuple(marks),
    )


def test_example_12_equal_totals_shorter_time_ranks_first():
    rows = compute_standings(_chain_input({"A": 150, "B": 140}, {"A": (85, 85), "B": (85, 85)})).groups["G"].rows
    assert rows[0].total == rows[1].total == D("85.00")
    assert [(r.contestant, r.rank, r.decided_by) for r in rows] == [("B", 1, "time:TIME"), ("A", 2, "time:TIME")]


def test_example_12_equal_times_then_practical_decides():
    # 30/70: A 71/91 = 21.3 + 63.7 = 85.0, B 92/82 = 27.6 + 57.4 = 85.0
    rows = compute_standings(_chain_input({"A": 140, "B": 140}, {"A": (71, 91), "B": (92, 82)})).groups["G"].rows
    assert rows[0].total == rows[1].total
    assert rows[0].contestant == "A" and rows[0].decided_by == "stage:practical"


def test_example_12_equal_times_and_practical_then_theory_decides():
    # With fixed weights, equal totals and equal practical imply equal theory, so the theory
    # link is exercised on a chain without practical.
    from dataclasses import replace

    inp = _chain_input({"A": 140, "B": 140}, {"A": (71, 91), "B": (92, 82)})
    inp = replace(
        inp,
        rules=Rules(
            tie_breaks=(
                TieBreak(TieBreakKind.TIME, "TIME", higher_is_better=False),
                TieBreak(TieBreakKind.STAGE, "theory"),
            )
        ),
    )
    rows = compute_standings(inp).groups["G"].rows
    assert rows[0].contestant == "B" and rows[0].decided_by == "stage:theory"


def test_example_12_everything_equal_shares_the_place():
    rows = compute_standings(_chain_input({"A": 140, "B": 140}, {"A": (85, 85), "B": (85, 85)})).groups["G"].rows
    assert [r.rank for r in rows] == [1, 1]
    assert all(r.tied and r.decided_by is None for r in rows)
