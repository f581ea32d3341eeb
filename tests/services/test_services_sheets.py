"""The sheet reader (services/sheets.py) refuses every kind of hostile workbook or CSV quickly, by the
check meant for it, and still reads real sheets (the console's own template, 5,000 contestants)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
import upload_bombs as bombs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.errors import InvalidInput
from scoring.services.setup import read_contestants, template_bytes
from scoring.services.sheets import SheetLimits, read_table


def refused(data: bytes, filename: str = "名单.xlsx", limits: SheetLimits = SheetLimits()) -> str:
    """The one problem's message id; the refusal must come fast (the checks run before parsing)."""
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as info:
        read_table(filename, data, limits)
    assert time.perf_counter() - started < 1.5
    assert len(info.value.problems) == 1
    return info.value.problems[0].msgid


def test_zip_bomb_is_refused_from_the_zip_directory():
    assert "unpacks to more than" in refused(bombs.zip_bomb())


def test_million_row_sheet_is_refused_with_or_without_its_declared_dimension():
    assert "unpacks to more than" in refused(bombs.million_row_sheet())
    assert "unpacks to more than" in refused(bombs.million_row_sheet(dimension=None))


def test_declared_dimension_beyond_the_row_or_column_limit_is_refused_before_any_row_is_read():
    assert "more than %(max)s rows" in refused(
        bombs.workbook(bombs.sheet(bombs.contestant_rows(3), dimension="A1:G1000000"))
    )
    assert "more than %(max)s columns" in refused(
        bombs.workbook(bombs.sheet(bombs.contestant_rows(3), dimension="A1:XFD4"))
    )


def test_rows_are_counted_when_the_dimension_lies():
    lying = bombs.workbook(bombs.sheet(bombs.contestant_rows(25_000), dimension="A1:G2"))
    assert len(lying) < 4 << 20
    assert "more than %(max)s rows" in refused(lying)


def test_one_row_numbered_a_million_is_refused():
    """openpyxl would fill the gap with a million empty rows."""
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    assert "more than %(max)s rows" in refused(bombs.workbook(bombs.sheet([far], dimension="A1:G2")))


def test_a_row_of_a_million_cells_is_refused_by_the_cell_count():
    wide = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 400_000 + "</row>"
    assert "cells" in refused(bombs.workbook(bombs.sheet([wide], dimension="A1:G2")))


def test_shared_strings_bomb_is_refused():
    assert "unpacks to more than" in refused(bombs.shared_strings_bomb())
    # under the size limits, the table's entries are counted (a small limit keeps the file small)
    small = SheetLimits(rows=100)
    table = ['<sst xmlns="%s">' % bombs.MAIN] + [f"<si><t>{i}</t></si>" for i in range(small.cells + 1)] + ["</sst>"]
    assert "table of texts" in refused(bombs.workbook(bombs.sheet([], dimension="A1:G2"), table), limits=small)


def test_a_part_packed_tighter_than_any_real_sheet_is_refused():
    padded = bombs.workbook(bombs.sheet([" " * (20 << 20)], dimension="A1:G2"))
    assert "packed more than" in refused(padded)


def test_too_many_parts_and_a_dtd_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(300):
            z.writestr(f"xl/media/{i}.xml", "<a/>")
    assert "more than %(max)s parts" in refused(buf.getvalue())
    laughs = ['<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'] + list(
        bombs.sheet(bombs.contestant_rows(1))
    )
    assert "DTD" in refused(bombs.workbook(laughs))


def test_not_a_workbook_and_a_truncated_one_are_unreadable():
    assert refused(b"PK\x03\x04 not really a zip") == "This file is not a readable XLSX workbook."
    good = template_bytes("xlsx")
    assert refused(good[: len(good) // 2]) == "This file is not a readable XLSX workbook."


def test_the_console_template_and_a_5000_row_sheet_still_read():
    rows, problems = read_contestants("模板.xlsx", template_bytes("xlsx"))
    assert not problems and rows[0].values["name"] == "张伟"
    rows, problems = read_contestants("模板.csv", template_bytes("csv"))
    assert not problems and rows[0].values["name"] == "张伟"
    big = bombs.workbook(bombs.sheet(bombs.contestant_rows(5_000), dimension="A1:G5001"))
    started = time.perf_counter()
    rows, problems = read_contestants("名单.xlsx", big)
    assert not problems and len(rows) == 5_000 and rows[-1].values["phone"] == "13800005001"
    assert time.perf_counter() - started < 10


def test_an_excel_written_sheet_with_shared_strings_reads():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(bombs.HEADER)
    for i in range(200):
        wb.active.append([f"选手{i}", "男", "府谷县实验幼儿园", "府谷县", "托育", None, f"139{i:08d}"])
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_table("名单.xlsx", buf.getvalue())
    assert len(rows) == 201 and rows[1][:3] == ["选手0", "男", "府谷县实验幼儿园"]


# --------------------------------------------------------------------------- csv


def test_csv_rows_columns_cells_and_encoding_are_bounded():
    header = ",".join(bombs.HEADER) + "\n"
    assert "rows" in refused((header + "a,女,b,c,托育,,13800000000\n" * 20_001).encode(), "名单.csv")
    assert "columns" in refused((header + ",".join("x" * 70) + "\n").encode(), "名单.csv")
    assert "characters" in refused((header + "x" * 5_000 + "\n").encode(), "名单.csv")
    assert "cannot be read as CSV" in refused((header + "x" * 200_000 + "\n").encode(), "名单.csv")
    assert "NUL" in refused((header + "a\x00b\n").encode(), "名单.csv")
    assert "neither UTF-8 nor GB18030" in refused(b"\xff\xfe\x00\x81\x30", "名单.csv")
    # trailing empty columns (as Excel writes them) do not count
    assert (
        len(read_table("名单.csv", (header + "张伟,女,单位,县区,托育,,13800000000" + "," * 200 + "\n").encode())) == 2
    )


def test_gb18030_csv_from_chinese_excel_reads():
    text = ",".join(bombs.HEADER) + "\r\n张伟,女,榆阳区第一幼儿园,榆阳区,托育,,13800000000\r\n"
    assert read_table("名单.csv", text.encode("gb18030"))[1][0] == "张伟"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2_000), name=st.sampled_from(["a.csv", "a.xlsx"]))
def test_any_bytes_give_rows_or_a_refusal(data, name):
    try:
        rows = read_table(name, data)
    except InvalidInput as exc:
        assert exc.problems and all(p.msgid for p in exc.problems)
        return
    assert all(isinstance(c, str) and len(c) <= 1_000 for row in rows for c in row)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8)
)
def test_a_damaged_template_gives_rows_or_a_refusal(flips):
    data = bytearray(template_bytes("xlsx"))
    for at, value in flips:
        data[at % len(data)] = value
    try:
        read_table("名单.xlsx", bytes(data))
    except InvalidInput as exc:
        assert exc.problems
