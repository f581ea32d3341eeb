"""Reading against the declaration: one pass reports every problem, and nothing is switched off."""

from __future__ import annotations

import json

import pytest

from scoring.document import dump_document, load_document, parse_json
from scoring.errors import InvalidInput


def problems_of(raw) -> list:
    with pytest.raises(InvalidInput) as info:
        load_document(raw)
    return info.value.problems


def pairs(problems) -> set[tuple[str, str]]:
    return {(p.path, p.msgid) for p in problems}


def test_an_entry_with_a_typo_is_still_checked_against_the_others(small_raw):
    small_raw["contestants"][1]["nmae"] = "杨堃"
    small_raw["contestants"][1]["group"] = "cooking"
    found = pairs(problems_of(small_raw))
    assert ("contestants[1].nmae", "unknown field") in found
    assert ("contestants[1].group", "unknown group %(code)s") in found


def test_an_unknown_top_level_field_does_not_hide_the_rest(small_raw):
    small_raw["wieght"] = "30"
    small_raw["marks"][1]["value"] = "61"
    found = pairs(problems_of(small_raw))
    assert ("wieght", "unknown field") in found
    assert ("marks[1].value", "%(value)s is outside the allowed range %(min)s to %(max)s") in found


def test_what_sits_under_an_unreadable_criterion_is_not_reported_as_unknown(small_raw):
    small_raw["scheme"][1]["code"] = "P 1"  # the whole practical criterion cannot be read
    problems = problems_of(small_raw)
    assert ("scheme[1].code", "must be a code of letters, digits, '.', '_' or '-' (at most 40 characters)") in pairs(
        problems
    )
    assert not [p for p in problems if p.path.startswith("marks")]  # P1..P3 are known, just unusable
    assert not [p for p in problems if p.path.startswith("stages")]  # no sum from a half-read scheme


def test_a_section_of_the_wrong_shape_is_reported_once(small_raw):
    small_raw["judges"] = {"J01": "刘建华"}
    problems = problems_of(small_raw)
    assert pairs(problems) == {("judges", "must be a list")}


def test_an_entry_that_is_not_an_object_is_named(small_raw):
    small_raw["marks"][2] = None
    small_raw["marks"][3] = "J02 gave 2"
    found = pairs(problems_of(small_raw))
    assert {("marks[2]", "must be an object"), ("marks[3]", "must be an object")} <= found


def test_null_means_absent(small_raw):
    plain = load_document(small_raw)
    small_raw["competition"]["organizer"] = None
    small_raw["competition"]["timezone"] = None
    small_raw["contestants"][0]["withdrawn"] = None
    small_raw["scheme"][0]["aspects"][0]["step"] = None
    del small_raw["competition"]["organizer"]
    doc = load_document(small_raw)
    assert doc.competition.timezone == "Asia/Shanghai" and doc.competition.organizer == ""
    assert doc.aspect("T1").step == plain.aspect("T1").step / 50  # the default 0.01 instead of 0.5
    small_raw["marks"][0]["value"] = None
    assert ("marks[0].value", "is required") in pairs(problems_of(small_raw))


def test_a_json_number_is_not_text(small_raw):
    text = json.dumps(small_raw, ensure_ascii=False).replace('"name": "张伟"', '"name": 1.5')
    assert ("contestants[0].name", "must be a string") in pairs(problems_of(parse_json(text)))


def test_the_engines_own_check_always_runs(small_raw):
    """No switch can turn the engine's configuration check off: a setting only the engine refuses
    (trimming 1 high and 1 low from as few as 2 marks) is refused on load."""
    small_raw["scheme"][1]["children"][0]["aspects"][0]["aggregation"] = {
        "method": "trimmed_mean",
        "trim": 1,
        "missing": "aggregate_given",
        "min_marks": 2,
    }
    found = pairs(problems_of(small_raw))
    assert (
        "aspects[P1].aggregation.min_marks",
        "trimming %(trim)s high and low marks needs at least %(need)s marks",
    ) in found


def test_strings_are_trimmed_and_id_numbers_upper_cased(small_raw):
    small_raw["contestants"][0]["name"] = "  张伟 "
    small_raw["contestants"][0]["id_number"] = " 61080219900101002x "
    small_raw["contestants"][0]["id_number"] = "11010519491231002x"
    doc = load_document(small_raw)
    assert doc.contestant("C001").name == "张伟"
    assert doc.contestant("C001").id_number == "11010519491231002X"
    assert dump_document(doc)["contestants"][0]["id_number"] == "11010519491231002X"
