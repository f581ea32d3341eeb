"""Loading, validating and round-tripping the portable competition document."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.document import (
    Document,
    dump_document,
    load_document,
    parse_json,
    read_document,
    to_engine_input,
    to_json,
)
from scoring.errors import InvalidInput
from scoring.i18n import translate
from scoring.rules.numbers import JsonNumber
from scoring.rules.types import AggregationMethod, AspectType, CompetitionInput, RankMethod, WeightKind

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "childcare.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def problems_of(raw) -> list:
    with pytest.raises(InvalidInput) as info:
        load_document(raw)
    return info.value.problems


def find(problems, path: str, msgid: str | None = None):
    hits = [p for p in problems if p.path == path and (msgid is None or p.msgid == msgid)]
    assert hits, f"no problem at {path} ({msgid}); got {[(p.path, p.msgid) for p in problems]}"
    return hits[0]


def assert_chinese(problem) -> None:
    text = translate(problem.msgid, "zh_Hans_CN", **problem.params)
    assert text and CJK.search(text), f"{problem.msgid!r} has no Chinese translation: {text!r}"
    assert "%(" not in text, text


# --------------------------------------------------------------------------- valid documents


def test_small_document_loads(small_raw):
    doc = load_document(small_raw)
    assert isinstance(doc, Document)
    assert doc.competition.name == "测试竞赛"
    assert [s.weight for s in doc.stages] == [Decimal(30), Decimal(70)]
    assert doc.stages[1].aggregation.method == AggregationMethod.TRIMMED_MEAN
    assert [a.code for a in doc.aspects] == ["T1", "P1", "P2", "P3"]
    assert doc.aspect("P2").type == AspectType.JUDGEMENT and doc.aspect("P2").criterion == "P/P-A"
    assert doc.aspect("P3").stage == "practical"
    assert doc.rules.ranking == RankMethod.STANDARD and doc.rules.weight_kind == WeightKind.PERCENT
    # time tie-breaks default to shorter is better, others to higher is better
    assert [t.higher_is_better for t in doc.rules.tie_breaks] == [True, False]
    # a JSON number mark is exact, never a float
    value = next(m.value for m in doc.marks if m.judge == "J03" and m.aspect == "P1" and m.contestant == "C001")
    assert isinstance(value, Decimal) and value == Decimal(52)
    assert doc.contestant("C001").id_number == "610802199001010026"
    assert doc.draw.entries[0].code == "T-0412"


def test_json_fractions_are_read_by_their_text_and_floats_are_refused(small_raw):
    small_raw["marks"][1]["value"] = JsonNumber("50.5")  # what parse_json makes of 50.5
    small_raw["stages"][0]["weight"] = JsonNumber("30.0")
    doc = load_document(small_raw)
    assert doc.marks[1].value == Decimal("50.5")
    assert doc.stages[0].weight == Decimal(30)
    small_raw["marks"][1]["value"] = 50.5  # a binary float never becomes a mark
    find(problems_of(small_raw), "marks[1].value", 'must be an exact decimal number such as "8.5"')


def test_decimal_numbers_from_parse_float(small_raw):
    """A JSON number is kept as its text (never a float) and read by the one strict parser: 88.5 is
    exact, an exponent such as 885e-1 is refused like the string "885e-1" would be."""
    from scoring.rules.numbers import JsonNumber

    raw = parse_json(json.dumps(small_raw).replace('"88.5"', "88.5"))
    assert raw["marks"][0]["value"] == JsonNumber("88.5")
    assert load_document(raw).marks[0].value == Decimal("88.5")
    raw = parse_json(json.dumps(small_raw).replace('"88.5"', "885e-1"))
    with pytest.raises(InvalidInput) as exc:
        load_document(raw)
    assert [(p.path, p.msgid) for p in exc.value.problems] == [
        ("marks[0].value", 'must be an exact decimal number such as "8.5"')
    ]


def test_round_trip_small(small_raw):
    doc = load_document(small_raw)
    dumped = dump_document(doc)
    assert load_document(dumped) == doc
    assert dump_document(load_document(dumped)) == dumped
    text = to_json(dumped)
    assert "测试竞赛" in text  # ensure_ascii is off
    assert load_document(parse_json(text)) == doc
    # every number is a string in the dump (never a float)
    assert all(not isinstance(v, float) for v in _leaves(dumped))


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def test_example_file_loads_and_round_trips():
    doc = read_document(EXAMPLE)
    assert doc.competition.name == "榆林市2025年托育职业技能竞赛"
    assert len([c for c in doc.contestants if c.group == "childcare"]) == 78
    dumped = dump_document(doc)
    assert load_document(dumped) == doc
    # the file is exactly what the dumper writes, so re-saving it changes nothing
    assert EXAMPLE.read_text(encoding="utf-8") == to_json(dumped)


def test_to_engine_input(small_raw):
    small_raw["contestants"][2]["withdrawn"] = True
    small_raw["marks"].append({"contestant": "C003", "aspect": "T1", "judge": "J01", "value": "70"})
    doc = load_document(small_raw)
    inp = to_engine_input(doc)
    assert isinstance(inp, CompetitionInput)
    assert [c.code for c in inp.contestants] == ["C001", "C002"]  # withdrawn left out
    assert all(m.contestant != "C003" for m in inp.marks)
    assert inp.recusals == frozenset({("J02", "C002")})
    assert [a.code for a in inp.scheme.aspects] == ["T1", "P1", "P2", "P3"]
    assert inp.rules is doc.rules and inp.panels == doc.panels


# --------------------------------------------------------------------------- bad input, one class at a time


def _set(path):
    """A mutation that sets raw[path...] = value."""

    def mutate(raw, value):
        target = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


CASES = [
    # (id, mutation, expected path, expected msgid)
    (
        "unknown group",
        lambda r: r["contestants"][1].__setitem__("group", "cooking"),
        "contestants[1].group",
        "unknown group %(code)s",
    ),
    (
        "not a number",
        lambda r: r["stages"][0].__setitem__("weight", "thirty"),
        "stages[0].weight",
        'must be an exact decimal number such as "8.5"',
    ),
    (
        "boolean is not a number",
        lambda r: r["marks"][0].__setitem__("value", True),
        "marks[0].value",
        'must be an exact decimal number such as "8.5"',
    ),
    (
        "too many places",
        lambda r: r["marks"][1].__setitem__("value", "50.12345"),
        "marks[1].value",
        "must have at most %(places)s decimal places",
    ),
    (
        "weights do not add up",
        lambda r: r["stages"][1].__setitem__("weight", "60"),
        "stages",
        "the stage weights add up to %(sum)s, not 100",
    ),
    (
        "weight above cap",
        lambda r: (r["stages"][0].__setitem__("weight", "40"), r["stages"][1].__setitem__("weight", "60")),
        "stages[0].weight",
        "the weight %(weight)s is above this stage's cap of %(cap)s",
    ),
    (
        "duplicate contestant",
        lambda r: r["contestants"][2].__setitem__("code", "C001"),
        "contestants[2].code",
        "duplicate code %(code)s (first used at %(first)s)",
    ),
    (
        "bad code",
        lambda r: r["contestants"][2].__setitem__("code", "C 3/x"),
        "contestants[2].code",
        "must be a code of letters, digits, '.', '_' or '-' (at most 40 characters)",
    ),
    (
        "too large",
        lambda r: r["marks"][1].__setitem__("value", "1000000000000"),
        "marks[1].value",
        "is too large: at most %(max)s",
    ),
    (
        "an exponent is not a plain number",
        lambda r: r["marks"][1].__setitem__("value", "1e999"),
        "marks[1].value",
        'must be an exact decimal number such as "8.5"',
    ),
    (
        "mark out of range",
        lambda r: r["marks"][1].__setitem__("value", "61"),
        "marks[1].value",
        "%(value)s is outside the allowed range %(min)s to %(max)s",
    ),
    (
        "judgement out of scale",
        lambda r: r["marks"][3].__setitem__("value", "4"),
        "marks[3].value",
        "%(value)s is outside the allowed range %(min)s to %(max)s",
    ),
    (
        "mark off step",
        lambda r: r["marks"][1].__setitem__("value", "50.25"),
        "marks[1].value",
        "%(value)s is not a multiple of the step %(step)s",
    ),
    (
        "mark unknown aspect",
        lambda r: r["marks"][1].__setitem__("aspect", "Z9"),
        "marks[1].aspect",
        "unknown aspect %(code)s",
    ),
    (
        "mark unknown judge",
        lambda r: r["marks"][1].__setitem__("judge", "J99"),
        "marks[1].judge",
        "unknown judge %(code)s",
    ),
    (
        "mark unknown contestant",
        lambda r: r["marks"][1].__setitem__("contestant", "C404"),
        "marks[1].contestant",
        "unknown contestant %(code)s",
    ),
    (
        "mark by a recused judge",
        lambda r: r["marks"].append({"contestant": "C002", "aspect": "P1", "judge": "J02", "value": "40"}),
        "marks[6].judge",
        "judge %(judge)s is recused from contestant %(contestant)s",
    ),
    (
        "mark by a judge off the panel",
        lambda r: r["marks"].append({"contestant": "C003", "aspect": "P1", "judge": "J01", "value": "40"}),
        "marks[6].judge",
        "judge %(judge)s is not on a panel marking aspect %(aspect)s for group %(group)s",
    ),
    (
        "duplicate mark",
        lambda r: r["marks"].append(dict(r["marks"][1], value="49")),
        "marks[6]",
        "duplicate mark: this contestant, aspect and judge are already marked at %(first)s",
    ),
    (
        "unknown enum",
        lambda r: r["rules"].__setitem__("ranking", "olympic"),
        "rules.ranking",
        "must be one of: %(choices)s",
    ),
    (
        "unknown rounding mode",
        lambda r: r["stages"][0].__setitem__("rounding", {"places": 2, "mode": "bankers"}),
        "stages[0].rounding.mode",
        "must be one of: %(choices)s",
    ),
    (
        "unknown field",
        lambda r: r["contestants"][0].__setitem__("nmae", "张伟"),
        "contestants[0].nmae",
        "unknown field",
    ),
    ("missing required", lambda r: r["competition"].pop("name"), "competition.name", "is required"),
    ("wrong type", lambda r: r.__setitem__("contestants", {"C001": {}}), "contestants", "must be a list"),
    ("not an object", lambda r: r["judges"].__setitem__(1, "高秀英"), "judges[1]", "must be an object"),
    (
        "judgement without descriptors",
        lambda r: r["scheme"][1]["children"][0]["aspects"][1].pop("descriptors"),
        "scheme[1].children[0].aspects[1].descriptors",
        "a judgement aspect needs one descriptor for each level 0..%(scale)s (%(need)s), not %(got)s",
    ),
    (
        "time aspect without limit",
        lambda r: r["scheme"][1]["children"][1]["aspects"][0].pop("time_limit"),
        "scheme[1].children[1].aspects[0].time_limit",
        "is required for time aspects",
    ),
    (
        "time limit below target",
        lambda r: r["scheme"][1]["children"][1]["aspects"][0].__setitem__("time_limit", "500"),
        "scheme[1].children[1].aspects[0].time_limit",
        "must be greater than time_target %(target)s",
    ),
    (
        "worldskills on a measurement",
        lambda r: r["scheme"][1]["children"][0]["aspects"][0].__setitem__("aggregation", {"method": "worldskills"}),
        "scheme[1].children[0].aspects[0].aggregation.method",
        "the %(method)s method needs a judgement aspect",
    ),
    (
        "criterion with nothing",
        lambda r: r["scheme"][1]["children"].append({"code": "P-C", "name": "空"}),
        "scheme[1].children[2]",
        "must have sub-criteria or aspects",
    ),
    (
        "sub-criterion changes stage",
        lambda r: r["scheme"][1]["children"][0].__setitem__("stage", "theory"),
        "scheme[1].children[0].stage",
        "must be the parent criterion's stage %(stage)s",
    ),
    (
        "unknown stage of a criterion",
        lambda r: r["scheme"][0].__setitem__("stage", "oral"),
        "scheme[0].stage",
        "unknown stage %(code)s",
    ),
    (
        "scheme does not add up",
        lambda r: r["scheme"][1]["children"][0]["aspects"][0].__setitem__("max_mark", "50"),
        "stages[1].max_mark",
        "the aspects of stage %(stage)s for group %(group)s add up to %(sum)s, not %(max)s",
    ),
    (
        "tie-break unknown stage",
        lambda r: r["rules"]["tie_breaks"].append({"kind": "stage", "ref": "oral"}),
        "rules.tie_breaks[2].ref",
        "unknown stage %(code)s",
    ),
    (
        "time tie-break on a measurement",
        lambda r: r["rules"]["tie_breaks"].append({"kind": "time", "ref": "P1"}),
        "rules.tie_breaks[2].ref",
        "aspect %(code)s is not a time aspect",
    ),
    (
        "quota tier without percent",
        lambda r: r["rules"]["awards"][0]["tiers"].append({"name": "三等奖"}),
        "rules.awards[0].tiers[2].percent",
        "is required for %(kind)s awards",
    ),
    (
        "quota over 100",
        lambda r: r["rules"]["awards"][0]["tiers"].append({"name": "三等奖", "percent": "80"}),
        "rules.awards[0].tiers",
        "the tiers' percentages add up to %(sum)s, more than 100",
    ),
    (
        "duplicate award name",
        lambda r: r["rules"]["awards"][1]["tiers"][0].__setitem__("name", "一等奖"),
        "rules.awards[1].tiers[0].name",
        "duplicate code %(code)s (first used at %(first)s)",
    ),
    (
        "ID number check digit",
        lambda r: r["contestants"][0].__setitem__("id_number", "610802199001010027"),
        "contestants[0].id_number",
        "the ID number's check digit is wrong",
    ),
    (
        "ID number shape",
        lambda r: r["contestants"][0].__setitem__("id_number", "12345"),
        "contestants[0].id_number",
        "must be an 18-character ID number: 17 digits and a digit or X",
    ),
    (
        "phone",
        lambda r: r["contestants"][0].__setitem__("phone", "call me"),
        "contestants[0].phone",
        "is not a phone number",
    ),
    (
        "gender",
        lambda r: r["contestants"][0].__setitem__("gender", "F"),
        "contestants[0].gender",
        "must be one of: %(choices)s",
    ),
    (
        "panel unknown judge",
        lambda r: r["panels"][1]["judges"].append("J99"),
        "panels[1].judges[3]",
        "unknown judge %(code)s",
    ),
    (
        "panel aspect of another stage",
        lambda r: r["panels"][1].__setitem__("aspects", ["P1", "P2", "P3", "T1"]),
        "panels[1].aspects[3]",
        "aspect %(code)s belongs to stage %(aspect_stage)s, not %(stage)s",
    ),
    (
        "too few judges to trim",
        lambda r: r["panels"][1].__setitem__("judges", ["J02", "J03"]),
        "stages[1].aggregation",
        "trimming %(trim)s high and low marks needs more than %(need)s judges; group %(group)s has %(have)s for %(what)s",
    ),
    (
        "single with two judges",
        lambda r: r["panels"][0]["judges"].append("J03"),
        "scheme[0].aspects[0].aggregation",
        "the single method takes exactly one judge; group %(group)s has %(have)s for %(what)s",
    ),
    (
        "group without a panel",
        lambda r: r["panels"].pop(0),
        "stages[0]",
        "group %(group)s has no panel for stage %(stage)s",
    ),
    (
        "recusal of an unknown contestant",
        lambda r: r["recusals"].append({"judge": "J03", "contestant": "C999"}),
        "recusals[1].contestant",
        "unknown contestant %(code)s",
    ),
    (
        "draw code twice",
        lambda r: r["draw"]["entries"][1].__setitem__("code", "T-0412"),
        "draw.entries[1].code",
        "duplicate code %(code)s (first used at %(first)s)",
    ),
    (
        "draw station twice",
        lambda r: r["draw"]["entries"][1].__setitem__("station", "01"),
        "draw.entries[1].station",
        "station %(station)s is already drawn at %(first)s",
    ),
    (
        "date",
        lambda r: r["competition"].__setitem__("date", "2025/05/23"),
        "competition.date",
        "must be a date such as 2025-05-23",
    ),
    (
        "time zone",
        lambda r: r["competition"].__setitem__("timezone", "Mars/Olympus"),
        "competition.timezone",
        "unknown time zone %(value)s",
    ),
    (
        "slug",
        lambda r: r["competition"].__setitem__("slug", "Yulin 2025"),
        "competition.slug",
        "must use lower-case letters, digits and hyphens only",
    ),
    (
        "negative weight",
        lambda r: r["stages"][0].__setitem__("weight", "-30"),
        "stages[0].weight",
        "must be at least %(min)s",
    ),
    (
        "param needed",
        lambda r: r["scheme"][1]["children"][0]["aspects"][0].__setitem__(
            "aggregation", {"method": "middle_sum", "trim": 1, "param": "dd"}
        ),
        "contestants[0].params.P1.dd",
        "is required: aspect %(aspect)s multiplies it in",
    ),
    (
        "params of an unknown aspect",
        lambda r: r["contestants"][0].__setitem__("params", {"Q1": {"dd": "3.0"}}),
        "contestants[0].params.Q1",
        "unknown aspect %(code)s",
    ),
    (
        "fig without bands",
        lambda r: r["scheme"][1]["children"][0]["aspects"][0].__setitem__("aggregation", {"method": "fig"}),
        "scheme[1].children[0].aspects[0].aggregation.bands",
        "is required for the %(method)s method",
    ),
    (
        "fig for a whole stage",
        lambda r: r["stages"][1].__setitem__(
            "aggregation", {"method": "fig", "bands": [{"min_score": "0", "max_gap": "1"}]}
        ),
        "stages[1].aggregation.method",
        "the %(method)s method applies to single aspects, not to a stage",
    ),
]


@pytest.mark.parametrize("mutate,path,msgid", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(small_raw, mutate, path, msgid):
    mutate(small_raw)
    problem = find(problems_of(small_raw), path, msgid)
    assert_chinese(problem)
    assert problem.message("en")  # English is the msgid itself, filled in
    assert "%(" not in problem.message("en")


def test_wrong_format_and_version(small_raw):
    small_raw["format"] = "something-else"
    find(problems_of(small_raw), "format")
    small_raw["format"] = "scoring-competition"
    small_raw["version"] = 2
    assert_chinese(
        find(
            problems_of(small_raw),
            "version",
            "unsupported version %(version)s (this service reads version %(supported)s)",
        )
    )


def test_not_an_object():
    problems = problems_of(["not", "a", "document"])
    assert problems[0].msgid == "the document must be a JSON object"
    assert_chinese(problems[0])


def test_many_problems_at_once(small_raw):
    small_raw["contestants"][1]["group"] = "cooking"
    small_raw["contestants"][2]["code"] = "C001"
    small_raw["stages"][1]["weight"] = "60"
    small_raw["marks"][1]["value"] = "61"
    small_raw["marks"][2]["value"] = "50.25"
    small_raw["marks"][3]["judge"] = "J99"
    small_raw["rules"]["ranking"] = "olympic"
    small_raw["judges"][0]["rank"] = "chief"
    problems = problems_of(small_raw)
    paths = {p.path for p in problems}
    for path in (
        "contestants[1].group",
        "contestants[2].code",
        "stages",
        "marks[1].value",
        "marks[2].value",
        "marks[3].judge",
        "rules.ranking",
        "judges[0].rank",
    ):
        assert path in paths, (path, paths)
    for p in problems:
        assert_chinese(p)
    err = InvalidInput(problems)
    assert len(err.messages("zh_Hans_CN")) == len(problems)


def test_problem_dict_shape(small_raw):
    small_raw["contestants"][1]["group"] = "cooking"
    problem = find(problems_of(small_raw), "contestants[1].group")
    d = problem.as_dict("zh_Hans_CN")
    assert d["field"] == "contestants[1].group" and d["code"] == "unknown group %(code)s"
    assert "cooking" in d["message"] and CJK.search(d["message"])


# --------------------------------------------------------------------------- files


def test_json_syntax_error_reports_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "scoring-competition",\n  "version": 1,,\n}\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_document(path)
    problem = info.value.problems[0]
    assert problem.msgid == "invalid JSON at line %(line)s, column %(column)s: %(reason)s"
    assert problem.params["line"] == "3"
    assert problem.path == "broken.json"
    assert_chinese(problem)
    assert "3" in problem.message("zh_Hans_CN")


def test_duplicate_keys_are_refused():
    with pytest.raises(InvalidInput) as info:
        parse_json('{"format": "scoring-competition", "format": "x"}')
    assert info.value.problems[0].params["key"] == "format"
    assert_chinese(info.value.problems[0])


def test_nan_is_refused():
    with pytest.raises(InvalidInput) as info:
        parse_json('{"value": NaN}')
    assert_chinese(info.value.problems[0])


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(InvalidInput) as info:
        read_document(tmp_path / "nope.json")
    assert_chinese(info.value.problems[0])
    bad = tmp_path / "gbk.json"
    bad.write_bytes('{"name": "托育"}'.encode("gbk"))
    with pytest.raises(InvalidInput) as info:
        read_document(bad)
    assert info.value.problems[0].msgid == "the file is not UTF-8 text"
    assert_chinese(info.value.problems[0])


def test_read_document_accepts_bom(tmp_path, small_raw):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(small_raw, ensure_ascii=False).encode("utf-8"))
    assert read_document(path) == load_document(small_raw)


def test_not_strict_accepts_marks_the_engine_ignores(small_raw):
    small_raw["marks"].append({"contestant": "C002", "aspect": "P1", "judge": "J02", "value": "40"})  # recused
    small_raw["marks"].append({"contestant": "C003", "aspect": "P1", "judge": "J01", "value": "40"})  # off panel
    with pytest.raises(InvalidInput):
        load_document(small_raw)
    doc = load_document(small_raw, strict=False)
    assert len(doc.marks) == 8
    assert load_document(dump_document(doc), strict=False) == doc
    # out-of-range values are refused either way
    small_raw["marks"][-1]["value"] = "99"
    with pytest.raises(InvalidInput):
        load_document(small_raw, strict=False)


def test_criterion_tie_breaks_name_a_path(small_raw):
    small_raw["rules"]["tie_breaks"].append({"kind": "criterion", "ref": "P/P-A"})
    small_raw["rules"]["tie_breaks"].append({"kind": "criterion", "ref": "P"})
    doc = load_document(small_raw)
    assert [t.ref for t in doc.rules.tie_breaks][-2:] == ["P/P-A", "P"]
    small_raw["rules"]["tie_breaks"].append({"kind": "criterion", "ref": "P-A"})
    assert_chinese(find(problems_of(small_raw), "rules.tie_breaks[4].ref", "unknown criterion %(code)s"))


def test_workflow_fields_round_trip(small_raw):
    small_raw["competition"]["visibility"] = "frozen"
    small_raw["stages"][0]["state"] = "locked"
    small_raw["panels"][1]["name"] = "实操裁判组"
    doc = load_document(small_raw)
    assert doc.competition.visibility == "frozen"
    assert doc.stage_states == {"theory": "locked"}
    assert doc.panel_names == ("", "实操裁判组")
    dumped = dump_document(doc)
    assert dumped["stages"][0]["state"] == "locked" and "state" not in dumped["stages"][1]
    assert dumped["panels"][1]["name"] == "实操裁判组" and "name" not in dumped["panels"][0]
    assert load_document(dumped) == doc
    small_raw["competition"]["visibility"] = "secret"
    small_raw["stages"][1]["state"] = "closed"
    problems = problems_of(small_raw)
    assert_chinese(find(problems, "competition.visibility", "must be one of: %(choices)s"))
    find(problems, "stages[1].state", "must be one of: %(choices)s")


def test_mark_order_does_not_matter(small_raw):
    doc = load_document(small_raw)
    small_raw["marks"].reverse()
    shuffled = load_document(small_raw)
    assert shuffled == doc and dump_document(shuffled) == dump_document(doc)
    assert [(m.contestant, m.aspect, m.judge) for m in doc.marks][:3] == [
        ("C001", "T1", "J01"),
        ("C001", "P1", "J02"),
        ("C001", "P1", "J03"),
    ]


def test_meta_is_kept_but_not_compared(small_raw):
    small_raw["meta"] = {"note": "导出于赛后", "n": 1.5}
    doc = load_document(small_raw)
    assert doc.meta["note"] == "导出于赛后"
    assert dump_document(doc)["meta"]["note"] == "导出于赛后"
    small_raw.pop("meta")
    assert load_document(small_raw) == doc


@pytest.mark.parametrize("scheme", [("0", "0.5", None), ("0.5", "1", "5.5"), ("-5", "1", "5"), ("1", "2", None)])
def test_the_import_and_the_marks_api_accept_exactly_the_same_values(small_raw, scheme):
    """One rule for an entry, wherever it comes from: min_value + k × step up to the highest value
    (a document's marks and the judges' API must not disagree, e.g. when min is not a multiple
    of the step)."""
    from scoring.rules.marks import check_mark_value

    low, step, high = scheme
    aspect_raw = small_raw["scheme"][1]["children"][0]["aspects"][0]  # P1, marked in marks[1]
    aspect_raw.update({"min_value": low, "step": step})
    if high is not None:
        aspect_raw["max_value"] = high
    small_raw["marks"] = [mk for i, mk in enumerate(small_raw["marks"]) if mk["aspect"] != "P1" or i == 1]
    small_raw["marks"][1]["value"] = low
    rule = next(a for a in load_document(small_raw, strict=False).aspects if a.code == "P1")
    for k in range(-28, 260):
        value = Decimal(k) / 4
        small_raw["marks"][1]["value"] = str(value)
        try:
            load_document(small_raw)
            imported = True
        except InvalidInput as exc:
            assert {p.path for p in exc.problems} == {"marks[1].value"}
            imported = False
        assert imported == (check_mark_value(rule, value) == []), (scheme, str(value))
