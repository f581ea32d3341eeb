"""Helpers shared by the blueprints: loading a competition and the visible standings."""

from __future__ import annotations

from flask import abort, current_app
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.services.results import visible_standings
from scoring.visibility import Audience
from scoring.web.locale import select_locale


def engine():
    return current_app.extensions["scoring.engine"]


def competition_or_404(slug: str) -> m.Competition:
    with reading(engine()) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == slug)).first()
    if comp is None:
        abort(404)
    return comp


def standings_for(comp: m.Competition, audience: Audience) -> dict:
    return visible_standings(engine(), comp.id, audience, locale=select_locale())


def _id_by_slug():
    from sqlalchemy import bindparam
    from sqlalchemy import select as sa_select

    c = m.Competition.__table__.c
    return sa_select(c.id).where(c.slug == bindparam("slug"))


_ID_BY_SLUG = _id_by_slug()


_slug_ids: dict[tuple[int, str], int] = {}


def competition_id_or_404(slug: str, fresh: bool = False) -> int:
    """Only the id of the competition with this slug, remembered per process (the marks hot path
    asks on every request). A remembered id is a hint, not a fact: a competition can be deleted
    or replaced, so a caller that acts on it re-checks the slug against the row it reads
    (``services.marks.StaleCompetition``) and asks again with ``fresh=True``."""
    eng = engine()
    slot = (id(eng), slug)
    cid = None if fresh else _slug_ids.get(slot)
    if cid is None:
        with eng.connect() as conn:
            cid = conn.execute(_ID_BY_SLUG, {"slug": slug}).scalar()
        if cid is None:
            _slug_ids.pop(slot, None)
            abort(404)
        if len(_slug_ids) > 10_000:
            _slug_ids.clear()
        _slug_ids[slot] = cid
    return cid
