"""The timetable as the pages read it: the sessions (场次) of a competition and which one is on.

Why here and not in every view: the tablet's list, the chief judge's grid, the board and the
printed schedule all default to "the current session", read by the clock in the venue's time zone
(``SCORING_TIMEZONE``) and decided by one pure rule (``rules.timetable.current``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.rules.timetable import Sitting, current


def sessions(engine: Engine, cid: int) -> list[dict]:
    """The sessions in time order: code, name, stage (code and name), date, start, end, stations, groups."""
    with reading(engine) as s:
        stages = {st.id: st for st in s.exec(select(m.Stage).where(m.Stage.competition_id == cid))}
        rows = s.exec(select(m.StageSession).where(m.StageSession.competition_id == cid)).all()
    out = [
        {
            "code": r.code,
            "name": r.name or r.code,
            "stage": stages[r.stage_id].code,
            "stage_name": stages[r.stage_id].name,
            "date": r.date,
            "start": r.start,
            "end": r.end,
            "stations": list(r.stations),
            "groups": list(r.groups),
        }
        for r in rows
    ]
    return sorted(out, key=lambda x: (x["date"], x["start"], x["code"]))


def current_code(rows: list[dict], timezone: str, now: datetime | None = None) -> str | None:
    """The code of the session on now (or next, or last) in ``timezone``; None without sessions."""
    local = (now or datetime.now(ZoneInfo(timezone))).astimezone(ZoneInfo(timezone))
    sittings = [Sitting(r["code"], r["date"], r["start"], r["end"]) for r in rows]
    on = current(sittings, local.strftime("%Y-%m-%d"), local.strftime("%H:%M"))
    return on.code if on else None


def picker(engine: Engine, cid: int, timezone: str, now: datetime | None = None) -> dict:
    """What a session picker needs: the sessions and the one to show first."""
    rows = sessions(engine, cid)
    return {"sessions": rows, "current_session": current_code(rows, timezone, now)}


def chosen(engine: Engine, cid: int, asked: str | None, timezone: str) -> str | None:
    """A page's ``?session=``: a session code, ``current`` (the one on now), else None (all)."""
    if not asked:
        return None
    rows = sessions(engine, cid)
    if asked == "current":
        return current_code(rows, timezone)
    return asked if any(r["code"] == asked for r in rows) else None
