"""Sign-off and unlock of a judge's sheet (the marks of one contestant): new versions of marks
already given, written with the one write path's ``write_mark``.

Why apart from the tablet's submit path: a sheet changes several cells at once in one ordinary
transaction (no group commit, no per-mark cache), and it is the chief judge's lock on a
correction: a signed mark refuses corrections (``marks.SIGNED``) until it is unlocked, and an
unlock revokes the panel's confirmation of that contestant.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from scoring import models as m
from scoring.db import transaction
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services import standings
from scoring.services.audit import record
from scoring.services.mark_keys import check_reason
from scoring.services.marks import Plan, write_mark
from scoring.services.readside import current_round, invalid_elements, latest


@dataclass(frozen=True)
class SheetChange:
    judge_code: str
    contestant_id: int
    changed: int  # how many cells got a new version
    state: str


def sign_sheet(
    engine: Engine, competition_id: int, judge_id: int, contestant_id: int, aspect_ids: list[int]
) -> SheetChange:
    """The judge signs their marks for one contestant: every aspect must be marked; each mark
    gets a new ``signed`` version (locked until the chief judge unlocks it)."""
    try:
        return _sign(engine, competition_id, judge_id, contestant_id, aspect_ids)
    except IntegrityError:
        raise Conflict(N_("A mark of this sheet changed while signing; reload and sign again.")) from None


def _sign(engine: Engine, competition_id: int, judge_id: int, contestant_id: int, aspect_ids: list[int]) -> SheetChange:
    with transaction(engine) as s:
        judge = s.get(m.Judge, judge_id)
        contestant = s.get(m.Contestant, contestant_id)
        if judge is None or contestant is None or contestant.competition_id != competition_id:
            raise NotFound(N_("Unknown contestant."))
        invalid = invalid_elements(s, competition_id)  # declared invalid: no mark to ask for or sign
        aspects = [a for a in (s.get(m.Aspect, i) for i in aspect_ids) if (contestant_id, a.id) not in invalid]
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
            plan = Plan(judge, contestant, aspect, prev.round, prev.version + 1, prev.value, prev.value)
            write_mark(
                s,
                competition_id,
                plan,
                state="signed",
                client_id="",
                key=f"sign-{uuid.uuid4().hex}",
                based_on=prev.version,
                entered_by=judge.code,
                reason="",
            )
        record(
            s,
            competition_id,
            judge.code,
            "sheet.signed",
            f"{contestant.code}/{judge.code}",
            {"aspects": [a.code for a, _ in todo]},
        )
    if version is not None:
        standings.announce(competition_id, version)
    return SheetChange(judge.code, contestant_id, len(todo), "signed")


def unlock_sheet(
    engine: Engine, competition_id: int, judge_id: int, contestant_id: int, actor: str, reason: str
) -> SheetChange:
    """The chief judge unlocks a judge's signed sheet, with a written reason (audited): each
    signed mark gets a new ``submitted`` version so the judge can correct it."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(Problem("reason", N_("Write the reason for unlocking.")))
    check_reason(reason)
    try:
        return _unlock(engine, competition_id, judge_id, contestant_id, actor, reason)
    except IntegrityError:
        raise Conflict(N_("A mark of this sheet changed while unlocking; reload and try again.")) from None


def _unlock(
    engine: Engine, competition_id: int, judge_id: int, contestant_id: int, actor: str, reason: str
) -> SheetChange:
    with transaction(engine) as s:
        judge = s.get(m.Judge, judge_id)
        contestant = s.get(m.Contestant, contestant_id)
        if (
            judge is None
            or contestant is None
            or contestant.competition_id != competition_id
            or judge.competition_id != competition_id
        ):
            raise NotFound(N_("Unknown contestant."))
        rows = s.exec(
            select(m.Mark)
            .where(m.Mark.contestant_id == contestant_id, m.Mark.judge_id == judge_id)
            .order_by(m.Mark.aspect_id, m.Mark.round, m.Mark.version)
        ).all()
        version = standings.bump(s, competition_id, marks_only=True)  # before the new rows: see bump
        newest: dict[int, m.Mark] = {}
        for row in rows:
            newest[row.aspect_id] = row  # ordered: the last is the newest round and version
        changed = 0
        for row in newest.values():
            if row.state != "signed":
                continue
            aspect = s.get(m.Aspect, row.aspect_id)
            plan = Plan(judge, contestant, aspect, row.round, row.version + 1, row.value, row.value)
            write_mark(
                s,
                competition_id,
                plan,
                state="submitted",
                client_id="",
                key=f"unlock-{uuid.uuid4().hex}",
                based_on=row.version,
                entered_by=actor,
                reason=reason,
            )
            changed += 1
        if not changed:
            raise Conflict(N_("This sheet is not signed; there is nothing to unlock."))
        for conf in s.exec(
            select(m.SheetConfirmation).where(
                m.SheetConfirmation.contestant_id == contestant_id, m.SheetConfirmation.revoked_at.is_(None)
            )
        ):
            conf.revoked_at = m.utcnow()
            conf.revoked_by = actor
            conf.revoke_reason = reason
            s.add(conf)
        record(s, competition_id, actor, "sheet.unlocked", f"{contestant.code}/{judge.code}", {"reason": reason})
    standings.announce(competition_id, version)
    return SheetChange(judge.code, contestant_id, changed, "submitted")
