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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, tuple_
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

    cells = sorted(
        {(w.pending.contestant_id, w.pending.aspect_id, w.pending.round) for w in works if w.pending.reads_round}
    )
    if not cells:
        return
    rows: dict[tuple[int, int, int], list] = {cell: [] for cell in cells}
    with quick_reads(engine).connect() as conn:
        for row in conn.execute(_ROUND_MARKS_OF.where(tuple_(_M.contestant_id, _M.aspect_id, _M.round).in_(cells))):
            rows[(row.contestant_id, row.aspect_id, row.round)].append(row)
    for w in works:
        p = w.pending
        if p.reads_round:
            w.round_marks = rows[(p.contestant_id, p.aspect_id, p.round)]


write_together.after_commit = read_rounds_after  # type: ignore[attr-defined]
