"""The marks hot path's reads of one cell: its open round and this judge's newest version there,
alone (``cell_state``) or together with the competition's config head (``head_and_cell``).

Why one statement for both on the hot path: a tablet's mark needed two reads before its write,
the competition's head (config version, a replayed key, the slug) and the cell; on PostgreSQL
each is a round trip, and each statement costs SQLAlchemy CPU on any database. The cell's ids
are only known once the head says which cached facts (``mark_config.MarkConfig``) are current,
so ``services.marks`` guesses them from the facts cached last and reads both at once; when the
head then shows other facts (a change to people, panels or the scheme since), or the guess was
not the cell the current facts resolve to, it reads the cell again on its own. Every check runs
as before and in the same order: only the reads are fewer. The cell read a moment earlier than
before changes nothing the write relies on: the unique version per cell and the re-score round
read again inside the write transaction (``services.mark_rows``) still catch what changed since.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, true
from sqlalchemy import select as sa_select

from scoring import models as m
from scoring.services.mark_config import HEAD_REPLAY, StaleCompetition

_M = m.Mark.__table__.c
_R = m.MarkingRound.__table__.c

# Built once (bound parameters only): building a statement costs more CPU than running it on SQLite.
_ROUNDS = sa_select(
    sa_select(func.max(_M.round))
    .where(_M.contestant_id == bindparam("c"), _M.aspect_id == bindparam("a"))
    .scalar_subquery()
    .label("r1"),
    sa_select(func.max(_R.round))
    .where(_R.contestant_id == bindparam("c"), _R.aspect_id == bindparam("a"))
    .scalar_subquery()
    .label("r2"),
).subquery()
# the cell's rounds and this judge's newest row (any round) in one statement
_CELL = sa_select(_ROUNDS.c.r1, _ROUNDS.c.r2, _M.id, _M.round, _M.version, _M.state, _M.value).select_from(
    _ROUNDS.outerjoin(
        m.Mark.__table__,
        _M.id
        == (
            sa_select(_M.id)
            .where(_M.contestant_id == bindparam("c"), _M.aspect_id == bindparam("a"), _M.judge_id == bindparam("j"))
            .order_by(_M.round.desc(), _M.version.desc())
            .limit(1)
            .scalar_subquery()
        ),
    )
)
_CELL_SUB = _CELL.subquery("cell")
# mark_config's head with a replayed key (config version, created_at, replayed mark id, slug), then the cell
_HEAD_CELL = HEAD_REPLAY.add_columns(*_CELL_SUB.c).select_from(m.Competition.__table__.join(_CELL_SUB, true()))


def _state(row):  # noqa: ANN001, ANN202
    rnd = max(row.r1 or 1, row.r2 or 1)
    prev = row if row.id is not None and row.round == rnd else None  # newest version of that round
    return rnd, prev


def cell_state(conn, contestant_id: int, aspect_id: int, judge_id: int):  # noqa: ANN001, ANN201
    """(round, newest mark of this judge in that round as (id, version, state, value) or None)."""
    return _state(conn.execute(_CELL, {"c": contestant_id, "a": aspect_id, "j": judge_id}).first())


def head_and_cell(conn, cid: int, key: str, slug: str | None, cell: tuple[int, int, int]):  # noqa: ANN001, ANN201
    """``mark_config.config_head(conn, cid, key, slug)`` and ``cell_state`` of ``cell`` (contestant,
    aspect and judge ids) in one statement: ((head, replayed mark id), (round, previous)), or
    ((None, None), None) when the competition is gone. Raises StaleCompetition as config_head does."""
    c, a, j = cell
    row = conn.execute(_HEAD_CELL, {"cid": cid, "key": key, "c": c, "a": a, "j": j}).first()
    if slug is not None and (row is None or row.slug != slug):
        raise StaleCompetition(slug)
    if row is None:
        return (None, None), None
    return ((row[0], row[1]), row[2]), _state(row)
