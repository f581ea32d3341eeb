"""Organizer actions on live boards: visibility (embargo, live, freeze, publish), the award
reveal and the screen registry. Each action is one transaction with its audit event; changes
that alter what boards show bump the standings version and are announced after the commit.

Why the freeze stores a snapshot: public reads during a freeze are cut from what was stored
here, strictly the standings at the frozen version, so nothing entered later can leak.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring import signals
from scoring.db import transaction
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.models.types import utcnow
from scoring.services import standings
from scoring.services.audit import record
from scoring.visibility import State

THEMES = ("dark", "light")
COLUMNS = ("full", "compact")


def _screen_changed(cid: int, screen: m.Screen) -> None:
    """After commit: the screen gets its new settings, or a reload (``signals.screen_changed``)."""
    signals.screen_changed.send(cid, name=screen.name, settings=screen_settings(screen))


def screen_settings(screen: m.Screen) -> dict:
    return {
        "name": screen.name,
        "group": screen.group_code,
        "columns": screen.columns,
        "theme": screen.theme,
        "reload": screen.reload_token,
    }


def _competition(s, cid: int) -> m.Competition:
    comp = s.get(m.Competition, cid)
    if comp is None:
        raise NotFound(N_("No such competition."))
    return comp


def set_visibility(engine: Engine, cid: int, state: str, actor: str) -> int:
    """Embargo, go live, freeze (storing the public snapshot) or publish; returns the new version."""
    from scoring.services.results import full_payload

    try:
        state = State(state).value
    except ValueError:
        raise InvalidInput(Problem("state", N_("Unknown board state %(state)s."), {"state": state})) from None
    for _attempt in range(5):
        snapshot = full_payload(engine, cid) if state == State.FROZEN else None
        with transaction(engine) as s:
            comp = _competition(s, cid)
            if snapshot is not None and snapshot[0] != comp.standings_version:
                continue  # a mark landed while we computed: freeze exactly what is committed
            before = comp.visibility
            now = utcnow()
            comp.visibility = state
            if state == State.FROZEN:
                comp.frozen_at = now
                s.add(
                    m.FrozenSnapshot(
                        competition_id=cid, standings_version=snapshot[0], frozen_at=now, payload=snapshot[1]
                    )
                )
            else:
                comp.frozen_at = None
                for reveal in s.exec(select(m.Reveal).where(m.Reveal.competition_id == cid, m.Reveal.active.is_(True))):
                    reveal.active = False
                    s.add(reveal)
            s.add(comp)
            record(
                s,
                cid,
                actor,
                "board.visibility",
                state,
                {"from": before, "to": state, "frozen_version": snapshot[0] if snapshot else None},
            )
            version = standings.bump(s, cid)
        standings.announce(cid, version)
        return version
    raise Conflict(N_("Marks keep arriving; try the freeze again in a moment."))


def start_reveal(engine: Engine, cid: int, group: str, actor: str) -> int:
    """Fix the group's final standings now and start revealing them from the bottom (needs a freeze)."""
    from scoring.services.results import full_payload
    from scoring.services.withdrawals import OUT

    got = full_payload(engine, cid)
    rows = None
    for g in got[1]["groups"] if got else []:
        if g["code"] == group:
            rows = [r for r in g["rows"] if r.get("status") not in OUT]  # 弃权/缺考: nothing to reveal
    if rows is None:
        raise InvalidInput(Problem("group", N_("Unknown group %(group)s."), {"group": group}))
    with transaction(engine) as s:
        comp = _competition(s, cid)
        if comp.visibility != State.FROZEN:
            raise Conflict(N_("Freeze the boards before the award reveal."))
        for other in s.exec(select(m.Reveal).where(m.Reveal.competition_id == cid)):
            other.active = False
            s.add(other)
        reveal = s.exec(select(m.Reveal).where(m.Reveal.competition_id == cid, m.Reveal.group_code == group)).first()
        if reveal is None:
            reveal = m.Reveal(competition_id=cid, group_code=group)
        reveal.final = {"rows": rows, "version": got[0]}
        reveal.step = 0
        reveal.active = True
        reveal.started_at = utcnow()
        s.add(reveal)
        record(s, cid, actor, "board.reveal_started", group, {"version": got[0], "rows": len(rows)})
        version = standings.bump(s, cid)
    standings.announce(cid, version)
    return version


def step_reveal(engine: Engine, cid: int, group: str, delta: int, actor: str) -> tuple[int, int]:
    """Reveal the next row up (delta 1) or take the last one back (delta -1); returns (step, version)."""
    if delta not in (1, -1):
        raise InvalidInput(Problem("delta", N_("A reveal moves one step forward or back.")))
    with transaction(engine) as s:
        comp = _competition(s, cid)
        reveal = s.exec(
            select(m.Reveal).where(
                m.Reveal.competition_id == cid, m.Reveal.group_code == group, m.Reveal.active.is_(True)
            )
        ).first()
        if reveal is None or comp.visibility != State.FROZEN:
            raise Conflict(N_("No award reveal is running for this group."))
        total = len(reveal.final.get("rows", []))
        step = max(0, min(total, reveal.step + delta))
        if step == reveal.step:
            return step, comp.standings_version
        reveal.step = step
        s.add(reveal)
        record(s, cid, actor, "board.reveal_step", group, {"step": step, "of": total})
        version = standings.bump(s, cid)
    standings.announce(cid, version)
    return step, version


MAX_SCREENS = 60  # per competition: a venue has a few projectors and TVs, never hundreds
LAST_SEEN_EVERY = 30  # seconds: how stale last_seen may get before an open board refreshes it


def _screen_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(Problem("screen", N_("A screen name of 1 to 60 characters is required.")))
    return name


def register_screen(engine: Engine, cid: int, name: str, actor: str) -> dict:
    """Add a named screen to the registry (an organizer's act: on the screens console, or by
    opening a board with ?screen=NAME while signed in). Adding a known name changes nothing.

    Why only the organizer: the registry is the organizer's list of projectors; a board opened
    anonymously used to add any name it was given (200 requests, 200 entries)."""
    name = _screen_name(name)
    with transaction(engine) as s:
        _competition(s, cid)
        screen = s.exec(select(m.Screen).where(m.Screen.competition_id == cid, m.Screen.name == name)).first()
        if screen is None:
            count = s.exec(select(func.count()).select_from(m.Screen).where(m.Screen.competition_id == cid)).one()
            if count >= MAX_SCREENS:
                raise Conflict(N_("A competition has at most %(n)s screens; remove one first."), n=MAX_SCREENS)
            screen = m.Screen(competition_id=cid, name=name)
            record(s, cid, actor, "screen.registered", name)
            s.add(screen)
            s.flush()
        return screen_settings(screen)


def open_screen(engine: Engine, cid: int, name: str) -> dict | None:
    """A board opened with ?screen=NAME: the registered screen's settings (None for an unknown
    name, which creates nothing). Refreshes last_seen at most every LAST_SEEN_EVERY seconds, so
    reloading boards cannot turn into a stream of writes."""
    from datetime import timedelta

    name = (name or "").strip()
    if not name or len(name) > 60:
        return None
    with transaction(engine) as s:
        screen = s.exec(select(m.Screen).where(m.Screen.competition_id == cid, m.Screen.name == name)).first()
        if screen is None:
            return None
        now = utcnow()
        if screen.last_seen is None or now - screen.last_seen > timedelta(seconds=LAST_SEEN_EVERY):
            screen.last_seen = now
            s.add(screen)
        return screen_settings(screen)


def remove_screen(engine: Engine, cid: int, name: str, actor: str) -> None:
    with transaction(engine) as s:
        screen = _screen(s, cid, name)
        s.delete(screen)
        record(s, cid, actor, "screen.removed", name)


def configure_screen(engine: Engine, cid: int, name: str, *, group: str, columns: str, theme: str, actor: str) -> dict:
    problems = []
    if theme not in THEMES:
        problems.append(Problem("theme", N_("Unknown theme %(value)s."), {"value": theme}))
    if columns not in COLUMNS:
        problems.append(Problem("columns", N_("Unknown column set %(value)s."), {"value": columns}))
    with transaction(engine) as s:
        _competition(s, cid)
        if (
            group
            and s.exec(select(m.Group).where(m.Group.competition_id == cid, m.Group.code == group)).first() is None
        ):
            problems.append(Problem("group", N_("Unknown group %(group)s."), {"group": group}))
        if problems:
            raise InvalidInput(problems)
        screen = _screen(s, cid, name)
        before = screen_settings(screen)
        screen.group_code, screen.columns, screen.theme = group, columns, theme
        s.add(screen)
        record(s, cid, actor, "screen.configured", name, {"from": before, "to": screen_settings(screen)})
    _screen_changed(cid, screen)
    return screen_settings(screen)


def reload_screen(engine: Engine, cid: int, name: str, actor: str) -> dict:
    with transaction(engine) as s:
        screen = _screen(s, cid, name)
        screen.reload_token += 1
        s.add(screen)
        record(s, cid, actor, "screen.reload", name, {"token": screen.reload_token})
    _screen_changed(cid, screen)
    return screen_settings(screen)


def _screen(s, cid: int, name: str) -> m.Screen:
    screen = s.exec(select(m.Screen).where(m.Screen.competition_id == cid, m.Screen.name == name)).first()
    if screen is None:
        raise NotFound(N_("No screen named %(name)s."), name=name)
    return screen


def screens(engine: Engine, cid: int) -> list[m.Screen]:
    from scoring.db import reading

    with reading(engine) as s:
        return list(s.exec(select(m.Screen).where(m.Screen.competition_id == cid).order_by(m.Screen.name)))
