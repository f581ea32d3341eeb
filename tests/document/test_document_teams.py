"""Team standings (团体总分) in the document: declared, checked, written back, reported."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from doc_samples import SMALL

from scoring.document import dump_document, load_document, read_document, recompute, results_report, results_table
from scoring.errors import InvalidInput
from scoring.rules.types import ShortPolicy, TeamMethod, TeamTieBreak

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "childcare.json"
BEST3 = {
    "code": "county",
    "name": "县区团体总分",
    "name_en": "County team score",
    "groups": ["childcare"],
    "method": "sum",
    "best": 3,
    "tie_breaks": ["best_result"],
}


@pytest.fixture(scope="module")
def example():
    doc = read_document(EXAMPLE)
    return doc, results_report(doc, recompute(doc))


def with_teams(*standings: dict) -> dict:
    raw = copy.deepcopy(SMALL)
    raw["rules"]["team_standings"] = list(standings)
    return raw


def problems(raw: dict) -> set[tuple[str, str]]:
    with pytest.raises(InvalidInput) as info:
        load_document(raw)
    return {(p.path, p.msgid) for p in info.value.problems}


def test_a_declared_team_standing_reads_as_the_engines_rule_and_writes_back_the_same() -> None:
    raw = with_teams(BEST3)
    doc = load_document(raw)
    (rule,) = doc.rules.team_standings
    assert (rule.method, rule.best, rule.short, rule.delegation) == (
        TeamMethod.SUM,
        3,
        ShortPolicy.RANK_BELOW,
        "region",
    )
    assert rule.groups == ("childcare",) and rule.tie_breaks == (TeamTieBreak.BEST_RESULT,)
    written = dump_document(doc)
    assert written["rules"]["team_standings"] == [{**BEST3, "delegation": "region"}]  # other defaults left out
    assert load_document(written) == doc


def test_a_document_without_team_standings_keeps_its_meaning_and_its_text() -> None:
    doc = load_document(copy.deepcopy(SMALL))
    assert doc.rules.team_standings == ()
    assert "team_standings" not in dump_document(doc)["rules"]
    assert results_report(doc, recompute(doc))["team_standings"] == []


def test_what_a_team_standing_needs_is_checked() -> None:
    found = problems(
        with_teams(
            {**BEST3, "groups": ["cooking"]},
            {"code": "county", "name": "积分", "method": "points"},
            {"code": "m", "name": "奖牌", "method": "medal_table", "tiers": ["金牌"]},
            {"code": "w", "name": "加权", "method": "weighted_awards", "tiers": ["一等奖"], "weights": ["3", "2"]},
            {"code": "x", "name": "错", "method": "sum", "delegation": "county"},
        )
    )
    assert ("rules.team_standings[0].groups[0]", "unknown group %(code)s") in found
    assert ("rules.team_standings[1].code", "duplicate code %(code)s (first used at %(first)s)") in found
    assert ("rules.team_standings[1].points", "is required for the %(method)s method") in found
    assert ("rules.team_standings[2].tiers[0]", "unknown award tier %(code)s") in found
    assert ("rules.team_standings[3].weights", "must give one weight per tier (%(count)s)") in found
    assert any(path == "rules.team_standings[4].delegation" for path, _ in found)


def test_the_delegation_can_be_the_unit_instead_of_the_county() -> None:
    raw = with_teams({**BEST3, "delegation": "unit", "best": None})
    for c in raw["contestants"]:
        c["unit"] = "同一单位"
    doc = load_document(raw)
    (standing,) = results_report(doc, recompute(doc))["team_standings"]
    assert [r["delegation"] for r in standing["rows"]] == ["同一单位"]


def test_the_example_ranks_the_counties_by_their_best_three_across_both_groups(example) -> None:
    doc, report = example
    county = report["team_standings"][0]
    assert (county["code"], county["groups"], county["provisional"]) == ("county", ["childcare", "hairdressing"], False)
    assert len(county["rows"]) == 12
    totals: dict[str, list[Decimal]] = {}
    for g in report["groups"]:
        for r in g["rows"]:
            if r["total"] is not None:
                totals.setdefault(r["region"], []).append(Decimal(r["total"]))
    for row in county["rows"]:
        best = sorted(totals[row["delegation"]], reverse=True)[:3]
        assert Decimal(row["score"]) == sum(best)
        assert [Decimal(c["total"]) for c in row["counted"]] == best
        assert row["results"] == len(totals[row["delegation"]])
    scores = [Decimal(r["score"]) for r in county["rows"]]
    assert scores == sorted(scores, reverse=True)
    assert county["rows"][0]["rank"] == "1" and county["rows"][0]["decided_by"] == "score"
    json.dumps(report)  # plain JSON: every number is text


def test_the_example_award_table_counts_the_prizes_of_each_county(example) -> None:
    _, report = example
    table = report["team_standings"][1]
    assert table["method"] == "medal_table" and table["tiers"] == ["一等奖", "二等奖", "三等奖"]
    firsts = sum(g["awards"].get("一等奖", 0) for g in report["groups"])
    assert sum(r["counts"]["一等奖"] for r in table["rows"]) == firsts
    keys = [tuple(-r["counts"][t] for t in table["tiers"]) for r in table["rows"]]
    assert keys == sorted(keys)
    tied = [r for r in table["rows"] if r["tied"]]
    assert all(r["decided_by"] is None and r["rank"] == tied[0]["rank"] for r in tied[:2])


@pytest.mark.parametrize(("lang", "words"), [("zh_Hans_CN", ("县区团体总分", "代表队", "取最好 3 人成绩之和")), ("en", ("County team score", "Delegation", "sum of the best 3 results"))])  # fmt: skip
def test_the_table_shows_the_team_standings_in_both_languages(example, lang: str, words: tuple[str, ...]) -> None:
    doc, _ = example
    text = results_table(results_report(doc, recompute(doc), locale=lang), lang)
    for word in words:
        assert word in text


def test_team_awards_are_declared_like_individual_ones_and_checked_the_same_way() -> None:
    prizes = {"name": "team prizes", "kind": "fixed_count", "tiers": [{"name": "团体一等奖", "count": 1}]}
    doc = load_document(with_teams({**BEST3, "awards": [prizes]}))
    (rule,) = doc.rules.team_standings
    assert [t.name for t in rule.awards[0].tiers] == ["团体一等奖"]
    assert dump_document(doc)["rules"]["team_standings"][0]["awards"][0]["tiers"] == [
        {"name": "团体一等奖", "count": 1}
    ]
    broken = {"kind": "fixed_count", "tiers": [{"name": "团体一等奖"}, {"name": "团体一等奖", "count": 1}]}
    found = problems(with_teams({**BEST3, "awards": [broken]}))
    assert ("rules.team_standings[0].awards[0].tiers[0].count", "is required for %(kind)s awards") in found
    assert any(p.startswith("rules.team_standings[0].awards[0].tiers[1].name") for p, _ in found)


def test_the_example_gives_team_prizes_one_two_three_to_the_counties(example) -> None:
    _, report = example
    awards = [r["awards"] for r in report["team_standings"][0]["rows"]]
    counted = {name: sum(name in a for a in awards) for name in ("团体一等奖", "团体二等奖", "团体三等奖")}
    assert counted["团体一等奖"] >= 1 and sum(counted.values()) >= 6
    assert awards[0] == ["团体一等奖"] and awards[-1] == []
