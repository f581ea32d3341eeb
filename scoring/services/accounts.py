"""Accounts: create and check passwords (hashed with Werkzeug's scrypt/pbkdf2), and the
server-side record of each sign-in (``StaffSession``) that makes a session revocable.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import select
from werkzeug.security import check_password_hash, generate_password_hash

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.services.audit import record


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: str = "organizer",
    display_name: str = "",
    competition_id: int | None = None,
    judge_id: int | None = None,
    actor: str = "cli",
) -> int:
    problems = []
    username = (username or "").strip()
    if not username or len(username) > 80:
        problems.append(Problem("username", N_("A user name of 1 to 80 characters is required.")))
    if len(password or "") < 8:
        problems.append(Problem("password", N_("The password must have at least 8 characters.")))
    if role not in m.ROLES:
        problems.append(Problem("role", N_("Unknown role %(role)s."), {"role": role}))
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as s:
        if s.exec(select(m.User).where(m.User.username == username)).first() is not None:
            raise InvalidInput(Problem("username", N_("The user name %(name)s is taken."), {"name": username}))
        user = m.User(
            username=username,
            display_name=display_name or username,
            password_hash=generate_password_hash(password),
            role=role,
            competition_id=competition_id,
            judge_id=judge_id,
        )
        s.add(user)
        s.flush()
        record(s, competition_id, actor, "user.created", username, {"role": role})
        return user.id


def authenticate(engine: Engine, username: str, password: str) -> m.User | None:
    """The active account for this user name and password, or None (also for input no account
    can have: too long, NUL, unencodable)."""
    username, password = (username or "").strip(), password or ""
    if not _plain(username, 80) or not _plain(password, 1024):
        return None
    with reading(engine) as s:
        user = s.exec(select(m.User).where(m.User.username == username)).first()
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def _plain(text: str, longest: int) -> bool:
    if not text or len(text) > longest or "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def has_any_organizer(engine: Engine) -> bool:
    with reading(engine) as s:
        return s.exec(select(m.User).where(m.User.role == "organizer")).first() is not None


def create_first_organizer(engine: Engine, username: str, password: str, display_name: str = "") -> int:
    """The first-run set-up: allowed only while no organizer exists (re-checked inside the write)."""
    from scoring.errors import Conflict

    if has_any_organizer(engine):
        raise Conflict(N_("An organizer account already exists; sign in instead."))
    return create_user(engine, username, password, role="organizer", display_name=display_name, actor="setup")


def ensure_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    actor: str = "demo",
    competition_id: int | None = None,
) -> bool:
    """Create the account unless the user name exists (the demo may be built twice). True if created."""
    with reading(engine) as s:
        if s.exec(select(m.User).where(m.User.username == username)).first() is not None:
            return False
    try:
        create_user(
            engine, username, password, role=role, display_name=display_name, competition_id=competition_id, actor=actor
        )
    except InvalidInput:
        return False  # created meanwhile by someone else
    return True


def list_users(engine: Engine) -> list[m.User]:
    with reading(engine) as s:
        return list(s.exec(select(m.User).order_by(m.User.role, m.User.username)))


def update_user(
    engine: Engine,
    user_id: int,
    actor: str,
    *,
    active: bool | None = None,
    role: str | None = None,
    password: str | None = None,
    keep_session: str | None = None,
) -> None:
    """Deactivate, change role or reset a password; the last active organizer cannot be removed.
    Every change ends the user's sessions on every browser, in the same transaction; a new
    password spares ``keep_session`` (the acting user's own, when they change their own password)."""
    if role is not None and role not in m.ROLES:
        raise InvalidInput(Problem("role", N_("Unknown role %(role)s."), {"role": role}))
    if password is not None and len(password) < 8:
        raise InvalidInput(Problem("password", N_("The password must have at least 8 characters.")))
    with transaction(engine) as s:
        user = s.get(m.User, user_id)
        if user is None:
            raise InvalidInput(Problem("user", N_("Unknown user.")))
        if active is not None:
            user.active = active
        if role is not None:
            user.role = role
        if password is not None:
            user.password_hash = generate_password_hash(password)
        s.add(user)
        s.flush()
        organizers = s.exec(select(m.User).where(m.User.role == "organizer", m.User.active.is_(True))).all()
        if not organizers:
            raise InvalidInput(Problem("user", N_("At least one active organizer must remain.")))
        reason = "role" if role is not None else "deactivated" if active is False else "password"
        ended = 0
        if role is not None or active is False or password is not None:
            only_password = role is None and active is None
            ended = revoke_sessions(s, user.id, reason, keep=keep_session if only_password else None)
        record(
            s,
            user.competition_id,
            actor,
            "user.updated",
            user.username,
            {"active": active, "role": role, "password_reset": password is not None, "sessions_ended": ended},
        )


# --------------------------------------------------------------------------- sessions

SESSION_ID_BYTES = 32
LAST_SEEN_EVERY = timedelta(minutes=5)  # how stale ``last_seen`` may get before a request refreshes it
_S = m.StaffSession.__table__.c


def start_session(engine: Engine, user_id: int) -> str:
    """Record a new sign-in and return its id (what the signed cookie carries)."""
    sid = secrets.token_urlsafe(SESSION_ID_BYTES)
    with transaction(engine) as s:
        s.add(m.StaffSession(id=sid, user_id=user_id))
    return sid


def session_user(engine: Engine, sid: object, idle: timedelta) -> m.User | None:
    """The active user of a live session, in one query; None if revoked, idle longer than
    ``idle``, unknown or its user deactivated. Refreshes ``last_seen`` at most every few minutes
    (a write per request would queue every page behind the marks on SQLite's one write lock)."""
    if not isinstance(sid, str) or not 0 < len(sid) <= 64:
        return None
    with reading(engine) as s:
        row = s.exec(
            select(m.User, m.StaffSession.last_seen)
            .join(m.StaffSession, m.StaffSession.user_id == m.User.id)
            .where(m.StaffSession.id == sid, m.StaffSession.revoked_at.is_(None), m.User.active.is_(True))
        ).first()
    if row is None:
        return None
    user, last_seen = row
    now = m.utcnow()
    if now - last_seen > idle:
        return None
    if now - last_seen > LAST_SEEN_EVERY:
        with transaction(engine) as s:
            s.execute(update(m.StaffSession).where(_S.id == sid).values(last_seen=now))
    return user


def end_session(engine: Engine, sid: object, reason: str = "logout") -> None:
    if not isinstance(sid, str) or not sid:
        return
    with transaction(engine) as s:
        s.execute(
            update(m.StaffSession)
            .where(_S.id == sid, _S.revoked_at.is_(None))
            .values(revoked_at=m.utcnow(), revoked_reason=reason)
        )


def revoke_sessions(s, user_id: int, reason: str, keep: str | None = None) -> int:  # noqa: ANN001
    """Inside the caller's transaction: end every live session of the user (but ``keep``)."""
    q = update(m.StaffSession).where(_S.user_id == user_id, _S.revoked_at.is_(None))
    if keep:
        q = q.where(_S.id != keep)
    return s.execute(q.values(revoked_at=m.utcnow(), revoked_reason=reason)).rowcount or 0
