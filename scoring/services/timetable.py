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
    """The code of the session on now (or the next) in ``timezone``; None when all are over or there are none."""
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


def schedule(engine: Engine, cid: int) -> dict:
    """The printed schedule (场次安排): each session with who competes at which station.

    Names and units only once the draw map is revealed (the public draw page's rule): before it, a
    contestant is their anonymous code and station, so the schedule cannot be laid over the codes."""
    from scoring.services.results import identities_revealed

    rows = sessions(engine, cid)
    names = identities_revealed(engine, cid)
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        groups = {g.id: g for g in s.exec(select(m.Group).where(m.Group.competition_id == cid))}
        seated = s.exec(
            select(m.DrawEntry, m.Contestant)
            .join(m.Contestant, m.Contestant.id == m.DrawEntry.contestant_id)
            .where(m.DrawEntry.competition_id == cid, m.DrawEntry.session.is_not(None))
        ).all()
    by_session: dict[str, list[dict]] = {}
    for e, c in seated:
        person = {"station": e.station, "code": e.code, "group": groups[c.group_id].name}
        if c.withdrawn:
            person["status"] = c.withdrawn_as
        if names:
            person.update(name=c.name, unit=c.unit)
        by_session.setdefault(e.session or "", []).append(person)
    for r in rows:
        people = by_session.get(r["code"], [])
        r["contestants"] = sorted(people, key=lambda p: (p["group"], _station_key(p["station"]), p["code"]))
    return {
        "competition": {"name": comp.name, "organizer": comp.organizer, "venue": comp.venue, "slug": comp.slug},
        "names": names,
        "drawn": bool(seated),
        "sessions": rows,
    }


def _station_key(station: str) -> tuple[int, int, str]:
    return (0, int(station), "") if station.isascii() and station.isdigit() else (1, 0, station)
