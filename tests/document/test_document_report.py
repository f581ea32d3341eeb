"""Results report and terminal table; with the engine, the origin story's prize counts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.document import load_document, read_document, recompute, results_report, results_table, to_engine_input
from scoring.document.formats import format_number, text_width
from scoring.rules.types import (
    AspectResult,
    AspectStatus,
    Flag,
    GroupStandings,
    Rounding,
    RoundingMode,
    Row,
    StageResult,
    Standings,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "childcare.json"


def _private_values(doc) -> list[str]:
    people = list(doc.contestants) + list(doc.judges)
    return [v for p in people for v in (p.id_number, p.phone) if v]


def _standings_for_small() -> Standings:
    ok = AspectResult("P1", AspectStatus.OK, Decimal("51.25"))
    rows = (
        Row(
            "C001",
            "childcare",
            {"P1": ok},
            {
                "theory": StageResult("theory", Decimal("88.5"), Decimal("26.55")),
                "practical": StageResult("practical", Decimal("80"), Decimal("56")),
            },
            total=Decimal("82.55"),
            rank=Decimal(1),
            decided_by="total",
            awards=("一等奖", "技术能手"),
        ),
        Row(
            "C002",
            "childcare",
            {"P1": AspectResult("P1", AspectStatus.MISSING)},
            {"theory": StageResult("theory", None, None), "practical": StageResult("practical", None, None)},
            total=None,
        ),
    )
    flags = (
        Flag(
            "outlier",
            "C001",
            "P1",
            "J03",
            "judge %(judge)s is recused from contestant %(contestant)s",
            {"judge": "J03", "contestant": "C001"},
        ),
    )
    return Standings(groups={"childcare": GroupStandings("childcare", rows)}, flags=flags)


def test_report_shape_and_numbers(small_raw):
    small_raw["contestants"][2]["withdrawn"] = True
    doc = load_document(small_raw)
    report = results_report(doc, _standings_for_small())
    json.dumps(report, ensure_ascii=False)  # JSON-able as is
    group = report["groups"][0]
    assert group["name"] == "托育" and group["contestants"] == 3 and group["ranked"] == 1
    first, second, third = group["rows"]
    assert first["rank"] == "1" and first["name"] == "张伟" and first["region"] == "榆阳区"
    assert first["stages"]["theory"] == {"score": "88.50", "weighted": "26.55"}
    assert first["stages"]["practical"]["score"] == "80.00"
    assert first["total"] == "82.55" and first["awards"] == ["一等奖", "技术能手"]
    assert first["station"] == "01" and first["decided_by_text"]
    assert second["status"] == "incomplete" and second["total"] is None and second["missing"] == ["P1"]
    assert third["status"] == "withdrawn"
    assert group["awards"] == {"一等奖": 1, "技术能手": 1}
    assert report["complete"] is False
    assert report["flags"][0]["message"] and report["flags"][0]["name"] == "张伟"


def test_report_has_no_private_data(small_raw):
    doc = load_document(small_raw)
    text = json.dumps(results_report(doc, _standings_for_small()), ensure_ascii=False)
    assert "id_number" not in text and "phone" not in text
    for value in _private_values(doc):
        assert value not in text
    table = results_table(results_report(doc, _standings_for_small()))
    for value in _private_values(doc):
        assert value not in table


def test_table_is_aligned_for_cjk(small_raw):
    doc = load_document(small_raw)
    report = results_report(doc, _standings_for_small())
    table = results_table(report, "zh_Hans_CN")
    lines = table.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("名次"))
    rule = lines[header + 1]
    assert set(rule.replace(" ", "")) == {"-"}
    # every data row's "total" column ends at the same terminal column
    rows = lines[header + 2 : header + 5]
    assert "82.55" in rows[0] and "张伟" in rows[0]
    widths = [text_width(r[: r.index("82.55") + 5]) for r in rows[:1]]
    assert widths[0] <= text_width(rule)
    english = results_table(report, "en")
    assert "Rank" in english and "Total" in english


def test_text_width():
    assert text_width("张伟") == 4 and text_width("C001") == 4 and text_width("Ａ") == 2


def test_format_number():
    assert format_number(Decimal("87.665"), Rounding(2)) == "87.67"
    assert format_number(Decimal("87.665"), Rounding(2, RoundingMode.HALF_EVEN)) == "87.66"
    assert format_number(Decimal("26.550"), Rounding(None)) == "26.55"
    assert format_number(Decimal("30"), Rounding(None)) == "30"
    assert format_number(None, Rounding(2)) is None


# --------------------------------------------------------------------------- with the engine


def _engine():
    return pytest.importorskip("scoring.rules.engine", reason="the engine (scoring.rules.engine) is not there yet")


def test_example_recompute_gives_8_16_23_prizes():
    engine = _engine()
    doc = read_document(EXAMPLE)
    standings = recompute(doc, engine.compute_standings)
    rows = standings.groups["childcare"].rows
    assert len(rows) == 78 and all(r.rank is not None for r in rows)
    counts = {name: sum(1 for r in rows if name in r.awards) for name in ("一等奖", "二等奖", "三等奖", "技术能手")}
    assert counts == {"一等奖": 8, "二等奖": 16, "三等奖": 23, "技术能手": 5}
    hair = standings.groups["hairdressing"].rows
    assert doc.contestant(hair[0].contestant).name == "康恒" and hair[0].rank == 1
    report = results_report(doc, standings)
    text = json.dumps(report, ensure_ascii=False)
    for value in _private_values(doc):
        assert value not in text
    assert "id_number" not in text and "phone" not in text
    table = results_table(report)
    assert "康恒" in table and "一等奖" in table


def test_partial_marks_leave_rows_incomplete():
    engine = _engine()
    from scoring.demo_data import childcare_document

    doc = load_document(childcare_document(marks="some"))
    report = results_report(doc, recompute(doc, engine.compute_standings))
    group = report["groups"][0]
    assert group["ranked"] == 31 and group["contestants"] == 78
    incomplete = [r for r in group["rows"] if r["status"] == "incomplete"]
    assert len(incomplete) == 47
    assert all(r["total"] is None and r["rank"] is None and "X1" in r["missing"] for r in incomplete)
    assert all(r["stages"]["theory"]["score"] is not None for r in incomplete)  # theory is all in
    assert report["complete"] is False
    assert "暂定" in results_table(report, "zh_Hans_CN")


def test_engine_config_problems_are_reported(small_raw):
    _engine()
    from scoring.errors import InvalidInput

    # a check only the engine makes: a missing time may not count as zero
    small_raw["scheme"][1]["children"][1]["aspects"][0]["aggregation"] = {"method": "mean", "missing": "zero"}
    with pytest.raises(InvalidInput) as info:
        load_document(small_raw)
    assert [p.path for p in info.value.problems] == ["aspects[P3].aggregation.missing"]


def test_whole_input_and_per_group_agree_on_a_shared_scheme(small_raw):
    engine = _engine()
    doc = load_document(small_raw)
    whole = engine.compute_standings(to_engine_input(doc))
    one = engine.compute_standings(to_engine_input(doc, "childcare"))
    assert [(r.contestant, r.total) for r in whole.groups["childcare"].rows] == [
        (r.contestant, r.total) for r in one.groups["childcare"].rows
    ]
