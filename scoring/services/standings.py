"""The one place that bumps the standings version and tells who listens.

Why one place: caches and boards are invalidated by a version number, never by listing
keys. A write path calls ``bump`` inside its transaction and ``announce`` after the commit,
which sends ``signals.standings_changed`` (the live layer listens; ``scoring.wiring``).
Standings are computed once per version and shared by every reader; which mark counts is
``rules.cells``' rule, folded in mark by mark (``Tally``).
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring import signals
from scoring.background import cpu_on_os_thread
from scoring.db import reading
from scoring.document import Document, load_document
from scoring.document.convert import engine_inputs, merge_standings
from scoring.errors import InvalidInput
from scoring.rules.cells import Tally
from scoring.rules.engine import StandingsEngine
from scoring.rules.types import Mark as RuleMark
from scoring.rules.types import Standings
from scoring.services.readside import MARK_COLUMNS, build_document


def bump(s: Session, competition_id: int, marks_only: bool = False) -> int:
    """Increase the competition's standings version inside the caller's transaction.

    ``marks_only`` is for the marks write path alone: the live standings then replay the new
    mark rows instead of rebuilding. Anything else (scheme, people, rules, visibility) leaves it
    False so readers rebuild. Call it before inserting marks: on PostgreSQL the row lock it
    takes makes mark ids follow commit order, which the replay relies on.
    """
    values = {"standings_version": m.Competition.standings_version + 1}
    if not marks_only:
        # The version this change makes (both right-hand sides read the old row): config_version
        # is then "the version of the last change that was not just marks", which is the version
        # an embargoed or frozen board knows (services.results.visible_version).
        values["config_version"] = m.Competition.standings_version + 1
    result = s.execute(
        update(m.Competition)
        .where(m.Competition.id == competition_id)
        .values(**values)
        .returning(m.Competition.standings_version)
    )
    return result.scalar_one()


def bump_config(s: Session, competition_id: int) -> None:
    """Only the config version, for a change no reader of the standings sees (a judge's
    credentials): the marks path's cached facts are rebuilt, the standings version stays."""
    s.execute(
        update(m.Competition)
        .where(m.Competition.id == competition_id)
        .values(config_version=m.Competition.config_version + 1)
    )


def announce(competition_id: int, version: int) -> None:
    """After commit: tell listeners (never before the change is durable)."""
    signals.standings_changed.send(competition_id, version=version)


# ----------------------------------------------------------------------------- computing

_states: dict[tuple[int, int], _Live] = {}
_state_locks: dict[tuple[int, int], threading.Lock] = {}


@dataclass
class _Live:
    """Standings of one competition kept current mark by mark.

    Why incremental: rebuilding the document and the engine costs about a second for a
    100-contestant competition, far too slow for a board that must move within a second of a
    mark. A mark-only change (``bump(..., marks_only=True)``) replays just the new mark rows into
    the engine; any other change (``config_version``) rebuilds from the database.
    """

    born: object  # Competition.created_at: tells a replaced competition apart
    config_version: int
    version: int
    doc: Document
    engines: dict[str | None, StandingsEngine]
    part_of: dict[str, str | None]  # contestant code -> engine key
    codes: tuple[dict[int, str], dict[int, str], dict[int, str]]  # contestant, aspect, judge id -> code
    watermark: int = 0  # highest Mark.id replayed
    tally: Tally = field(default_factory=Tally)  # which mark counts, by ((contestant, aspect), judge) codes
    standings: Standings | None = None


def computed(engine: Engine, competition_id: int):
    """(version, document, Standings) for the competition's current version."""
    key = (id(engine), competition_id)
    lock = _state_locks.setdefault(key, threading.Lock())
    with lock:
        with reading(engine) as s:
            comp = s.get(m.Competition, competition_id)
            if comp is None:
                return None
            state = _states.get(key)
            if state is not None and state.born != comp.created_at:
                state = None  # a replaced competition that got the same id (SQLite reuses ids)
            if (
                state is not None
                and state.version == comp.standings_version
                and state.config_version == comp.config_version
            ):
                return state.version, state.doc, state.standings
            if state is None or state.config_version != comp.config_version:
                # A full rebuild (after a weight change: every mark replayed) is seconds of work for a
                # big competition: on a real OS thread, so the loop serves tablets and boards meanwhile.
                state = cpu_on_os_thread(lambda: _rebuild(s, comp))
                _states[key] = state
            else:
                _replay(s, state, competition_id)
                state.version = comp.standings_version
            return state.version, state.doc, state.standings


def computed_in(s: Session, competition_id: int) -> tuple[Document, Standings]:
    """(document, Standings) as this session sees the competition, uncommitted changes included,
    never cached. Why: an action that changes marks and publishes the result of the change (an
    upheld appeal) computes what it publishes inside its own transaction."""
    state = _rebuild(s, s.get(m.Competition, competition_id))
    return state.doc, state.standings


def _rebuild(s: Session, comp: m.Competition) -> _Live:
    watermark = _max_mark_id(s, comp.id)  # first: anything newer is replayed (idempotently) later
    # The scheme and people through the document reader; the marks straight from their rows
    # (loading thousands of ORM objects and re-validating them cost most of a second).
    doc = load_document(_marked_groups(build_document(s, comp.id, include_marks=False)), strict=False)
    codes = (
        dict(s.exec(select(m.Contestant.id, m.Contestant.code).where(m.Contestant.competition_id == comp.id)).all()),
        dict(s.exec(select(m.Aspect.id, m.Aspect.code).where(m.Aspect.competition_id == comp.id)).all()),
        dict(s.exec(select(m.Judge.id, m.Judge.code).where(m.Judge.competition_id == comp.id)).all()),
    )
    state = _Live(comp.created_at, comp.config_version, comp.standings_version, doc, {}, {}, codes)
    for row in _mark_rows(s, comp.id, 0, watermark):
        _track(state, row)
    current = sorted((c, a, j, mark.value) for ((c, a), j), mark in state.tally.counting.items())
    doc = dataclasses.replace(doc, marks=tuple(RuleMark(c, a, j, v) for c, a, j, v in current))
    inputs = engine_inputs(doc)
    state.doc = doc
    state.engines = {k: StandingsEngine(inp) for k, inp in inputs.items()}
    state.part_of = {c.code: k for k, inp in inputs.items() for c in inp.contestants}
    state.watermark = watermark
    state.standings = merge_standings({k: e.standings for k, e in state.engines.items()}, state.doc.rules)
    return state


def _marked_groups(raw: dict) -> dict:
    """The document without the groups some stage has no panel for, nor their people.

    Why: a group the organizer has just added has no panel yet; the document's check refuses such
    a document, and every page that shows standings answered 422. Such a group has no standings
    until its panels exist; the blockers (``services.blockers``) name its missing panel, and
    publication is refused while it is missing."""
    stages = {st["code"] for st in raw.get("stages", [])}
    panelled: dict[str, set] = {}
    for p in raw.get("panels", []):
        panelled.setdefault(p["group"], set()).add(p["stage"])
    unready = {g["code"] for g in raw.get("groups", []) if not stages <= panelled.get(g["code"], set())}
    if not unready:
        return raw
    people = {c["code"] for c in raw.get("contestants", []) if c.get("group") in unready}
    out = {
        **raw,
        "groups": [g for g in raw["groups"] if g["code"] not in unready],
        "contestants": [c for c in raw.get("contestants", []) if c["code"] not in people],
        "recusals": [r for r in raw.get("recusals", []) if r.get("contestant") not in people],
    }
    if raw.get("draw"):
        entries = [e for e in raw["draw"].get("entries", []) if e.get("contestant") not in people]
        out["draw"] = {**raw["draw"], "entries": entries}
    return out


def _max_mark_id(s: Session, cid: int) -> int:
    return s.exec(select(func.max(m.Mark.id)).where(m.Mark.competition_id == cid)).one() or 0


def _mark_rows(s: Session, cid: int, after: int, upto: int | None = None):
    q = select(*MARK_COLUMNS).where(m.Mark.competition_id == cid, m.Mark.id > after)
    if upto is not None:
        q = q.where(m.Mark.id <= upto)
    return s.exec(q.order_by(m.Mark.id)).all()


def _track(state: _Live, row) -> list[tuple]:
    """Fold one mark row into the tally (rules.cells); return the engine changes it causes as
    (contestant, aspect, judge, counting mark or None) by codes."""
    c, a, j = state.codes[0].get(row.contestant_id), state.codes[1].get(row.aspect_id), state.codes[2].get(row.judge_id)
    if c is None or a is None or j is None:
        return []
    return [(cell[0], cell[1], judge, mark) for cell, judge, mark in state.tally.add((c, a), j, row)]


def _replay(s: Session, state: _Live, cid: int) -> None:
    rows = _mark_rows(s, cid, state.watermark)
    if not rows:
        return
    touched: set = set()
    for row in rows:
        for change in _track(state, row):
            c, a, j, mark = change
            key = state.part_of.get(c, "__none__")
            eng = state.engines.get(key)
            if eng is None:
                continue  # a withdrawn contestant: not in the standings
            try:
                if mark is not None:
                    eng.apply_mark(RuleMark(c, a, j, mark.value))
                else:
                    eng.remove_mark(c, a, j)
            except InvalidInput:
                continue  # an aspect the contestant's group is not marked on: the engine ignores it
            touched.add(key)
        state.watermark = row[0]
    if touched:
        state.standings = merge_standings({k: e.standings for k, e in state.engines.items()}, state.doc.rules)


def forget(engine: Engine, competition_id: int) -> None:
    """Drop the in-memory state (after a competition is replaced or deleted)."""
    _states.pop((id(engine), competition_id), None)
