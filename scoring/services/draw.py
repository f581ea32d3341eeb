"""The draw (抽签/加密): stations and anonymous codes, sealed by a published hash.

Why a hash: judges and boards see only codes while marking; nobody outside the organizer may
know who is behind a code, yet afterwards everyone must be able to check that the map was not
changed once marking started. So the organizer publishes a SHA-256 of the code map before
marking, and reveals (解密) the map only after every stage is locked; the revealed map is a
file whose SHA-256 *is* the published hash.

The hashing recipe (documented on the public draw page and in README):

    map file = UTF-8 bytes of
        json.dumps({"competition": <slug>, "seed": <seed>,
                    "entries": [[code, station, contestant code, contestant name, group code], ...]},
                   ensure_ascii=False, separators=(",", ":"))
    with the entries sorted by code;  hash = sha256(map file).hexdigest()

When a stage runs in sessions (场次), an entry seated in one has the session code as a sixth
element, so the commitment covers session and station; an entry without a session keeps five
elements, so a draw made before sessions existed hashes (and verifies) exactly as it did.

Anyone can check with ``sha256sum draw-map.json``. The seed is part of the sealed content: it is
secret until the reveal (with it, the draw can be redone), and it makes the hash impossible to
guess from a list of names.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import Conflict, NotFound
from scoring.i18n import N_
from scoring.rules.timetable import Sitting, TooFewStations, seat
from scoring.services import standings
from scoring.services.audit import record


def map_bytes(slug: str, seed: str, entries: list[list[str]]) -> bytes:
    """The canonical map file (see module docstring); ``entries`` are [code, station, contestant, name, group]."""
    body = {"competition": slug, "seed": seed, "entries": sorted(entries, key=lambda e: e[0])}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def map_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assign(seed: str, groups: dict[str, list[str]], prefixes: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Pure: contestant code -> (station, anonymous code), reproducible from the seed.

    Stations are a shuffled 01..n per group; codes are distinct 4-digit numbers across the
    competition, with the group's prefix.
    """
    rng = random.Random(seed)
    total = sum(len(v) for v in groups.values())
    numbers = rng.sample(range(1000, 10000), total)
    out: dict[str, tuple[str, str]] = {}
    i = 0
    for group in sorted(groups):
        people = sorted(groups[group])
        stations = list(range(1, len(people) + 1))
        rng.shuffle(stations)
        for code, station in zip(people, stations):
            out[code] = (f"{station:02d}", f"{prefixes.get(group, group[:2].upper())}-{numbers[i]:04d}")
            i += 1
    return out


def _entries(s: Session, cid: int) -> list[list[str]]:
    rows = s.exec(
        select(m.DrawEntry, m.Contestant, m.Group)
        .join(m.Contestant, m.Contestant.id == m.DrawEntry.contestant_id)
        .join(m.Group, m.Group.id == m.Contestant.group_id)
        .where(m.DrawEntry.competition_id == cid)
    ).all()
    return [[e.code, e.station, c.code, c.name, g.code] + ([e.session] if e.session else []) for e, c, g in rows]


def _seating(s: Session, cid: int, seed: str, groups: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """Session and station per contestant when the competition declares sessions (rules.timetable)."""
    rows = s.exec(select(m.StageSession).where(m.StageSession.competition_id == cid)).all()
    sittings = [Sitting(r.code, r.date, r.start, r.end, tuple(r.stations), tuple(r.groups)) for r in rows]
    seated = {g: people for g, people in groups.items() if any(not x.groups or g in x.groups for x in sittings)}
    try:
        return seat(seed, seated, sittings) if sittings else {}
    except TooFewStations as exc:
        raise Conflict(
            N_("Group %(group)s has %(people)s contestants but its sessions only %(places)s stations."),
            group=exc.group,
            people=exc.people,
            places=exc.places,
        ) from None


def draw_lots(engine: Engine, cid: int, actor: str, seed: str | None = None) -> str:
    """Draw stations and codes for every contestant and seal the map; refused once marking has begun."""
    seed = seed or secrets.token_hex(16)
    with transaction(engine) as s:
        comp = s.get(m.Competition, cid)
        if comp is None:
            raise NotFound(N_("Unknown competition."))
        if s.exec(select(m.Mark.id).where(m.Mark.competition_id == cid).limit(1)).first() is not None:
            raise Conflict(N_("Marking has begun; the draw can no longer be changed."))
        for model in (m.DrawEntry, m.Draw):
            for row in s.exec(select(model).where(model.competition_id == cid)):
                s.delete(row)
        s.flush()
        people = s.exec(
            select(m.Contestant, m.Group)
            .join(m.Group, m.Group.id == m.Contestant.group_id)
            .where(m.Contestant.competition_id == cid, m.Contestant.withdrawn.is_(False))
        ).all()
        groups: dict[str, list[str]] = {}
        ids = {}
        for c, g in people:
            groups.setdefault(g.code, []).append(c.code)
            ids[c.code] = c.id
        prefixes = {g: g[:2].upper() for g in groups}
        seating = _seating(s, cid, seed, groups)
        for code, (station, anon) in assign(seed, groups, prefixes).items():
            session, station = seating.get(code, (None, station))
            s.add(m.DrawEntry(competition_id=cid, contestant_id=ids[code], station=station, code=anon, session=session))
        s.flush()
        digest = map_hash(map_bytes(comp.slug, seed, _entries(s, cid)))
        s.add(m.Draw(competition_id=cid, seed=seed, map_hash=digest))
        record(s, cid, actor, "draw.drawn", comp.slug, {"map_hash": digest, "contestants": len(ids)})
        version = standings.bump(s, cid)
    standings.announce(cid, version)
    return digest


def seal(engine: Engine, cid: int, actor: str) -> str:
    """Publish the hash of a draw that came in with a document (imported without a hash)."""
    with transaction(engine) as s:
        comp = s.get(m.Competition, cid)
        draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
        if draw is None:
            raise NotFound(N_("No draw has been made yet."))
        if draw.map_hash:
            return draw.map_hash
        draw.map_hash = map_hash(map_bytes(comp.slug, draw.seed, _entries(s, cid)))
        s.add(draw)
        record(s, cid, actor, "draw.sealed", comp.slug, {"map_hash": draw.map_hash})
        return draw.map_hash


def all_stages_locked(s: Session, cid: int) -> bool:
    states = s.exec(select(m.Stage.state).where(m.Stage.competition_id == cid)).all()
    return bool(states) and all(st == "locked" for st in states)


def reveal_check(s: Session, cid: int) -> m.Draw | None:
    """Why the reveal would be refused now (raised), else the draw (None: already revealed).
    The confirmation page asks this first, so a refused reveal never asks to be confirmed."""
    draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
    if draw is None:
        raise NotFound(N_("No draw has been made yet."))
    if draw.revealed_at is not None:
        return None
    if not all_stages_locked(s, cid):
        raise Conflict(N_("Identities can be revealed only after every stage is locked."))
    if not draw.map_hash:
        raise Conflict(N_("The draw was never sealed with a published hash."))
    return draw


def reveal_preview(engine: Engine, cid: int) -> int:
    """How many contestants' identities the reveal makes public (refusals as ``reveal``)."""
    with reading(engine) as s:
        reveal_check(s, cid)
        return len(s.exec(select(m.DrawEntry.id).where(m.DrawEntry.competition_id == cid)).all())


def reveal(engine: Engine, cid: int, actor: str) -> None:
    """解密: only after every stage is locked, by an organizer (checked by the caller), logged."""
    with transaction(engine) as s:
        draw = reveal_check(s, cid)
        if draw is None:
            return
        draw.revealed_at = m.utcnow()
        draw.revealed_by = actor
        s.add(draw)
        record(s, cid, actor, "draw.revealed", str(cid), {"map_hash": draw.map_hash})
        version = standings.bump(s, cid)
    standings.announce(cid, version)


def hash_published_at(s: Session, cid: int, draw: m.Draw) -> datetime | None:
    """When the current hash became public on this server: the draw or seal that made it (its
    audit event), else (a draw that came with an imported document) the import itself."""
    if not draw.map_hash:
        return None
    at = s.exec(
        select(func.max(m.AuditEvent.at)).where(
            m.AuditEvent.competition_id == cid, m.AuditEvent.kind.in_(("draw.drawn", "draw.sealed"))
        )
    ).one()
    if at is not None:
        return at
    # came with an imported document; so did any imported marks: they arrived together, and
    # nothing here can show that the hash was fixed before them
    imported = s.exec(
        select(func.min(m.Mark.created_at)).where(m.Mark.competition_id == cid, m.Mark.entered_by == "import")
    ).one()
    return draw.drawn_at if imported is None else max(draw.drawn_at, imported)


def first_mark_at(s: Session, cid: int) -> datetime | None:
    """When marking began: the earliest mark of any stage of the competition (imported marks
    count from their import: the server cannot know more)."""
    return s.exec(select(func.min(m.Mark.created_at)).where(m.Mark.competition_id == cid)).one()


def published_before_marking(published: datetime | None, first_mark: datetime | None) -> bool:
    """Pure: may the draw page say the hash was published before marking began? Only when it was
    published at all and strictly before the first mark (or no mark exists yet)."""
    return published is not None and (first_mark is None or published < first_mark)


def state(engine: Engine, cid: int) -> dict:
    """What the public draw page shows: the hash always, the map and a check only after the reveal."""
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
        if draw is None:
            return {"drawn": False}
        out = {
            "drawn": True,
            "map_hash": draw.map_hash,
            "drawn_at": draw.drawn_at,
            "revealed": draw.revealed_at is not None,
            "revealed_at": draw.revealed_at,
            "revealed_by": draw.revealed_by,
        }
        published, first = hash_published_at(s, cid, draw), first_mark_at(s, cid)
        out.update(
            published_at=published,
            first_mark_at=first,
            before_marking=published_before_marking(published, first),
        )
        if draw.revealed_at is not None:
            data = map_bytes(comp.slug, draw.seed, _entries(s, cid))
            out.update(
                map_file=data,
                seed=draw.seed,
                matches=map_hash(data) == draw.map_hash,
                entries=json.loads(data)["entries"],
            )
        return out


def revealed_map(engine: Engine, cid: int) -> bytes | None:
    st = state(engine, cid)
    return st.get("map_file")
