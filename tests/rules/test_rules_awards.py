"""Awards (quotas, fixed counts, thresholds, medals, titles) and the ranking details they rely on."""

from __future__ import annotations

from dataclasses import replace

from rules_builders import D, theory_practical

from scoring.rules.awards import award_block, cut_positions, quota_counts
from scoring.rules.engine import compute_standings
from scoring.rules.ranking import rank_block, rank_values
from scoring.rules.types import (
    AwardKind,
    AwardRule,
    AwardTier,
    Contestant,
    Panel,
    RankMethod,
    RoundingMode,
    Rules,
    TieBreak,
    TieBreakKind,
    TiePolicy,
)


def standings(totals: dict[str, int], rules: Rules):
    """Contestants whose theory and practical are both ``total`` (so the total is ``total``)."""
    return compute_standings(theory_practical({c: (t, t) for c, t in totals.items()}, rules)).groups["G"].rows


def awards(rows) -> dict[str, tuple[str, ...]]:
    return {r.contestant: r.awards for r in rows}


PRIZES = (AwardTier("first", percent=D(10)), AwardTier("second", percent=D(20)), AwardTier("third", percent=D(30)))


def test_quota_tiers_take_consecutive_places():
    rules = Rules(awards=(AwardRule(AwardKind.QUOTA_PERCENT, PRIZES),))
    rows = standings({f"C{k:02d}": 100 - k for k in range(20)}, rules)
    got = [r.awards for r in rows]
    assert got == [("first",)] * 2 + [("second",)] * 4 + [("third",)] * 6 + [()] * 8


def test_quota_share_gives_everyone_tied_at_the_cut_the_higher_tier():
    totals = {"A": 90, "B": 80, "C": 80, "D": 70, "E": 60, "F": 50, "G": 40, "H": 30, "I": 20, "J": 10}
    rule = AwardRule(AwardKind.QUOTA_PERCENT, (AwardTier("first", percent=D(20)), AwardTier("second", percent=D(20))))
    rows = standings(totals, Rules(awards=(rule,)))
    a = awards(rows)
    assert a["A"] == a["B"] == a["C"] == ("first",)  # 2 first prizes, B and C tied at the cut: 3
    assert a["D"] == ("second",) and a["E"] == ()  # second: places 3..4 -> only D (place 4)


def test_quota_strict_never_exceeds_the_cumulative_quota():
    totals = {"A": 90, "B": 80, "C": 80, "D": 70, "E": 60, "F": 50, "G": 40, "H": 30, "I": 20, "J": 10}
    rule = AwardRule(
        AwardKind.QUOTA_PERCENT,
        (AwardTier("first", percent=D(20)), AwardTier("second", percent=D(20))),
        tie_policy=TiePolicy.STRICT,
    )
    a = awards(standings(totals, Rules(awards=(rule,))))
    assert a["A"] == ("first",)
    assert a["B"] == a["C"] == ("second",) and a["D"] == ("second",)
    assert sum(1 for v in a.values() if v) == 4


def test_fixed_counts_one_three_six():
    rule = AwardRule(AwardKind.FIXED_COUNT, (AwardTier("1", count=1), AwardTier("2", count=3), AwardTier("3", count=6)))
    rows = standings({f"C{k:02d}": 100 - k for k in range(12)}, Rules(awards=(rule,)))
    assert [r.awards for r in rows] == [("1",)] + [("2",)] * 3 + [("3",)] * 6 + [()] * 2


def test_fixed_counts_larger_than_the_field_are_capped():
    rule = AwardRule(AwardKind.FIXED_COUNT, (AwardTier("1", count=5),))
    assert cut_positions(rule, 3) == (3,)


def test_threshold_tiers():
    rule = AwardRule(
        AwardKind.THRESHOLD, (AwardTier("gold-level", min_total=D(90)), AwardTier("pass", min_total=D(60)))
    )
    a = awards(standings({"A": 95, "B": 75, "C": 50}, Rules(awards=(rule,))))
    assert a == {"A": ("gold-level",), "B": ("pass",), "C": ()}


MEDALS = AwardRule(
    AwardKind.MEDALS,
    (
        AwardTier("gold", max_rank=1),
        AwardTier("silver", max_rank=2),
        AwardTier("bronze", max_rank=3),
        AwardTier("medallion", min_total=D(70)),
    ),
    name="medals",
)


def test_medals_two_golds_then_bronze_and_medallion_for_excellence():
    a = awards(standings({"A": 90, "B": 90, "C": 85, "D": 75, "E": 65}, Rules(awards=(MEDALS,))))
    assert a == {"A": ("gold",), "B": ("gold",), "C": ("bronze",), "D": ("medallion",), "E": ()}


def test_medals_follow_the_displayed_place_dense_gives_silver_after_two_golds():
    a = awards(standings({"A": 90, "B": 90, "C": 85}, Rules(ranking=RankMethod.DENSE, awards=(MEDALS,))))
    assert a["C"] == ("silver",)


def test_title_and_prize_together_and_rule_min_total():
    title = AwardRule(AwardKind.TITLE, (AwardTier("技术能手", max_rank=5),), name="titles", min_total=D(60))
    prizes = AwardRule(AwardKind.QUOTA_PERCENT, PRIZES, name="prizes")
    rows = standings({f"C{k:02d}": 100 - 10 * k for k in range(10)}, Rules(awards=(prizes, title)))
    got = [r.awards for r in rows]
    assert got[0] == ("first", "技术能手")
    assert got[1] == ("second", "技术能手") and got[2] == ("second", "技术能手")
    assert got[4] == ("third", "技术能手")
    assert got[5] == ("third",)  # place 6: no title
    assert all("技术能手" not in g for g in got[5:])


def test_title_rule_min_total_excludes_low_totals():
    title = AwardRule(AwardKind.TITLE, (AwardTier("t", max_rank=5),), min_total=D(75))
    a = awards(standings({"A": 80, "B": 70}, Rules(awards=(title,))))
    assert a == {"A": ("t",), "B": ()}


def test_tier_min_total_in_a_quota_falls_to_the_next_tier():
    rule = AwardRule(
        AwardKind.QUOTA_PERCENT,
        (AwardTier("first", percent=D(50), min_total=D(90)), AwardTier("second", percent=D(50))),
    )
    a = awards(standings({"A": 95, "B": 85, "C": 80, "D": 70}, Rules(awards=(rule,))))
    assert a == {"A": ("first",), "B": ("second",), "C": ("second",), "D": ("second",)}


def test_overall_quota_across_groups():
    rule = AwardRule(AwardKind.QUOTA_PERCENT, (AwardTier("first", percent=D(50)),), per_group=False)
    inp = theory_practical({"A": (90, 90), "B": (80, 80), "C": (70, 70), "D": (60, 60)}, Rules(awards=(rule,)))
    inp = replace(
        inp,
        contestants=(Contestant("A", "G"), Contestant("B", "G"), Contestant("C", "H"), Contestant("D", "H")),
        panels=inp.panels + (Panel("H", "theory", ("J1",)), Panel("H", "practical", ("J1",))),
    )
    st = compute_standings(inp)
    got = {r.contestant: r.awards for g in st.groups.values() for r in g.rows}
    assert got == {"A": ("first",), "B": ("first",), "C": (), "D": ()}
    assert [r.rank for r in st.groups["H"].rows] == [1, 2]


def test_quota_rounding_mode_is_the_rules():
    rule = AwardRule(AwardKind.QUOTA_PERCENT, (AwardTier("a", percent=D(10)),), rounding=RoundingMode.HALF_EVEN)
    assert quota_counts(rule, 45) == (4,)
    assert quota_counts(replace(rule, rounding=RoundingMode.CEILING), 41) == (5,)


def test_award_block_directly():
    rule = AwardRule(AwardKind.QUOTA_PERCENT, (AwardTier("a", percent=D(50)),))
    places = [(D(1), 1, 1, D(9)), (D(2), 2, 3, D(8)), (D(2), 2, 3, D(8)), (D(4), 4, 4, D(7))]
    assert award_block(rule, places) == ["a", "a", "a", None]


# ----------------------------------------------------------------------------- ranking details


def test_decided_by_names_the_deepest_rule_needed_against_either_neighbour():
    rules = Rules(tie_breaks=(TieBreak(TieBreakKind.STAGE, "practical"),))
    inp = theory_practical({"A": (100, 100), "B": (80, 90), "C": (90, 85), "D": (10, 10)}, rules)
    rows = compute_standings(inp).groups["G"].rows
    # B = 24 + 63 = 87, C = 27 + 59.5 = 86.5 -> different totals
    assert [(r.contestant, r.decided_by) for r in rows] == [
        ("A", "total"),
        ("B", "total"),
        ("C", "total"),
        ("D", "total"),
    ]
    inp = theory_practical({"A": (100, 100), "B": (62, 88), "C": (76, 82), "D": (10, 10)}, rules)
    rows = compute_standings(inp).groups["G"].rows
    assert [(r.contestant, r.decided_by) for r in rows] == [
        ("A", "total"),
        ("B", "stage:practical"),
        ("C", "stage:practical"),
        ("D", "total"),
    ]


def test_ordinal_ranking_breaks_full_ties_by_code_and_keeps_them_tied():
    rows = standings({"B": 50, "A": 50, "C": 40}, Rules(ranking=RankMethod.ORDINAL))
    assert [(r.contestant, r.rank, r.tied) for r in rows] == [("A", 1, True), ("B", 2, True), ("C", 3, False)]


def test_rank_block_reports_tie_group_span():
    keys = [(D(-5),), (D(-4),), (D(-4),), (D(-3),)]
    block = rank_block(keys, 0, 4, RankMethod.MODIFIED)
    assert [(b[0], b[3], b[4]) for b in block] == [(1, 1, 1), (3, 2, 3), (3, 2, 3), (4, 4, 4)]


def test_rank_values_skips_missing():
    assert rank_values([D(5), None, D(7)]) == [D(2), None, D(1)]
