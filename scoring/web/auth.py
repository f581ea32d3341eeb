"""Who is signed in (staff accounts): the server-side session behind the cookie.

Why one module: every blueprint and the access check ask the same question the same way; tests log in through
``login`` rather than poking the session. The cookie carries only the id of a server-side
session (``models.StaffSession``), so sign-out, a password change, a deactivation or a role
change end it everywhere on the next request.
"""

from __future__ import annotations

from flask import current_app, g, session

from scoring import models as m
from scoring.services import accounts as accounts_svc

SESSION_KEY = "staff_session"  # the id of a StaffSession row (services.accounts), never a user id


def login(user: m.User) -> None:
    """Start a server-side session for ``user`` and put its id in the cookie (replacing whatever
    the cookie held, a judge's sign-in included)."""
    sid = accounts_svc.start_session(_engine(), user.id)
    session.clear()
    session[SESSION_KEY] = sid
    session.permanent = True
    g.scoring_user = user


def logout() -> None:
    """End this browser's session on the server too: the same cookie replayed later is refused."""
    accounts_svc.end_session(_engine(), session.pop(SESSION_KEY, None), "logout")
    g.scoring_user = None


def current_session_id() -> str | None:
    sid = session.get(SESSION_KEY)
    return sid if isinstance(sid, str) else None


def current_user() -> m.User | None:
    """The account of this request: only through a live, unrevoked session of an active user
    (one query per request, remembered in ``g``)."""
    if "scoring_user" in g:
        return g.scoring_user
    user = None
    sid = session.get(SESSION_KEY)
    if sid is not None:
        user = accounts_svc.session_user(_engine(), sid, current_app.permanent_session_lifetime)
    g.scoring_user = user
    return user


def _engine():
    return current_app.extensions["scoring.engine"]
