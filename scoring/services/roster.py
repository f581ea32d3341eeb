"""The contestant list (名单) as organizers send it: header names, rows checked on their own.

Why pure and light: reading a sheet runs in a child process (``scoring.offload``) so that a big
or hostile file never holds the server's interpreter; this module and ``services.sheets`` are all
that child imports (no database, no Flask). ``services.setup`` checks the rows against the
competition and writes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from scoring import models as m
from scoring.document.checks import id_check_digit
from scoring.errors import Problem
from scoring.i18n import N_
from scoring.rules.numbers import shown
from scoring.services.sheets import SheetLimits, read_table

# Column headers as organizers write them; the first one of each tuple is the template's, the
# last one its English name. Compared without spaces, underscores and case (see ``_key``).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "选手姓名", "name", "Name"),
    "gender": ("性别", "gender", "Gender"),
    "unit": ("单位", "工作单位", "所在单位", "unit", "Unit"),
    "region": ("县区", "县（区）", "县(区)", "区县", "所属县区", "region", "Region"),
    "group": ("组别", "参赛组别", "group", "Group"),
    "id_number": ("身份证号", "身份证号码", "id_number", "ID number"),
    "phone": ("手机号", "手机号码", "联系电话", "phone", "Phone"),
}
#: Team events (团体项目): rows with the same value in a team group form one entry (roster_teams).
#: Not a template column: individual competitions never see it.
TEAM_HEADERS = ("队名", "队伍", "队伍名称", "参赛队", "团队", "team", "Team")
REQUIRED = ("name", "unit", "region", "group")
TEMPLATE_COLUMNS = [h[0] for h in HEADERS.values()]
HEADER_SCAN_ROWS = 10  # a title, a note and blank rows above the header row are common
_PHONE = re.compile(r"^1\d{10}$")
_ID = re.compile(r"^\d{17}[\dX]$")


@dataclass
class SheetRow:
    line: int  # the row number the organizer sees in the spreadsheet
    values: dict[str, str] = field(default_factory=dict)


def _key(header: str) -> str:
    return header.replace(" ", "").replace("_", "").replace("\u3000", "").lower()


_KNOWN = {_key(name): field for field, names in {**HEADERS, "team": TEAM_HEADERS}.items() for name in names}


def header_names(locale: str | None = None) -> list[str]:
    """The columns as the page lists them: Chinese names, or English ones on English pages."""
    english = (locale or "").lower().startswith("en")
    return [names[-1] if english else names[0] for names in HEADERS.values()]


def find_header(rows: list[list[str]], scan: int = HEADER_SCAN_ROWS) -> int | None:
    """Pure: the index of the header row: of the first ``scan`` rows, the one naming the most known
    columns (the first such row on a tie). Organizers' sheets often start with a title merged across
    the columns ("榆林市2025年托育职业技能竞赛报名表") and a note or a blank row under it."""
    best, best_count = None, 0
    for i, row in enumerate(rows[:scan]):
        count = len({_KNOWN[_key(c)] for c in row if _key(c) in _KNOWN})
        if count > best_count:
            best, best_count = i, count
    return best


def parse_contestants(rows: list[list[str]], source: str = "") -> tuple[list[SheetRow], list[Problem]]:
    """Pure: find the header row, map it to fields and check each row on its own (format, required,
    duplicates). Rows are numbered as the spreadsheet numbers them (the header may be row 3)."""
    if not rows or not any(any(r) for r in rows[:HEADER_SCAN_ROWS]):
        return [], [Problem(source, N_("The sheet is empty; one of its first rows must hold the column headers."))]
    top = find_header(rows)
    if top is None:
        return [], [
            Problem(
                source,
                N_("No header row found in the first %(rows)s rows; one row must name the columns (%(columns)s)."),
                {"rows": HEADER_SCAN_ROWS, "columns": "、".join(TEMPLATE_COLUMNS)},
            )
        ]
    header = rows[top]
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        key = _KNOWN.get(_key(h))
        if key is not None and key not in index:
            index[key] = i
    problems = [
        Problem(source, N_("The column %(column)s is missing."), {"column": HEADERS[k][0]}, row=top + 1)
        for k in REQUIRED
        if k not in index
    ]
    if problems:
        return [], problems
    out: list[SheetRow] = []

    def at(row: int, msgid: str, params: dict | None = None) -> Problem:
        return Problem(source, msgid, params or {}, row=row)

    seen_id: dict[str, int] = {}
    seen_person: dict[tuple[str, str], int] = {}
    for n, raw in enumerate(rows[top + 1 :], start=top + 2):
        if not any(raw):
            continue
        values = {k: (raw[i] if i < len(raw) else "") for k, i in index.items()}
        for k in REQUIRED:
            if not values.get(k):
                problems.append(at(n, N_("%(column)s is empty."), {"column": HEADERS[k][0]}))
        idn = values.get("id_number", "").upper()
        values["id_number"] = idn
        if idn:
            if not _ID.match(idn) or id_check_digit(idn[:17]) != idn[17]:
                problems.append(
                    at(
                        n,
                        N_("The ID number %(value)s is not valid."),
                        {"value": idn if len(idn) <= 18 else shown(idn)},
                    )
                )
            elif idn in seen_id:
                problems.append(at(n, N_("Duplicate: the ID number is also on row %(row)s."), {"row": seen_id[idn]}))
            else:
                seen_id[idn] = n
        phone = values.get("phone", "")
        if phone and not _PHONE.match(phone):
            problems.append(
                at(n, N_("The phone number %(value)s is not an 11-digit mobile number."), {"value": shown(phone)})
            )
        gender = values.get("gender", "")
        if gender and gender not in ("男", "女"):
            problems.append(at(n, N_("Gender must be 男 or 女, not %(value)s."), {"value": shown(gender)}))
        person = (values.get("name", ""), values.get("unit", ""))
        if all(person):
            if person in seen_person and not idn:
                problems.append(
                    at(
                        n,
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


def code_maker(existing: Iterable[m.Contestant]) -> Callable[[m.Group], str]:
    """The next free contestant code of a group (its letter and a number after the group's
    count), for rows added to a competition that already has ``existing``."""
    existing = list(existing)
    counters: dict[str, int] = {}
    taken = {c.code for c in existing}

    def next_code(g: m.Group) -> str:
        n = counters.get(g.code, sum(1 for c in existing if c.group_id == g.id))
        while True:
            n += 1
            code = f"{g.code[:1].upper()}{n:03d}"
            if code not in taken:
                break
        counters[g.code] = n
        taken.add(code)
        return code

    return next_code
