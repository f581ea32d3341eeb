"""Hostile uploads, generated small (on disk and in memory) for the tests of every area.

Each one is a workbook the way an attacker (or a broken exporter) would write it: XML parts put
into a zip with ``zipfile`` directly, no spreadsheet library involved, so the file says exactly
what the test means (a declared dimension, a row number, a packing ratio).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from functools import lru_cache

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
_SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
    '<sheets><sheet name="选手" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "{shared}</Relationships>"
)
_SHARED_REL = f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
HEADER = ["姓名", "性别", "单位", "县区", "组别", "身份证号", "手机号"]


def _sheet_open(dimension: str | None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}<sheetData>'


def workbook(sheet_parts: Iterable[str], shared_parts: Iterable[str] | None = None, level: int = 9) -> bytes:
    """An .xlsx whose first sheet is the concatenation of ``sheet_parts`` (and a shared-strings
    part from ``shared_parts``), streamed into the zip so nothing large is held at once."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        shared = shared_parts is not None
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(shared=_SHARED_TYPE if shared else ""))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(shared=_SHARED_REL if shared else ""))
        _stream(z, "xl/worksheets/sheet1.xml", sheet_parts)
        if shared:
            _stream(z, "xl/sharedStrings.xml", shared_parts)
    return buf.getvalue()


def _stream(z: zipfile.ZipFile, name: str, parts: Iterable[str]) -> None:
    with z.open(name, "w", force_zip64=True) as out:
        pending: list[str] = []
        size = 0
        for part in parts:
            pending.append(part)
            size += len(part)
            if size > 1 << 20:
                out.write("".join(pending).encode())
                pending, size = [], 0
        out.write("".join(pending).encode())


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def contestant_rows(n: int, start: int = 2, bad: bool = False) -> Iterable[str]:
    """``n`` rows of the contestant template (or, with ``bad``, rows with an invalid phone and gender)."""
    for i in range(start, start + n):
        values = [
            f"选手{i}",
            "男女" if bad else "女",
            f"榆阳区第{i % 50}幼儿园",
            "榆阳区",
            "托育",
            "",
            "12345" if bad else f"138{i:08d}",
        ]
        yield f'<row r="{i}">' + "".join(_inline(f"{col}{i}", v) for col, v in zip("ABCDEFG", values)) + "</row>"


def sheet(rows: Iterable[str], dimension: str | None = None, header: bool = True) -> Iterable[str]:
    yield _sheet_open(dimension)
    if header:
        yield '<row r="1">' + "".join(_inline(f"{col}1", h) for col, h in zip("ABCDEFG", HEADER)) + "</row>"
    yield from rows
    yield "</sheetData></worksheet>"


@lru_cache(maxsize=2)
def million_row_sheet(dimension: str | None = "A1:G1000001") -> bytes:
    """1,000,000 rows of one name each, declared in the sheet's dimension or not (rows without a
    number, as a writer may leave them, pack to a few hundred KB: the issue's file was 916 KB)."""
    row = '<row><c t="inlineStr"><is><t>张伟</t></is></c></row>'
    return workbook(sheet((row * 1000 for _ in range(1000)), dimension=dimension))


@lru_cache(maxsize=1)
def zip_bomb(unpacked_mb: int = 300) -> bytes:
    """A few hundred KB that unpack to ``unpacked_mb`` MB of nothing inside the sheet."""
    blank = " " * (1 << 20)
    return workbook(sheet((blank for _ in range(unpacked_mb)), dimension="A1:G2"))


@lru_cache(maxsize=1)
def shared_strings_bomb(entries: int = 3_000_000) -> bytes:
    """A shared-strings table of millions of entries (openpyxl reads all of them when it opens)."""
    shared = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{entries}" uniqueCount="{entries}">']
    rows = ['<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    return workbook(
        sheet(rows, dimension="A1:G2"),
        shared + ["<si><t>张</t></si>" * 10_000 for _ in range(entries // 10_000)] + ["</sst>"],
    )
