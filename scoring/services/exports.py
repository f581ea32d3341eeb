"""Results exports: XLSX and CSV per group, the printable PDF sheet, and the public export.

Why from the results report: every export shows the same strings the pages show (numbers
formatted by the rules, never floats), and the report never carries ID or phone numbers.
The public export keeps only what the public results page shows: rank, code, name, unit,
scores, awards; no station, county, gender, ID, phone or raw judge marks.
Cells go out through ``scoring.spreadsheet``: ranks and scores as numbers, text never as a formula.
Headers, stage names and statuses are in the reader's language (``locale``), from the catalog.
"""

from __future__ import annotations

import io

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import jobs
from scoring import models as m
from scoring.db import make_engine, reading
from scoring.errors import NotFound
from scoring.i18n import N_, translate
from scoring.labels import joined, plain, stage_label, status_label
from scoring.services.readside import seating
from scoring.spreadsheet import SheetValue, csv_bytes, number, sheet_title, xlsx_cell, xlsx_row


def columns(group: dict, public: bool = False, locale: str | None = None) -> list[tuple[str, callable]]:
    """The columns of one group's sheet, headed in the reader's language (the catalog's words)."""

    def t(msgid: str) -> str:
        return translate(msgid, locale)

    cols = [(t(N_("Rank")), lambda r: number(r["rank"])), (t(N_("Code")), lambda r: r["code"])]
    if not public:
        cols.append((t(N_("Station")), lambda r: r.get("station", "")))
    cols += [(t(N_("Name")), lambda r: r["name"]), (t(N_("Unit")), lambda r: r["unit"])]
    if any(r.get("members") for r in group["rows"]):  # a team event: its members, by name and unit
        cols.append((t(N_("Members")), lambda r: members_text(r.get("members") or [], locale)))
    if not public:
        cols.append((t(N_("Region")), lambda r: r["region"]))
    for st in group["stages"]:
        head = f"{stage_label(st['name'], st['code'], locale)} ({plain(st['weight'])}%)"
        cols.append((head, lambda r, c=st["code"]: number(r["stages"].get(c, {}).get("score"))))
    cols.append((t(N_("Total")), lambda r: number(r["total"])))
    if "scale" in group:  # a declared cross-group standardisation: beside the raw total, never instead
        cols.append((t(N_("Standardised")), lambda r: number(r.get("standardised"))))
    cols += [
        (t(N_("Award")), lambda r: joined(r["awards"], locale)),
        (t(N_("Decided by")), lambda r: r.get("decided_by_text") or ""),
        (t(N_("Status")), lambda r: status_text(r, locale)),
    ]
    return cols


def status_text(row: dict, locale: str | None = None) -> str:
    """A row's status; a withdrawal (弃权/缺考) with its reason, so it never reads as a 0."""
    label = status_label(row["status"], locale)
    return f"{label}: {row['reason']}" if row.get("reason") else label


def members_text(members: list[dict], locale: str | None = None) -> str:
    """张燕（榆阳区妇幼保健院）、李娜（…）: each member with the unit, in the reader's punctuation."""
    if (locale or "").startswith("en"):
        return "; ".join(f"{m['name']} ({m['unit']})" if m.get("unit") else m["name"] for m in members)
    return "、".join(f"{m['name']}（{m['unit']}）" if m.get("unit") else m["name"] for m in members)


def _group(report: dict, code: str) -> dict:
    for g in report["groups"]:
        if g["code"] == code:
            return g
    raise NotFound(N_("Unknown group."))


def table(
    report: dict, group: str, public: bool = False, locale: str | None = None
) -> tuple[list[str], list[list[SheetValue]]]:
    """Header and rows of one group: numbers as ``Decimal`` (blank when missing), the rest as text."""
    g = _group(report, group)
    cols = columns(g, public, locale)
    return [c[0] for c in cols], [[f(r) for _, f in cols] for r in g["rows"]]


def group_csv(report: dict, group: str, public: bool = False, locale: str | None = None) -> bytes:
    head, rows = table(report, group, public, locale)
    return csv_bytes([head, *rows])


def group_xlsx(
    report: dict,
    group: str,
    public: bool = False,
    version: dict | None = None,
    locale: str | None = None,
    progress: jobs.Progress | None = None,
) -> bytes:
    head, rows = table(report, group, public, locale)
    g = _group(report, group)
    title = sheet_title(g["name"], sheet_title(group, "results"))
    return _xlsx(report, g["name"], title, head, rows, version, progress)


def _xlsx(
    report: dict,
    name: str,
    sheet: str,
    head: list[str],
    rows: list[list[SheetValue]],
    version: dict | None,
    progress: jobs.Progress | None = None,
) -> bytes:
    """One sheet: a title line (competition, what, the version and its hash), the head, the rows."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    title = f"{report['competition']['name']} · {name}"
    if version:
        title += f" · v{version['number']} sha256:{version['hash']}"
    ws.append([xlsx_cell(ws, title)])
    ws.append(xlsx_row(ws, head))
    for i, r in enumerate(rows, 1):
        ws.append(xlsx_row(ws, r))
        if progress is not None and i % 500 == 0:
            progress(i, len(rows))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- team standings (团体总分)


def _standing(report: dict, code: str) -> dict:
    for ts in report.get("team_standings", []):
        if ts["code"] == code:
            return ts
    raise NotFound(N_("Unknown team standing."))


def team_table(report: dict, code: str, locale: str | None = None) -> tuple[list[str], list[list[SheetValue]]]:
    """Header and rows of one team standing in the reader's language: delegations with rank, score or
    award counts, the results that counted (name and total, or the points they earned) and the
    deciding rule."""
    from scoring.document.team_report import localized

    ts = localized([_standing(report, code)], locale)[0]
    tiers = ts["tiers"]

    def t(msgid: str) -> str:
        return translate(msgid, locale)

    cols: list[tuple[str, callable]] = [
        (t(N_("Rank")), lambda r: number(r["rank"])),
        (t(N_("Delegation")), lambda r: r["delegation"]),
    ]
    cols += [(name, lambda r, tier=name: number(str(r["counts"].get(tier, 0)))) for name in tiers]
    if ts["method"] != "medal_table":
        cols.append((t(N_("Score")), lambda r: number(r["score"])))
    cols += [
        (t(N_("Award")), lambda r: joined(r.get("awards", []), locale)),
        (
            t(N_("Counted")),
            lambda r: joined((f"{c['name'] or c['code']} {c['points'] or c['total']}" for c in r["counted"]), locale),
        ),
        (t(N_("Decided by")), lambda r: r.get("decided_by_text") or ""),
    ]
    return [c[0] for c in cols], [[f(r) for _, f in cols] for r in ts["rows"]]


def team_csv(report: dict, code: str, locale: str | None = None) -> bytes:
    head, rows = team_table(report, code, locale)
    return csv_bytes([head, *rows])


def team_xlsx(report: dict, code: str, version: dict | None = None, locale: str | None = None) -> bytes:
    head, rows = team_table(report, code, locale)
    ts = _standing(report, code)
    return _xlsx(report, ts["name"], sheet_title(ts["name"], sheet_title(code, "teams")), head, rows, version)


def judges_of(engine: Engine, cid: int) -> tuple[list[str], str]:
    """The names that sign a results sheet: the judges (not a trainee on every seat) and the chief."""
    with reading(engine) as s:
        judges = list(s.exec(select(m.Judge).where(m.Judge.competition_id == cid).order_by(m.Judge.id)))
        panels = seating(s, cid).panels
    trainees = {j for p in panels for j in p.trainees} - {j for p in panels for j in p.judges}
    chief = next((j.name for j in judges if j.role == "chief"), "")
    return [j.name for j in judges if j.role != "chief" and j.id not in trainees], chief


# --------------------------------------------------------------------------- off the serving loop (scoring.jobs)


def report_of(engine: Engine, cid: int, version: int | None) -> tuple[dict, dict | None]:
    """The results report to export: the current one, or published version ``version`` with its
    number and hash (``NotFound`` for a version that does not exist)."""
    from scoring.services import publication

    if version:
        for v in publication.versions(engine, cid):
            if v.number == version:
                return v.content, {"number": v.number, "hash": v.content_hash}
        raise NotFound(N_("Unknown version."))
    return publication.current_report(engine, cid), None


def sheet_file(
    report: dict, what: str, code: str, fmt: str, public: bool, ver: dict | None, locale: str | None, progress=None
) -> bytes:
    """One group's (``what="group"``) or team standing's (``"team"``) sheet as CSV or XLSX bytes."""
    if what == "team":
        return team_csv(report, code, locale) if fmt == "csv" else team_xlsx(report, code, ver, locale)
    if fmt == "csv":
        return group_csv(report, code, public, locale)
    return group_xlsx(report, code, public, ver, locale, progress)


@jobs.target
def export_file(
    progress: jobs.Progress,
    url: str,
    cid: int,
    what: str,
    code: str,
    fmt: str,
    public: bool,
    version: int | None,
    locale: str | None,
) -> bytes:
    """The job behind a big export (in a child process, own engine): read, compute, write the sheet."""
    engine = make_engine(url)
    progress(0, 1)
    report, ver = report_of(engine, cid, version)
    if fmt == "pdf":
        from scoring.certificates.render import results_sheet_pdf

        one = {**report, "groups": [g for g in report["groups"] if g["code"] == code]}
        if not one["groups"]:
            raise NotFound(N_("Unknown group."))
        judges, chief = judges_of(engine, cid)
        return results_sheet_pdf(one, ver, judges, chief, locale)
    return sheet_file(report, what, code, fmt, public, ver, locale, progress)


@jobs.target
def document_file(progress: jobs.Progress, url: str, cid: int) -> bytes:
    """The job behind a big document dump (``GET /admin/c/<slug>/document.json``)."""
    from scoring.document import to_json
    from scoring.services.transfer import export_document

    progress(0, 1)
    data = to_json(export_document(make_engine(url), cid, include_private=True))
    return data.encode() if isinstance(data, str) else data
