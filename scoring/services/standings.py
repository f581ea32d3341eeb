"""The one place that bumps the standings version and tells the live layer.

Why one place: caches and boards are invalidated by a version number, never by listing
keys. A write path calls ``bump`` inside its transaction and ``announce`` after the commit;
listeners (the socket layer) subscribe with ``on_change``. Standings are computed once per
version and shared by every reader.
"""
from __future__ import annotations

import threading
from typing import Callable

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scoring import models as m

_listeners: list[Callable[[int, int], None]] = []
_cache: dict[tuple[int, int, int], object] = {}  # (engine, competition, version)
_cache_lock = threading.Lock()


def bump(s: Session, competition_id: int) -> int:
    """Increase the competition's standings version inside the caller's transaction."""
    s.exec(update(m.Competition).where(m.Competition.id == competition_id)
           .values(standings_version=m.Competition.standings_version + 1))
    s.flush()
    comp = s.get(m.Competition, competition_id)
    s.refresh(comp, ["standings_version"])
    return comp.standings_version


def on_change(listener: Callable[[int, int], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def announce(competition_id: int, version: int) -> None:
    """After commit: tell listeners (never before the change is durable)."""
    for listener in list(_listeners):
        listener(competition_id, version)


def computed(engine: Engine, competition_id: int):
    """(version, document, Standings) for the competition's current version, computed once per version."""
    from scoring.db import reading
    from scoring.document import load_document, recompute
    from scoring.services.transfer import build_document

    with reading(engine) as s:
        comp = s.get(m.Competition, competition_id)
        if comp is None:
            return None
        version = comp.standings_version
        key = (id(engine), competition_id, version)
        hit = _cache.get(key)
        if hit is not None:
            return hit
        raw = build_document(s, competition_id)
    doc = load_document(raw)
    result = (version, doc, recompute(doc))
    with _cache_lock:
        for old in [k for k in _cache if k[:2] == key[:2] and k[2] < version]:
            del _cache[old]
        _cache[key] = result
    return result

