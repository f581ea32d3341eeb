"""The one write path for marks.

Every mark, correction, sign-off and withdrawal goes through ``submit_mark`` (or, for a
whole validated document, ``bulk_record``): permissions and rules are checked, the new
version and its audit event are written in one transaction, and only after the commit is the
standings version announced. The database constraints are the last line against doubles: a
unique idempotency key per competition and a unique version per sheet cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable

from sqlalchemy import and_, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services import standings
from scoring.services.audit import record

COUNTING_STATES = ("submitted", "signed")


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
    r = s.exec(select(func.max(m.Mark.round)).where(m.Mark.contestant_id == contestant_id,
                                                   m.Mark.aspect_id == aspect_id)).one()
    return r or 1


def latest(s: Session, contestant_id: int, aspect_id: int, judge_id: int, rnd: int) -> m.Mark | None:
    return s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant_id, m.Mark.aspect_id == aspect_id,
                                       m.Mark.judge_id == judge_id, m.Mark.round == rnd)
                  .order_by(m.Mark.version.desc()).limit(1)).first()


def judge_may_mark(s: Session, judge: m.Judge, contestant: m.Contestant, aspect: m.Aspect) -> str | None:
    """None if the judge may mark this cell, else the reason (a message id)."""
    recused = s.exec(select(m.Recusal).where(m.Recusal.judge_id == judge.id,
                                             m.Recusal.contestant_id == contestant.id)).first()
    if recused is not None:
        return N_("You are recused from marking this contestant (回避).")
    panels = s.exec(select(m.Panel).join(m.PanelJudge, m.PanelJudge.panel_id == m.Panel.id)
                    .where(m.PanelJudge.judge_id == judge.id, m.Panel.group_id == contestant.group_id,
                           m.Panel.stage_id == aspect.stage_id)).all()
    for panel in panels:
        limited = s.exec(select(m.PanelAspect.aspect_id).where(m.PanelAspect.panel_id == panel.id)).all()
        if not limited or aspect.id in limited:
            return None
    return N_("You do not sit on the panel that marks this aspect for this contestant.")


def _parse_value(aspect: m.Aspect, raw: object) -> Decimal:
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(Problem(aspect.code, N_("%(value)s is not a number."), {"value": raw}))
    if not value.is_finite():
        raise InvalidInput(Problem(aspect.code, N_("%(value)s is not a number."), {"value": raw}))
    return value


def check_value(aspect: m.Aspect, value: Decimal) -> None:
    from scoring.rules.convert import aspect_from_row
    from scoring.rules.marks import check_mark_value

    problems = check_mark_value(aspect_from_row(aspect), value)
    if problems:
        raise InvalidInput(problems)


def submit_mark(engine: Engine, *, competition_id: int, judge_id: int, contestant_id: int, aspect_id: int,
                value: object, idempotency_key: str, based_on_version: int, client_id: str = "",
                entered_by: str = "", state: str = "submitted", reason: str = "") -> MarkReceipt:
    """Record one judge's mark for one aspect of one contestant; acknowledged only once durable."""
    if not idempotency_key or len(idempotency_key) > 80:
        raise InvalidInput(Problem("idempotency_key", N_("Every submission needs an idempotency key of 1 to 80 characters.")))
    try:
        with transaction(engine) as s:
            replay = _replay(s, competition_id, idempotency_key)
            if replay is not None:
                return replay
            judge, contestant, aspect = _cell(s, competition_id, judge_id, contestant_id, aspect_id)
            why = judge_may_mark(s, judge, contestant, aspect)
            if why:
                raise Forbidden(why)
            parsed = None
            if state != "void":
                parsed = _parse_value(aspect, value)
                check_value(aspect, parsed)
            rnd = current_round(s, contestant_id, aspect_id)
            prev = latest(s, contestant_id, aspect_id, judge_id, rnd)
            prev_version = prev.version if prev else 0
            if based_on_version != prev_version:
                raise Conflict(N_("This mark was changed since you opened it (now version %(current)s, you had "
                                  "version %(yours)s). Reload to see the newest mark."),
                               current=prev_version, yours=based_on_version)
            if prev is not None and prev.state == "signed":
                raise Conflict(N_("This sheet is signed off; the chief judge must unlock it before a correction."))
            mark = m.Mark(competition_id=competition_id, contestant_id=contestant_id, aspect_id=aspect_id,
                          judge_id=judge_id, round=rnd, version=prev_version + 1, value=parsed, state=state,
                          client_id=client_id[:80], idempotency_key=idempotency_key, based_on_version=based_on_version,
                          entered_by=entered_by or judge.code, reason=reason)
            s.add(mark)
            s.flush()
            record(s, competition_id, entered_by or judge.code, f"mark.{state}", f"{contestant.code}/{aspect.code}/{judge.code}",
                   {"value": None if parsed is None else format(parsed, "f"), "version": mark.version, "round": rnd,
                    "client": client_id, "key": idempotency_key,
                    "previous": None if prev is None or prev.value is None else format(prev.value, "f")})
            version = standings.bump(s, competition_id)
            receipt = MarkReceipt(mark.id, mark.version, rnd, parsed, state, False, version)
    except IntegrityError:
        # A concurrent twin won the race: same key -> return its receipt; same cell version -> stale.
        with reading(engine) as s:
            replay = _replay(s, competition_id, idempotency_key)
        if replay is not None:
            return replay
        raise Conflict(N_("This mark was changed since you opened it (now version %(current)s, you had "
                          "version %(yours)s). Reload to see the newest mark."),
                       current=based_on_version + 1, yours=based_on_version)
    standings.announce(competition_id, receipt.standings_version)
    return receipt


def _replay(s: Session, competition_id: int, key: str) -> MarkReceipt | None:
    mark = s.exec(select(m.Mark).where(m.Mark.competition_id == competition_id, m.Mark.idempotency_key == key)).first()
    if mark is None:
        return None
    comp = s.get(m.Competition, competition_id)
    return MarkReceipt(mark.id, mark.version, mark.round, mark.value, mark.state, True, comp.standings_version)


def _cell(s: Session, cid: int, judge_id: int, contestant_id: int, aspect_id: int):
    judge = s.get(m.Judge, judge_id)
    contestant = s.get(m.Contestant, contestant_id)
    aspect = s.get(m.Aspect, aspect_id)
    if judge is None or judge.competition_id != cid:
        raise NotFound(N_("Unknown judge."))
    if contestant is None or contestant.competition_id != cid:
        raise NotFound(N_("Unknown contestant."))
    if aspect is None or aspect.competition_id != cid:
        raise NotFound(N_("Unknown aspect."))
    return judge, contestant, aspect


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
