"""Who is signed in (staff accounts): the server-side session behind the cookie.

Why one module: every blueprint and the access check ask the same question the same way; tests log in through
``login`` rather than poking the session. The cookie carries only the id of a server-side
session (``models.StaffSession``), so sign-out, a password change, a deactivation or a role
change end it everywhere on the next request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, request, session

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


def here() -> str:
    """This request's path and query, to come back to after signing in: ``/admin/`` rather than
    Werkzeug's ``full_path`` (``/admin/?``), whose trailing "?" ended up in every ``next=``."""
    query = request.query_string.decode("latin-1")
    return request.path + ("?" + query if query else "")


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Why so strict: ``next`` comes from the address bar, and a redirect to ``//evil.example`` or
    ``/\\evil.example`` (which browsers read as another host) would make our sign-in page send
    a freshly signed-in organizer anywhere. A path has no scheme, no host, no backslash and no
    control character; a trailing "?" with nothing after it is dropped."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target[:-1] if target.endswith("?") else target
