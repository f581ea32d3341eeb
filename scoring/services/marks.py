"""The one write path for marks.

Every mark, correction, sign-off, unlock and withdrawal goes through this module
(``submit_mark``/``submit_coded`` for one mark, ``sign_sheet``/``unlock_sheet`` for a judge's
sheet, ``bulk_record`` for a whole validated document): permissions and rules are checked, the
new versions and their audit events are written in one transaction, and only after the commit
is the standings version announced. The database constraints are the last line against
doubles: a unique idempotency key per competition and a unique version per sheet cell.

Why the checks run before the write transaction: on SQLite a write transaction holds the one
write lock from BEGIN IMMEDIATE to the durable commit, so everything done inside it is paid
by every waiting tablet. The checks read a consistent snapshot without the lock; the write
then inserts exactly the version the checks computed, and the unique constraints turn any
race (a twin retry, a concurrent correction, a sign-off in between) into a replay or a 409.
Marks that arrive together are written in one shared durable transaction (``db.group_commit``),
each in its own savepoint, so one tablet's conflict never undoes another's mark. Both entry
points (``submit_mark`` by ids, ``submit_coded`` by draw code and aspect code) take that path.
"""
from __future__ import annotations

import contextvars
import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

from sqlalchemy import and_, bindparam, func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import group_commit, reading, transaction
from scoring.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services.credentials import SIGNED_OUT, check_session  # noqa: F401  (SIGNED_OUT: older callers)
from scoring.rules.marks import read_mark_value
from scoring.rules.numbers import plain_id
from scoring.services import standings
from scoring.services.audit import record
from scoring.services.mark_keys import Submission, check_reason, check_submission, refuse_unless_retry

COUNTING_STATES = ("submitted", "signed")
STALE = N_("This mark was changed since you opened it (now version %(current)s, you had version %(yours)s). "
           "Reload to see the newest mark.")
RESCORED = N_("The chief judge has just opened a re-score round for this aspect: reload and mark it again.")
SIGNED = N_("This sheet is signed off; the chief judge must unlock it before a correction.")

# Called after a mark's commit with (engine, competition_id, contestant_id, aspect row, round): the
# judging service checks the spread rule there (after commit, so concurrent last marks see each other).
after_mark: list[Callable[[Engine, int, int, m.Aspect, int], None]] = []


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
        return {"mark_id": self.mark_id, "version": self.version, "round": self.round,
                "value": None if self.value is None else format(self.value, "f"), "state": self.state,
                "replayed": self.replayed, "standings_version": self.standings_version}


def current_round(s: Session, contestant_id: int, aspect_id: int) -> int:
    """The newest round of a cell: the newest mark's, or a re-score round opened since."""
    r = s.exec(select(func.max(m.Mark.round)).where(m.Mark.contestant_id == contestant_id,
                                                   m.Mark.aspect_id == aspect_id)).one()
    opened = s.exec(select(func.max(m.MarkingRound.round)).where(m.MarkingRound.contestant_id == contestant_id,
                                                                m.MarkingRound.aspect_id == aspect_id)).one()
    return max(r or 1, opened or 1)


def latest(s: Session, contestant_id: int, aspect_id: int, judge_id: int, rnd: int) -> m.Mark | None:
    return s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant_id, m.Mark.aspect_id == aspect_id,
                                       m.Mark.judge_id == judge_id, m.Mark.round == rnd)
                  .order_by(m.Mark.version.desc()).limit(1)).first()


_rule_cache: dict[tuple, object] = {}


def rule_aspect_cached(s: Session, aspect: m.Aspect):
    """The engine's Aspect for a row, cached on the row's own content (a changed scheme is a new key)."""
    from scoring.services.scheme import rule_aspect
    from scoring.services.transfer import aspect_doc

    doc = aspect_doc(aspect)
    key = (aspect.id, aspect.stage_id, repr(sorted(doc.items(), key=lambda kv: kv[0])))
    hit = _rule_cache.get(key)
    if hit is None:
        hit = rule_aspect(s, aspect)
        if len(_rule_cache) > 5000:
            _rule_cache.clear()
        _rule_cache[key] = hit
    return hit


@dataclass(frozen=True)
class _Plan:
    """What the checks decided: the exact row the write will insert."""

    judge: m.Judge
    contestant: m.Contestant
    aspect: m.Aspect
    round: int
    version: int
    value: Decimal | None
    previous: Decimal | None


def submit_mark(engine: Engine, *, competition_id: int, judge_id: int, contestant_id: int, aspect_id: int,
                value: object, idempotency_key: str, based_on_version: int, client_id: str = "",
                entered_by: str = "", state: str = "submitted", reason: str = "") -> MarkReceipt:
    """Record one judge's mark for one aspect of one contestant; acknowledged only once durable.
    (By ids; the same path as ``submit_coded``.)"""
    check_submission(idempotency_key, based_on_version, state, reason)
    return _submit_fast(engine, competition_id, idempotency_key, judge_id, f"#{contestant_id}", None,
                        value=value, based_on_version=based_on_version, client_id=client_id,
                        entered_by=entered_by, state=state, reason=reason, aspect_id=aspect_id)


def submit_coded(engine: Engine, *, competition_id: int, judge_id: int, contestant_ref: str, aspect_code: str,
                 value: object, idempotency_key: str, based_on_version: int, client_id: str = "",
                 entered_by: str = "", state: str = "submitted", reason: str = "",
                 slug: str | None = None, generation: str | None = None, epoch: int | None = None) -> MarkReceipt:
    """The same, with the contestant named as the judge knows them (draw code) and the aspect by code.
    ``slug``: the competition's slug the id was remembered for (see StaleCompetition); ``generation``
    and ``epoch``: those of the judge's sign-in (services.credentials.check_session)."""
    check_submission(idempotency_key, based_on_version, state, reason)
    return _submit_fast(engine, competition_id, idempotency_key, judge_id, str(contestant_ref or ""), aspect_code,
                        value=value, based_on_version=based_on_version, client_id=client_id,
                        entered_by=entered_by, state=state, reason=reason, slug=slug, generation=generation,
                        epoch=epoch)


def _write(s: Session, cid: int, plan: _Plan, *, state: str, client_id: str, key: str, based_on: int,
           entered_by: str, reason: str) -> m.Mark:
    mark = m.Mark(competition_id=cid, contestant_id=plan.contestant.id, aspect_id=plan.aspect.id,
                  judge_id=plan.judge.id, round=plan.round, version=plan.version, value=plan.value, state=state,
                  client_id=(client_id or "")[:80], idempotency_key=key, based_on_version=based_on,
                  entered_by=entered_by, reason=reason)
    s.add(mark)
    s.flush()
    record(s, cid, entered_by, f"mark.{state}", f"{plan.contestant.code}/{plan.aspect.code}/{plan.judge.code}",
           {"value": None if plan.value is None else format(plan.value, "f"), "version": plan.version,
            "round": plan.round, "client": client_id, "key": key, "reason": reason,
            "previous": None if plan.previous is None else format(plan.previous, "f")})
    return mark


def _replay(s: Session, competition_id: int, key: str, sub: Submission) -> MarkReceipt | None:
    """The original receipt of a retried key; 409 if the key made a different mark (mark_keys)."""
    mark = s.exec(select(m.Mark).where(m.Mark.competition_id == competition_id, m.Mark.idempotency_key == key)).first()
    if mark is None:
        return None
    refuse_unless_retry(mark, sub)
    version = s.exec(select(m.Competition.standings_version).where(m.Competition.id == competition_id)).one()
    return MarkReceipt(mark.id, mark.version, mark.round, mark.value, mark.state, True, version)


def contestant_by_ref(s: Session, cid: int, ref: str) -> m.Contestant | None:
    """A contestant by draw code (what a judge sees), or by ``#<id>`` when no draw was made."""
    ref = (ref or "").strip()
    if ref.startswith("#"):
        contestant_id = plain_id(ref[1:])
        c = None if contestant_id is None else s.get(m.Contestant, contestant_id)
        return c if c is not None and c.competition_id == cid else None
    return s.exec(select(m.Contestant).join(m.DrawEntry, m.DrawEntry.contestant_id == m.Contestant.id)
                  .where(m.DrawEntry.competition_id == cid, m.DrawEntry.code == ref)).first()


# --------------------------------------------------------------------------- the hot path's per-process cache

class _Config:
    """What rarely changes about a competition, loaded once per (engine, competition, created_at,
    config_version): every change to people, panels, recusals, the draw or the scheme bumps
    ``config_version`` (services.standings.bump), and a replaced competition has a new
    ``created_at``, so an entry can never be used for a state it was not built from."""

    def __init__(self, s: Session, cid: int, key: tuple) -> None:
        self.key = key
        self.judges = {j.id: j for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        self.contestants = {c.id: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        self.by_ref: dict[str, int] = {}
        for code, contestant_id in s.exec(select(m.DrawEntry.code, m.DrawEntry.contestant_id)
                                          .where(m.DrawEntry.competition_id == cid).order_by(m.DrawEntry.id)):
            if contestant_id in self.contestants:
                self.by_ref.setdefault(code, contestant_id)
        self.aspects = {a.code: a for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid)
                                                  .order_by(m.Aspect.id))}
        self.aspects_by_id = {a.id: a for a in self.aspects.values()}
        self.recused = set(s.exec(select(m.Recusal.judge_id, m.Recusal.contestant_id)
                                  .where(m.Recusal.judge_id.in_(list(self.judges) or [0]))).all())
        panels = s.exec(select(m.Panel.id, m.Panel.group_id, m.Panel.stage_id)
                        .where(m.Panel.competition_id == cid).order_by(m.Panel.id)).all()
        ids = [p[0] for p in panels] or [0]
        self.panels = {p[0]: (p[1], p[2]) for p in panels}
        self.panel_judges: dict[int, list[int]] = {}
        for pid, jid in s.exec(select(m.PanelJudge.panel_id, m.PanelJudge.judge_id)
                               .where(m.PanelJudge.panel_id.in_(ids)).order_by(m.PanelJudge.panel_id)):
            self.panel_judges.setdefault(jid, []).append(pid)
        self.panel_aspects: dict[int, set[int]] = {}
        for pid, aid in s.exec(select(m.PanelAspect.panel_id, m.PanelAspect.aspect_id)
                               .where(m.PanelAspect.panel_id.in_(ids))):
            self.panel_aspects.setdefault(pid, set()).add(aid)
        self.rules = {a.id: rule_aspect_cached(s, a) for a in self.aspects.values()}
        self._may: dict[tuple[int, int, int], str | None] = {}

    def may_mark(self, judge: m.Judge, contestant: m.Contestant, aspect: m.Aspect) -> str | None:
        """None if the judge may mark this cell, else the reason (a message id): recusal, withdrawal,
        then a panel of the contestant's group and the aspect's stage (limited to some aspects or not)."""
        k = (judge.id, contestant.id, aspect.id)
        if k in self._may:
            return self._may[k]
        if (judge.id, contestant.id) in self.recused:
            why = N_("You are recused from marking this contestant (回避).")
        elif contestant.withdrawn:
            why = N_("This contestant has withdrawn; no marks are taken.")
        else:
            why = N_("You do not sit on the panel that marks this aspect for this contestant.")
            for pid in self.panel_judges.get(judge.id, ()):
                if self.panels.get(pid) != (contestant.group_id, aspect.stage_id):
                    continue
                mine = self.panel_aspects.get(pid)
                if not mine or aspect.id in mine:
                    why = None
                    break
        if len(self._may) < 200_000:
            self._may[k] = why
        return why

    def expected_judges(self, contestant: m.Contestant, aspect: m.Aspect) -> list[m.Judge]:
        """The same answer as ``judging.expected_judges``, from memory."""
        out: dict[int, m.Judge] = {}
        for jid, pids in self.panel_judges.items():
            for pid in pids:
                if self.panels.get(pid) != (contestant.group_id, aspect.stage_id):
                    continue
                limited = self.panel_aspects.get(pid)
                if limited and aspect.id not in limited:
                    continue
                if (jid, contestant.id) not in self.recused and jid in self.judges:
                    out[jid] = self.judges[jid]
        return sorted(out.values(), key=lambda j: j.code)

    def cell(self, conn, judge_id: int, ref: str, aspect_code: str | None,  # noqa: ANN001
             aspect_id: int | None = None):
        judge = self.judges.get(judge_id)
        if judge is None:
            # a judge added since (adding one to no panel does not bump config_version): from the database
            with Session(bind=conn, expire_on_commit=False) as s:
                judge = s.get(m.Judge, judge_id)
            if judge is None or judge.competition_id != self.key[1]:
                raise NotFound(N_("Unknown judge."))
        ref = (ref or "").strip()
        if ref.startswith("#"):
            contestant = self.contestants.get(plain_id(ref[1:]))
        else:
            contestant = self.contestants.get(self.by_ref.get(ref, -1))
        if contestant is None:
            raise NotFound(N_("Unknown contestant."))
        aspect = self.aspects_by_id.get(aspect_id) if aspect_code is None else self.aspects.get(str(aspect_code))
        if aspect is None:
            raise NotFound(N_("Unknown aspect."))
        return judge, contestant, aspect


_configs: dict[tuple[int, int], _Config] = {}
# While the after_mark hooks run for a fast-path mark: the config that mark was checked against.
hook_config: contextvars.ContextVar[_Config | None] = contextvars.ContextVar("hook_config", default=None)
_config_lock = threading.Lock()
_C = m.Competition.__table__.c
_M = m.Mark.__table__.c
_R = m.MarkingRound.__table__.c


# The hot path's statements, built once (bound parameters only): building a statement costs more
# CPU than running it on SQLite.
_HEAD = sa_select(_C.config_version, _C.created_at, _C.slug).where(_C.id == bindparam("cid"))
_HEAD_REPLAY = sa_select(_C.config_version, _C.created_at,
                         sa_select(_M.id).where(_M.competition_id == bindparam("cid"),
                                                _M.idempotency_key == bindparam("key")).limit(1).scalar_subquery(),
                         _C.slug).where(_C.id == bindparam("cid"))
_ROUNDS = sa_select(
    sa_select(func.max(_M.round)).where(_M.contestant_id == bindparam("c"), _M.aspect_id == bindparam("a"))
    .scalar_subquery().label("r1"),
    sa_select(func.max(_R.round)).where(_R.contestant_id == bindparam("c"), _R.aspect_id == bindparam("a"))
    .scalar_subquery().label("r2")).subquery()
# the cell's rounds and this judge's newest row (any round) in one statement
_CELL = (sa_select(_ROUNDS.c.r1, _ROUNDS.c.r2, _M.id, _M.round, _M.version, _M.state, _M.value)
         .select_from(_ROUNDS.outerjoin(m.Mark.__table__, _M.id == (
             sa_select(_M.id).where(_M.contestant_id == bindparam("c"), _M.aspect_id == bindparam("a"),
                                    _M.judge_id == bindparam("j"))
             .order_by(_M.round.desc(), _M.version.desc()).limit(1).scalar_subquery()))))
# the newest re-score round of a cell, read again inside the write (a round may open after the checks)
_ROUND_NOW = sa_select(func.max(_R.round)).where(_R.contestant_id == bindparam("c"), _R.aspect_id == bindparam("a"))
_BUMP = (update(m.Competition.__table__).where(_C.id == bindparam("cid"))
         .values(standings_version=_C.standings_version + 1).returning(_C.standings_version))
_INSERT_MARK = insert(m.Mark.__table__)
_INSERT_EVENT = insert(m.AuditEvent.__table__)


class StaleCompetition(Exception):
    """The caller's remembered competition id no longer belongs to the slug it was asked by
    (deleted or replaced since): the caller looks the slug up again (web.common)."""


def _config_head(conn, cid: int, key: str | None = None, slug: str | None = None):
    """(config key, replayed mark id or None) in one query; None if the competition is gone.
    With ``slug``: raises StaleCompetition unless competition ``cid`` still has that slug."""
    if key is None:
        row = conn.execute(_HEAD, {"cid": cid}).first()
    else:
        row = conn.execute(_HEAD_REPLAY, {"cid": cid, "key": key}).first()
    if slug is not None and (row is None or row[-1] != slug):   # the slug is the last column of both
        raise StaleCompetition(slug)
    if row is None:
        return None, None
    return (row[0], row[1]), (row[2] if key is not None else None)


def config(engine: Engine, cid: int, head: tuple, conn=None) -> _Config:  # noqa: ANN001
    """The cached rarely-changing facts of a competition for the given (config_version, created_at).
    ``conn``: the caller's open connection, read on instead of taking a second one from the pool
    (fifty tablets each holding one and waiting for another would starve the pool)."""
    slot = (id(engine), cid)
    full = (id(engine), cid, *head)
    hit = _configs.get(slot)
    if hit is not None and hit.key == full:
        return hit
    with _config_lock:
        hit = _configs.get(slot)
        if hit is not None and hit.key == full:
            return hit
        if conn is not None:
            with Session(bind=conn, expire_on_commit=False) as s:
                built = _Config(s, cid, full)
        else:
            with reading(engine) as s:
                built = _Config(s, cid, full)
        if len(_configs) > 200:
            _configs.clear()
        _configs[slot] = built
        return built


def config_now(engine: Engine, cid: int) -> _Config | None:
    """The cached facts for the competition's current config version (one small query)."""
    with engine.connect() as conn:
        head, _ = _config_head(conn, cid)
    return None if head is None else config(engine, cid, head)


def _cell_state(conn, contestant_id: int, aspect_id: int, judge_id: int):
    """(round, newest mark of this judge in that round as (id, version, state, value) or None)."""
    row = conn.execute(_CELL, {"c": contestant_id, "a": aspect_id, "j": judge_id}).first()
    rnd = max(row.r1 or 1, row.r2 or 1)
    prev = row if row.id is not None and row.round == rnd else None   # newest version of that round
    return rnd, prev


def _submit_fast(engine: Engine, competition_id: int, idempotency_key: str, judge_id: int, ref: str,
                 aspect_code: str, *, value: object, based_on_version: int, client_id: str, entered_by: str,
                 state: str, reason: str, slug: str | None = None, aspect_id: int | None = None,
                 generation: str | None = None, epoch: int | None = None) -> MarkReceipt:
    """``submit_coded`` with the rarely-changing facts from memory and prepared Core statements: the
    same checks in the same order and the same rows, one short read snapshot, then one short write
    transaction on the same pooled connection."""
    with engine.connect() as conn:
        head, replayed = _config_head(conn, competition_id, idempotency_key, slug)
        if head is None:
            raise NotFound(N_("Unknown judge."))
        cfg = config(engine, competition_id, head, conn)
        check_session(cfg, conn, judge_id, generation, epoch)   # a replaced competition, a withdrawn card: 401
        judge, contestant, aspect = cfg.cell(conn, judge_id, ref, aspect_code, aspect_id)
        sub = Submission(judge.id, contestant.id, aspect.id, state, value, based_on_version)
        if replayed is not None:
            with Session(bind=conn, expire_on_commit=False) as s:   # one pooled connection per request
                replay = _replay(s, competition_id, idempotency_key, sub)
            if replay is not None:
                return replay
        why = cfg.may_mark(judge, contestant, aspect)
        if why:
            raise Forbidden(why)
        parsed = None if state == "void" else read_mark_value(cfg.rules[aspect.id], value)
        rnd, prev = _cell_state(conn, contestant.id, aspect.id, judge.id)
        conn.rollback()   # end the read snapshot before queueing for the write lock
        prev_version = prev.version if prev else 0
        if based_on_version != prev_version:
            raise Conflict(STALE, current=prev_version, yours=based_on_version)
        if prev is not None and prev.state == "signed":
            raise Conflict(SIGNED)
    plan = _Plan(judge, contestant, aspect, rnd, prev_version + 1, parsed, None if prev is None else prev.value)
    entered_by = entered_by or judge.code
    now = m.utcnow()
    payload = {"value": None if parsed is None else format(parsed, "f"), "version": plan.version,
               "round": rnd, "client": client_id, "key": idempotency_key, "reason": reason,
               "previous": None if plan.previous is None else format(plan.previous, "f")}
    # (the read connection went back to the pool above: a batch's leader needs one to write with)
    mark_row = dict(
        competition_id=competition_id, contestant_id=contestant.id, aspect_id=aspect.id,
        judge_id=judge.id, round=rnd, version=plan.version, value=parsed, state=state, created_at=now,
        client_id=(client_id or "")[:80], idempotency_key=idempotency_key,
        based_on_version=based_on_version, entered_by=entered_by, reason=reason)
    event_row = dict(competition_id=competition_id, at=now, actor=entered_by, kind=f"mark.{state}",
                     subject=f"{contestant.code}/{aspect.code}/{judge.code}", payload=payload)

    def write(wconn, version: int) -> MarkReceipt:
        opened = wconn.execute(_ROUND_NOW, {"c": contestant.id, "a": aspect.id}).scalar()
        if opened is not None and opened > rnd:
            raise Conflict(RESCORED)   # else the mark would land, acknowledged, in the superseded round
        mark_id = wconn.execute(_INSERT_MARK, mark_row).inserted_primary_key[0]
        wconn.execute(_INSERT_EVENT, event_row)
        return MarkReceipt(mark_id, plan.version, rnd, parsed, state, False, version)

    try:
        # Tablets submitting together share one durable commit (db.group_commit); the standings
        # version is bumped first in it (see standings.bump), once for all of them.
        receipt = group_commit(engine, ("marks", competition_id),
                               lambda wconn: wconn.execute(_BUMP, {"cid": competition_id}).scalar_one(), write)
    except IntegrityError:
        receipt = None
    if receipt is None:
        # A concurrent twin won the race: same key -> return its receipt; same cell version -> stale.
        with reading(engine) as s:
            replay = _replay(s, competition_id, idempotency_key, sub)
            if replay is not None:
                return replay
            now_mark = latest(s, contestant.id, aspect.id, judge.id, rnd)
        if now_mark is not None and now_mark.state == "signed":
            raise Conflict(SIGNED)
        raise Conflict(STALE, current=now_mark.version if now_mark else 0, yours=based_on_version)
    standings.announce(competition_id, receipt.standings_version)
    token = hook_config.set(cfg)
    try:
        for hook in list(after_mark):
            hook(engine, competition_id, contestant.id, aspect, rnd)
    finally:
        hook_config.reset(token)
    return receipt


# --------------------------------------------------------------------------- sheets: sign-off and unlock


@dataclass(frozen=True)
class SheetChange:
    judge_code: str
    contestant_id: int
    changed: int          # how many cells got a new version
    state: str


def sign_sheet(engine: Engine, competition_id: int, judge_id: int, contestant_id: int,
               aspect_ids: list[int]) -> SheetChange:
    """The judge signs their marks for one contestant: every aspect must be marked; each mark
    gets a new ``signed`` version (locked until the chief judge unlocks it)."""
    try:
        return _sign(engine, competition_id, judge_id, contestant_id, aspect_ids)
    except IntegrityError:
        raise Conflict(N_("A mark of this sheet changed while signing; reload and sign again."))


def _sign(engine: Engine, competition_id: int, judge_id: int, contestant_id: int, aspect_ids: list[int]) -> SheetChange:
    with transaction(engine) as s:
        judge = s.get(m.Judge, judge_id)
        contestant = s.get(m.Contestant, contestant_id)
        if judge is None or contestant is None or contestant.competition_id != competition_id:
            raise NotFound(N_("Unknown contestant."))
        aspects = [s.get(m.Aspect, a) for a in aspect_ids]
        missing, todo = [], []
        for aspect in aspects:
            rnd = current_round(s, contestant_id, aspect.id)
            prev = latest(s, contestant_id, aspect.id, judge_id, rnd)
            if prev is None or prev.state == "void" or prev.value is None:
                missing.append(aspect.code)
            elif prev.state != "signed":
                todo.append((aspect, prev))
        if missing:
            raise InvalidInput([Problem(code, N_("Mark this aspect before signing the sheet.")) for code in missing])
        version = standings.bump(s, competition_id, marks_only=True) if todo else None
        for aspect, prev in todo:
            plan = _Plan(judge, contestant, aspect, prev.round, prev.version + 1, prev.value, prev.value)
            _write(s, competition_id, plan, state="signed", client_id="", key=f"sign-{uuid.uuid4().hex}",
                   based_on=prev.version, entered_by=judge.code, reason="")
        record(s, competition_id, judge.code, "sheet.signed", f"{contestant.code}/{judge.code}",
               {"aspects": [a.code for a, _ in todo]})
    if version is not None:
        standings.announce(competition_id, version)
    return SheetChange(judge.code, contestant_id, len(todo), "signed")


def unlock_sheet(engine: Engine, competition_id: int, judge_id: int, contestant_id: int, actor: str,
                 reason: str) -> SheetChange:
    """The chief judge unlocks a judge's signed sheet, with a written reason (audited): each
    signed mark gets a new ``submitted`` version so the judge can correct it."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(Problem("reason", N_("Write the reason for unlocking.")))
    check_reason(reason)
    try:
        return _unlock(engine, competition_id, judge_id, contestant_id, actor, reason)
    except IntegrityError:
        raise Conflict(N_("A mark of this sheet changed while unlocking; reload and try again."))


def _unlock(engine: Engine, competition_id: int, judge_id: int, contestant_id: int, actor: str,
            reason: str) -> SheetChange:
    with transaction(engine) as s:
        judge = s.get(m.Judge, judge_id)
        contestant = s.get(m.Contestant, contestant_id)
        if judge is None or contestant is None or contestant.competition_id != competition_id \
                or judge.competition_id != competition_id:
            raise NotFound(N_("Unknown contestant."))
        rows = s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant_id, m.Mark.judge_id == judge_id)
                      .order_by(m.Mark.aspect_id, m.Mark.round, m.Mark.version)).all()
        version = standings.bump(s, competition_id, marks_only=True)  # before the new rows: see bump
        newest: dict[int, m.Mark] = {}
        for row in rows:
            newest[row.aspect_id] = row  # ordered: the last is the newest round and version
        changed = 0
        for row in newest.values():
            if row.state != "signed":
                continue
            aspect = s.get(m.Aspect, row.aspect_id)
            plan = _Plan(judge, contestant, aspect, row.round, row.version + 1, row.value, row.value)
            _write(s, competition_id, plan, state="submitted", client_id="", key=f"unlock-{uuid.uuid4().hex}",
                   based_on=row.version, entered_by=actor, reason=reason)
            changed += 1
        if not changed:
            raise Conflict(N_("This sheet is not signed; there is nothing to unlock."))
        for conf in s.exec(select(m.SheetConfirmation).where(m.SheetConfirmation.contestant_id == contestant_id,
                                                             m.SheetConfirmation.revoked_at.is_(None))):
            conf.revoked_at = m.utcnow()
            conf.revoked_by = actor
            conf.revoke_reason = reason
            s.add(conf)
        record(s, competition_id, actor, "sheet.unlocked", f"{contestant.code}/{judge.code}", {"reason": reason})
    standings.announce(competition_id, version)
    return SheetChange(judge.code, contestant_id, changed, "submitted")


# --------------------------------------------------------------------------- import and reads


def bulk_record(s: Session, competition_id: int, rows: Iterable[tuple[int, int, int, Decimal | None]],
                entered_by: str) -> int:
    """Marks of a validated whole document, inside the caller's import transaction (version 1 each)."""
    n = 0
    for contestant_id, aspect_id, judge_id, value in rows:
        n += 1
        s.add(m.Mark(competition_id=competition_id, contestant_id=contestant_id, aspect_id=aspect_id,
                     judge_id=judge_id, value=value, idempotency_key=f"import-{competition_id}-{n}",
                     entered_by=entered_by))
    if n:
        standings.bump(s, competition_id)
    return n


def current_marks(s: Session, competition_id: int) -> list[m.Mark]:
    """The newest version of each judge's mark in the newest round of each cell, if it counts."""
    newest_round = (select(m.Mark.contestant_id, m.Mark.aspect_id, func.max(m.Mark.round).label("r"))
                    .where(m.Mark.competition_id == competition_id)
                    .group_by(m.Mark.contestant_id, m.Mark.aspect_id).subquery())
    newest_version = (select(m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id, m.Mark.round,
                             func.max(m.Mark.version).label("v"))
                      .where(m.Mark.competition_id == competition_id)
                      .group_by(m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id, m.Mark.round).subquery())
    q = (select(m.Mark)
         .join(newest_round, and_(newest_round.c.contestant_id == m.Mark.contestant_id,
                                  newest_round.c.aspect_id == m.Mark.aspect_id, newest_round.c.r == m.Mark.round))
         .join(newest_version, and_(newest_version.c.contestant_id == m.Mark.contestant_id,
                                    newest_version.c.aspect_id == m.Mark.aspect_id,
                                    newest_version.c.judge_id == m.Mark.judge_id,
                                    newest_version.c.round == m.Mark.round, newest_version.c.v == m.Mark.version))
         .where(m.Mark.competition_id == competition_id, m.Mark.state.in_(COUNTING_STATES))
         .order_by(m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id))
    return list(s.exec(q))


# The judging workflows listen to every mark (spread rule, chief judge's grid).
from scoring.services import judging as _judging  # noqa: E402,F401
