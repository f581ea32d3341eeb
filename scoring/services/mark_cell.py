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

On PostgreSQL the tablets reading at the same moment in one process read together (``gather``):
one statement for all of them, each cell one row of an ``unnest`` list joined laterally to the
same sub-queries, instead of one round trip each. Each still gets the row its own statement
would have given: the read happens after its request arrived, as before.
"""

from __future__ import annotations

from collections import namedtuple

from sqlalchemy import BigInteger, bindparam, func, text, true
from sqlalchemy import select as sa_select

from scoring import models as m
from scoring.db import connection_of
from scoring.gather import Gathering, LeaderStopped, Waiter, gathering
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
    if conn.dialect.name == "postgresql":

        def read(batch: list[Waiter]) -> None:
            _read_together(conn, cid, batch)

        try:
            row = gathering(("cells", id(conn.engine.pool), cid)).run((key, cell), read)
        except LeaderStopped:  # the tablet reading for this one was stopped: read alone, in a queue of one
            row = Gathering().run((key, cell), read)
    else:
        c, a, j = cell
        row = _driver_read(conn, {"cid": cid, "key": key, "c": c, "a": a, "j": j})
    if slug is not None and (row is None or row.slug != slug):
        raise StaleCompetition(slug)
    if row is None:
        return (None, None), None
    return ((row[0], row[1]), row[2]), _state(row)


_C = m.Competition.__table__.c
# ``_HEAD_CELL`` for many (key, cell) at once, PostgreSQL only (``unnest ... WITH ORDINALITY``, LATERAL)
_TOGETHER = text(
    f"""
SELECT c.config_version, c.created_at,
  (SELECT x.id FROM {m.Mark.__tablename__} x
    WHERE x.competition_id = c.id AND x.idempotency_key = q.k LIMIT 1) AS replayed,
  c.slug,
  (SELECT max(x.round) FROM {m.Mark.__tablename__} x WHERE x.contestant_id = q.c AND x.aspect_id = q.a) AS r1,
  (SELECT max(r.round) FROM {m.MarkingRound.__tablename__} r
    WHERE r.contestant_id = q.c AND r.aspect_id = q.a) AS r2,
  n.id, n.round, n.version, n.state, n.value, q.i
FROM unnest(CAST(:k AS varchar[]), CAST(:c AS bigint[]), CAST(:a AS bigint[]), CAST(:j AS bigint[]))
  WITH ORDINALITY AS q(k, c, a, j, i)
JOIN {m.Competition.__tablename__} c ON c.id = :cid
LEFT JOIN LATERAL (
  SELECT x.id, x.round, x.version, x.state, x.value FROM {m.Mark.__tablename__} x
  WHERE x.contestant_id = q.c AND x.aspect_id = q.a AND x.judge_id = q.j
  ORDER BY x.round DESC, x.version DESC LIMIT 1) n ON true
"""
).columns(i=BigInteger, created_at=_C.created_at.type, value=_M.value.type)


def _read_together(conn, cid: int, batch: list[Waiter]) -> None:  # noqa: ANN001
    """One statement for every waiting (key, cell) of competition ``cid``, on the leader's connection."""
    try:
        params = {"cid": cid, "k": [], "c": [], "a": [], "j": []}
        for w in batch:
            key, (c, a, j) = w.work
            params["k"].append(key)
            params["c"].append(c)
            params["a"].append(a)
            params["j"].append(j)
        rows = {row.i: row for row in conn.execute(_TOGETHER, params)}
        for n, w in enumerate(batch, start=1):
            w.result = rows.get(n)  # none: the competition is gone
    except Exception as exc:  # noqa: BLE001  (every reader of the batch hears it, as from its own read)
        for w in batch:
            w.error = exc


_compiled: dict[str, tuple] = {}


def _driver_read(conn, params: dict):  # noqa: ANN001, ANN202
    """``_HEAD_CELL``'s first row, run on the driver's own connection with its SQL compiled once
    (SQLite: every tablet's mark reads it on the serving loop).

    Why not ``conn.execute``: SQLAlchemy's per-execution work (the statement's cache key, its
    parameters, the result's metadata) was eight times the statement's own time in SQLite, a tenth of
    a server process's time under fifty tablets. The same SQL and parameters and the same values
    come back (each column through its type's result processor); it runs outside SQLAlchemy's
    events, so a statement listener does not see it."""
    dialect = conn.dialect
    prepared = _compiled.get(dialect.name)
    if prepared is None:
        compiled = _HEAD_CELL.compile(dialect=dialect)
        columns = list(_HEAD_CELL.selected_columns)
        processors = [c.type._cached_result_processor(dialect, None) for c in columns]
        row_type = namedtuple("HeadCell", [c.key or f"column_{i}" for i, c in enumerate(columns)])  # type: ignore[misc]
        prepared = (compiled.string, compiled.positiontup, compiled.params, processors, row_type)
        _compiled[dialect.name] = prepared
    sql, names, defaults, processors, row_type = prepared
    values = {**defaults, **params}
    cursor = connection_of(conn).connection.driver_connection.cursor()
    try:
        cursor.execute(sql, tuple(values[n] for n in names) if names else values)
        raw = cursor.fetchone()
    finally:
        cursor.close()
    if raw is None:
        return None
    return row_type(*(v if p is None else p(v) for p, v in zip(processors, raw, strict=True)))
