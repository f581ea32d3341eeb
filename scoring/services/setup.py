"""Setting a competition up from the spreadsheets organizers already have.

Why all-or-nothing with a full report: an organizer fixing a 78-row sheet needs every bad row
and the reason in one pass, and a half-imported list is worse than none. ``parse_contestants``
is pure (bytes in, rows and problems out); ``import_contestants`` validates against the
competition and writes in one transaction only when there is no problem at all.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.document.load import id_check_digit
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.rules.numbers import parse_decimal, shown
from scoring.services import standings
from scoring.services.audit import record
from scoring.services.lookup_codes import give_codes
from scoring.services.roster import (  # noqa: F401  (HEADERS, SheetRow: the template and older callers)
    HEADERS,
    TEMPLATE_COLUMNS,
    SheetRow,
    code_maker,
    parse_contestants,
    read_contestants,
)
from scoring.services.roster_teams import team_entries
from scoring.services.sheets import SheetLimits


def import_contestants(
    engine: Engine,
    cid: int,
    filename: str,
    data: bytes,
    actor: str,
    *,
    limits: SheetLimits = SheetLimits(),
    run: Callable | None = None,
) -> int:
    """Add every contestant of the sheet, or none: raises InvalidInput listing every bad row.

    ``run(target, *args)`` runs the pure reading step (``roster.read_contestants``); the web layer
    passes one that runs it in a child process with a time limit (web/uploads.py), so a hostile
    file cannot stop the boards. Without it the step runs here (CLI, tests)."""
    if run is None:
        rows, problems = read_contestants(filename, data, limits)
    else:
        rows, problems = run("scoring.services.roster:read_contestants", filename, data, limits)
    # Read and check without the write lock (a sheet of thousands of rows takes a while); the write
    # transaction then only re-checks that nothing it relies on changed, and inserts.
    with reading(engine) as s:
        groups = {}
        for g in s.exec(select(m.Group).where(m.Group.competition_id == cid)):
            groups[g.code] = g
            groups[g.name] = g
        existing = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)))
    known_ids = {c.id_number: c for c in existing if c.id_number}
    known_ids.update({p["id_number"]: c for c in existing for p in c.members if p.get("id_number")})
    for r in rows:
        if r.values.get("group") and r.values["group"] not in groups:
            problems.append(
                Problem(
                    filename,
                    N_("Unknown group %(value)s (known: %(known)s)."),
                    {
                        "value": shown(r.values["group"]),
                        "known": "、".join(sorted({g.name for g in groups.values()})),
                    },
                    row=r.line,
                )
            )
        idn = r.values.get("id_number")
        if idn and idn in known_ids:
            problems.append(
                Problem(
                    filename,
                    N_("Duplicate: %(name)s with this ID number is already registered."),
                    {"name": known_ids[idn].name},
                    row=r.line,
                )
            )
    rows, teams, team_problems = team_entries(rows, groups, filename)
    problems.extend(team_problems)
    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: p.row or 0))
    next_code = code_maker(existing)
    new = [
        m.Contestant(competition_id=cid, group_id=groups[t.group].id, code=next_code(groups[t.group]), **t.row)
        for t in teams
    ]
    for r in rows:
        g = groups[r.values["group"]]
        new.append(
            m.Contestant(
                competition_id=cid,
                group_id=g.id,
                code=next_code(g),
                name=r.values["name"],
                gender=r.values.get("gender", ""),
                unit=r.values["unit"],
                region=r.values["region"],
                id_number=r.values.get("id_number", ""),
                phone=r.values.get("phone", ""),
            )
        )
    give_codes(new, existing)  # 成绩查询: each new contestant's own code
    columns = [c.key for c in m.Contestant.__table__.columns if c.key != "id"]
    values = [{k: getattr(c, k) for k in columns} for c in new]
    with transaction(engine) as s:
        if s.exec(select(m.Mark.id).where(m.Mark.competition_id == cid).limit(1)).first() is not None:
            raise Conflict(N_("Marking has begun; contestants can no longer be imported."))
        now = s.exec(select(m.Contestant.id).where(m.Contestant.competition_id == cid)).all()
        if sorted(now) != sorted(c.id for c in existing):
            raise Conflict(N_("The contestant list changed while the sheet was read; upload it again."))
        # one executemany of plain rows (the ORM's flush of thousands of objects held the lock ten times as long)
        s.connection().execute(insert(m.Contestant.__table__), values)
        record(
            s,
            cid,
            actor,
            "contestants.imported",
            filename,
            {"rows": len(rows) + sum(len(t.lines) for t in teams), "teams": len(teams)},
        )
        version = standings.bump(s, cid)
    standings.announce(cid, version)
    return len(rows) + len(teams)


def template_bytes(kind: str) -> bytes:
    """The downloadable contestant template (headers and one example row), written through
    ``scoring.spreadsheet`` like every export; ID and phone columns are text cells."""
    from openpyxl import Workbook

    from scoring.spreadsheet import csv_bytes, xlsx_cell

    example = [
        "张伟",
        "女",
        "榆阳区第一幼儿园",
        "榆阳区",
        "托育",
        "61080219900101122" + id_check_digit("61080219900101122"),
        "13800000000",
    ]
    if kind == "csv":
        return csv_bytes([TEMPLATE_COLUMNS, example])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("选手")
    for col, width in zip("ABCDEFG", (10, 6, 24, 10, 10, 22, 14)):
        ws.column_dimensions[col].width = width
    ws.append([xlsx_cell(ws, v) for v in TEMPLATE_COLUMNS])
    for row in range(2, 201):  # ID and phone numbers stay text (no 6.1E+17), also in the rows typed later
        values = example if row == 2 else [None] * len(example)
        ws.append([xlsx_cell(ws, v, text_format=i >= 5) for i, v in enumerate(values)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- recusal


def suggest_recusals(engine: Engine, cid: int) -> list[dict]:
    """Judge-contestant pairs from the same unit or county that are not yet recused (回避 suggestions)."""
    with reading(engine) as s:
        return _suggestions(s, cid)


def _suggestions(s: Session, cid: int) -> list[dict]:
    judges = list(s.exec(select(m.Judge).where(m.Judge.competition_id == cid)))
    people = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)))
    have = {(r.judge_id, r.contestant_id) for r in s.exec(select(m.Recusal).where(m.Recusal.competition_id == cid))}
    panel_groups: dict[int, set[int]] = {}
    for pj, p in s.exec(
        select(m.PanelJudge, m.Panel)
        .join(m.Panel, m.Panel.id == m.PanelJudge.panel_id)
        .where(m.Panel.competition_id == cid)
    ):
        panel_groups.setdefault(pj.judge_id, set()).add(p.group_id)
    out = []
    for j in judges:
        for c in people:
            if (j.id, c.id) in have or (j.id in panel_groups and c.group_id not in panel_groups[j.id]):
                continue
            reason = ""  # a team (团体项目) shares the units and counties of all its members
            if j.unit and j.unit in {c.unit, *(x.get("unit") for x in c.members)}:
                reason = "同一单位"
            elif j.region and j.region in {c.region, *(x.get("region") for x in c.members)}:
                reason = "同一县区"
            if reason:
                out.append(
                    {
                        "judge_id": j.id,
                        "judge": j.code,
                        "judge_name": j.name,
                        "contestant_id": c.id,
                        "contestant": c.code,
                        "contestant_name": c.name,
                        "reason": reason,
                    }
                )
    return out


def apply_suggested_recusals(engine: Engine, cid: int, actor: str) -> int:
    """Record every current suggestion as a recusal: all of them in one transaction, or none
    (a half-applied list would leave some conflicted judges marking). Returns how many."""
    try:
        with transaction(engine) as s:
            suggestions = _suggestions(s, cid)
            for sug in suggestions:
                s.add(
                    m.Recusal(
                        competition_id=cid,
                        judge_id=sug["judge_id"],
                        contestant_id=sug["contestant_id"],
                        reason=sug["reason"],
                    )
                )
                s.flush()
                record(s, cid, actor, "recusal.set", f"{sug['judge']}/{sug['contestant']}", {"reason": sug["reason"]})
            version = standings.bump(s, cid) if suggestions else None
    except IntegrityError:  # a pair recorded meanwhile (another console): none of this list is kept
        raise Conflict(N_("This was changed by someone else in the meantime.")) from None
    if version is not None:
        standings.announce(cid, version)
    return len(suggestions)


def set_recusal(engine: Engine, cid: int, judge_id: int, contestant_id: int, on: bool, reason: str, actor: str) -> None:
    with transaction(engine) as s:
        j, c = s.get(m.Judge, judge_id), s.get(m.Contestant, contestant_id)
        if j is None or c is None or j.competition_id != cid or c.competition_id != cid:
            raise NotFound(N_("Unknown judge or contestant."))
        row = s.exec(
            select(m.Recusal).where(m.Recusal.judge_id == judge_id, m.Recusal.contestant_id == contestant_id)
        ).first()
        if on and row is None:
            s.add(m.Recusal(competition_id=cid, judge_id=judge_id, contestant_id=contestant_id, reason=reason[:200]))
        elif not on and row is not None:
            s.delete(row)
        else:
            return
        record(s, cid, actor, "recusal.set" if on else "recusal.removed", f"{j.code}/{c.code}", {"reason": reason})
        version = standings.bump(s, cid)
    standings.announce(cid, version)


# --------------------------------------------------------------------------- competition settings


def _decimal(value: str, path: str, problems: list[Problem]) -> Decimal | None:
    """A number typed on a console form (weight, max mark): strictly a plain decimal, not negative."""
    try:
        return parse_decimal(value, path, minimum=Decimal(0))
    except InvalidInput as exc:
        problems.extend(exc.problems)
        return None


def update_competition(engine: Engine, cid: int, form: dict, actor: str) -> None:
    """Name, organizer, date, venue and the stage weights, validated together."""
    problems: list[Problem] = []
    name = (form.get("name") or "").strip()
    if not name:
        problems.append(Problem("name", N_("%(column)s is empty."), {"column": "名称 name"}))
    with transaction(engine) as s:
        comp = s.get(m.Competition, cid)
        stages = list(s.exec(select(m.Stage).where(m.Stage.competition_id == cid).order_by(m.Stage.position)))
        weights = {}
        for st in stages:
            raw = form.get(f"weight_{st.code}")
            if raw is not None and raw != "":
                w = _decimal(raw, f"weight_{st.code}", problems)
                if w is not None and st.max_weight is not None and w > st.max_weight:
                    problems.append(
                        Problem(f"weight_{st.code}", N_("At most %(max)s."), {"max": format(st.max_weight, "f")})
                    )
                weights[st.code] = w
        if comp.rules.get("weight_kind", "percent") == "percent" and weights and not problems:
            total = sum((weights.get(st.code, st.weight) for st in stages), Decimal(0))
            if total != 100:
                problems.append(
                    Problem(
                        "weights",
                        N_("Percent weights must add up to 100 (now %(total)s)."),
                        {"total": format(total, "f")},
                    )
                )
        if problems:
            raise InvalidInput(problems)
        comp.name = name
        for key in ("organizer", "date", "venue"):
            if key in form:
                setattr(comp, key, (form.get(key) or "").strip())
        for st in stages:
            if st.code in weights:
                st.weight = weights[st.code]
                s.add(st)
        s.add(comp)
        _still_valid(s, cid)
        record(
            s,
            cid,
            actor,
            "competition.updated",
            comp.slug,
            {"weights": {k: format(v, "f") for k, v in weights.items()}},
        )
        version = standings.bump(s, cid)
    standings.announce(cid, version)


def add_group(engine: Engine, cid: int, code: str, name: str, actor: str) -> None:
    code, name = (code or "").strip(), (name or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", code) or not name:
        raise InvalidInput(Problem("group", N_("A group needs a code (letters, digits) and a name.")))
    with transaction(engine) as s:
        if s.exec(select(m.Group).where(m.Group.competition_id == cid, m.Group.code == code)).first():
            raise InvalidInput(Problem("group", N_("The code %(code)s is taken."), {"code": code}))
        n = len(s.exec(select(m.Group.id).where(m.Group.competition_id == cid)).all())
        s.add(m.Group(competition_id=cid, code=code, name=name, position=n))
        record(s, cid, actor, "group.added", code, {"name": name})


def add_judge(engine: Engine, cid: int, form: dict, actor: str) -> None:
    code, name = (form.get("code") or "").strip(), (form.get("name") or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", code) or not name:
        raise InvalidInput(Problem("judge", N_("A judge needs a code (letters, digits) and a name.")))
    with transaction(engine) as s:
        if s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == code)).first():
            raise InvalidInput(Problem("judge", N_("The code %(code)s is taken."), {"code": code}))
        s.add(
            m.Judge(
                competition_id=cid,
                code=code,
                name=name,
                role=form.get("role") or "judge",
                unit=(form.get("unit") or "").strip(),
                region=(form.get("region") or "").strip(),
            )
        )
        record(s, cid, actor, "judge.added", code, {"name": name})


def _still_valid(s, cid: int) -> None:
    """The changed competition must still load as a document (weights, scheme sums); else roll back.
    Without its marks: no change made here can make a stored mark invalid (a max mark changes only
    while the aspect has none), and reading tens of thousands of them inside the write lock stopped
    every tablet for seconds."""
    from scoring.document import load_document
    from scoring.services.readside import build_document

    s.flush()
    load_document(build_document(s, cid, include_marks=False))


def update_aspect(engine: Engine, cid: int, code: str, name: str, max_mark: str, actor: str) -> None:
    """Edit one aspect of the marking scheme (name, max mark) before marking begins."""
    problems: list[Problem] = []
    mx = _decimal(max_mark, f"aspect {code}", problems)
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as s:
        a = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == code)).first()
        if a is None:
            raise NotFound(N_("Unknown aspect."))
        if s.exec(select(m.Mark.id).where(m.Mark.aspect_id == a.id).limit(1)).first() is not None and mx != a.max_mark:
            raise Conflict(N_("Marks exist for this aspect; its max mark can no longer change."))
        a.name, a.max_mark = (name or a.name).strip(), mx
        s.add(a)
        _still_valid(s, cid)
        record(s, cid, actor, "scheme.aspect_updated", code, {"max_mark": format(mx, "f")})
        version = standings.bump(s, cid)
    standings.announce(cid, version)
