"""A batch of tablets' marks written in a few statements (``db.group_commit``'s ``together``).

Why: marks that arrive together share one durable commit; writing them one by one still cost a
few round trips each (the re-score round check, the mark, its audit event), and on PostgreSQL
those round trips, not the commit, were most of a batch's time. Here the whole batch is one
read of the cells' newest re-score rounds, one multi-row insert of the marks (ids returned in
order) and one of their audit events: the same rows as writing them one by one
(``services.marks``). A writer whose cell got a newer re-score round since its checks is refused
before anything is written; a row the database refuses (a twin's idempotency key, a cell
version taken meanwhile) fails the statement, and ``db.group_commit`` then writes the batch
writer by writer with a savepoint each, so only that writer hears the refusal.

On PostgreSQL the three are one statement (``_write_together_pg``): the rows go as one array per
column through ``unnest``, the round check is a ``NOT EXISTS`` on the insert's source, and the
audit events are a second insert in the same ``WITH``, for the marks the first one returned. One
round trip and one fixed statement text (prepared once per connection) whatever the batch's size;
SQLAlchemy's multi-row insert built a new statement of every size and bound every value in Python.

Why the standings version is bumped first, holding the competition's row lock for the whole batch
(``standings.bump``; with two processes their batches take turns behind it):
- the live standings replay mark rows above a watermark (``services.standings``), so mark ids must
  follow commit order: a batch whose ids came before the lock could commit after a batch with higher
  ids, and a reader in between would move its watermark past the lower ids and never replay them.
  Ids are taken by the inserts, so the inserts come after the bump; a bump as the last statement
  would need another order for the replay (a version column on each mark: a schema change);
- the rounds read again must come after the lock too: a re-score round opens under the same lock
  (``spread.open_rescore``), so the read sees every round opened before the batch's turn;
- what a batch holds the lock for is therefore kept to these statements: the reads of each mark
  happen before (``services.mark_cell``), and the batch runs on its greenlet when the database
  waits through the loop (``db.group_commit``), so no thread hand-off is paid under the lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, text, tuple_
from sqlalchemy import select as sa_select

from scoring import models as m

_R = m.MarkingRound.__table__.c
INSERT_MARK = insert(m.Mark.__table__)
INSERT_EVENT = insert(m.AuditEvent.__table__)
# the newest re-score round of a cell, read again inside the write (a round may open after the checks)
ROUND_NOW = sa_select(func.max(_R.round)).where(_R.contestant_id == bindparam("c"), _R.aspect_id == bindparam("a"))
_INSERT_MARKS = insert(m.Mark.__table__).returning(m.Mark.__table__.c.id, sort_by_parameter_order=True)


@dataclass(frozen=True)
class Pending:
    """One tablet's mark as its write will store it, and how to answer it."""

    mark_row: dict
    event_row: dict
    contestant_id: int
    aspect_id: int
    round: int
    receipt: Callable[[int, int], Any]  # (mark id, standings version) -> the tablet's receipt
    refusal: Callable[[], Exception]  # the answer when a newer re-score round opened meanwhile
    reads_round: bool = False  # the spread check reads the cell's round after the commit (spread.needs_round)


def write_together(conn, version: int, works: list) -> list:  # noqa: ANN001
    """``db.Together`` for marks: each work carries its ``Pending`` (``work.pending``)."""
    pending: list[Pending] = [w.pending for w in works]
    if conn.dialect.name == "postgresql" and len({p.mark_row["idempotency_key"] for p in pending}) == len(pending):
        return _write_together_pg(conn, version, works)
    return _write_in_statements(conn, version, pending)


def _write_in_statements(conn, version: int, pending: list[Pending]) -> list:  # noqa: ANN001
    """The rounds read, the marks' insert (ids back in order) and the events' insert."""
    cells = {(p.contestant_id, p.aspect_id) for p in pending}
    opened = dict(
        ((c, a), r)
        for c, a, r in conn.execute(
            sa_select(_R.contestant_id, _R.aspect_id, func.max(_R.round))
            .where(tuple_(_R.contestant_id, _R.aspect_id).in_(sorted(cells)))
            .group_by(_R.contestant_id, _R.aspect_id)
        )
    )
    outcomes: list = [None] * len(pending)
    keep = []
    for i, p in enumerate(pending):
        newest = opened.get((p.contestant_id, p.aspect_id))
        if newest is not None and newest > p.round:
            outcomes[i] = p.refusal()  # else the mark would land, acknowledged, in the superseded round
        else:
            keep.append(i)
    if keep:
        ids = conn.execute(_INSERT_MARKS, [pending[i].mark_row for i in keep]).scalars().all()
        conn.execute(INSERT_EVENT, [pending[i].event_row for i in keep])
        for i, mark_id in zip(keep, ids, strict=True):
            outcomes[i] = pending[i].receipt(mark_id, version)
    return outcomes


_MARK_COLUMNS = [c for c in m.Mark.__table__.c if c.name != "id"]
_EVENT_COLUMNS = [c for c in m.AuditEvent.__table__.c if c.name != "id"]
_ROUND_NAMES = "contestant_id, aspect_id, judge_id, round, version, state, value"  # what spread reads of a mark
_pg_statement: list = []


def _arrays(conn, columns: list, rows: list[dict], prefix: str) -> dict:  # noqa: ANN001
    """One array parameter per column, each value bound as the column's type binds it (exact
    decimals as scaled integers, JSON as text, aware datetimes)."""
    out = {}
    for col in columns:
        bind = col.type.bind_processor(conn.dialect)
        values = [row[col.name] for row in rows]
        out[prefix + col.name] = values if bind is None else [bind(v) for v in values]
    return out


def _pg_type(conn, col) -> str:  # noqa: ANN001
    """The column's PostgreSQL type without a length: a too-long value then fails the insert as it
    would on its own, instead of being cut by the cast."""
    return re.sub(r"[(]\d+[)]", "", col.type.compile(dialect=conn.dialect))


def _together_pg(conn):  # noqa: ANN001, ANN202
    """The batch's round check and both inserts as one PostgreSQL statement (built once)."""
    if not _pg_statement:

        def unnest(columns: list, prefix: str, key: bool = False) -> str:
            """unnest of one array per column (plus the mark's key for the events), in batch order."""
            typed = [(c.name, _pg_type(conn, c)) for c in columns] + ([("key", "VARCHAR")] if key else [])
            casts = ", ".join(f"CAST(:{prefix}{name} AS {sql_type}[])" for name, sql_type in typed)
            names = ", ".join(name for name, _ in typed)
            return f"unnest({casts}) WITH ORDINALITY AS {prefix.rstrip('_')}({names}, n)"

        marks, events, rounds = m.Mark.__tablename__, m.AuditEvent.__tablename__, m.MarkingRound.__tablename__
        mark_names = ", ".join(c.name for c in _MARK_COLUMNS)
        event_names = ", ".join(c.name for c in _EVENT_COLUMNS)
        _pg_statement.append(
            text(
                f"""
WITH ins AS (
  INSERT INTO {marks} ({mark_names})
  SELECT {", ".join("u." + c.name for c in _MARK_COLUMNS)} FROM {unnest(_MARK_COLUMNS, "u_")}
  WHERE NOT EXISTS (SELECT 1 FROM {rounds} r
                    WHERE r.contestant_id = u.contestant_id AND r.aspect_id = u.aspect_id AND r.round > u.round)
  ORDER BY u.n
  RETURNING id, idempotency_key, {_ROUND_NAMES}
), ev AS (
  INSERT INTO {events} ({event_names})
  SELECT {", ".join("e." + c.name for c in _EVENT_COLUMNS)} FROM {unnest(_EVENT_COLUMNS, "e_", key=True)}
  WHERE e.key IN (SELECT idempotency_key FROM ins)
  ORDER BY e.n
), cells AS (
  SELECT DISTINCT c, a, r FROM unnest(CAST(:rc AS INTEGER[]), CAST(:ra AS INTEGER[]), CAST(:rr AS INTEGER[])) AS q(c, a, r)
)
SELECT id, idempotency_key, {_ROUND_NAMES} FROM ins
UNION ALL
SELECT NULL, NULL, {", ".join("x." + n for n in _ROUND_NAMES.split(", "))}
FROM {marks} x JOIN cells q ON x.contestant_id = q.c AND x.aspect_id = q.a AND x.round = q.r"""
            ).columns(value=m.Mark.__table__.c.value.type)
        )
    return _pg_statement[0]


def _write_together_pg(conn, version: int, works: list) -> list:  # noqa: ANN001
    """``write_together`` on PostgreSQL: one statement, one round trip, whatever the batch's size.
    The same rows: a writer whose cell has a newer re-score round than it was checked in is left
    out of both inserts (and refused), the others' marks and events are inserted in batch order.
    Keys are distinct in the batch (the caller's condition), so the ids come back by key.

    The same statement reads the marks of the cells the spread check will read (``needs_round``):
    those committed before (its snapshot is taken after the standings bump, whose row lock every
    writer of marks takes before its rows, ``standings.bump``, so none can commit until this batch
    has) and the batch's own. That is the cells' state at this batch's commit, what
    ``read_rounds_after`` would read in one more round trip; it is handed over only once the commit
    is durable (``work.round_marks_at_commit``, taken up by ``read_rounds_after``)."""
    pending: list[Pending] = [w.pending for w in works]
    params = _arrays(conn, _MARK_COLUMNS, [p.mark_row for p in pending], "u_")
    params.update(_arrays(conn, _EVENT_COLUMNS, [p.event_row for p in pending], "e_"))
    params["e_key"] = [p.mark_row["idempotency_key"] for p in pending]
    reads = [(p.contestant_id, p.aspect_id, p.round) for p in pending if p.reads_round]
    params["rc"], params["ra"], params["rr"] = ([cell[i] for cell in reads] for i in range(3))
    ids = {}
    cells: dict[tuple[int, int, int], list] = {cell: [] for cell in reads}
    for row in conn.execute(_together_pg(conn), params):
        if row.id is not None:
            ids[row.idempotency_key] = row.id
        if (cell := (row.contestant_id, row.aspect_id, row.round)) in cells:
            cells[cell].append(row)
    for w, p in zip(works, pending, strict=True):
        if p.reads_round and p.mark_row["idempotency_key"] in ids:
            w.round_marks_at_commit = cells[(p.contestant_id, p.aspect_id, p.round)]
    return [p.receipt(ids[k], version) if (k := p.mark_row["idempotency_key"]) in ids else p.refusal() for p in pending]


def needs_round(aspect: m.Aspect) -> bool:
    """Whether a mark on ``aspect`` is followed by the spread check (a panel-scale aspect,
    ``spread.on_mark_recorded``), which reads the cell's round: only then is it read for the batch."""
    return (aspect.aggregation or {}).get("method") == "worldskills" or aspect.type == "judgement"


_M = m.Mark.__table__.c
_ROUND_MARKS_OF = sa_select(_M.contestant_id, _M.aspect_id, _M.judge_id, _M.round, _M.version, _M.state, _M.value)


def read_rounds_after(engine, works: list) -> None:  # noqa: ANN001
    """``write_together.after_commit``: the marks of the batch's cells in their rounds, read once the
    batch is durable, handed to each writer as ``work.round_marks`` (what ``spread`` reads per mark).

    Why: the spread check's pre-check read every written cell's round after each mark's commit, one
    round trip per mark on top of the write; a batch of marks now costs one read. It is as current as
    the per-mark read (after this batch's commit; a later batch's writers read after theirs)."""
    from scoring.db import quick_reads

    for w in works:
        if getattr(w, "round_marks_at_commit", None) is not None:  # read by the batch's statement
            w.round_marks = w.round_marks_at_commit
    cells = sorted(
        {
            (w.pending.contestant_id, w.pending.aspect_id, w.pending.round)
            for w in works
            if w.pending.reads_round and getattr(w, "round_marks", None) is None
        }
    )
    if not cells:
        return
    rows: dict[tuple[int, int, int], list] = {cell: [] for cell in cells}
    with quick_reads(engine).connect() as conn:
        for row in conn.execute(_ROUND_MARKS_OF.where(tuple_(_M.contestant_id, _M.aspect_id, _M.round).in_(cells))):
            rows[(row.contestant_id, row.aspect_id, row.round)].append(row)
    for w in works:
        p = w.pending
        if p.reads_round and getattr(w, "round_marks", None) is None:
            w.round_marks = rows[(p.contestant_id, p.aspect_id, p.round)]


write_together.after_commit = read_rounds_after  # type: ignore[attr-defined]
