"""Accounts: create and check passwords (hashed with Werkzeug's scrypt/pbkdf2)."""
from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select
from werkzeug.security import check_password_hash, generate_password_hash

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.services.audit import record


def create_user(engine: Engine, username: str, password: str, role: str = "organizer", display_name: str = "",
                competition_id: int | None = None, judge_id: int | None = None, actor: str = "cli") -> int:
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
        user = m.User(username=username, display_name=display_name or username,
                      password_hash=generate_password_hash(password), role=role,
                      competition_id=competition_id, judge_id=judge_id)
        s.add(user)
        s.flush()
        record(s, competition_id, actor, "user.created", username, {"role": role})
        return user.id


def authenticate(engine: Engine, username: str, password: str) -> m.User | None:
    with reading(engine) as s:
        user = s.exec(select(m.User).where(m.User.username == (username or "").strip())).first()
    if user is None or not user.active or not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def has_any_organizer(engine: Engine) -> bool:
    with reading(engine) as s:
        return s.exec(select(m.User).where(m.User.role == "organizer")).first() is not None


def create_first_organizer(engine: Engine, username: str, password: str, display_name: str = "") -> int:
    """The first-run set-up: allowed only while no organizer exists (re-checked inside the write)."""
    from scoring.errors import Conflict

    if has_any_organizer(engine):
        raise Conflict(N_("An organizer account already exists; sign in instead."))
    return create_user(engine, username, password, role="organizer", display_name=display_name, actor="setup")


def ensure_user(engine: Engine, username: str, password: str, role: str, display_name: str = "", actor: str = "demo") -> bool:
    """Create the account unless the user name exists (the demo may be built twice). True if created."""
    with reading(engine) as s:
        if s.exec(select(m.User).where(m.User.username == username)).first() is not None:
            return False
    try:
        create_user(engine, username, password, role=role, display_name=display_name, actor=actor)
    except InvalidInput:
        return False  # created meanwhile by someone else
    return True


def list_users(engine: Engine) -> list[m.User]:
    with reading(engine) as s:
        return list(s.exec(select(m.User).order_by(m.User.role, m.User.username)))


def update_user(engine: Engine, user_id: int, actor: str, *, active: bool | None = None, role: str | None = None,
                password: str | None = None) -> None:
    """Deactivate, change role or reset a password; the last active organizer cannot be removed."""
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
        organizers = s.exec(select(m.User).where(m.User.role == "organizer", m.User.active == True)).all()  # noqa: E712
        if not organizers:
            raise InvalidInput(Problem("user", N_("At least one active organizer must remain.")))
        record(s, user.competition_id, actor, "user.updated", user.username,
               {"active": active, "role": role, "password_reset": password is not None})
