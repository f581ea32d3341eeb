"""Exports are data, never code: hostile names and units reach every CSV and XLSX export (admin,
public, standings.csv, the contestant template) neutralised, and numbers stay numbers."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from admin_helpers import ORGANIZER, engine_of, enter_marks, small_document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from scoring.spreadsheet import FORMULA_LEADS, csv_bytes, csv_field, xlsx_row

SLUG = "mini-2025"
HOSTILE = {  # contestant code -> (name, unit), as an organizer's sheet might carry them
    "C001": ('=HYPERLINK("http://x","y")', "=1+1"),
    "C002": ("+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"),
    "C003": ("-2+3+cmd|' /C calc'!A0", "普通单位"),
}
MARKS = {"C001": "90.5", "C002": "80", "C003": "70.5"}


@pytest.fixture
def published(app):
    """The small competition with the hostile names, every mark in, the draw revealed and version 1 published."""
    from scoring.services import draw, publication
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    doc = small_document()
    doc["contestants"] = [
        {"code": code, "name": name, "gender": "女", "unit": unit, "region": "-榆阳区", "group": "childcare"}
        for code, (name, unit) in HOSTILE.items()
    ]
    eng = engine_of(app)
    cid = import_document(eng, doc)
    create_user(eng, *ORGANIZER, role="organizer")
    draw.draw_lots(eng, cid, "t", seed="fixed")
    enter_marks(app, cid, MARKS)
    publication.set_stage_state(eng, cid, "theory", True, "t")
    draw.reveal(eng, cid, "t")
    publication.publish(eng, cid, "t")
    return app


def _organizer(app):
    client = app.test_client()
    r = client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]})
    assert r.status_code in (302, 303)
    return client


def _csv_cells(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _assert_csv_neutral(rows: list[list[str]], where: str) -> None:
    text = [cell for row in rows for cell in row]
    for name, _unit in HOSTILE.values():
        assert "'" + name in text, f"{where}: {name!r} not neutralised"
        assert name not in text, f"{where}: {name!r} written as it was stored"
    for cell in text:
        assert not cell.startswith(FORMULA_LEADS) or _is_number(cell), f"{where}: live cell {cell!r}"


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except ArithmeticError:
        return False
    return True


def _assert_xlsx_neutral(body: bytes, where: str) -> list:
    ws = load_workbook(io.BytesIO(body)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == [], f"{where}: formula cells"
    values = {c.value for c in cells}
    for name, _unit in HOSTILE.values():
        assert name in values, f"{where}: {name!r} should read as the text it is"
    for c in cells:
        if isinstance(c.value, str) and c.value.startswith(FORMULA_LEADS):
            assert c.data_type == "s" and c.quotePrefix, f"{where}: {c.coordinate} {c.value!r}"
    return cells


def _numbers_by_code(rows, head, column):
    return {r[head.index("编号")]: r[head.index(column)] for r in rows}


def test_admin_csv_and_xlsx_neutralise_text_and_keep_numbers(published):
    client = _organizer(published)
    for public in ("", "&public=1"):
        r = client.get(f"/admin/c/{SLUG}/export/childcare.csv?v=1{public}")
        assert r.status_code == 200 and r.mimetype == "text/csv"
        rows = _csv_cells(r.data)
        _assert_csv_neutral(rows, f"admin csv {public}")
        head, body = rows[0], rows[1:]
        assert _numbers_by_code(body, head, "总成绩") == {"C001": "90.50", "C002": "80.00", "C003": "70.50"}
        assert sorted(_numbers_by_code(body, head, "名次").values()) == ["1", "2", "3"]
        if not public:  # the region "-榆阳区" is text: neutralised too
            assert {r[head.index("县市区")] for r in body} == {"'-榆阳区"}
        r = client.get(f"/admin/c/{SLUG}/export/childcare.xlsx?v=1{public}")
        assert r.status_code == 200
        _assert_xlsx_numbers(_assert_xlsx_neutral(r.data, f"admin xlsx {public}"))


def test_exports_speak_the_readers_language_and_keep_numbers_as_numbers(published):
    """Headers, the stage, statuses from the catalog (理论 -> Theory, weight 100 not 1E+2); the
    public XLSX too; ranks and totals stay numeric cells with their declared decimals."""
    client = _organizer(published)
    head = _csv_cells(client.get(f"/admin/c/{SLUG}/export/childcare.csv?v=1&lang=en").data)[0]
    assert head == [
        "Rank",
        "Code",
        "Station",
        "Name",
        "Unit",
        "Region",
        "Theory (100%)",
        "Total",
        "Award",
        "Decided by",
        "Status",
    ]
    rows = _csv_cells(client.get(f"/admin/c/{SLUG}/export/childcare.csv?v=1&lang=en").data)[1:]
    assert {r[head.index("Status")] for r in rows} == {"Ranked"}
    zh = _csv_cells(client.get(f"/admin/c/{SLUG}/export/childcare.csv?v=1&lang=zh").data)
    assert zh[0][6] == "理论 (100%)" and {r[-1] for r in zh[1:]} == {"已排名"}
    public = client.get(f"/results/{SLUG}/export/childcare.xlsx?lang=en")
    ws = load_workbook(io.BytesIO(public.data)).active
    header = [c.value for c in ws[2]]
    assert header[:2] == ["Rank", "Code"] and "Theory (100%)" in header
    for column in ("Total", "Theory (100%)"):  # scores keep their declared two places; ranks are whole
        cells = [ws.cell(row=r, column=header.index(column) + 1) for r in (3, 4, 5)]
        assert [(c.data_type, c.number_format) for c in cells] == [("n", "0.00")] * 3, column
    ranks = [ws.cell(row=r, column=1) for r in (3, 4, 5)]
    assert [(c.data_type, c.value, c.number_format) for c in ranks] == [("n", 1, "0"), ("n", 2, "0"), ("n", 3, "0")]


def _assert_xlsx_numbers(cells) -> None:
    """Ranks and totals are numeric cells whose format keeps their decimals (80 shows as 80.00)."""
    column = {c.value: c.column_letter for c in cells if c.row == 2}
    by_cell = {c.coordinate: c for c in cells}
    ranks = [by_cell[f"{column['名次']}{row}"] for row in (3, 4, 5)]
    totals = [by_cell[f"{column['总成绩']}{row}"] for row in (3, 4, 5)]
    assert [(c.data_type, c.value, c.number_format) for c in ranks] == [("n", 1, "0"), ("n", 2, "0"), ("n", 3, "0")]
    assert [(c.data_type, c.value, c.number_format) for c in totals] == [
        ("n", 90.5, "0.00"),
        ("n", 80, "0.00"),
        ("n", 70.5, "0.00"),
    ]


def test_public_exports_neutralise_text(published):
    anon = published.test_client()
    r = anon.get(f"/results/{SLUG}/export/childcare.csv?v=1")
    assert r.status_code == 200
    _assert_csv_neutral(_csv_cells(r.data), "public csv")
    r = anon.get(f"/results/{SLUG}/export/childcare.xlsx?v=1")
    assert r.status_code == 200
    _assert_xlsx_numbers(_assert_xlsx_neutral(r.data, "public xlsx"))


def test_standings_csv_neutralises_names_for_every_audience_that_sees_them(published):
    anon, organizer = published.test_client(), _organizer(published)
    for client, audience in ((anon, "public"), (organizer, "organizer")):
        r = client.get(f"/api/v1/competitions/{SLUG}/standings.csv?audience={audience}")
        assert r.status_code == 200
        rows = _csv_cells(r.data)
        _assert_csv_neutral(rows, f"standings.csv {audience}")
        head = rows[0]
        totals = {row[head.index("code")]: row[head.index("total")] for row in rows[1:]}
        assert sorted(totals.values()) == ["70.50", "80.00", "90.50"], totals


def test_contestant_templates_are_text_and_numbers_typed_as_text(published):
    client = _organizer(published)
    r = client.get(f"/admin/c/{SLUG}/contestants/template.xlsx")
    ws = load_workbook(io.BytesIO(r.data)).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["F2"].value == "610802199001011221" and ws["F2"].data_type == "s" and ws["F50"].number_format == "@"
    rows = _csv_cells(client.get(f"/admin/c/{SLUG}/contestants/template.csv").data)
    assert rows[0][0] == "姓名" and rows[1][6] == "13800000000"


# --------------------------------------------------------------------------- the one cell writer, for any text

_leads = st.sampled_from([*FORMULA_LEADS, "", "'", " ", "0", "中"])
_texts = st.builds(lambda lead, rest: lead + rest, _leads, st.text(max_size=40))


@given(st.lists(_texts, min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_any_text_leaves_as_inert_text_in_csv(texts):
    (row,) = list(csv.reader(io.StringIO(csv_bytes([texts]).decode("utf-8-sig"), newline="")))
    assert len(row) == len(texts)
    for sent, cell in zip(texts, row):
        assert not cell.startswith(FORMULA_LEADS)
        written = sent.encode("utf-8", "replace").decode("utf-8")
        assert cell == (("'" + written) if sent.startswith(FORMULA_LEADS) else written)


@given(
    st.lists(_texts, min_size=1, max_size=6),
    st.lists(
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6), max_size=3
    ),
)
@settings(max_examples=150, deadline=None)
def test_any_text_leaves_as_a_string_cell_in_xlsx_and_numbers_as_numbers(texts, numbers):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append(xlsx_row(ws, [*texts, *numbers]))
    buf = io.BytesIO()
    wb.save(buf)
    row = next(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows())
    cells = {c.column - 1: c for c in row}
    for i, sent in enumerate(texts):
        if sent == "":
            continue
        cell = cells[i]
        assert cell.data_type == "s", (sent, cell.data_type)
        assert cell.quotePrefix is sent.startswith(FORMULA_LEADS)
    for j, number in enumerate(numbers):
        cell = cells[len(texts) + j]
        assert cell.data_type == "n" and Decimal(str(cell.value)) == number
        assert csv_field(number) == format(number, "f")  # a negative number is not quoted


def test_every_spreadsheet_writer_goes_through_the_one_cell_writer():
    """A new export cannot bring formula cells back: CSV is written only in scoring/spreadsheet.py, and
    every module that builds a workbook takes its cells from there."""
    from pathlib import Path

    import scoring

    package = Path(scoring.__file__).parent
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(package.parent)
        if path.name != "spreadsheet.py":
            assert "csv.writer" not in text and "DictWriter" not in text, f"{where}: write CSV with scoring.spreadsheet"
        if "Workbook(" in text:
            assert "xlsx_cell" in text or "xlsx_row" in text, f"{where}: XLSX cells must come from scoring.spreadsheet"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_results_sheet_pdf_speaks_the_readers_language(published, tmp_path):
    client = _organizer(published)
    texts = {}
    for lang in ("zh", "en"):
        r = client.get(f"/admin/c/{SLUG}/export/childcare.pdf?v=1&lang={lang}")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        path = tmp_path / f"sheet-{lang}.pdf"
        path.write_bytes(r.data)
        texts[lang] = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "成绩表" in texts["zh"] and "名次" in texts["zh"] and "理论 (100%)" in texts["zh"]
    english = texts["en"]
    assert "results sheet" in english and "Rank" in english and "Theory (100%)" in english
    assert "Chief judge" in english and "Signature" in english
    for word in ("成绩表", "名次", "理论", "裁判长", "签字"):
        assert word not in english, word
