"""Team entries from a contestant list (pure): rows with the same team value in a team group are
one entry; problems name the spreadsheet rows, in both languages."""

from types import SimpleNamespace

from scoring.services.roster import parse_contestants
from scoring.services.roster_teams import team_entries

HEADER = ["姓名", "性别", "单位", "县区", "组别", "队名", "身份证号"]
ROWS = [
    HEADER,
    ["张燕", "女", "榆阳区妇幼保健院", "榆阳区", "育婴团体", "榆阳一队", ""],
    ["李娜", "女", "榆阳区阳光托育园", "榆阳区", "育婴团体", "榆阳一队", ""],
    ["王芳", "女", "神木市第一托育中心", "神木市", "infant-pairs", "神木队", ""],  # the group by its code
    ["刘洋", "男", "神木市妇幼保健院", "神木市", "育婴团体", "神木队", ""],
    ["张伟", "女", "榆阳区第一幼儿园", "榆阳区", "托育", "", ""],
]
PAIRS = SimpleNamespace(code="infant-pairs", team={"min_members": 2, "max_members": 2})
CHILDCARE = SimpleNamespace(code="childcare", team=None)
GROUPS = {"育婴团体": PAIRS, "infant-pairs": PAIRS, "托育": CHILDCARE, "childcare": CHILDCARE}  # by name and code


def test_rows_with_the_same_team_form_one_entry_and_others_stay_single():
    rows, problems = parse_contestants(ROWS, "名单.xlsx")
    assert problems == []
    singles, teams, problems = team_entries(rows, GROUPS, "名单.xlsx")
    assert problems == []
    assert [r.values["name"] for r in singles] == ["张伟"]
    assert {t.group for t in teams} == {"infant-pairs"}
    assert [(t.name, t.lines, [m["name"] for m in t.members]) for t in teams] == [
        ("榆阳一队", [2, 3], ["张燕", "李娜"]),
        ("神木队", [4, 5], ["王芳", "刘洋"]),
    ]
    assert teams[0].region == "榆阳区" and teams[0].unit == ""  # shared county, different units
    assert teams[1].members[1] == {"name": "刘洋", "gender": "男", "unit": "神木市妇幼保健院", "region": "神木市"}


def test_english_team_header_is_found():
    header = ["Name", "Gender", "Unit", "Region", "Group", "Team"]
    rows, _ = parse_contestants([header, ["A", "", "U", "R", "infant-pairs", "Pair 1"]], "entries.csv")
    assert rows[0].values["team"] == "Pair 1"


def test_problems_name_the_rows_in_both_languages():
    bad = [
        *ROWS,
        ["赵强", "男", "府谷县人民医院", "府谷县", "育婴团体", "", ""],  # row 7: no team
        ["陈静", "女", "府谷县爱心托育园", "府谷县", "育婴团体", "府谷队", ""],  # row 8: alone
        ["杨丽", "女", "府谷县人民医院", "府谷县", "托育", "府谷队", ""],  # row 9: not a team event
    ]
    rows, problems = parse_contestants(bad, "名单.xlsx")
    assert problems == []
    _singles, _teams, problems = team_entries(rows, GROUPS, "名单.xlsx")
    by_row = {p.row: p for p in problems}
    assert sorted(by_row) == [7, 8, 9]
    assert by_row[7].as_dict("zh_Hans_CN")["field"] == "名单.xlsx 第7行"
    assert by_row[8].message("zh_Hans_CN") == "队伍 府谷队 有 1 名队员（第 8 行），应为 2 至 2 名。"
    assert by_row[8].message("en") == "The team 府谷队 has 1 members (rows 8); it needs 2 to 2."
    assert "不是团体项目" in by_row[9].message("zh_Hans_CN")
    assert "团体项目：队名为空" in by_row[7].message("zh_Hans_CN")
