"""The chief judge's live grid over Socket.IO, in its own namespace ``/judging``.

Why only a "changed" signal: the grid is small and the chief judge's screen re-fetches it over
HTTP (one place computes it, and a missed push can never leave a stale cell: the next push or
the periodic refresh brings the whole grid).
"""

from __future__ import annotations

from flask import request
from flask_socketio import join_room
from sqlmodel import select

from scoring import live_grid
from scoring import models as m
from scoring.db import reading
from scoring.extensions import socketio
from scoring.web import access
from scoring.web.common import engine


def register(app) -> None:  # noqa: ANN001
    """Bind the handler to this app's Socket.IO server. Why per app: ``SocketIO.init_app`` makes a
    new server each time, and a handler declared once at import reaches only the first one."""
    socketio.on_event("connect", _connect, namespace=live_grid.NAMESPACE)


def _connect(auth_data=None):  # noqa: ANN001
    slug = (auth_data or {}).get("slug") if isinstance(auth_data, dict) else None
    slug = slug or request.args.get("slug")
    if not slug:
        return False
    with reading(engine()) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == slug)).first()
    if comp is None:
        return False
    if not access.allows(access.CHIEF_GRID, comp.id, comp.created_at):  # the rule of api.progress
        return False
    join_room(live_grid.room(comp.id))
    return True
