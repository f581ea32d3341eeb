"""Reading an uploaded sheet (.xlsx or .csv) into rows of text cells, with bounded work.

Why checks before parsing: an .xlsx is a zip of XML, and both layers can promise little and
deliver a lot: a 311 KB zip that unpacks to 300 MB, a 916 KB sheet with 1,000,000 rows, a
shared-strings table with millions of entries, or one ``<row r="1048576">`` that makes a reader
invent a million empty rows. Under the production server (one gevent worker) a parse that runs
for minutes stops every tablet and board. So the zip's directory is checked first (sizes,
member count, compression ratio; ``zipfile`` itself stops a member at its declared size), then
every member is scanned at C speed for what would make a parser work hard (declared dimension,
rows, highest row number, cells, shared strings, a DTD), stopping at the first limit crossed.
Only a workbook within every bound reaches openpyxl, in read-only mode and asked for no more
rows or columns than the limits. A CSV is decoded strictly and capped by rows, columns and cell
length (its bytes are capped by the upload route).

Why hand-written scans and not openpyxl alone: openpyxl trusts the file (read-only mode relies
on the declared dimension and reads the whole shared-strings table when it opens a workbook),
and no maintained library bounds an XLSX before it is read. The scans count tags; they do not
interpret the XML, which stays openpyxl's job.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_

MB = 1 << 20


@dataclass(frozen=True)
class SheetLimits:
    rows: int = 20_000  # a national competition has a few thousand contestants
    columns: int = 64  # the template has 7; organizers add a few of their own
    cell_chars: int = 1_000  # a name or a unit is tens of characters
    members: int = 256  # parts of the .xlsx zip (Excel writes about a dozen)
    unpacked_bytes: int = 64 * MB  # all parts together, unpacked
    member_bytes: int = 32 * MB  # one part unpacked (20,000 rows x 64 columns fit)
    ratio: int = 100  # unpacked / packed for a part over ratio_floor (sheets: ~10-30)
    ratio_floor: int = 1 * MB

    @property
    def cells(self) -> int:
        """Cells in one sheet, and entries of the shared-strings table: a full sheet of 16 columns."""
        return self.rows * 16


UNREADABLE_XLSX = N_("This file is not a readable XLSX workbook.")
TOO_MANY_ROWS = N_("The sheet has more than %(max)s rows; split it or delete the unused rows.")
TOO_MANY_COLUMNS = N_("The sheet has more than %(max)s columns; delete the unused columns.")
CELL_TOO_LONG = N_("A cell holds more than %(max)s characters.")

_TAG_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ROW_TAG = re.compile(_TAG_PREFIX + rb"row[\s/>][^<>]*")
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"'](\d+)")
_CELL_TAG = re.compile(_TAG_PREFIX + rb"c[\s/>]")
_STRING_TAG = re.compile(_TAG_PREFIX + rb"si[\s/>]")
_DIMENSION = re.compile(_TAG_PREFIX + rb"dimension\s[^<>]*?ref\s*=\s*[\"']([^\"']{1,40})[\"']")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def read_table(filename: str, data: bytes, limits: SheetLimits = SheetLimits()) -> list[list[str]]:
    """Rows of cells from an .xlsx or .csv upload (UTF-8 with or without BOM, or GB18030).

    Pure and free of Flask: the web layer runs it on a real thread with a time limit."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(filename, data, limits)
    if name.endswith(".csv"):
        return _read_csv(filename, data, limits)
    raise InvalidInput(Problem(filename or "file", N_("Upload an .xlsx or .csv file.")))


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(filename: str, data: bytes, limits: SheetLimits) -> list[list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        raise InvalidInput(Problem(filename, UNREADABLE_XLSX)) from None
    with archive:
        members = archive.infolist()
        _check_directory(filename, members, limits)
        try:
            for info in members:
                _scan_member(filename, archive, info, limits)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise InvalidInput(Problem(filename, UNREADABLE_XLSX)) from None
        _check_packing(filename, members, limits)
    return _rows_with_openpyxl(filename, data, limits)


def _refusal(filename: str, msgid: str, **params: int) -> InvalidInput:
    return InvalidInput(Problem(filename, msgid, {k: f"{v:,}" for k, v in params.items()}))


def _check_directory(filename: str, members: list[zipfile.ZipInfo], limits: SheetLimits) -> None:
    """The zip's own directory: how many parts and how big unpacked (zipfile holds a part to its
    declared size, so these bound everything read afterwards)."""
    if len(members) > limits.members:
        raise _refusal(
            filename,
            N_("The workbook has more than %(max)s parts; it is not a plain sheet of contestants."),
            max=limits.members,
        )
    if sum(i.file_size for i in members) > limits.unpacked_bytes or any(
        i.file_size > limits.member_bytes for i in members
    ):
        raise _refusal(
            filename,
            N_("The workbook unpacks to more than %(max)s MB; it is not a plain sheet of contestants."),
            max=limits.unpacked_bytes // MB,
        )


def _check_packing(filename: str, members: list[zipfile.ZipInfo], limits: SheetLimits) -> None:
    """Checked after the scans (which name the likelier cause, such as too many rows): a large part
    packed far tighter than any real sheet is a bomb even when it stays under the sizes."""
    for i in members:
        if i.file_size > limits.ratio_floor and i.file_size > limits.ratio * max(i.compress_size, 1):
            raise _refusal(
                filename,
                N_("A part of the workbook is packed more than %(max)s to 1; it is not a plain sheet of contestants."),
                max=limits.ratio,
            )


def _scan_member(filename: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: SheetLimits) -> None:
    """Count what a parser would have to build from one part, and stop at the first limit crossed.

    Every part is scanned, whatever its name: openpyxl finds sheets and the string table through
    the package's relationships, so a name says nothing about what will be parsed."""
    rows = cells = strings = 0
    dimension_seen = False
    for chunk in _xml_chunks(archive, info):
        if _DTD.search(chunk):
            raise _refusal(
                filename, N_("The workbook contains a DTD (document type declaration), which spreadsheets never need.")
            )
        if not dimension_seen:
            found = _DIMENSION.search(chunk)
            if found:
                dimension_seen = True
                _check_dimension(filename, found.group(1).decode("ascii", "replace"), limits)
        for tag in _ROW_TAG.findall(chunk):
            rows += 1
            number = _ROW_NUMBER.search(tag)
            if rows > limits.rows or (number and (len(number.group(1)) > 9 or int(number.group(1)) > limits.rows)):
                raise _refusal(filename, TOO_MANY_ROWS, max=limits.rows)
        cells += len(_CELL_TAG.findall(chunk))
        if cells > limits.cells:
            raise _refusal(
                filename,
                N_("The sheet has more than %(max)s cells; delete the unused rows and columns."),
                max=limits.cells,
            )
        strings += len(_STRING_TAG.findall(chunk))
        if strings > limits.cells:
            raise _refusal(
                filename, N_("The workbook's table of texts has more than %(max)s entries."), max=limits.cells
            )


def _check_dimension(filename: str, ref: str, limits: SheetLimits) -> None:
    """The sheet's own claim of its used range (``<dimension ref="A1:G79"/>``)."""
    from openpyxl.utils.cell import range_boundaries

    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(ref.upper())
    except (ValueError, TypeError):
        return  # an unreadable claim; the counted rows and cells still bound the work
    if max_row is not None and max_row > limits.rows:
        raise _refusal(filename, TOO_MANY_ROWS, max=limits.rows)
    if max_col is not None and max_col > limits.columns:
        raise _refusal(filename, TOO_MANY_COLUMNS, max=limits.columns)


def _xml_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int = MB) -> Iterator[bytes]:
    """A part in pieces of about ``size`` bytes, each cut just before a ``<``, so no tag is split."""
    carry = b""
    with archive.open(info) as stream:
        while True:
            block = stream.read(size)
            if not block:
                if carry:
                    yield carry
                return
            buf = carry + block
            cut = buf.rfind(b"<")
            if cut <= 0:
                if len(buf) < size:
                    carry = buf
                    continue
                cut = len(buf)  # a megabyte without a tag: nothing to split
            yield buf[:cut]
            carry = buf[cut:]


def _rows_with_openpyxl(filename: str, data: bytes, limits: SheetLimits) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001  (any unreadable workbook is the same message)
        raise InvalidInput(Problem(filename, UNREADABLE_XLSX)) from None
    rows: list[list[str]] = []
    try:
        if not wb.worksheets:
            raise InvalidInput(Problem(filename, UNREADABLE_XLSX))
        sheet = wb.worksheets[0]
        for n, values in enumerate(
            sheet.iter_rows(min_row=1, max_row=limits.rows, max_col=limits.columns, values_only=True), start=1
        ):
            cells = list(values)
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(_bounded(filename, n, cells, limits))
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001
        raise InvalidInput(Problem(filename, UNREADABLE_XLSX)) from None
    finally:
        wb.close()
    return rows


def _bounded(filename: str, line: int, cells: list, limits: SheetLimits) -> list[str]:
    """One row as text cells, refused whole when it is wider or a cell longer than the limits."""
    if len(cells) > limits.columns:
        raise InvalidInput(Problem(filename, TOO_MANY_COLUMNS, {"max": f"{limits.columns:,}"}, row=line))
    text = [cell_text(v) for v in cells]
    if any(len(c) > limits.cell_chars for c in text):
        raise InvalidInput(Problem(filename, CELL_TOO_LONG, {"max": f"{limits.cell_chars:,}"}, row=line))
    return text


# --------------------------------------------------------------------------- csv


def _read_csv(filename: str, data: bytes, limits: SheetLimits) -> list[list[str]]:
    """Strictly decoded text, then at most ``limits.rows`` records.

    The csv module's own field limit (131,072 characters, a process-wide setting we leave alone)
    bounds what one cell can make it hold; our shorter cell limit is checked per record."""
    for encoding in ("utf-8-sig", "gb18030"):  # Excel for Chinese Windows saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(Problem(filename, N_("This CSV file is neither UTF-8 nor GB18030 text.")))
    if "\x00" in text:
        raise InvalidInput(Problem(filename, N_("The file contains NUL characters; it is not CSV text.")))
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    try:
        for record in reader:
            if len(rows) >= limits.rows:
                raise _refusal(filename, TOO_MANY_ROWS, max=limits.rows)
            while record and not record[-1].strip():
                record.pop()
            rows.append(_bounded(filename, len(rows) + 1, record, limits))
    except csv.Error:
        raise InvalidInput(
            Problem(
                filename,
                N_("This line cannot be read as CSV (broken quotes or a very long cell)."),
                row=reader.line_num,
            )
        ) from None
    return rows
