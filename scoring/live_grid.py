"""The chief judge's grid over Socket.IO: its namespace and room, and the push that tells it to
re-fetch.

Why only a "changed" push: the grid is small and the chief judge's screen re-fetches it over HTTP
(one place computes it, ``services.progress``), so a missed push can never leave a stale cell.
Services never emit on Socket.IO: they send ``signals.grid_changed`` after their commit, and
``grid_changed`` below (connected by ``scoring.wiring``) turns it into the push.
"""

from __future__ import annotations

import threading

from scoring.extensions import socketio

NAMESPACE = "/judging"


def room(competition_id: int) -> str:
    return f"chief-{competition_id}"


#: How long a mark's push waits for the marks after it (seconds): one push covers them all.
MARK_PUSH_DELAY = 0.1
_waiting: set[int] = set()  # competitions whose marks' push is scheduled and not yet sent
_waiting_lock = threading.Lock()


def grid_changed(competition_id: int, *, what: str, **_: object) -> None:
    """Tell the chief judges' screens of this competition that the grid changed.

    A mark's push is coalesced: the first mark schedules one push ``MARK_PUSH_DELAY`` later and
    the marks meanwhile only join it. Why: it went through the message queue (Redis) to every
    process once per mark, the marks path's largest cost after the database at fifty tablets
    marking at once, for a screen that re-fetches the whole grid on any push anyway. Why nothing
    is missed: a mark's signal comes after its commit, and the scheduled push is taken off
    ``_waiting`` before it is sent, so every mark that joined it was durable before the push
    left, and the chief judge's re-fetch after it sees the mark; a mark after that schedules the
    next push. Other changes (a sign-off, an unlock) are pushed at once, as before."""
    if getattr(socketio, "server", None) is None:
        return
    if what != "mark":
        _push(competition_id, what)
        return
    with _waiting_lock:
        if competition_id in _waiting:
            return
        _waiting.add(competition_id)
    try:
        socketio.start_background_task(_push_later, competition_id)
    except Exception:  # noqa: BLE001  (no task: push now rather than never)
        with _waiting_lock:
            _waiting.discard(competition_id)
        _push(competition_id, what)


def _push_later(competition_id: int) -> None:
    try:
        socketio.sleep(MARK_PUSH_DELAY)
    finally:
        with _waiting_lock:
            _waiting.discard(competition_id)  # before the push: a mark from now on schedules another
    _push(competition_id, "mark")


def _push(competition_id: int, what: str) -> None:
    try:
        socketio.emit(
            "progress", {"competition": competition_id, "what": what}, namespace=NAMESPACE, to=room(competition_id)
        )
    except Exception:  # noqa: BLE001  (a push failure never undoes a durable write)
        pass
