"""The chief judge's grid over Socket.IO: its namespace and room, and the push that tells it to
re-fetch.

Why only a "changed" push: the grid is small and the chief judge's screen re-fetches it over HTTP
(one place computes it, ``services.progress``), so a missed push can never leave a stale cell.
Services never emit on Socket.IO: they send ``signals.grid_changed`` after their commit, and
``grid_changed`` below (connected by ``scoring.wiring``) turns it into the push.
"""

from __future__ import annotations

from scoring.extensions import socketio

NAMESPACE = "/judging"


def room(competition_id: int) -> str:
    return f"chief-{competition_id}"


def grid_changed(competition_id: int, *, what: str, **_: object) -> None:
    """Tell the chief judges' screens of this competition that the grid changed."""
    if getattr(socketio, "server", None) is None:
        return
    try:
        socketio.emit(
            "progress", {"competition": competition_id, "what": what}, namespace=NAMESPACE, to=room(competition_id)
        )
    except Exception:  # noqa: BLE001  (a push failure never undoes a durable write)
        pass
