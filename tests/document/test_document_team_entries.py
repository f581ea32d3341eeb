"""Team events (团体项目) in the document: a team is the group's contestant row with members,
drawn, marked, ranked and awarded as one; members' ID numbers are private like a contestant's.

The worked example is docs/examples/team-event.json: a two-person 育婴 team event, three teams."""

import copy

import pytest
from team_helpers import team_example

from scoring.document import dump_document, load_document, recompute, to_engine_input
from scoring.errors import InvalidInput
from scoring.i18n import translate


@pytest.fixture
def raw():
    return team_example()


def _problems(raw):
    with pytest.raises(InvalidInput) as info:
        load_document(raw)
    return {p.path: p for p in info.value.problems}


def test_the_worked_example_ranks_and_awards_each_team_as_one(raw):
    doc = load_document(raw)
    group = doc.group("infant-pairs")
    assert group.team.min_members == 2 and group.team.max_members == 2
    rows = recompute(doc).groups["infant-pairs"].rows
    # T01: C1 mean (52 + 53.5) / 2 = 52.75, C2 (35 + 36) / 2 = 35.5 -> 88.25, and so on.
    assert [(r.contestant, str(r.total), r.rank, r.awards) for r in rows] == [
        ("T01", "88.25", 1, ("一等奖",)),
        ("T03", "87.00", 2, ("二等奖",)),
        ("T02", "86.75", 3, ("三等奖",)),
    ]
    assert [m.name for m in doc.contestant("T02").members] == ["王芳", "刘洋"]


def test_the_example_is_written_back_exactly(raw):
    assert dump_document(load_document(raw)) == raw


def test_the_engine_sees_a_team_as_one_contestant_without_people(raw):
    inp = to_engine_input(load_document(raw))
    assert [c.code for c in inp.contestants] == ["T01", "T02", "T03"]
    assert not hasattr(inp.contestants[0], "members")


def test_individual_groups_write_neither_team_nor_members(raw):
    doc = load_document(raw)
    written = dump_document(doc)
    assert "team" in written["groups"][0] and "members" in written["contestants"][0]
    single = copy.deepcopy(raw)
    del single["groups"][0]["team"]
    for c in single["contestants"]:
        del c["members"]
    out = dump_document(load_document(single))
    assert "team" not in out["groups"][0] and "members" not in out["contestants"][0]


def test_a_team_event_declared_without_sizes_means_two_or_more(raw):
    raw["groups"][0]["team"] = {}
    raw["contestants"][0]["members"].append({"name": "第三人"})
    doc = load_document(raw)
    assert doc.group("infant-pairs").team.max_members is None
    assert dump_document(doc)["groups"][0]["team"] == {"min_members": 2}


def test_a_team_must_fit_its_group(raw):
    raw["contestants"][0]["members"] = raw["contestants"][0]["members"][:1]
    raw["contestants"][1]["members"].append({"name": "赵强"})
    problems = _problems(raw)
    assert problems["contestants[0].members"].msgid == "a team of group %(group)s has at least %(min)s members"
    assert problems["contestants[1].members"].params == {"group": "infant-pairs", "max": "2"}
    zh = translate(problems["contestants[0].members"].msgid, "zh_Hans_CN", **problems["contestants[0].members"].params)
    assert "至少" in zh and "infant-pairs" in zh


def test_members_belong_to_team_events_only(raw):
    del raw["groups"][0]["team"]
    problems = _problems(raw)
    assert (
        problems["contestants[0].members"].msgid == "group %(group)s is not a team event: its entries have no members"
    )


def test_team_sizes_are_whole_numbers_from_two(raw):
    raw["groups"][0]["team"] = {"min_members": 1}
    assert "groups[0].team.min_members" in _problems(raw)
    raw["groups"][0]["team"] = {"min_members": 3, "max_members": 2}
    assert "groups[0].team.max_members" in _problems(raw)


def test_a_members_id_number_is_checked_and_one_person_is_in_one_team(raw):
    raw["contestants"][0]["members"][0]["id_number"] = raw["contestants"][0]["members"][0]["id_number"][:17] + "0"
    raw["contestants"][2]["members"][1]["id_number"] = raw["contestants"][1]["members"][0]["id_number"]
    problems = _problems(raw)
    assert problems["contestants[0].members[0].id_number"].msgid == "the ID number's check digit is wrong"
    assert problems["contestants[2].members[1].id_number"].params == {"first": "contestants[1].members[0].id_number"}


def test_a_member_needs_a_name_and_no_unknown_fields(raw):
    raw["contestants"][0]["members"][0] = {"name": " ", "nickname": "x"}
    problems = _problems(raw)
    assert any(p.startswith("contestants[0].members[0]") for p in problems)
