"""The declared cross-group standardisation through the document: declaration, checks, round trip,
recompute (one run and per-group runs), the results report and the terminal table."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.document import dump_document, load_document, recompute, results_report, results_table
from scoring.document.convert import merge_standings
from scoring.errors import InvalidInput
from scoring.rules.types import AwardBasis, NoSpread, SpreadMeasure, Standardisation

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "childcare.json"
EXCELLENCE = {
    "name": "excellence",
    "kind": "threshold",
    "basis": "standardised",
    "tiers": [{"name": "优秀奖", "min_total": "700"}],
}
BEST = {
    "name": "best",
    "kind": "title",
    "basis": "standardised",
    "per_group": False,
    "tiers": [{"name": "全场最佳", "max_rank": 1}],
}


@pytest.fixture(scope="module")
def example_raw() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def declared(raw: dict, standardisation: dict | None = None, awards: tuple[dict, ...] = (EXCELLENCE, BEST)) -> dict:
    raw = copy.deepcopy(raw)
    raw["rules"]["standardisation"] = {} if standardisation is None else standardisation
    raw["rules"]["awards"] = list(raw["rules"].get("awards", [])) + [copy.deepcopy(a) for a in awards]
    return raw


def test_an_empty_declaration_is_the_worldskills_scale_and_round_trips(example_raw):
    doc = load_document(declared(example_raw))
    assert doc.rules.standardisation == Standardisation()
    assert doc.rules.awards[-1].basis == AwardBasis.STANDARDISED
    dumped = dump_document(doc)
    assert dumped["rules"]["standardisation"] == {}  # defaults are not written
    assert load_document(dumped) == doc


def test_declared_fields_round_trip(example_raw):
    fields = {"centre": "500", "points": "100", "spread": "mad", "mad_scale": "1", "no_spread": "none"}
    doc = load_document(declared(example_raw, fields))
    rule = doc.rules.standardisation
    assert rule is not None
    assert (rule.centre, rule.points, rule.spread, rule.no_spread) == (
        Decimal(500),
        Decimal(100),
        SpreadMeasure.MAD,
        NoSpread.NONE,
    )
    assert dump_document(doc)["rules"]["standardisation"] == fields


def test_existing_documents_keep_their_meaning(example_raw):
    doc = load_document(example_raw)
    assert doc.rules.standardisation is None
    dumped = dump_document(doc)
    assert "standardisation" not in dumped["rules"]
    assert all("basis" not in a for a in dumped["rules"]["awards"])
    report = results_report(doc, recompute(doc))
    assert "standardisation" not in report
    assert all("scale" not in g for g in report["groups"])
    assert all("standardised" not in r for g in report["groups"] for r in g["rows"])


def test_an_award_on_the_scale_needs_a_declared_scale(example_raw):
    raw = declared(example_raw)
    del raw["rules"]["standardisation"]
    with pytest.raises(InvalidInput) as err:
        load_document(raw)
    fields = [p.path for p in err.value.problems]
    assert "rules.awards[2].basis" in fields and "rules.awards[3].basis" in fields


@pytest.mark.parametrize(
    "bad",
    [{"points": "0"}, {"spread": "range"}, {"mad_scale": "-1"}, {"no_spread": "zero"}, {"centre": 700.5}, {"x": 1}],
)
def test_bad_declarations_are_refused(example_raw, bad):
    with pytest.raises(InvalidInput):
        load_document(declared(example_raw, bad))


def test_per_group_runs_standardise_and_award_across_groups(example_raw):
    doc = load_document(declared(example_raw))
    st = recompute(doc)
    childcare, hair = st.groups["childcare"].rows, st.groups["hairdressing"].rows
    # worked from the example's totals: childcare median 76.50, population SD 11.2958...
    assert (childcare[0].total, childcare[0].standardised) == (Decimal("96.80"), Decimal("735.94"))
    assert (hair[0].total, hair[0].standardised) == (Decimal("97.25"), Decimal("744.45"))
    best = [r.contestant for rows in (childcare, hair) for r in rows if "全场最佳" in r.awards]
    assert best == ["H001"]
    # 优秀奖 follows each prize/title of the row, for standardised >= 700 only
    assert childcare[0].awards == ("一等奖", "技术能手", "优秀奖")
    assert all(("优秀奖" in r.awards) == (r.standardised >= 700) for r in childcare if r.standardised is not None)
    # the raw ranks and prizes are those of the document without the scale
    plain = recompute(load_document(example_raw))
    for name, gs in plain.groups.items():
        for a, b in zip(gs.rows, st.groups[name].rows):
            assert (a.contestant, a.rank, a.total) == (b.contestant, b.rank, b.total)
            assert b.awards[: len(a.awards)] == a.awards


def test_one_engine_run_standardises_as_the_per_group_runs_do(example_raw):
    """A document whose groups share one scheme is one engine run (``merge_standings``' first branch)."""
    doc = load_document(declared(example_raw))
    one_run = merge_standings({None: recompute(load_document(example_raw))}, doc.rules)
    per_group = recompute(doc)
    for name, gs in per_group.groups.items():
        got = [(r.contestant, r.standardised, r.awards) for r in one_run.groups[name].rows]
        assert got == [(r.contestant, r.standardised, r.awards) for r in gs.rows]


def test_report_and_table_show_the_scale_beside_the_total(example_raw):
    doc = load_document(declared(example_raw))
    report = results_report(doc, recompute(doc), locale="en")
    assert report["standardisation"] == {
        "centre": "700",
        "points": "20",
        "spread": "sd",
        "sd_kind": "population",
        "mad_scale": "1.4826",
        "no_spread": "centre",
        "places": 2,
        "mode": "half_up",
    }
    g = report["groups"][0]
    assert g["scale"] == {"median": "76.5000", "spread": "11.2958"}
    first = g["rows"][0]
    assert (first["total"], first["standardised"]) == ("96.80", "735.94")
    table = results_table(report, "en")
    head = next(line for line in table.splitlines() if line.startswith("Rank"))
    assert head.index("Total") < head.index("Standardised") < head.index("Awards")
    assert "Standardised: median 76.5000, spread 11.2958" in table
    zh = results_table(results_report(doc, recompute(doc), locale="zh_Hans_CN"), "zh_Hans_CN")
    assert "标准分" in zh and "中位数 76.5000" in zh


def test_worked_example_two_skills_on_the_worldskills_scale():
    """docs/examples/two-skills-standardised.json, as docs/document.md#standardisation works it."""
    doc = load_document(json.loads((EXAMPLE.parent / "two-skills-standardised.json").read_text(encoding="utf-8")))
    report = results_report(doc, recompute(doc))
    by_code = {r["code"]: r for g in report["groups"] for r in g["rows"]}
    assert [by_code[c]["standardised"] for c in ("C001", "C002", "C003", "C004", "C005")] == [
        "728.28",
        "714.14",
        "700.00",
        "685.86",
        "671.72",
    ]
    assert [by_code[c]["standardised"] for c in ("H001", "H003")] == ["729.36", "700.00"]
    assert [g["scale"] for g in report["groups"]] == [
        {"median": "80.0000", "spread": "14.1421"},
        {"median": "90.0000", "spread": "3.4059"},
    ]
    assert by_code["H001"]["awards"] == ["一等奖", "优秀奖", "全场最佳"]
    assert by_code["C001"]["awards"] == ["一等奖", "优秀奖"]
    assert [c for c, r in by_code.items() if "优秀奖" in r["awards"]] == [
        "C001",
        "C002",
        "C003",
        "H001",
        "H002",
        "H003",
    ]
