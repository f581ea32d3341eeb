"""Who is signed in, and the decorators that guard pages by role.

Why one module: every blueprint asks the same question the same way; tests log in through
``login`` rather than poking the session.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, current_app, g, redirect, request, session, url_for

from scoring import models as m
from scoring.db import reading

SESSION_KEY = "user_id"


def login(user: m.User) -> None:
    session.clear()
    session[SESSION_KEY] = user.id
    session.permanent = True


def logout() -> None:
    session.pop(SESSION_KEY, None)


def current_user() -> m.User | None:
    if "scoring_user" in g:
        return g.scoring_user
    user = None
    uid = session.get(SESSION_KEY)
    if uid is not None:
        with reading(current_app.extensions["scoring.engine"]) as s:
            user = s.get(m.User, uid)
        if user is not None and not user.active:
            user = None
    g.scoring_user = user
    return user


def may_act_on(user: m.User | None, competition_id: int | None, *roles: str) -> bool:
    if user is None or user.role not in roles:
        return False
    return user.competition_id is None or competition_id is None or user.competition_id == competition_id


def role_required(*roles: str) -> Callable:
    """Allow only signed-in users with one of ``roles`` (an organizer may do everything)."""
    allowed = set(roles) | {"organizer"}

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if user is None:
                if request.path.startswith("/api/"):
                    abort(401)
                return redirect(url_for("accounts.login", next=request.full_path))
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
