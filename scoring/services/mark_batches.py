"""Marks written inside a caller's transaction: an upheld appeal's corrections, a whole document.

Why apart from ``marks``: one action that corrects marks and records a decision must be one
transaction, so these functions write into the caller's session instead of committing on their
own; they use the same checks, in the same order, and the same ``write_mark`` as a tablet's mark
(``services.marks``), and the caller announces after its commit (``announce_recorded``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scoring import models as m
from scoring import signals
from scoring.errors import Conflict
from scoring.rules.marks import read_mark_value
from scoring.services import standings
from scoring.services.mark_config import MarkConfig
from scoring.services.mark_keys import Submission, check_submission
from scoring.services.marks import SIGNED, STALE, MarkReceipt, Plan, cell_state, replay_receipt, write_mark


@dataclass(frozen=True)
class Entry:
    """One mark for ``record_marks``: by ids, on top of version ``based_on_version`` of its cell."""

    judge_id: int
    contestant_id: int
    aspect_id: int
    value: object
    idempotency_key: str
    based_on_version: int
    entered_by: str
    reason: str = ""
    state: str = "submitted"


@dataclass(frozen=True)
class Recorded:
    """A mark written by ``record_marks``: its receipt, and what ``announce_recorded`` tells."""

    receipt: MarkReceipt
    contestant_id: int
    aspect: m.Aspect
    round: int


def record_marks(s: Session, competition_id: int, entries: Sequence[Entry], standings_version: int) -> list[Recorded]:
    """Write marks inside the caller's write transaction, with the checks of ``submit_mark`` in
    the same order (cell, replay, panel and recusal, value, version, signature). The caller has
    bumped the standings version (``standings.bump``, before any mark row) and, after its commit,
    calls ``announce_recorded``. Why: an action that corrects marks and records a decision (an
    upheld appeal) must be one transaction, so a refused correction leaves nothing changed."""
    cfg = MarkConfig(s, competition_id, key=None)  # read in this transaction, never cached
    conn = s.connection()
    out = []
    for e in entries:
        check_submission(e.idempotency_key, e.based_on_version, e.state, e.reason)
        judge, contestant, aspect = cfg.cell(conn, e.judge_id, f"#{e.contestant_id}", None, e.aspect_id)
        replay = replay_receipt(
            s,
            competition_id,
            e.idempotency_key,
            Submission(judge.id, contestant.id, aspect.id, e.state, e.value, e.based_on_version),
        )
        if replay is not None:
            out.append(Recorded(replay, contestant.id, aspect, replay.round))
            continue
        cfg.check_may_mark(judge, contestant, aspect)
        parsed = None if e.state == "void" else read_mark_value(cfg.rules[aspect.id], e.value)
        rnd, prev = cell_state(conn, contestant.id, aspect.id, judge.id)
        prev_version = prev.version if prev else 0
        if e.based_on_version != prev_version:
            raise Conflict(STALE, current=prev_version, yours=e.based_on_version)
        if prev is not None and prev.state == "signed":
            raise Conflict(SIGNED)
        plan = Plan(judge, contestant, aspect, rnd, prev_version + 1, parsed, None if prev is None else prev.value)
        mark = write_mark(
            s,
            competition_id,
            plan,
            state=e.state,
            client_id="",
            key=e.idempotency_key,
            based_on=e.based_on_version,
            entered_by=e.entered_by or judge.code,
            reason=e.reason,
        )
        out.append(
            Recorded(
                MarkReceipt(mark.id, plan.version, rnd, parsed, e.state, False, standings_version),
                contestant.id,
                aspect,
                rnd,
            )
        )
    return out


def announce_recorded(engine: Engine, competition_id: int, recorded: Iterable[Recorded]) -> None:
    """After the commit of ``record_marks``' transaction: what ``submit_mark`` sends for each mark."""
    for r in recorded:
        if not r.receipt.replayed:
            signals.mark_recorded.send(
                competition_id,
                engine=engine,
                contestant_id=r.contestant_id,
                aspect=r.aspect,
                round=r.round,
                config=None,
            )


# --------------------------------------------------------------------------- a whole document


def bulk_record(
    s: Session, competition_id: int, rows: Iterable[tuple[int, int, int, Decimal | None]], entered_by: str
) -> int:
    """Marks of a validated whole document, inside the caller's import transaction (version 1 each).

    One multi-row insert per thousand marks (not an ORM object each): a 10,000-contestant document
    holds a million marks, and the demo's 2,000 took 1.4 s through the ORM on PostgreSQL. The
    standings version is bumped first, as before any mark row (``standings.bump``)."""
    now = m.utcnow()
    batch: list[dict] = []
    n = 0
    for contestant_id, aspect_id, judge_id, value in rows:
        if n == 0:
            standings.bump(s, competition_id)
        n += 1
        batch.append(
            {
                "competition_id": competition_id,
                "contestant_id": contestant_id,
                "aspect_id": aspect_id,
                "judge_id": judge_id,
                "round": 1,
                "version": 1,
                "value": value,
                "state": "submitted",
                "created_at": now,
                "client_id": "",
                "idempotency_key": f"import-{competition_id}-{n}",
                "based_on_version": 0,
                "entered_by": entered_by,
                "reason": "",
            }
        )
        if len(batch) >= 1000:
            s.execute(insert(m.Mark.__table__), batch)
            batch = []
    if batch:
        s.execute(insert(m.Mark.__table__), batch)
    return n
