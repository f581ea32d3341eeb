"""The protocol rules of issue 12 item 6 in the document: declared, checked, written back, recomputed.

The example file docs/examples/free-skating.json is the ISU worked examples of docs/document.md
("Rules that real protocols need") as a whole document.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.document import dump_document, load_document, read_document, recompute, results_report, to_json
from scoring.errors import InvalidInput

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "free-skating.json"


def _raw() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _problems(raw: dict) -> dict[str, str]:
    with pytest.raises(InvalidInput) as info:
        load_document(raw)
    return {p.path: p.msgid for p in info.value.problems}


def test_example_free_skating_recomputes_the_isu_worked_examples():
    """3Lz+3T with the GOE of the 3Lz (11.28), 3F x with the GOE of 5.30 (6.44), ChSq1 at 0.50 per
    grade (4.07); Skater Two's invalid element 2 scores 0.00 and her total is complete (12.30)."""
    doc = read_document(EXAMPLE)
    rows = {r.contestant: r for r in recompute(doc).groups["women"].rows}
    assert {c: str(r.total) for c, r in rows.items()} == {"S1": "21.79", "S2": "12.30", "S3": "11.13"}
    assert [str(rows["S1"].aspects[a].value) for a in ("E1", "E2", "E3")] == ["11.28", "6.44", "4.07"]
    assert (rows["S2"].aspects["E2"].rule, str(rows["S2"].aspects["E2"].value)) == ("invalid", "0.00")
    report = results_report(doc, recompute(doc), "en")
    assert [(r["code"], r["total"], r["status"]) for r in report["groups"][0]["rows"]] == [
        ("S1", "21.79", "ranked"),
        ("S2", "12.30", "ranked"),
        ("S3", "11.13", "ranked"),
    ]


def test_example_file_is_written_as_the_service_writes_it():
    doc = read_document(EXAMPLE)
    assert to_json(dump_document(doc)) == EXAMPLE.read_text(encoding="utf-8")
    assert doc.rules.review.sample_rounding == "up"
    assert doc.aspect("E3").aggregation.goe_step == Decimal("0.5")


def test_new_settings_are_written_only_when_declared(small_raw):
    """Existing documents keep their meaning and their text: half-up samples, GOE of the base value."""
    out = dump_document(load_document(small_raw))
    assert "sample_rounding" not in out["rules"]["review"]
    text = to_json(out)
    assert "goe_step" not in text and "review_gap" not in text


def test_reserved_parameters_are_checked():
    raw = _raw()
    raw["contestants"][0]["params"]["E1"]["invalid"] = "2"
    raw["contestants"][0]["params"]["E2"]["goe_basis"] = "0"
    raw["contestants"][2]["params"]["E3"]["goe_step"] = "-0.5"
    problems = _problems(raw)
    assert problems["contestants[0].params.E1.invalid"] == "must be 1 (declared invalid) or 0"
    assert problems["contestants[0].params.E2.goe_basis"] == "must be greater than 0"
    assert problems["contestants[2].params.E3.goe_step"] == "must be greater than 0"


def test_an_invalid_element_needs_no_base_value_but_a_valid_one_does():
    raw = _raw()
    del raw["contestants"][2]["params"]["E2"]["base_value"]
    assert "contestants[2].params.E2.base_value" in _problems(raw)
    raw["contestants"][2]["params"]["E2"]["invalid"] = "1"
    raw["marks"] = [m for m in raw["marks"] if (m["contestant"], m["aspect"]) != ("S3", "E2")]
    load_document(raw)


def test_a_fixed_goe_step_belongs_to_the_isu_method(small_raw):
    raw = copy.deepcopy(small_raw)
    raw["scheme"][1]["children"][0]["aspects"][0]["aggregation"] = {"method": "mean", "goe_step": "0.5"}
    assert any(path.endswith("goe_step") for path in _problems(raw))


def test_review_gap_flag_reaches_the_report_in_both_languages(small_raw):
    """FIG Aerobic Code of Points 6.1 (extreme marks 1.0 apart: post-event review) declared on
    the 喂养 aspect; one contestant's five marks span 1.5."""
    raw = copy.deepcopy(small_raw)
    p1 = raw["scheme"][1]["children"][0]["aspects"][0]
    p1["aggregation"] = {"method": "trimmed_mean", "trim": 1, "review_gap": "1.0"}
    raw["marks"] = [m for m in raw["marks"] if (m["contestant"], m["aspect"]) != ("C001", "P1")]
    raw["marks"] += [
        {"contestant": "C001", "aspect": "P1", "judge": j, "value": v}
        for j, v in (("J02", "50"), ("J03", "51.5"), ("J04", "50.5"))
    ]
    doc = load_document(raw)
    flags = [f for f in recompute(doc).flags if f.kind == "review_gap"]
    assert [(f.contestant, f.aspect, f.detail["gap"]) for f in flags] == [("C001", "P1", "1.5")]
    zh = results_report(doc, recompute(doc), "zh_Hans_CN")["flags"]
    en = results_report(doc, recompute(doc), "en")["flags"]
    assert any("赛后复查" in f["message"] for f in zh)
    assert any("reviewed after the competition" in f["message"] for f in en)
