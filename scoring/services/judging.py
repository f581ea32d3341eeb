"""The judges' workflows around the one mark write path: sign-off by a judge, unlock and
confirmation by the chief judge. It is also the front door the blueprints and the API use for
the rest of the judging day, which lives in cohesive modules of its own:

- ``services.judge_sheet``: what a judge's tablet shows;
- ``services.spread``: the spread rule after each mark, and re-score rounds;
- ``services.progress``: the chief judge's grid, the organizer's progress bars, tablet heartbeats;
- ``services.credentials``: PINs, login cards, sign-in;
- ``services.signoff``: the sheet's new versions on sign-off and unlock.

Why here and not in the blueprints: the same rules hold for the page, the JSON API and tests;
every change is one transaction, audited, and the chief judge's screen is told only after the
commit (``signals.grid_changed``, which the live layer turns into a push).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring import signals
from scoring.db import reading, transaction
from scoring.errors import Conflict, Forbidden, NotFound
from scoring.i18n import N_
from scoring.rules.cells import RECUSED, sheet_status
from scoring.services.audit import record
from scoring.services.credentials import (  # noqa: F401  (the front door: names the blueprints use)
    PIN_HASH,
    JudgeIdentity,
    card_token,
    cards,
    panel_names,
    set_pin,
    set_pins,
    sign_in_pin,
    sign_in_token,
)
from scoring.services.judge_sheet import judge_sheet, open_rounds, panel_aspects, panels_of  # noqa: F401
from scoring.services.progress import heartbeat, progress  # noqa: F401
from scoring.services.readside import contestant_by_ref, seating
from scoring.services.signoff import SheetChange, sign_sheet, unlock_sheet
from scoring.services.spread import check_spread, expected_judges, open_rescore  # noqa: F401


def sign_for_judge(engine: Engine, competition_id: int, judge_id: int, ref: str) -> SheetChange:
    """A judge signs off their marks of one contestant (every aspect of their panels)."""
    with reading(engine) as s:
        contestant = contestant_by_ref(s, competition_id, ref)
        if contestant is None:
            raise NotFound(N_("Unknown contestant."))
        if (
            s.exec(
                select(m.Recusal.id).where(m.Recusal.judge_id == judge_id, m.Recusal.contestant_id == contestant.id)
            ).first()
            is not None
        ):
            raise Forbidden(RECUSED)
        aspect_ids = []
        for panel in panels_of(s, judge_id):
            if panel.group_id == contestant.group_id:
                aspect_ids.extend(a.id for a in panel_aspects(s, panel))
        if not aspect_ids:
            raise Forbidden(N_("You do not sit on the panel that marks this aspect for this contestant."))
    change = sign_sheet(engine, competition_id, judge_id, contestant.id, aspect_ids)
    signals.grid_changed.send(competition_id, what="signed")
    return change


def confirm_sheet(engine: Engine, competition_id: int, panel_id: int, contestant_ref: str, chief: m.Judge) -> None:
    """The chief judge confirms a panel's sheet for one contestant once every judge has signed.
    The confirmer never entered any of its marks."""
    with transaction(engine) as s:
        panel = s.get(m.Panel, panel_id)
        contestant = contestant_by_ref(s, competition_id, contestant_ref)
        if (
            panel is None
            or panel.competition_id != competition_id
            or contestant is None
            or contestant.group_id != panel.group_id
        ):
            raise NotFound(N_("Unknown contestant."))
        aspects = panel_aspects(s, panel)
        ids = [a.id for a in aspects]
        marks = s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant.id, m.Mark.aspect_id.in_(ids))).all()
        # an unlock is a lock change, not a mark: only values entered by the chief disqualify them
        if any(
            k.judge_id == chief.id
            or (k.entered_by == chief.code and not k.idempotency_key.startswith(("unlock-", "sign-")))
            for k in marks
        ):
            raise Forbidden(N_("You entered marks on this sheet; another chief judge must confirm it."))
        counting = next(p.judges for p in seating(s, competition_id).panels if p.id == panel.id)
        judges = sorted(s.exec(select(m.Judge).where(m.Judge.id.in_(counting))), key=lambda j: j.code)  # no trainee
        recused = set(s.exec(select(m.Recusal.judge_id).where(m.Recusal.contestant_id == contestant.id)).all())
        newest: dict[tuple[int, int], m.Mark] = {}
        for k in sorted(marks, key=lambda k: (k.round, k.version)):
            newest[(k.judge_id, k.aspect_id)] = k
        rounds = open_rounds(s, competition_id)
        unsigned = [
            j.code
            for j in judges
            if j.id not in recused
            and aspects
            and sheet_status([(newest.get((j.id, a.id)), rounds.get((contestant.id, a.id), 1)) for a in aspects])
            != "signed"
        ]
        if unsigned:
            raise Conflict(N_("Not every judge has signed this sheet yet: %(judges)s."), judges=", ".join(unsigned))
        open_flags = s.exec(
            select(m.SpreadFlag).where(
                m.SpreadFlag.contestant_id == contestant.id,
                m.SpreadFlag.aspect_id.in_(ids),
                m.SpreadFlag.state.in_(("open", "rescoring")),
            )
        ).first()
        if open_flags is not None:
            raise Conflict(N_("A spread flag on this sheet is still open."))
        done = s.exec(
            select(m.SheetConfirmation).where(
                m.SheetConfirmation.panel_id == panel.id,
                m.SheetConfirmation.contestant_id == contestant.id,
                m.SheetConfirmation.revoked_at.is_(None),
            )
        ).first()
        if done is not None:
            return
        s.add(
            m.SheetConfirmation(
                competition_id=competition_id, panel_id=panel.id, contestant_id=contestant.id, confirmed_by=chief.code
            )
        )
        record(s, competition_id, chief.code, "sheet.confirmed", f"{contestant.code}/{panel.id}", {})
    signals.grid_changed.send(competition_id, what="confirmed")


def unlock_for_chief(
    engine: Engine, competition_id: int, judge_code: str, contestant_ref: str, chief: m.Judge, reason: str
) -> SheetChange:
    """The chief judge unlocks one judge's signed sheet of one contestant, with a reason."""
    with reading(engine) as s:
        contestant = contestant_by_ref(s, competition_id, contestant_ref)
        judge = s.exec(
            select(m.Judge).where(m.Judge.competition_id == competition_id, m.Judge.code == judge_code)
        ).first()
        if contestant is None or judge is None:
            raise NotFound(N_("Unknown contestant."))
    change = unlock_sheet(engine, competition_id, judge.id, contestant.id, chief.code, reason)
    signals.grid_changed.send(competition_id, what="unlocked")
    return change
