"""Cells of every spreadsheet we hand out (CSV and XLSX): text is data, never a formula.

Why one module: names, units and award texts come from organizers' sheets and forms, and a
contestant named ``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0`` would otherwise run as a formula
on the PC that opens the export. Every export (results per group, public results,
``standings.csv``, the contestant template) writes its cells through here, so a new export cannot
forget the rule.

The rule (OWASP "CSV Injection"): a text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading single quote in CSV; in XLSX it is written as a string cell with
Excel's quote-prefix flag (shown unchanged, still text after an edit), never as a formula.
Numbers and ranks are typed (``int``/``Decimal``), not text: CSV writes their plain digits (a
negative number such as ``-1.5`` is not quoted) and XLSX writes numeric cells with a number
format that keeps their decimal places. Floats are refused: they are bugs here.

Why not the ``defusedcsv`` package (evaluated, 3.0.0): it wraps only ``csv.writer`` (the XLSX
exports need the same rule), does not treat tab and carriage return, rewrites ``|`` inside the
cells it escapes (a unit name would change), and guesses "is this a number" from the text by a
regular expression, where our exports know each cell's type.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # openpyxl (~8 MB) loads when a workbook is made, not in every server process
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
SheetValue = str | int | Decimal | None

# XML 1.0 cannot hold these (openpyxl raises on them) and lone surrogates cannot be encoded.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_SHEET_TITLE_BAD = re.compile(r"[\\*?:/\[\]]")


def neutral(text: str) -> str:
    """Text as a spreadsheet shows it, never read as a formula (the OWASP leading quote)."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def _number_format(value: int | Decimal) -> str:
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _check(value: object) -> None:
    if isinstance(value, (bool, float)) or not isinstance(value, (str, int, Decimal, type(None))):
        raise TypeError(f"a spreadsheet cell is text, int or Decimal, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("a spreadsheet number must be finite")


def number(text: str | None) -> Decimal | None:
    """A rank or score that our own reports formatted as text (``"87.35"``), as a number cell;
    missing stays blank (missing is not zero). Not for input from outside: see ``rules.numbers``."""
    return None if text in (None, "") else Decimal(text)


def csv_field(value: SheetValue) -> str:
    """One CSV field: numbers as plain digits, text neutralised, blank for None (missing is not zero)."""
    _check(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    return neutral(value)


def csv_bytes(rows: Iterable[Sequence[SheetValue]]) -> bytes:
    """A whole CSV file in UTF-8 with a BOM (so Excel opens Chinese text correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8", "replace")


def xlsx_cell(ws: Worksheet, value: SheetValue, text_format: bool = False) -> Cell:
    """One XLSX cell for ``ws.append``: a number cell or a string cell, never a formula.

    ``text_format`` also gives the cell Excel's text format ``@`` (an ID number typed there later
    stays text instead of becoming 6.1E+17)."""
    from openpyxl.cell.cell import Cell

    _check(value)
    cell = Cell(ws, row=1, column=1)
    if isinstance(value, str):
        text = _UNWRITABLE.sub("\ufffd", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula; this is text
        if text.startswith(FORMULA_LEADS):
            cell.quotePrefix = True  # Excel keeps it text even after the cell is edited
    elif value is not None:
        cell.value = value
        cell.number_format = _number_format(value)
    if text_format:
        cell.number_format = "@"
    return cell


def xlsx_row(ws: Worksheet, values: Sequence[SheetValue]) -> list[Cell]:
    return [xlsx_cell(ws, v) for v in values]


def sheet_title(text: str, fallback: str) -> str:
    """A worksheet name Excel accepts (≤ 31 characters, none of ``\\ * ? : / [ ]``, no edge quotes)."""
    title = _SHEET_TITLE_BAD.sub("_", _UNWRITABLE.sub("", text))[:31].strip("'")
    return title or fallback


def attachment(filename: str) -> dict[str, str]:
    """The download header for ``filename`` (RFC 6266/5987): an ASCII fallback and the UTF-8 name,
    so a Chinese group code names the file instead of breaking the response."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return {
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    }
