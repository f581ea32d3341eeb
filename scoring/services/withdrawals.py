"""Withdrawals and no-shows (弃权/缺考): record one with its reason, and take it back.

Why a service of its own: a withdrawal changes who is ranked (the engine leaves the contestant
out, no award, nothing counted as missing), so it moves the standings version and rebuilds them;
it is audited with its reason in the same transaction, and undone only with a reason too.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring import signals
from scoring.db import transaction
from scoring.errors import InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.rules.text import check_length
from scoring.services import standings
from scoring.services.audit import record

KINDS = ("withdrawn", "absent")  # 弃权, 缺考
REASON_NEEDED = N_("Give a reason: it is shown with the contestant's results and kept in the audit log.")
UNKNOWN_KIND = N_("Choose withdrew or absent.")


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(Problem("reason", REASON_NEEDED))
    check_length(text, "reason")
    return text


def set_withdrawal(
    engine: Engine, cid: int, contestant_id: int, kind: str, reason: str, stage: str | None, actor: str
) -> None:
    """Record that a contestant withdrew or did not show up (from ``stage`` on; None: at all)."""
    if kind not in KINDS:
        raise InvalidInput(Problem("kind", UNKNOWN_KIND))
    text = _reason(reason)
    with transaction(engine) as s:
        c = s.get(m.Contestant, contestant_id)
        if c is None or c.competition_id != cid:
            raise NotFound(N_("Unknown contestant."))
        if stage and stage not in set(s.exec(select(m.Stage.code).where(m.Stage.competition_id == cid))):
            raise InvalidInput(Problem("stage", N_("Unknown stage.")))
        c.withdrawn, c.withdrawn_as, c.withdrawn_reason, c.withdrawn_stage = True, kind, text, stage or None
        s.add(c)
        record(s, cid, actor, "contestant.withdrawn", c.code, {"kind": kind, "reason": text, "stage": stage or ""})
        version = standings.bump(s, cid)
    standings.announce(cid, version)
    signals.grid_changed.send(cid, what="withdrawal")


def undo_withdrawal(engine: Engine, cid: int, contestant_id: int, reason: str, actor: str) -> None:
    """The contestant competes again (recorded by mistake, or back in time): audited with why."""
    text = _reason(reason)
    with transaction(engine) as s:
        c = s.get(m.Contestant, contestant_id)
        if c is None or c.competition_id != cid:
            raise NotFound(N_("Unknown contestant."))
        if not c.withdrawn:
            return
        before = {"kind": c.withdrawn_as, "reason": c.withdrawn_reason, "stage": c.withdrawn_stage or ""}
        c.withdrawn, c.withdrawn_as, c.withdrawn_reason, c.withdrawn_stage = False, "withdrawn", "", None
        s.add(c)
        record(s, cid, actor, "contestant.withdrawal_undone", c.code, {"reason": text, "before": before})
        version = standings.bump(s, cid)
    standings.announce(cid, version)
    signals.grid_changed.send(cid, what="withdrawal")


#: The statuses of a contestant out of the ranking (弃权/缺考, ``withdrawn_as``).
OUT = ("withdrawn", "absent")


def out_row(c, codes: dict[str, str], seated: dict[str, str]) -> dict:
    """A withdrawn or absent contestant (弃权/缺考): listed under the ranked ones with the reason,
    no rank, no total, no award; never a 0."""
    return {
        "code": c.code,
        "label": codes.get(c.code, c.code),
        "rank": None,
        "total": None,
        "stages": {},
        "awards": [],
        "tied": False,
        "name": c.name,
        "unit": c.unit,
        "region": c.region,
        "decided_by": None,
        "decided_by_texts": {},
        "status": c.withdrawn_as,
        "reason": c.withdrawn_reason,
        "out_stage": c.withdrawn_stage,
        "session": seated.get(c.code),
    }
