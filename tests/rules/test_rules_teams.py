"""Team standings (团体总分): worked examples for each declared method, and properties."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from rules_builders import D

from scoring.rules.ranking import rank_values
from scoring.rules.rounding import exact
from scoring.rules.teams import Entrant, TeamStanding, shared_points, team_standing
from scoring.rules.types import (
    NO_ROUNDING,
    AwardKind,
    AwardRule,
    AwardTier,
    GroupStandings,
    RankMethod,
    Row,
    ShortPolicy,
    TeamMethod,
    TeamStandingRule,
    TeamTieBreak,
)


def group(code: str, totals: dict[str, object], awards: dict[str, tuple[str, ...]] | None = None) -> GroupStandings:
    """A group's standings from totals (None: still missing marks), ranked 1224."""
    codes = list(totals)
    values = [None if totals[c] is None else D(totals[c]) for c in codes]
    ranks = rank_values(values)
    rows = [
        Row(c, code, {}, {}, v, r, None, r is not None and ranks.count(r) > 1, (awards or {}).get(c, ()))
        for c, v, r in zip(codes, values, ranks)
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.contestant))
    return GroupStandings(code, tuple(rows))


def people(spec: str, group_code: str = "A") -> list[Entrant]:
    """'a1:东 a2:东 b1:西' -> entrants of one group."""
    out = []
    for item in spec.split():
        code, delegation = item.split(":")
        out.append(Entrant(code, group_code, delegation))
    return out


def table(st_: TeamStanding) -> list[tuple[str, str | None, str | None, str | None]]:
    """(delegation, rank, score, decided_by) rows, as text."""
    return [
        (
            r.delegation,
            None if r.rank is None else str(r.rank),
            None if r.score is None else str(r.score),
            r.decided_by,
        )
        for r in st_.rows
    ]


BEST3 = TeamStandingRule("county", "县区团体总分", TeamMethod.SUM, best=3)
COUNTIES = people("a1:东 a2:东 a3:东 a4:东 b1:西 b2:西 b3:西 c1:南 c2:南 d1:北 d2:北 d3:北 e1:中")
TOTALS = group(
    "A",
    {
        "a1": 90, "a2": 85, "a3": 80, "a4": 70,
        "b1": 95, "b2": 88, "b3": 70,
        "c1": 99, "c2": 98,
        "d1": 60, "d2": 60, "d3": 60,
        "e1": None,
    },
)  # fmt: skip


def test_best_three_sum_ranks_a_delegation_with_fewer_results_below_the_complete_ones() -> None:
    result = team_standing(BEST3, COUNTIES, {"A": TOTALS})
    assert table(result) == [
        ("东", "1", "255.00", "score"),
        ("西", "2", "253.00", "score"),
        ("北", "3", "180.00", "score"),
        ("南", "4", "197.00", "complete"),  # two results only: below every complete delegation
        ("中", None, None, None),  # no result yet (missing is not zero)
    ]
    east = result.rows[0]
    assert [r.contestant for r in east.counted] == ["a1", "a2", "a3"]  # the fourth does not count
    assert east.results == 4 and east.complete
    assert not result.rows[3].complete


def test_best_three_sum_counting_the_missing_as_zero_ranks_by_score_alone() -> None:
    rule = TeamStandingRule("county", "县区团体总分", TeamMethod.SUM, best=3, short=ShortPolicy.ZERO)
    assert table(team_standing(rule, COUNTIES, {"A": TOTALS}))[:4] == [
        ("东", "1", "255.00", "score"),
        ("西", "2", "253.00", "score"),
        ("南", "3", "197.00", "score"),
        ("北", "4", "180.00", "score"),
    ]


def test_mean_of_the_best_three_divides_by_three_when_the_missing_count_as_zero() -> None:
    zero = TeamStandingRule("m", "平均", TeamMethod.MEAN, best=3, short=ShortPolicy.ZERO)
    below = TeamStandingRule("m", "平均", TeamMethod.MEAN, best=3)
    south_zero = next(r for r in team_standing(zero, COUNTIES, {"A": TOTALS}).rows if r.delegation == "南")
    south_below = next(r for r in team_standing(below, COUNTIES, {"A": TOTALS}).rows if r.delegation == "南")
    assert south_zero.score == Decimal("65.67")  # 197 / 3, half-up
    assert south_below.score == Decimal("98.50")  # 197 / 2, still ranked below the complete ones
    assert south_below.rank == 4


def test_withdrawn_contestants_and_other_groups_do_not_count() -> None:
    entrants = [*people("a1:东 b1:西"), Entrant("a2", "A", "东", withdrawn=True), *people("x1:东", "B")]
    groups = {"A": group("A", {"a1": 80, "a2": 99, "b1": 85}), "B": group("B", {"x1": 100})}
    rule = TeamStandingRule("t", "团体", TeamMethod.SUM, groups=("A",))
    assert table(team_standing(rule, entrants, groups)) == [
        ("西", "1", "85.00", "score"),
        ("东", "2", "80.00", "score"),
    ]


def test_best_results_across_both_groups() -> None:
    entrants = [*people("a1:东 a2:西"), *people("x1:东 x2:西 x3:东", "B")]
    groups = {"A": group("A", {"a1": 90, "a2": 70}), "B": group("B", {"x1": 80, "x2": 95, "x3": 85})}
    result = team_standing(TeamStandingRule("t", "团体", TeamMethod.SUM, best=2), entrants, groups)
    assert table(result) == [("东", "1", "175.00", "score"), ("西", "2", "165.00", "score")]
    assert [(r.group, r.contestant) for r in result.rows[0].counted] == [("A", "a1"), ("B", "x3")]


def test_equal_sums_are_separated_by_the_best_single_result_and_both_rows_say_so() -> None:
    entrants = people("a1:东 a2:东 b1:西 b2:西 c1:南")
    groups = {"A": group("A", {"a1": 90, "a2": 80, "b1": 95, "b2": 75, "c1": 60})}
    rule = TeamStandingRule("t", "团体", TeamMethod.SUM, tie_breaks=(TeamTieBreak.BEST_RESULT,))
    assert table(team_standing(rule, entrants, groups)) == [
        ("西", "1", "170.00", "best_result"),
        ("东", "2", "170.00", "best_result"),
        ("南", "3", "60.00", "score"),
    ]


def test_a_tie_that_no_rule_breaks_shares_the_place() -> None:
    entrants = people("a1:东 b1:西 c1:南")
    groups = {"A": group("A", {"a1": 90, "b1": 90, "c1": 80})}
    result = team_standing(TeamStandingRule("t", "团体", TeamMethod.SUM), entrants, groups)
    assert table(result) == [("东", "1", "90.00", None), ("西", "1", "90.00", None), ("南", "3", "80.00", "score")]
    assert [r.tied for r in result.rows] == [True, True, False]


POINTS_9_TO_1 = tuple(D(p) for p in (9, 7, 6, 5, 4, 3, 2, 1))


def test_points_by_place_nine_seven_six_with_a_shared_second_place() -> None:
    entrants = people("p1:东 p2:西 p3:东 p4:南 p5:西")
    groups = {"A": group("A", {"p1": 98, "p2": 95, "p3": 95, "p4": 90, "p5": 80})}
    rule = TeamStandingRule("pts", "团体积分", TeamMethod.POINTS, points=POINTS_9_TO_1)
    result = team_standing(rule, entrants, groups)
    # p2 and p3 share places 2 and 3: (7 + 6) / 2 = 6.5 each
    assert table(result) == [("东", "1", "15.50", "score"), ("西", "2", "10.50", "score"), ("南", "3", "5.00", "score")]
    assert [r.points for r in result.rows[0].counted] == [D(9), D("6.50")]


def test_three_tied_for_first_share_twenty_two_points_rounded_half_up() -> None:
    assert shared_points(POINTS_9_TO_1, 1, 3).quantize(D("0.000001")) == D("7.333333")
    entrants = people("p1:东 p2:西 p3:南")
    groups = {"A": group("A", {"p1": 90, "p2": 90, "p3": 90})}
    rule = TeamStandingRule("pts", "团体积分", TeamMethod.POINTS, points=POINTS_9_TO_1)
    assert {r.score for r in team_standing(rule, entrants, groups).rows} == {D("7.33")}


def test_places_beyond_the_points_list_earn_nothing_but_still_take_their_place() -> None:
    entrants = people("p1:东 p2:西 p3:南")
    groups = {"A": group("A", {"p1": 90, "p2": 80, "p3": 70})}
    rule = TeamStandingRule("pts", "团体积分", TeamMethod.POINTS, points=(D(3), D(1)))
    assert table(team_standing(rule, entrants, groups)) == [
        ("东", "1", "3.00", "score"),
        ("西", "2", "1.00", "score"),
        ("南", "3", "0.00", "score"),
    ]


PRIZES = ("一等奖", "二等奖", "三等奖")


def _awarded() -> tuple[list[Entrant], dict[str, GroupStandings]]:
    entrants = people("a1:东 a2:东 a3:东 b1:西 b2:西 b3:西 c1:南 c2:南 d1:北")
    aw = {
        "a1": ("一等奖",), "a2": ("三等奖",), "a3": ("三等奖",),
        "b1": ("二等奖",), "b2": ("二等奖",), "b3": ("二等奖",),
        "c1": ("一等奖",), "c2": ("二等奖",),
        "d1": (),
    }  # fmt: skip
    totals = {"a1": 99, "c1": 98, "b1": 90, "b2": 89, "b3": 88, "c2": 87, "a2": 80, "a3": 79, "d1": 50}
    return entrants, {"A": group("A", totals, aw)}


def test_the_olympic_medal_table_orders_by_firsts_then_seconds_then_thirds() -> None:
    entrants, groups = _awarded()
    rule = TeamStandingRule("medals", "奖牌榜", TeamMethod.MEDAL_TABLE, tiers=PRIZES)
    result = team_standing(rule, entrants, groups)
    assert [(r.delegation, str(r.rank), r.counts, r.decided_by) for r in result.rows] == [
        ("南", "1", (1, 1, 0), "tier:二等奖"),  # as many firsts as 东, more seconds
        ("东", "2", (1, 0, 2), "tier:二等奖"),
        ("西", "3", (0, 3, 0), "tier:二等奖"),  # three seconds never beat one first (the deeper rule is named)
        ("北", "4", (0, 0, 0), "tier:二等奖"),
    ]
    assert all(r.score is None for r in result.rows)


def test_a_weighted_award_count_three_two_one() -> None:
    entrants, groups = _awarded()
    rule = TeamStandingRule(
        "w", "团体奖分", TeamMethod.WEIGHTED_AWARDS, tiers=PRIZES, weights=(D(3), D(2), D(1)), rounding=NO_ROUNDING
    )
    assert table(team_standing(rule, entrants, groups)) == [
        ("西", "1", "6", "score"),
        ("东", "2", "5", None),
        ("南", "2", "5", None),
        ("北", "4", "0", "score"),
    ]


def test_more_first_places_and_the_best_place_break_ties() -> None:
    entrants = [*people("a1:东 b1:西"), *people("x1:东 x2:西", "B")]
    groups = {"A": group("A", {"a1": 90, "b1": 80}), "B": group("B", {"x2": 90, "x1": 80})}
    # 东 and 西 both have a first and a second place: more_firsts cannot split them, best_result neither
    rule = TeamStandingRule(
        "t", "团体", TeamMethod.SUM, tie_breaks=(TeamTieBreak.MORE_FIRSTS, TeamTieBreak.BEST_RESULT)
    )
    assert [r.tied for r in team_standing(rule, entrants, groups).rows] == [True, True]
    groups["B"] = group("B", {"x2": 90, "x1": 80, "x0": 85})
    entrants.append(Entrant("x0", "B", "南"))
    rule = TeamStandingRule("t", "团体", TeamMethod.SUM, best=1, tie_breaks=(TeamTieBreak.BEST_PLACE,))
    assert table(team_standing(rule, entrants, groups))[:2] == [
        ("东", "1", "90.00", None),  # best place 1 each: still tied
        ("西", "1", "90.00", None),
    ]


def test_ordinal_ranking_gives_distinct_places_to_tied_delegations_in_name_order() -> None:
    entrants = people("a1:乙 b1:甲")
    groups = {"A": group("A", {"a1": 90, "b1": 90})}
    rule = TeamStandingRule("t", "团体", TeamMethod.SUM, ranking=RankMethod.ORDINAL)
    result = team_standing(rule, entrants, groups)
    assert [(r.delegation, str(r.rank), r.tied) for r in result.rows] == [("乙", "1", True), ("甲", "2", True)]


def test_team_prizes_one_two_three_by_place_and_a_tie_at_the_cut_line_shares_the_higher_prize() -> None:
    prizes = AwardRule(
        AwardKind.FIXED_COUNT,
        (AwardTier("团体一等奖", count=1), AwardTier("团体二等奖", count=1), AwardTier("团体三等奖", count=1)),
    )
    entrants = people("a1:甲 b1:乙 c1:丙 d1:丁 e1:戊")
    groups = {"A": group("A", {"a1": 95, "b1": 90, "c1": 90, "d1": 80, "e1": 70})}
    rule = TeamStandingRule("t", "团体", TeamMethod.SUM, awards=(prizes,))
    assert [(r.delegation, r.awards) for r in team_standing(rule, entrants, groups).rows] == [
        ("甲", ("团体一等奖",)),
        ("丙", ("团体二等奖",)),  # 丙 and 乙 share place 2, across the second cut line: both get the second prize
        ("乙", ("团体二等奖",)),
        ("丁", ()),  # positions 1-3 are taken
        ("戊", ()),
    ]


def test_a_medal_table_awards_by_place() -> None:
    entrants, groups = _awarded()
    top = AwardRule(AwardKind.TITLE, (AwardTier("优胜代表队", max_rank=1),))
    rule = TeamStandingRule("m", "奖牌榜", TeamMethod.MEDAL_TABLE, tiers=PRIZES, awards=(top,))
    assert [r.awards for r in team_standing(rule, entrants, groups).rows] == [("优胜代表队",), (), (), ()]


# ----------------------------------------------------------------------------- properties

totals_st = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=14)


@settings(max_examples=150, deadline=None)
@given(totals=totals_st, n_points=st.integers(min_value=0, max_value=10))
def test_points_are_conserved_under_ties(totals: list[int], n_points: int) -> None:
    """Without rounding, a group hands out exactly the points of the places it fills."""
    points = tuple(D(10 - k) for k in range(n_points))
    entrants = [Entrant(f"c{i}", "A", f"d{i}") for i in range(len(totals))]
    groups = {"A": group("A", {f"c{i}": t for i, t in enumerate(totals)})}
    rule = TeamStandingRule("p", "积分", TeamMethod.POINTS, points=points, rounding=NO_ROUNDING)
    with exact():
        handed = sum((r.score or D(0) for r in team_standing(rule, entrants, groups).rows), D(0))
    assert abs(handed - sum(points[: len(totals)], D(0))) < D("1e-50")  # exact to the rules' 60 digits


methods = st.sampled_from(
    [
        TeamStandingRule("s", "和", TeamMethod.SUM, best=2, tie_breaks=(TeamTieBreak.BEST_RESULT,)),
        TeamStandingRule("m", "均", TeamMethod.MEAN, best=3, short=ShortPolicy.ZERO),
        TeamStandingRule("p", "分", TeamMethod.POINTS, points=POINTS_9_TO_1, tie_breaks=(TeamTieBreak.MORE_FIRSTS,)),
        TeamStandingRule("t", "牌", TeamMethod.MEDAL_TABLE, tiers=PRIZES),
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    totals=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=5)), min_size=1, max_size=16),
    delegations=st.lists(st.sampled_from("甲乙丙丁"), min_size=16, max_size=16),
    rule=methods,
    seed=st.integers(min_value=0, max_value=1000),
)
def test_the_standing_does_not_depend_on_the_order_of_the_input(
    totals: list[int | None], delegations: list[str], rule: TeamStandingRule, seed: int
) -> None:
    codes = [f"c{i}" for i in range(len(totals))]
    aw = {c: (PRIZES[i % 3],) for i, c in enumerate(codes) if totals[i] is not None and totals[i] > 3}
    gs = group("A", dict(zip(codes, totals)), aw)
    entrants = [Entrant(c, "A", delegations[i]) for i, c in enumerate(codes)]
    before = team_standing(rule, entrants, {"A": gs})
    rng = random.Random(seed)
    rng.shuffle(entrants)
    rows = list(gs.rows)
    rng.shuffle(rows)
    after = team_standing(rule, entrants, {"A": GroupStandings("A", tuple(rows))})
    assert before == after
    ranked = [r for r in before.rows if r.rank is not None]
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked if r.rank is not None)
    assert all(r.decided_by is None for r in ranked if r.tied)


@settings(max_examples=150, deadline=None)
@given(
    totals=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=9)), min_size=1, max_size=16),
    delegations=st.lists(st.sampled_from("甲乙丙丁戊"), min_size=16, max_size=16),
    withdrawn=st.lists(st.booleans(), min_size=16, max_size=16),
    best=st.integers(min_value=1, max_value=4),
)
def test_best_n_sums_rank_complete_delegations_first_and_add_up_what_they_count(
    totals: list[int | None], delegations: list[str], withdrawn: list[bool], best: int
) -> None:
    codes = [f"c{i}" for i in range(len(totals))]
    gs = group("A", {c: t for c, t, w in zip(codes, totals, withdrawn) if not w})  # withdrawn: not in the standings
    entrants = [Entrant(c, "A", delegations[i], withdrawn[i]) for i, c in enumerate(codes)]
    rule = TeamStandingRule("s", "和", TeamMethod.SUM, best=best, rounding=NO_ROUNDING)
    result = team_standing(rule, entrants, {"A": gs})
    ranked = [r for r in result.rows if r.rank is not None]
    assert [r.complete for r in ranked] == sorted((r.complete for r in ranked), reverse=True)
    for r in result.rows:
        mine = sorted(
            (
                D(t)
                for c, t, d, w in zip(codes, totals, delegations, withdrawn)
                if d == r.delegation and t is not None and not w
            ),
            reverse=True,
        )
        assert r.results == len(mine)
        assert r.score == (sum(mine[:best], D(0)) if mine else None)
        assert r.complete == (len(mine) >= best)
