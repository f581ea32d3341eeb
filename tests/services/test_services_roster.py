"""Contestant lists as organizers really send them: the header row found under a merged title
and a note, headers in Chinese or English in any case, rows named as the spreadsheet numbers them."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from scoring.errors import InvalidInput
from scoring.services.roster import find_header, parse_contestants, read_contestants

TITLE = "榆林市2025年托育职业技能竞赛报名表"
HEADER = ["序号", "姓名", "性别", "工作单位", "县（区）", "组别", "身份证号码", "联系电话", "备注"]
PEOPLE = [
    ["1", "张伟", "女", "榆阳区第一幼儿园", "榆阳区", "托育", "", "13800000001", ""],
    ["2", "杨堃", "男", "神木市第一幼儿园", "神木市", "托育", "", "13800000002", "住宿"],
    ["3", "赵喆", "女", "府谷县实验幼儿园", "府谷县", "托育", "", "13800000003", ""],
]


def workbook(rows: list[list[str]], title: str | None = TITLE, note: str | None = "") -> bytes:
    """An organizer's sheet: a title merged across the columns on row 1, a note (or a blank) on
    row 2, the header on row 3; built with openpyxl as Excel or WPS would save it."""
    wb = Workbook()
    ws = wb.active
    width = max(len(r) for r in rows)
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    if note is not None:
        ws.append([note] if note else [])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_header_row_under_a_merged_title_and_a_blank_row_is_found():
    rows, problems = read_contestants("报名表.xlsx", workbook([HEADER, *PEOPLE]))
    assert problems == []
    assert [(r.line, r.values["name"], r.values["unit"], r.values["region"]) for r in rows] == [
        (4, "张伟", "榆阳区第一幼儿园", "榆阳区"),
        (5, "杨堃", "神木市第一幼儿园", "神木市"),
        (6, "赵喆", "府谷县实验幼儿园", "府谷县"),
    ]
    assert rows[0].values["phone"] == "13800000001" and rows[0].values["group"] == "托育"


def test_a_note_that_names_a_column_does_not_win_over_the_header_row():
    note = "请按要求填写姓名、单位（不得简写）"
    rows, problems = read_contestants("报名表.xlsx", workbook([HEADER, *PEOPLE], note=note))
    assert problems == [] and [r.line for r in rows] == [4, 5, 6]


def test_english_headers_in_any_case_and_spacing_are_found():
    header = ["NAME", "Gender", "unit", "Region", "group", "ID Number", "Phone"]
    people = [[p[1], p[2], p[3], p[4], p[5], p[6], p[7]] for p in PEOPLE]
    rows, problems = read_contestants("entries.xlsx", workbook([header, *people], title="Entries 2025", note=None))
    assert problems == [] and [r.line for r in rows] == [3, 4, 5]
    assert rows[1].values["name"] == "杨堃"


def test_problems_name_the_rows_the_organizer_sees_in_both_languages():
    bad = [*PEOPLE, ["4", "", "男", "神木市第一幼儿园", "神木市", "托育", "", "12345", ""]]
    _rows, problems = read_contestants("报名表.xlsx", workbook([HEADER, *bad]))
    assert {p.row for p in problems} == {7}
    zh = [p.as_dict("zh_Hans_CN")["field"] for p in problems]
    en = [p.as_dict("en")["field"] for p in problems]
    assert set(zh) == {"报名表.xlsx 第7行"} and set(en) == {"报名表.xlsx row 7"}


def test_a_missing_column_is_named_on_the_header_row():
    header = [h for h in HEADER if h != "组别"]
    people = [[c for h, c in zip(HEADER, p) if h != "组别"] for p in PEOPLE]
    rows, problems = read_contestants("报名表.xlsx", workbook([header, *people]))
    assert rows == [] and len(problems) == 1
    assert problems[0].row == 3 and "组别" in problems[0].message("zh_Hans_CN")


def test_no_header_in_the_first_rows_is_refused_with_the_columns_it_looks_for():
    rows, problems = parse_contestants([["报名表"], *[["x", "y"]] * 12, HEADER], "名单.xlsx")
    assert rows == [] and len(problems) == 1
    assert "姓名" in problems[0].message("zh_Hans_CN") and "10" in problems[0].message("en")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([HEADER], 0),
        ([[TITLE], [], HEADER], 2),
        ([[TITLE], ["姓名"], HEADER], 2),  # one known name on the note row, seven on the header
        ([[TITLE], []], None),
        ([], None),
    ],
)
def test_find_header_takes_the_row_naming_the_most_columns(rows, expected):
    assert find_header(rows) == expected


def test_a_refused_import_names_sheet_rows(app):
    """Rows that only the database can judge (an unknown group) are named as the sheet numbers them."""
    from scoring.demo_data import childcare_document
    from scoring.services.setup import import_contestants
    from scoring.services.transfer import import_document

    engine = app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="none"))
    bad = [*PEOPLE[:2], ["3", "赵喆", "女", "府谷县实验幼儿园", "府谷县", "美甲", "", "13800000003", ""]]
    with pytest.raises(InvalidInput) as exc:
        import_contestants(engine, cid, "报名表.xlsx", workbook([HEADER, *bad]), "t")
    assert [p.row for p in exc.value.problems] == [6]
    assert "报名表.xlsx 第6行" in "\n".join(exc.value.messages("zh_Hans_CN"))
    assert import_contestants(engine, cid, "报名表.xlsx", workbook([HEADER, *PEOPLE]), "t") == 3
