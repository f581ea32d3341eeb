"""Team entries through the database: imported from a document or a contestant list with a team
column, exported, the public export without members' ID numbers and phones, on SQLite and PostgreSQL."""

import copy
import json

import pytest
from team_helpers import team_example

from scoring.db import make_engine
from scoring.document import load_document
from scoring.errors import InvalidInput
from scoring.services.setup import import_contestants
from scoring.services.transfer import export_document, import_document


def test_a_team_event_round_trips_through_the_database(database_url):
    engine = make_engine(database_url)
    raw = team_example()
    cid = import_document(engine, raw)
    out = export_document(engine, cid)
    assert all(c.pop("lookup_code") for c in out["contestants"])  # 成绩查询: given on import
    assert load_document(out) == load_document(raw)
    assert out["groups"][0]["team"] == {"min_members": 2, "max_members": 2}
    assert out["contestants"][0]["members"][0]["id_number"] == raw["contestants"][0]["members"][0]["id_number"]


def test_the_public_export_leaves_members_private_data_out(database_url):
    engine = make_engine(database_url)
    raw = team_example()
    cid = import_document(engine, raw)
    out = export_document(engine, cid, include_private=False)
    text = json.dumps(out, ensure_ascii=False)
    for c in raw["contestants"]:
        for member in c["members"]:
            assert member["id_number"] not in text and member["phone"] not in text
    assert [m["name"] for m in out["contestants"][1]["members"]] == ["王芳", "刘洋"]
    assert load_document(out).contestant("T01").members[0].unit == "榆阳区妇幼保健院"


def _no_entries(raw):
    raw = copy.deepcopy(raw)
    raw["contestants"], raw["marks"] = [], []
    raw.pop("draw", None)
    return raw


def test_an_imported_list_with_a_team_column_makes_one_entry_per_team(database_url):
    engine = make_engine(database_url)
    raw = _no_entries(team_example())
    cid = import_document(engine, raw)
    sheet = (
        "姓名,性别,单位,县区,组别,队名,身份证号\n"
        "张燕,女,榆阳区妇幼保健院,榆阳区,育婴（双人）,榆阳一队,610802199001010106\n"
        "李娜,女,榆阳区阳光托育园,榆阳区,育婴（双人）,榆阳一队,\n"
        "王芳,女,神木市第一托育中心,神木市,育婴（双人）,神木队,\n"
        "刘洋,男,神木市妇幼保健院,神木市,infant-pairs,神木队,\n"
    )
    assert import_contestants(engine, cid, "名单.csv", sheet.encode("utf-8"), "t") == 2
    out = export_document(engine, cid)
    teams = [(c["code"], c["name"], c.get("region"), [p["name"] for p in c["members"]]) for c in out["contestants"]]
    assert teams == [("I001", "榆阳一队", "榆阳区", ["张燕", "李娜"]), ("I002", "神木队", "神木市", ["王芳", "刘洋"])]
    assert load_document(out).contestant("I001").members[0].id_number == "610802199001010106"
    # The same person again (by ID number) is refused, by row, and nothing changes.
    again = "姓名,单位,县区,组别,队名,身份证号\n张燕,x,榆阳区,infant-pairs,新队,610802199001010106\n李四,x,y,infant-pairs,新队,\n"
    with pytest.raises(InvalidInput) as info:
        import_contestants(engine, cid, "b.csv", again.encode("utf-8"), "t")
    assert [p.row for p in info.value.problems] == [2]
    assert len(export_document(engine, cid)["contestants"]) == 2


def test_a_judge_from_a_members_unit_is_suggested_to_stand_aside_for_the_team(database_url):
    from scoring.services.setup import suggest_recusals

    engine = make_engine(database_url)
    raw = team_example()
    raw["judges"][0]["unit"] = "府谷县人民医院"  # 杨丽's unit, in team T03
    raw["judges"][1]["region"] = "神木市"
    cid = import_document(engine, raw)
    found = {(x["judge"], x["contestant"], x["reason"]) for x in suggest_recusals(engine, cid)}
    assert found == {("J1", "T03", "同一单位"), ("J2", "T02", "同一县区")}
