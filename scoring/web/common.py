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


def competition_id_or_404(slug: str) -> int:
    """Only the id of the competition with this slug (one prepared Core query, no ORM object)."""
    with engine().connect() as conn:
        cid = conn.execute(_ID_BY_SLUG, {"slug": slug}).scalar()
    if cid is None:
        abort(404)
    return cid
