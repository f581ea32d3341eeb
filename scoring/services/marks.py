"""The one write path for marks.

Every mark, correction and withdrawal (void) goes through this module: ``submit_mark`` /
``submit_coded`` for one mark from a tablet or the API; ``mark_batches.record_marks`` for marks
written inside a larger transaction (an upheld appeal's corrections) and ``mark_batches.bulk_record``
for a whole validated document, both on this module's checks and ``write_mark``; sign-off and unlock of a judge's sheet (``services.signoff``) write their
new versions with ``write_mark``. Permissions and rules are checked, the new versions and their
audit events are written in one transaction, and only after the commit are the standings
version announced and ``signals.mark_recorded`` sent. The database constraints are the last line
against doubles: a unique idempotency key per competition and a unique version per sheet cell.

Why the checks run before the write transaction: on SQLite a write transaction holds the one
write lock from BEGIN IMMEDIATE to the durable commit, so everything done inside it is paid
by every waiting tablet. The checks read a consistent snapshot without the lock; the write
then inserts exactly the version the checks computed, and the unique constraints turn any
race (a twin retry, a concurrent correction, a sign-off in between) into a replay or a 409.
Marks that arrive together share one durable transaction (``db.group_commit``; their rows in a
few statements, ``services.mark_rows``), and one tablet's conflict never undoes another's mark.
Both entry points (``submit_mark`` by ids, ``submit_coded`` by codes) take that path.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring import signals
from scoring.db import OnDemand, connection_of, group_commit, quick_reads, reading
from scoring.errors import Conflict, NotFound
from scoring.i18n import N_
from scoring.rules.marks import read_mark_value
from scoring.services import standings
from scoring.services.audit import record
from scoring.services.credentials import check_session
from scoring.services.mark_cell import cell_state, head_and_cell
from scoring.services.mark_config import (
    STAGE_LOCKED,
    StaleCompetition,  # noqa: F401  (callers catch it as marks.StaleCompetition)
    config,
    config_cached,
    config_head,
)
from scoring.services.mark_keys import Submission, check_submission, refuse_unless_retry
from scoring.services.mark_rows import INSERT_EVENT, INSERT_MARK, ROUND_NOW, Pending, needs_round, write_together
from scoring.services.readside import latest

STALE = N_(
    "This mark was changed since you opened it (now version %(current)s, you had version %(yours)s). "
    "Reload to see the newest mark."
)
RESCORED = N_("The chief judge has just opened a re-score round for this aspect: reload and mark it again.")
SIGNED = N_("This sheet is signed off; the chief judge must unlock it before a correction.")


@dataclass(frozen=True)
class MarkReceipt:
    """What the client is told: enough to base its next correction on, and whether it was a replay."""

    mark_id: int
    version: int
    round: int
    value: Decimal | None
    state: str
    replayed: bool
    standings_version: int

    def as_dict(self) -> dict:
        return {
            "mark_id": self.mark_id,
            "version": self.version,
            "round": self.round,
            "value": None if self.value is None else format(self.value, "f"),
            "state": self.state,
            "replayed": self.replayed,
            "standings_version": self.standings_version,
        }


@dataclass(frozen=True)
class Plan:
    """What the checks decided: the exact row the write will insert."""

    judge: m.Judge
    contestant: m.Contestant
    aspect: m.Aspect
    round: int
    version: int
    value: Decimal | None
    previous: Decimal | None


def submit_mark(
    engine: Engine,
    *,
    competition_id: int,
    judge_id: int,
    contestant_id: int,
    aspect_id: int,
    value: object,
    idempotency_key: str,
    based_on_version: int,
    client_id: str = "",
    entered_by: str = "",
    state: str = "submitted",
    reason: str = "",
) -> MarkReceipt:
    """Record one judge's mark for one aspect of one contestant; acknowledged only once durable.
    (By ids; the same path as ``submit_coded``.)"""
    check_submission(idempotency_key, based_on_version, state, reason)
    return _submit_fast(
        engine,
        competition_id,
        idempotency_key,
        judge_id,
        f"#{contestant_id}",
        None,
        value=value,
        based_on_version=based_on_version,
        client_id=client_id,
        entered_by=entered_by,
        state=state,
        reason=reason,
        aspect_id=aspect_id,
    )


def submit_coded(
    engine: Engine,
    *,
    competition_id: int,
    judge_id: int,
    contestant_ref: str,
    aspect_code: str,
    value: object,
    idempotency_key: str,
    based_on_version: int,
    client_id: str = "",
    entered_by: str = "",
    state: str = "submitted",
    reason: str = "",
    slug: str | None = None,
    generation: str | None = None,
    epoch: int | None = None,
) -> MarkReceipt:
    """The same, with the contestant named as the judge knows them (draw code) and the aspect by code.
    ``slug``: the competition's slug the id was remembered for (see StaleCompetition); ``generation``
    and ``epoch``: those of the judge's sign-in (services.credentials.check_session)."""
    check_submission(idempotency_key, based_on_version, state, reason)
    return _submit_fast(
        engine,
        competition_id,
        idempotency_key,
        judge_id,
        str(contestant_ref or ""),
        aspect_code,
        value=value,
        based_on_version=based_on_version,
        client_id=client_id,
        entered_by=entered_by,
        state=state,
        reason=reason,
        slug=slug,
        generation=generation,
        epoch=epoch,
    )


def write_mark(
    s: Session,
    cid: int,
    plan: Plan,
    *,
    state: str,
    client_id: str,
    key: str,
    based_on: int,
    entered_by: str,
    reason: str,
) -> m.Mark:
    """Insert the planned version and its audit event inside the caller's transaction."""
    mark = m.Mark(
        competition_id=cid,
        contestant_id=plan.contestant.id,
        aspect_id=plan.aspect.id,
        judge_id=plan.judge.id,
        round=plan.round,
        version=plan.version,
        value=plan.value,
        state=state,
        client_id=(client_id or "")[:80],
        idempotency_key=key,
        based_on_version=based_on,
        entered_by=entered_by,
        reason=reason,
    )
    s.add(mark)
    s.flush()
    record(
        s,
        cid,
        entered_by,
        f"mark.{state}",
        f"{plan.contestant.code}/{plan.aspect.code}/{plan.judge.code}",
        {
            "value": None if plan.value is None else format(plan.value, "f"),
            "version": plan.version,
            "round": plan.round,
            "client": client_id,
            "key": key,
            "reason": reason,
            "previous": None if plan.previous is None else format(plan.previous, "f"),
        },
    )
    return mark


def replay_receipt(s: Session, competition_id: int, key: str, sub: Submission) -> MarkReceipt | None:
    """The original receipt of a retried key; 409 if the key made a different mark (mark_keys)."""
    mark = s.exec(select(m.Mark).where(m.Mark.competition_id == competition_id, m.Mark.idempotency_key == key)).first()
    if mark is None:
        return None
    refuse_unless_retry(mark, sub)
    version = s.exec(select(m.Competition.standings_version).where(m.Competition.id == competition_id)).one()
    return MarkReceipt(mark.id, mark.version, mark.round, mark.value, mark.state, True, version)


_C = m.Competition.__table__.c

# The hot path's statements, built once (bound parameters only): building a statement costs more
# CPU than running it on SQLite.
_BUMP = (
    update(m.Competition.__table__)
    .where(_C.id == bindparam("cid"))
    .values(standings_version=_C.standings_version + 1)
    .returning(_C.standings_version)
)


def _submit_fast(
    engine: Engine,
    competition_id: int,
    idempotency_key: str,
    judge_id: int,
    ref: str,
    aspect_code: str,
    *,
    value: object,
    based_on_version: int,
    client_id: str,
    entered_by: str,
    state: str,
    reason: str,
    slug: str | None = None,
    aspect_id: int | None = None,
    generation: str | None = None,
    epoch: int | None = None,
) -> MarkReceipt:
    """``submit_coded`` with the rarely-changing facts from memory and prepared Core statements: the
    same checks in the same order and the same rows, a few short reads (``db.quick_reads``), then
    one short write transaction on the same pooled connection."""
    with OnDemand(quick_reads(engine)) as conn:  # taken only if this request reads itself
        # the head and the cell in one statement when the facts cached last know the cell (mark_cell)
        known = config_cached(engine, competition_id)
        guess = None if known is None else known.cell_ids(judge_id, ref, aspect_code, aspect_id)
        if guess is None:
            head, replayed = config_head(conn, competition_id, idempotency_key, slug)
        else:
            (head, replayed), read = head_and_cell(conn, competition_id, idempotency_key, slug, guess)
        if head is None:
            raise NotFound(N_("Unknown judge."))
        cfg = config(engine, competition_id, head, conn)
        check_session(cfg, conn, judge_id, generation, epoch)  # a replaced competition, a withdrawn card: 401
        judge, contestant, aspect = cfg.cell(conn, judge_id, ref, aspect_code, aspect_id)
        sub = Submission(judge.id, contestant.id, aspect.id, state, value, based_on_version)
        if replayed is not None:
            with Session(bind=connection_of(conn), expire_on_commit=False) as s:  # one pooled connection per request
                replay = replay_receipt(s, competition_id, idempotency_key, sub)
            if replay is not None:
                return replay
        cfg.check_may_mark(judge, contestant, aspect)  # rules.cells: recusal, withdrawal, panel, invalid element
        if aspect.stage_id in cfg.locked_stages:
            raise Conflict(STAGE_LOCKED)
        parsed = None if state == "void" else read_mark_value(cfg.rules[aspect.id], value)
        if cfg is not known or guess != (contestant.id, aspect.id, judge.id):
            read = cell_state(conn, contestant.id, aspect.id, judge.id)  # other facts now: read it again
        rnd, prev = read
        conn.rollback()  # end the read snapshot before queueing for the write lock
        prev_version = prev.version if prev else 0
        if based_on_version != prev_version:
            raise Conflict(STALE, current=prev_version, yours=based_on_version)
        if prev is not None and prev.state == "signed":
            raise Conflict(SIGNED)
    plan = Plan(judge, contestant, aspect, rnd, prev_version + 1, parsed, None if prev is None else prev.value)
    entered_by = entered_by or judge.code
    now = m.utcnow()
    payload = {
        "value": None if parsed is None else format(parsed, "f"),
        "version": plan.version,
        "round": rnd,
        "client": client_id,
        "key": idempotency_key,
        "reason": reason,
        "previous": None if plan.previous is None else format(plan.previous, "f"),
    }
    # (the read connection went back to the pool above: a batch's leader needs one to write with)
    mark_row = dict(
        competition_id=competition_id,
        contestant_id=contestant.id,
        aspect_id=aspect.id,
        judge_id=judge.id,
        round=rnd,
        version=plan.version,
        value=parsed,
        state=state,
        created_at=now,
        client_id=(client_id or "")[:80],
        idempotency_key=idempotency_key,
        based_on_version=based_on_version,
        entered_by=entered_by,
        reason=reason,
    )
    event_row = dict(
        competition_id=competition_id,
        at=now,
        actor=entered_by,
        kind=f"mark.{state}",
        subject=f"{contestant.code}/{aspect.code}/{judge.code}",
        payload=payload,
    )

    def receipt_of(mark_id: int, version: int) -> MarkReceipt:
        return MarkReceipt(mark_id, plan.version, rnd, parsed, state, False, version)

    def write(wconn, version: int) -> MarkReceipt:
        opened = wconn.execute(ROUND_NOW, {"c": contestant.id, "a": aspect.id}).scalar()
        if opened is not None and opened > rnd:
            raise Conflict(RESCORED)  # else the mark would land, acknowledged, in the superseded round
        mark_id = wconn.execute(INSERT_MARK, mark_row).inserted_primary_key[0]
        wconn.execute(INSERT_EVENT, event_row)
        return receipt_of(mark_id, version)

    write.pending = Pending(
        mark_row, event_row, contestant.id, aspect.id, rnd, receipt_of, lambda: Conflict(RESCORED), needs_round(aspect)
    )
    try:
        # Tablets submitting together share one durable commit (db.group_commit, services.mark_rows);
        # the standings version is bumped first in it (see standings.bump), once for all of them.
        receipt = group_commit(
            engine,
            ("marks", competition_id),
            lambda wconn: wconn.execute(_BUMP, {"cid": competition_id}).scalar_one(),
            write,
            write_together,
        )
    except IntegrityError:
        receipt = None
    if receipt is None:
        # A concurrent twin won the race: same key -> return its receipt; same cell version -> stale.
        with reading(engine) as s:
            replay = replay_receipt(s, competition_id, idempotency_key, sub)
            if replay is not None:
                return replay
            now_mark = latest(s, contestant.id, aspect.id, judge.id, rnd)
        if now_mark is not None and now_mark.state == "signed":
            raise Conflict(SIGNED)
        raise Conflict(STALE, current=now_mark.version if now_mark else 0, yours=based_on_version)
    standings.announce(competition_id, receipt.standings_version)
    signals.mark_recorded.send(
        competition_id,
        engine=engine,
        contestant_id=contestant.id,
        aspect=aspect,
        round=rnd,
        config=cfg,
        round_marks=getattr(write, "round_marks", None),  # read for its whole batch (mark_rows.read_rounds_after)
    )
    return receipt
