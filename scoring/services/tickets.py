"""Admission tickets (准考证): one per contestant (one per member of a team entry), with the
session and station the draw gave them and the lookup code of the result lookup (成绩查询).

Why the organizer's only: a ticket holds personal data (the ID number, masked to its last four
characters, and the private lookup code). Printing gives any contestant still without a code
theirs first (``lookup_codes.ensure_in``, audited), so every printed code is stored before it is
on paper. Before the draw, session and station are left empty: the ticket says they are
announced after the draw.
"""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import jobs
from scoring import models as m
from scoring.certificates.papers import Ticket
from scoring.db import make_engine, reading, transaction
from scoring.errors import NotFound
from scoring.i18n import N_
from scoring.labels import stage_label
from scoring.rules.lookup import masked_id, shown_code
from scoring.services.audit import record
from scoring.services.lookup_codes import ensure_in


def lookup_url(base_url: str, slug: str, code: str = "") -> str:
    """The lookup page's address (with the code filled in, for a ticket's QR code)."""
    url = f"{base_url.rstrip('/')}/results/{quote(slug)}/lookup"
    return f"{url}?code={code}" if code else url


def tickets(
    engine: Engine, cid: int, group: str | None, base_url: str, actor: str, locale: str | None = None
) -> list[Ticket]:
    with transaction(engine) as s:
        if (
            group
            and s.exec(select(m.Group.id).where(m.Group.competition_id == cid, m.Group.code == group)).first() is None
        ):
            raise NotFound(N_("Unknown group."))
        given = ensure_in(s, cid)
        if given:
            record(s, cid, actor, "lookup_codes.given", "", {"count": given})
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        groups = {
            g.id: g for g in s.exec(select(m.Group).where(m.Group.competition_id == cid).order_by(m.Group.position))
        }
        if group and group not in {g.code for g in groups.values()}:
            raise NotFound(N_("Unknown group."))
        stages = {st.id: st for st in s.exec(select(m.Stage).where(m.Stage.competition_id == cid))}
        sessions = {x.code: x for x in s.exec(select(m.StageSession).where(m.StageSession.competition_id == cid))}
        seats = {e.contestant_id: e for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid))}
        people = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)))
    order = {gid: i for i, gid in enumerate(groups)}
    people.sort(key=lambda c: (order.get(c.group_id, 0), c.code))
    out = []
    for c in people:
        g = groups[c.group_id]
        if group and g.code != group:
            continue
        seat = seats.get(c.id)
        sitting = sessions.get(seat.session) if seat is not None and seat.session else None
        when = ""
        if sitting is not None:
            hours = f"{sitting.start}–{sitting.end}" if sitting.end else sitting.start
            stage = stages.get(sitting.stage_id)
            words = [sitting.name or sitting.code, f"{sitting.date} {hours}".strip()]
            words.append(stage_label(stage.name, stage.code, locale) if stage else "")
            when = " · ".join(x for x in words if x)
        holders = c.members or [{"name": c.name, "id_number": c.id_number, "unit": c.unit, "region": c.region}]
        for p in holders:
            out.append(
                Ticket(
                    competition=comp.name,
                    name=p.get("name", ""),
                    masked_id=masked_id(p.get("id_number", "")),
                    group=g.name,
                    unit=p.get("unit", "") or c.unit,
                    region=p.get("region", "") or c.region,
                    code=c.code,
                    lookup_code=shown_code(c.lookup_code or ""),
                    lookup_url=lookup_url(base_url, comp.slug, c.lookup_code or ""),
                    session=when,
                    station=seat.station if seat is not None else "",
                    team=c.name if c.members else "",
                    venue=comp.venue,
                )
            )
    return out


@jobs.target
def tickets_file(
    progress: jobs.Progress, url: str, cid: int, group: str | None, base_url: str, actor: str, locale: str | None
) -> bytes:
    """The job behind a big batch of tickets (``admin.tickets_pdf``): read (codes given first, as
    the request does) and drawn in a child process, the progress ticket by ticket."""
    from scoring.certificates.papers import tickets_pdf

    progress(0, 1)
    items = tickets(make_engine(url), cid, group, base_url, actor, locale)
    return tickets_pdf(items, locale, lambda done: progress(done, len(items)))
