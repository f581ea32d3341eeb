"""The contestant list (名单) as organizers send it: header names, rows checked on their own.

Why pure and light: reading a sheet runs in a child process (``scoring.offload``) so that a big
or hostile file never holds the server's interpreter; this module and ``services.sheets`` are all
that child imports (no database, no Flask). ``services.setup`` checks the rows against the
competition and writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.document.checks import id_check_digit
from scoring.errors import Problem
from scoring.i18n import N_
from scoring.rules.numbers import shown
from scoring.services.sheets import SheetLimits, read_table

# Column headers as organizers write them; the first one of each tuple is the template's.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "gender": ("性别", "gender"),
    "unit": ("单位", "工作单位", "unit"),
    "region": ("县区", "县（区）", "县(区)", "区县", "region"),
    "group": ("组别", "group"),
    "id_number": ("身份证号", "身份证号码", "id_number"),
    "phone": ("手机号", "手机号码", "联系电话", "phone"),
}
REQUIRED = ("name", "unit", "region", "group")
TEMPLATE_COLUMNS = [h[0] for h in HEADERS.values()]
_PHONE = re.compile(r"^1\d{10}$")
_ID = re.compile(r"^\d{17}[\dX]$")


@dataclass
class SheetRow:
    line: int  # the row number the organizer sees in the spreadsheet
    values: dict[str, str] = field(default_factory=dict)


def parse_contestants(rows: list[list[str]], source: str = "") -> tuple[list[SheetRow], list[Problem]]:
    """Pure: map the header row to fields and check each row on its own (format, required, duplicates)."""
    rows = [r for r in rows]
    if not rows or not any(rows[0]):
        return [], [Problem(source, N_("The sheet is empty; the first row must hold the column headers."))]
    header = rows[0]
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        for key, names in HEADERS.items():
            if h.replace(" ", "") in names and key not in index:
                index[key] = i
    problems = [
        Problem(f"{source} 第1行", N_("The column %(column)s is missing."), {"column": HEADERS[k][0]})
        for k in REQUIRED
        if k not in index
    ]
    if problems:
        return [], problems
    out: list[SheetRow] = []
    seen_id: dict[str, int] = {}
    seen_person: dict[tuple[str, str], int] = {}
    for n, raw in enumerate(rows[1:], start=2):
        if not any(raw):
            continue
        values = {k: (raw[i] if i < len(raw) else "") for k, i in index.items()}
        where = f"{source} 第{n}行"
        for k in REQUIRED:
            if not values.get(k):
                problems.append(Problem(where, N_("%(column)s is empty."), {"column": HEADERS[k][0]}))
        idn = values.get("id_number", "").upper()
        values["id_number"] = idn
        if idn:
            if not _ID.match(idn) or id_check_digit(idn[:17]) != idn[17]:
                problems.append(
                    Problem(
                        where,
                        N_("The ID number %(value)s is not valid."),
                        {"value": idn if len(idn) <= 18 else shown(idn)},
                    )
                )
            elif idn in seen_id:
                problems.append(
                    Problem(where, N_("Duplicate: the ID number is also on row %(row)s."), {"row": seen_id[idn]})
                )
            else:
                seen_id[idn] = n
        phone = values.get("phone", "")
        if phone and not _PHONE.match(phone):
            problems.append(
                Problem(
                    where, N_("The phone number %(value)s is not an 11-digit mobile number."), {"value": shown(phone)}
                )
            )
        gender = values.get("gender", "")
        if gender and gender not in ("男", "女"):
            problems.append(Problem(where, N_("Gender must be 男 or 女, not %(value)s."), {"value": shown(gender)}))
        person = (values.get("name", ""), values.get("unit", ""))
        if all(person):
            if person in seen_person and not idn:
                problems.append(
                    Problem(
                        where,
                        N_("Duplicate: the same name and unit are also on row %(row)s."),
                        {"row": seen_person[person]},
                    )
                )
            seen_person.setdefault(person, n)
        out.append(SheetRow(n, values))
    if not out and not problems:
        problems.append(Problem(source, N_("The sheet has headers but no contestants.")))
    return out, problems


def read_contestants(
    filename: str, data: bytes, limits: SheetLimits = SheetLimits()
) -> tuple[list[SheetRow], list[Problem]]:
    """Pure: the upload's rows checked on their own (no database), for ``import_contestants``."""
    return parse_contestants(read_table(filename, data, limits), filename)
