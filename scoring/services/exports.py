"""Results exports: XLSX and CSV per group, the printable PDF sheet, and the public export.

Why from the results report: every export shows the same strings the pages show (numbers
formatted by the rules, never floats), and the report never carries ID or phone numbers.
The public export keeps only what the public results page shows: rank, code, name, unit,
scores, awards; no station, county, gender, ID, phone or raw judge marks.
"""
from __future__ import annotations

import csv
import io

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import NotFound
from scoring.i18n import N_


def columns(group: dict, public: bool = False) -> list[tuple[str, callable]]:
    cols = [("名次 Rank", lambda r: r["rank"] or ""), ("编号 Code", lambda r: r["code"])]
    if not public:
        cols.append(("工位号 Station", lambda r: r.get("station", "")))
    cols += [("姓名 Name", lambda r: r["name"]), ("单位 Unit", lambda r: r["unit"])]
    if not public:
        cols.append(("县区 Region", lambda r: r["region"]))
    for st in group["stages"]:
        cols.append((f"{st['name']}({st['weight']}%)", lambda r, c=st["code"]: r["stages"].get(c, {}).get("score") or ""))
    cols += [("总分 Total", lambda r: r["total"] or ""), ("奖项 Award", lambda r: "、".join(r["awards"])),
             ("决定规则 Decided by", lambda r: r.get("decided_by_text") or ""),
             ("状态 Status", lambda r: {"ranked": "已排名", "incomplete": "未完成", "withdrawn": "退赛"}.get(r["status"], r["status"]))]
    return cols


def _group(report: dict, code: str) -> dict:
    for g in report["groups"]:
        if g["code"] == code:
            return g
    raise NotFound(N_("Unknown group."))


def table(report: dict, group: str, public: bool = False) -> tuple[list[str], list[list[str]]]:
    g = _group(report, group)
    cols = columns(g, public)
    return [c[0] for c in cols], [[str(f(r)) for _, f in cols] for r in g["rows"]]


def group_csv(report: dict, group: str, public: bool = False) -> bytes:
    head, rows = table(report, group, public)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    w.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Chinese CSV correctly


def group_xlsx(report: dict, group: str, public: bool = False, version: dict | None = None) -> bytes:
    from openpyxl import Workbook

    head, rows = table(report, group, public)
    g = _group(report, group)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(g["name"][:30] or group)
    title = f"{report['competition']['name']} · {g['name']}"
    if version:
        title += f" · v{version['number']} sha256:{version['hash']}"
    ws.append([title])
    ws.append(head)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def judges_of(engine: Engine, cid: int) -> tuple[list[str], str]:
    with reading(engine) as s:
        judges = list(s.exec(select(m.Judge).where(m.Judge.competition_id == cid).order_by(m.Judge.id)))
    chief = next((j.name for j in judges if j.role == "chief"), "")
    return [j.name for j in judges if j.role != "chief"], chief
