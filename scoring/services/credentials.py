"""Judges' credentials: PINs, printed login cards, sign-in with either, and their withdrawal.

Why an epoch per judge: a tablet's sign-in lives in its signed cookie for a competition day, and
a cookie cannot be recalled. So each judge has a ``credential_epoch``; a sign-in records the
value it was made with, and every request compares it with the current one. Whatever withdraws a
credential (new PINs and cards, removal from a panel or from the competition) bumps the epoch
and, in the same transaction, the competition's ``config_version``: the marks hot path holds the
judges in its per-competition cache keyed on that version (``services.mark_config.config``), so it
sees the new epoch without a query of its own.

Why no throttle here: guessing is braked at the edge (``scoring.web.brakes``, Flask-Limiter),
per judge and per address, counting failures only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import InvalidInput, NotFound, NotSignedIn, Problem
from scoring.i18n import N_
from scoring.models.competition import generation as competition_generation
from scoring.services import standings
from scoring.services.audit import record

PIN_HASH = "pbkdf2:sha256:20000"  # a short PIN is cheap to guess offline anyway; the brakes are the defence
SIGNED_OUT = N_("Your judge sign-in has expired. Sign in again; unsent marks are kept.")
_TOKEN = re.compile(r"([0-9]{1,9})\.([0-9]{1,9})\.([0-9a-f]{32})")  # ASCII digits only, bounded
_J = m.Judge.__table__.c
_EPOCH = sa_select(_J.competition_id, _J.credential_epoch).where(_J.id == bindparam("j"))


@dataclass(frozen=True)
class JudgeIdentity:
    """Who is signed in on a tablet (kept in the session)."""

    judge_id: int
    competition_id: int
    code: str
    role: str
    generation: str | None = None  # models.competition.generation of the competition signed in to
    epoch: int = 0  # the judge's credential_epoch when they signed in


# --------------------------------------------------------------------------- PINs and cards


def set_pin(engine: Engine, judge_id: int, pin: str, actor: str = "organizer") -> None:
    """Give a judge a PIN (and a login card carrying it); earlier sign-ins of the judge end."""
    pin = (pin or "").strip()
    if not (4 <= len(pin) <= 8 and pin.isascii() and pin.isdigit()):
        raise InvalidInput(Problem("pin", N_("A PIN has 4 to 8 digits.")))
    with transaction(engine) as s:
        judge = s.get(m.Judge, judge_id)
        if judge is None:
            raise NotFound(N_("Unknown judge."))
        _store_pin(s, judge, pin)
        record(s, judge.competition_id, actor, "judge.pin_set", judge.code)
        standings.bump_config(s, judge.competition_id)


def set_pins(engine: Engine, competition_id: int, pins: dict[str, str], actor: str = "organizer") -> None:
    """Give several judges (by code) their PINs in one transaction (the demo's known PINs)."""
    with transaction(engine) as s:
        for judge in s.exec(select(m.Judge).where(m.Judge.competition_id == competition_id)):
            if judge.code in pins:
                _store_pin(s, judge, pins[judge.code])
                record(s, competition_id, actor, "judge.pin_set", judge.code)
        standings.bump_config(s, competition_id)


def _withdraw(s: Session, judge: m.Judge) -> None:
    """End every sign-in made with the judge's present credentials (the caller bumps the config)."""
    judge.credential_epoch = (judge.credential_epoch or 0) + 1
    s.add(judge)


def _store_pin(s: Session, judge: m.Judge, pin: str) -> m.JudgeCard:
    judge.pin_hash = generate_password_hash(pin, method=PIN_HASH)
    _withdraw(s, judge)
    card = s.get(m.JudgeCard, judge.id)
    if card is None:
        card = m.JudgeCard(judge_id=judge.id, competition_id=judge.competition_id, pin=pin, serial=1)
    else:
        card.pin, card.serial, card.issued_at = pin, card.serial + 1, m.utcnow()
    s.add(card)
    return card


def cards(
    engine: Engine, competition_id: int, reissue: bool = False, actor: str = "organizer", locale: str | None = None
) -> list[dict]:
    """Every judge's login card (judges without one get a fresh PIN); ``reissue`` replaces all of
    them, and every tablet signed in with an old PIN or card is asked to sign in again."""
    with transaction(engine) as s:
        judges = s.exec(select(m.Judge).where(m.Judge.competition_id == competition_id).order_by(m.Judge.code)).all()
        panels = panel_names(s, competition_id, locale)
        out, issued = [], False
        for judge in judges:
            card = s.get(m.JudgeCard, judge.id)
            if card is not None and not card.pin and not reissue:
                continue  # withdrawn (remove_from_competition) until the next reissue
            if card is None or reissue:
                card = _store_pin(s, judge, f"{secrets.randbelow(900000) + 100000}")
                record(s, competition_id, actor, "judge.card_issued", judge.code)
                issued = True
            out.append(
                {
                    "judge_id": judge.id,
                    "code": judge.code,
                    "name": judge.name,
                    "role": judge.role,
                    "pin": card.pin,
                    "serial": card.serial,
                    "panels": panels.get(judge.id, []),
                }
            )
        if issued:
            standings.bump_config(s, competition_id)
    return out


def panel_names(s: Session, competition_id: int, locale: str | None = None) -> dict[int, list[str]]:
    from scoring.labels import stage_label

    rows = s.exec(
        select(m.PanelJudge.judge_id, m.Panel, m.Group, m.Stage)
        .join(m.Panel, m.Panel.id == m.PanelJudge.panel_id)
        .join(m.Group, m.Group.id == m.Panel.group_id)
        .join(m.Stage, m.Stage.id == m.Panel.stage_id)
        .where(m.Panel.competition_id == competition_id)
    ).all()
    out: dict[int, list[str]] = {}
    for judge_id, panel, group, stage in rows:
        out.setdefault(judge_id, []).append(
            panel.name or f"{group.name} · {stage_label(stage.name, stage.code, locale)}"
        )
    return out


def card_token(secret: str, judge_id: int, serial: int) -> str:
    """The QR token of a card: names the judge and the card's serial, signed with the app secret."""
    body = f"{judge_id}.{serial}"
    mac = hmac.new(secret.encode(), f"judge-card:{body}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{body}.{mac}"


# --------------------------------------------------------------------------- sign-in


def sign_in_pin(engine: Engine, competition_id: int, code: str, pin: str, ip: str) -> m.Judge | None:
    """The judge for (code, PIN), or None. Codes are not case sensitive."""
    code = (code or "").strip().upper()
    pin = (pin or "").strip()
    if not code or len(code) > 40 or "\x00" in code or not (pin.isascii() and pin.isdigit() and len(pin) <= 8):
        return None
    with reading(engine) as s:
        judge = s.exec(
            select(m.Judge).where(m.Judge.competition_id == competition_id, func.upper(m.Judge.code) == code)
        ).first()
    if judge is None or not judge.pin_hash or not check_password_hash(judge.pin_hash, pin):
        return None
    with transaction(engine) as s:
        record(s, competition_id, judge.code, "judge.signed_in", judge.code, {"ip": ip, "how": "pin"})
    return judge


def sign_in_token(engine: Engine, secret: str, token: str, ip: str) -> m.Judge | None:
    """The judge of a login card's QR token, or None if it is malformed, forged or re-issued."""
    parts = _TOKEN.fullmatch(token or "")
    if parts is None:
        return None
    judge_id, serial = int(parts[1]), int(parts[2])
    if not hmac.compare_digest(card_token(secret, judge_id, serial), token):
        return None
    with reading(engine) as s:
        card = s.get(m.JudgeCard, judge_id)
        judge = s.get(m.Judge, judge_id)
    if card is None or judge is None or card.serial != serial or not card.pin or not judge.pin_hash:
        return None
    with transaction(engine) as s:
        record(s, judge.competition_id, judge.code, "judge.signed_in", judge.code, {"ip": ip, "how": "card"})
    return judge


# --------------------------------------------------------------------------- is a sign-in still good?


def still_signed_in(engine: Engine, who: JudgeIdentity) -> bool:
    """One small query: the judge still exists in that competition with the same credentials."""
    with engine.connect() as conn:
        row = conn.execute(_EPOCH, {"j": who.judge_id}).first()
    return row is not None and row.competition_id == who.competition_id and row.credential_epoch == who.epoch


def check_session(cfg, conn, judge_id: int, generation: str | None, epoch: int | None) -> None:  # noqa: ANN001
    """The marks hot path's check, answered by its cached config (``services.mark_config.MarkConfig``; a
    query only for a judge added after it was built): the sign-in is for this very competition
    (its generation) and was made with the judge's current credentials. Raises NotSignedIn."""
    if generation is not None and generation != competition_generation(cfg.key[3]):
        raise NotSignedIn(SIGNED_OUT)  # signed in to a competition this one replaced
    if epoch is None:
        return
    judge = cfg.judges.get(judge_id)
    if judge is not None:
        current = judge.credential_epoch
    else:
        row = conn.execute(_EPOCH, {"j": judge_id}).first()
        current = row.credential_epoch if row is not None and row.competition_id == cfg.key[1] else None
    if current != epoch:
        raise NotSignedIn(SIGNED_OUT)


# --------------------------------------------------------------------------- removal


def remove_from_panel(
    engine: Engine, competition_id: int, judge_id: int, actor: str, panel_id: int | None = None
) -> int:
    """Take a judge off one panel (``panel_id``) or off every panel; returns how many seats went.
    Their marks stay (append-only, audited). Every tablet signed in as the judge must sign in
    again: a sign-in made for a seat must not outlive it."""
    with transaction(engine) as s:
        judge = _judge_of(s, competition_id, judge_id)
        seats = _seats(s, competition_id, judge_id, panel_id)
        if panel_id is not None and not seats:
            raise NotFound(N_("This judge does not sit on that panel."))
        for seat in seats:
            s.delete(seat)
        _withdraw(s, judge)
        record(
            s,
            competition_id,
            actor,
            "judge.removed_from_panel",
            judge.code,
            {"panels": [seat.panel_id for seat in seats]},
        )
        version = standings.bump(s, competition_id)  # who is expected to mark changed
    standings.announce(competition_id, version)
    return len(seats)


def remove_from_competition(engine: Engine, competition_id: int, judge_id: int, actor: str) -> None:
    """A judge leaves the competition: off every panel, PIN and card withdrawn, every sign-in
    ended. The row stays (their marks and the audit log name them); the cards page leaves them
    out until the organizer issues new cards to everyone."""
    with transaction(engine) as s:
        judge = _judge_of(s, competition_id, judge_id)
        seats = _seats(s, competition_id, judge_id, None)
        for seat in seats:
            s.delete(seat)
        card = s.get(m.JudgeCard, judge.id)
        if card is not None:
            card.pin, card.serial = "", card.serial + 1  # the printed QR code and PIN stop working
            s.add(card)
        judge.pin_hash = ""
        _withdraw(s, judge)
        record(s, competition_id, actor, "judge.removed", judge.code, {"panels": [seat.panel_id for seat in seats]})
        version = standings.bump(s, competition_id)
    standings.announce(competition_id, version)


def _judge_of(s: Session, competition_id: int, judge_id: int) -> m.Judge:
    judge = s.get(m.Judge, judge_id)
    if judge is None or judge.competition_id != competition_id:
        raise NotFound(N_("Unknown judge."))
    return judge


def _seats(s: Session, competition_id: int, judge_id: int, panel_id: int | None) -> list[m.PanelJudge]:
    q = (
        select(m.PanelJudge)
        .join(m.Panel, m.Panel.id == m.PanelJudge.panel_id)
        .where(m.PanelJudge.judge_id == judge_id, m.Panel.competition_id == competition_id)
    )
    if panel_id is not None:
        q = q.where(m.PanelJudge.panel_id == panel_id)
    return list(s.exec(q))
