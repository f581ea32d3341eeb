"""Stages, totals, panels and recusals, the incremental engine, config and mark validation."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_builders import D, marks_of, single_stage, theory_practical

from scoring.errors import InvalidInput
from scoring.rules.engine import StandingsEngine, compute_standings, validate_config
from scoring.rules.marks import check_mark_value
from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    AspectStatus,
    AspectType,
    AwardKind,
    AwardRule,
    AwardTier,
    CompetitionInput,
    Contestant,
    Mark,
    MissingPolicy,
    Panel,
    Rounding,
    Rules,
    Scheme,
    Stage,
    TieBreak,
    TieBreakKind,
    WeightKind,
)

M = AggregationMethod
TRIM = Aggregation(M.TRIMMED_MEAN, trim=1)
J5 = ("J1", "J2", "J3", "J4", "J5")


def two_aspects(stage: Stage | None = None, agg=TRIM):
    return [Aspect("A", "s", D(60), aggregation=agg), Aspect("B", "s", D(40), aggregation=agg)]


# ----------------------------------------------------------------------------- stages and totals


def test_stage_is_sum_of_aspects_and_total_is_weighted_sum():
    inp = single_stage(
        two_aspects(), {"X": "G"}, marks_of("X", "A", [50, 52, 54, 56, 58]) + marks_of("X", "B", [30, 31, 32, 33, 34])
    )
    row = compute_standings(inp).groups["G"].rows[0]
    assert row.aspects["A"].value == D("54.00") and row.aspects["B"].value == D("32.00")
    assert row.stages["s"].value == D("86.00")
    assert row.total == D("86.00") and row.rank == 1


def test_stage_level_aggregation_chinese_five_judges_drop_high_and_low_of_judge_totals():
    stage = Stage("s", aggregation=Aggregation(M.TRIMMED_MEAN, trim=1, rounding=Rounding(2)))
    plain = Aggregation(M.MEAN)
    aspects = [Aspect("A", "s", D(60), aggregation=plain), Aspect("B", "s", D(40), aggregation=plain)]
    # judge totals: J1 50+35=85, J2 55+33=88, J3 60+30=90, J4 50+36=86, J5 58+37=95 -> drop 95 and 85 -> 88.00
    marks = marks_of("X", "A", [50, 55, 60, 50, 58]) + marks_of("X", "B", [35, 33, 30, 36, 37])
    row = compute_standings(single_stage(aspects, {"X": "G"}, marks, stage=stage)).groups["G"].rows[0]
    assert row.stages["s"].value == D("88.00")
    assert row.aspects["A"].value == D("54.60")  # per-aspect results still shown


def test_stage_level_aggregation_waits_for_every_judge_total():
    stage = Stage("s", aggregation=Aggregation(M.TRIMMED_MEAN, trim=1))
    aspects = two_aspects(agg=Aggregation(M.MEAN))
    marks = marks_of("X", "A", [50, 55, 60, 50, 58]) + marks_of("X", "B", [35, 33, 30, 36, None])
    row = compute_standings(single_stage(aspects, {"X": "G"}, marks, stage=stage)).groups["G"].rows[0]
    assert row.stages["s"].value is None and row.total is None


def test_missing_is_not_zero_but_partial_values_are_inspectable():
    rules = Rules()
    inp = theory_practical({"A": (80, 90)}, rules)
    inp = replace(inp, marks=tuple(m for m in inp.marks if m.aspect != "P"))
    row = compute_standings(inp).groups["G"].rows[0]
    assert row.total is None and row.rank is None and row.awards == ()
    assert row.stages["theory"].value == D("80.00") and row.stages["theory"].weighted == D("24.0000")
    assert row.stages["practical"].value is None and row.stages["practical"].partial is None
    assert row.partial_total == D("24.00")
    assert row.aspects["P"].status == AspectStatus.MISSING


def test_unranked_rows_come_after_ranked_ones_by_code():
    inp = theory_practical({"Z": (80, 90), "B": (70, 70), "A": (60, 60)}, Rules())
    inp = replace(inp, marks=tuple(m for m in inp.marks if not (m.contestant in ("Z", "B") and m.aspect == "P")))
    rows = compute_standings(inp).groups["G"].rows
    assert [(r.contestant, r.rank) for r in rows] == [("A", 1), ("B", None), ("Z", None)]


def test_factor_weights():
    inp = theory_practical({"A": (80, 90)}, Rules(weight_kind=WeightKind.FACTOR), weights=("0.5", "1.6"))
    assert compute_standings(inp).groups["G"].rows[0].total == D("184.00")


def test_groups_are_ranked_separately():
    inp = theory_practical({"A": (80, 90), "B": (70, 70)}, Rules())
    inp = replace(
        inp,
        contestants=(Contestant("A", "G"), Contestant("B", "H")),
        panels=inp.panels + (Panel("H", "theory", ("J1",)), Panel("H", "practical", ("J1",))),
    )
    st = compute_standings(inp)
    assert {g: [r.rank for r in gs.rows] for g, gs in st.groups.items()} == {"G": [1], "H": [1]}


# ----------------------------------------------------------------------------- panels, recusals


def test_recused_judge_is_not_expected_and_their_mark_is_flagged():
    inp = single_stage(
        two_aspects(),
        {"X": "G"},
        marks_of("X", "A", [50, 52, 54, 56, 58]) + marks_of("X", "B", [30, 31, 32, 33, 34]),
        judges=J5 + ("J6",),
        recusals=[("J6", "X")],
    )
    inp = replace(inp, marks=inp.marks + (Mark("X", "A", "J6", D(1)), Mark("X", "B", "J6", D(32))))
    # J6 sits on the panel but is recused from X: 5 judges expected, J6's marks ignored and flagged
    st = compute_standings(inp)
    row = st.groups["G"].rows[0]
    assert row.aspects["A"].value == D("54.00") and "J6" not in row.aspects["A"].counted
    assert [(f.kind, f.aspect, f.judge) for f in st.flags] == [("recused_mark", "A", "J6"), ("recused_mark", "B", "J6")]


def test_judge_not_on_panel_is_ignored_and_flagged():
    marks = (
        marks_of("X", "A", [50, 52, 54, 56, 58])
        + marks_of("X", "B", [30, 31, 32, 33, 34])
        + [Mark("X", "B", "Q", D(0))]
    )
    st = compute_standings(single_stage(two_aspects(), {"X": "G"}, marks))
    assert st.groups["G"].rows[0].total == D("86.00")
    assert [(f.kind, f.judge) for f in st.flags] == [("not_on_panel", "Q")]


def test_panel_limited_to_some_aspects():
    aspects = two_aspects(agg=Aggregation(M.MEAN))
    inp = CompetitionInput(
        Rules(),
        Scheme((Stage("s"),), tuple(aspects)),
        (Contestant("X", "G"),),
        (Panel("G", "s", ("J1", "J2"), aspects=("A",)), Panel("G", "s", ("J3",), aspects=("B",))),
        tuple(marks_of("X", "A", [50, 60]) + marks_of("X", "B", [30], ["J3"])),
    )
    row = compute_standings(inp).groups["G"].rows[0]
    assert row.aspects["A"].counted == ("J1", "J2") and row.aspects["B"].counted == ("J3",)
    assert row.total == D("85.00")


def test_marks_for_unknown_contestants_or_aspects_are_ignored_by_a_recompute():
    marks = (
        marks_of("X", "A", [50, 52, 54, 56, 58])
        + marks_of("X", "B", [30, 31, 32, 33, 34])
        + [Mark("nobody", "A", "J1", D(1)), Mark("X", "nothing", "J1", D(1))]
    )
    st = compute_standings(single_stage(two_aspects(), {"X": "G"}, marks))
    assert st.groups["G"].rows[0].total == D("86.00") and st.flags == ()


def test_later_duplicate_mark_wins():
    marks = (
        marks_of("X", "A", [50, 52, 54, 56, 58])
        + marks_of("X", "B", [30, 31, 32, 33, 34])
        + [Mark("X", "A", "J3", D(60))]
    )
    row = compute_standings(single_stage(two_aspects(), {"X": "G"}, marks)).groups["G"].rows[0]
    assert row.aspects["A"].value == D("55.33")


# ----------------------------------------------------------------------------- the incremental engine


def test_apply_and_remove_mark():
    inp = single_stage(
        two_aspects(),
        {"X": "G", "Y": "G"},
        marks_of("X", "A", [50, 52, 54, 56, 58])
        + marks_of("X", "B", [30, 31, 32, 33, 34])
        + marks_of("Y", "A", [40] * 5)
        + marks_of("Y", "B", [40, 40, 40, 40]),
    )
    engine = StandingsEngine(inp)
    before = engine.standings
    assert [r.contestant for r in before.groups["G"].rows] == ["X", "Y"]
    engine.apply_mark(Mark("Y", "B", "J5", D(40)))
    after = engine.standings
    assert [(r.contestant, r.total, r.rank) for r in after.groups["G"].rows] == [
        ("X", D("86.00"), 1),
        ("Y", D("80.00"), 2),
    ]
    assert after is engine.standings
    # the old snapshot is unchanged
    assert before.groups["G"].rows[1].total is None
    assert before.groups["G"].rows[1].aspects["B"].status == AspectStatus.INCOMPLETE
    engine.remove_mark("Y", "B", "J5")
    again = engine.standings
    assert again.groups["G"].rows[1].total is None
    assert again == compute_standings(inp)


def test_apply_mark_refuses_unknown_contestant_or_aspect():
    engine = StandingsEngine(single_stage(two_aspects(), {"X": "G"}, []))
    with pytest.raises(InvalidInput):
        engine.apply_mark(Mark("nobody", "A", "J1", D(1)))
    with pytest.raises(InvalidInput):
        engine.apply_mark(Mark("X", "nothing", "J1", D(1)))


def test_same_mark_again_changes_nothing():
    inp = single_stage(two_aspects(), {"X": "G"}, marks_of("X", "A", [50, 52, 54, 56, 58]))
    engine = StandingsEngine(inp)
    before = engine.standings
    engine.apply_mark(Mark("X", "A", "J1", D(50)))
    assert engine.standings is before


# ----------------------------------------------------------------------------- validate_config


def _problems(rules: Rules, scheme: Scheme, panels=()) -> dict[str, str]:
    return {p.path: p.msgid for p in validate_config(rules, scheme, panels)}


GOOD_STAGES = (Stage("theory", weight=D(30), max_weight=D(30)), Stage("practical", weight=D(70)))
GOOD_ASPECTS = (
    Aspect("T1", "theory", D(100)),
    Aspect("P1", "practical", D(60)),
    Aspect("P2", "practical", D(40), type=AspectType.JUDGEMENT, descriptors=("below", "meets", "exceeds", "excellent")),
)


def test_validate_config_accepts_a_good_scheme():
    rules = Rules(tie_breaks=(TieBreak(TieBreakKind.STAGE, "practical"),))
    assert validate_config(rules, Scheme(GOOD_STAGES, GOOD_ASPECTS), (Panel("G", "practical", J5),)) == []


def test_validate_config_accepts_a_whole_input_too():
    inp = CompetitionInput(Rules(), Scheme(GOOD_STAGES, GOOD_ASPECTS), (), (), ())
    assert validate_config(inp) == []


def test_validate_config_weights_and_caps():
    stages = (Stage("theory", weight=D(40), max_weight=D(30)), Stage("practical", weight=D(70)))
    p = _problems(Rules(), Scheme(stages, GOOD_ASPECTS))
    assert p["stages[theory].weight"] == "weight %(weight)s is above this stage's cap of %(cap)s"
    assert p["stages"] == "the stage weights add up to %(sum)s, not 100"
    msgs = {x.path: x for x in validate_config(Rules(), Scheme(stages, GOOD_ASPECTS))}
    assert msgs["stages"].params == {"sum": "110"}


def test_validate_config_aspect_sums_descriptors_refs_trim_and_tiers():
    aspects = (
        Aspect("T1", "theory", D(90)),
        Aspect("P1", "practical", D(60), aggregation=Aggregation(M.TRIMMED_MEAN, trim=3)),
        Aspect("P2", "practical", D(40), type=AspectType.JUDGEMENT, descriptors=("a", "b")),
        Aspect("X", "nowhere", D(1)),
    )
    rules = Rules(
        tie_breaks=(
            TieBreak(TieBreakKind.STAGE, "oral"),
            TieBreak(TieBreakKind.TIME, "P1"),
            TieBreak(TieBreakKind.CRITERION, "Z"),
        ),
        awards=(
            AwardRule(
                AwardKind.QUOTA_PERCENT, (AwardTier("a", percent=D(60)), AwardTier("b", percent=D(50)), AwardTier("c"))
            ),
            AwardRule(AwardKind.TITLE, (AwardTier("t"),)),
        ),
    )
    p = _problems(rules, Scheme(GOOD_STAGES, aspects), (Panel("G", "practical", J5),))
    assert p["stages[theory].max_mark"].startswith("the aspects of this stage add up to")
    assert p["aspects[P2].descriptors"].startswith("a judgement aspect needs a description")
    assert p["aspects[X].stage"] == "there is no stage %(code)s"
    assert p["aspects[P1].aggregation.trim"].startswith("trimming %(trim)s high and low marks")
    assert p["rules.tie_breaks[0].ref"] == "there is no stage %(code)s"
    assert p["rules.tie_breaks[1].ref"] == "aspect %(code)s is not a time aspect"
    assert p["rules.tie_breaks[2].ref"] == "there is no criterion %(code)s"
    assert p["rules.awards[0].tiers"].startswith("the tier percentages add up to")
    assert p["rules.awards[0].tiers[2].percent"].startswith("is required")
    assert p["rules.awards[1].tiers[0].max_rank"].startswith("is required")


def test_validate_config_messages_are_marked_for_translation():
    from scoring.i18n import translate

    for problem in validate_config(Rules(), Scheme((Stage("a", weight=D(1)),), ())):
        assert problem.message("en")
        assert translate(problem.msgid, "en", **problem.params)


def test_validate_config_time_and_missing_policy():
    aspects = (
        Aspect(
            "T",
            "s",
            D(100),
            type=AspectType.TIME,
            time_target=D(10),
            time_limit=D(5),
            aggregation=Aggregation(M.MEAN, missing=MissingPolicy.ZERO),
        ),
    )
    p = _problems(Rules(), Scheme((Stage("s"),), aspects))
    assert "aspects[T].time_limit" in p and "aspects[T].aggregation.missing" in p


# ----------------------------------------------------------------------------- check_mark_value


MEASURE = Aspect("M", "s", D(10), step=D("0.5"))
LEVEL = Aspect("L", "s", D(2), type=AspectType.JUDGEMENT, step=D(1))
GOE = Aspect("G", "s", D(10), min_value=D(-5), max_value=D(5), step=D(1))


@pytest.mark.parametrize(
    "aspect,value,ok",
    [
        (MEASURE, "9.5", True),
        (MEASURE, "10", True),
        (MEASURE, "10.5", False),
        (MEASURE, "-0.5", False),
        (MEASURE, "9.25", False),
        (LEVEL, "3", True),
        (LEVEL, "4", False),
        (LEVEL, "1.5", False),
        (GOE, "-5", True),
        (GOE, "-6", False),
        (GOE, "5", True),
    ],
)
def test_check_mark_value(aspect, value, ok):
    assert (check_mark_value(aspect, D(value)) == []) is ok


def test_check_mark_value_problem_shape():
    (p,) = check_mark_value(MEASURE, D("11"))
    assert p.path == "M" and p.msgid == "%(value)s is above the highest allowed value %(max)s."
    assert p.params == {"value": "11", "max": "10"}
    assert [x.msgid for x in check_mark_value(MEASURE, D("10.25"))] == [
        "%(value)s is above the highest allowed value %(max)s.",
        "%(value)s is not a multiple of %(step)s.",
    ]
    assert check_mark_value(MEASURE, 1.5)[0].msgid == "%(value)s is not a number."
    assert check_mark_value(MEASURE, D("NaN"))[0].msgid == "%(value)s is not a number."


# ----------------------------------------------------------------------------- the fast path inside the engine


def _canonical_input(n: int, seed: int):
    import random

    rnd = random.Random(seed)
    aspects = [
        Aspect(f"A{k}", "s", D(20), aggregation=agg)
        for k, agg in enumerate(
            [TRIM, TRIM, Aggregation(M.MEAN), Aggregation(M.MEDIAN), Aggregation(M.TRIMMED_MEAN, trim=2)]
        )
    ]
    marks = [
        Mark(f"C{c}", a.code, j, D(rnd.choice(["4", "4.5", "5", "7.25", "9", "13", "20"])))
        for c in range(n)
        for a in aspects
        for j in J5
    ]
    return single_stage(aspects, {f"C{c}": "G" for c in range(n)}, marks)


def test_batch_shortcuts_agree_with_the_full_rule():
    inp = _canonical_input(40, seed=3)
    st = compute_standings(inp)
    for row in st.groups["G"].rows:
        # stage values come from the batch shortcuts; aspect results from the full rule
        assert row.stages["s"].value == sum(a.value for a in row.aspects.values())
    shuffled = replace(inp, marks=tuple(reversed(inp.marks)))  # not canonical: the lookup path
    assert compute_standings(shuffled).groups == st.groups


@settings(max_examples=120, deadline=None)
@given(
    method=st.sampled_from([M.MEAN, M.TRIMMED_MEAN, M.MEDIAN, M.SUM, M.MIDDLE_SUM]),
    trim=st.integers(0, 2),
    n=st.integers(1, 8),
    places=st.sampled_from([0, 1, 2, None]),
    factor=st.sampled_from(["1", "0.6"]),
    data=st.data(),
)
def test_batch_evaluator_equals_per_aspect_shortcut(method, trim, n, places, factor, data):
    from scoring.rules.fastpath import batch_evaluator
    from scoring.rules.fastvalue import fast_value
    from scoring.rules.rounding import exact

    a = Aspect("A", "s", D(50), aggregation=Aggregation(method, trim=trim, factor=D(factor), rounding=Rounding(places)))
    ev = batch_evaluator(a, n)
    f = fast_value(a)
    sets = data.draw(
        st.lists(
            st.lists(st.integers(0, 40).map(lambda k: Decimal(k) / 4), min_size=n, max_size=n), min_size=1, max_size=5
        )
    )
    vals = [v for s_ in sets for v in s_]
    slices = [slice(k * n, (k + 1) * n) for k in range(len(sets))]
    with exact():
        one_by_one = [f(list(s_), {}) for s_ in sets]
        if ev is None:
            assert None in one_by_one or n <= 2 * trim
            return
        got = ev(vals, slices)
    assert got == one_by_one
    assert [g.as_tuple() for g in got] == [o.as_tuple() for o in one_by_one]


def test_only_judge_recused_leaves_the_aspect_missing_not_a_crash():
    aspects = [
        Aspect("A", "s", D(60), aggregation=Aggregation(M.MEAN)),
        Aspect("B", "s", D(40), aggregation=Aggregation(M.MEAN)),
    ]
    inp = CompetitionInput(
        Rules(),
        Scheme((Stage("s"),), tuple(aspects)),
        (Contestant("X", "G"),),
        (Panel("G", "s", ("J1",), aspects=("A",)), Panel("G", "s", ("J2",), aspects=("B",))),
        (Mark("X", "A", "J1", D(50)),),
        frozenset({("J2", "X")}),
    )
    row = compute_standings(inp).groups["G"].rows[0]
    assert row.aspects["A"].value == D("50.00")
    assert row.aspects["B"].status == AspectStatus.MISSING
    assert row.total is None
    engine = StandingsEngine(replace(inp, marks=()))
    engine.apply_mark(Mark("X", "A", "J1", D(50)))
    assert engine.standings.groups["G"].rows[0].total is None
