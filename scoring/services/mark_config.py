"""The marks hot path's per-process cache of what rarely changes about a competition.

Why a cache: a tablet's mark must be checked against the judges, contestants, draw codes,
aspects, panels and recusals of its competition, and reading them for every mark would cost
more than writing the mark. They are read once per (engine, competition, ``created_at``,
``config_version``): every change to people, panels, recusals, the draw or the scheme bumps
``config_version`` (``services.standings.bump``), and a replaced competition has a new
``created_at``, so an entry can never be used for a state it was not built from. Who may mark
which cell is the rule of ``scoring.rules.cells``, asked of the cached seating.
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import connection_of, reading
from scoring.errors import Conflict, Forbidden, NotFound
from scoring.i18n import N_
from scoring.rules.cells import INVALID_ELEMENT
from scoring.rules.numbers import plain_id
from scoring.services.readside import rule_aspect_cached, seating

#: Why a mark of a locked stage is refused (409): the lock is the chief judge's "final"; the audited
#: unlock on the review page is the way back. Appeal corrections (``mark_batches``) are not refused.
STAGE_LOCKED = N_("This stage is locked: no more marks are taken. Ask the chief judge to unlock it.")


class MarkConfig:
    """What the write path checks a mark against, for one config key (see the module docstring).
    ``key`` is None for facts read inside a write transaction, which are never cached."""

    def __init__(self, s: Session, cid: int, key: tuple | None) -> None:
        self.key = key
        self.engine: weakref.ref = lambda: None  # set when cached (``config``)
        self.competition_id = cid
        self.judges = {j.id: j for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        self.contestants = {c.id: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        self.by_ref: dict[str, int] = {}
        for code, contestant_id in s.exec(
            select(m.DrawEntry.code, m.DrawEntry.contestant_id)
            .where(m.DrawEntry.competition_id == cid)
            .order_by(m.DrawEntry.id)
        ):
            if contestant_id in self.contestants:
                self.by_ref.setdefault(code, contestant_id)
        self.aspects = {
            a.code: a for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid).order_by(m.Aspect.id))
        }
        self.aspects_by_id = {a.id: a for a in self.aspects.values()}
        self.seating = seating(s, cid)
        locked = select(m.Stage.id).where(m.Stage.competition_id == cid, m.Stage.state == "locked")
        self.locked_stages = frozenset(s.exec(locked))  # a lock bumps config_version: never stale
        self.rules = {a.id: rule_aspect_cached(s, a) for a in self.aspects.values()}
        self._may: dict[tuple[int, int, int], str | None] = {}

    def may_mark(self, judge: m.Judge, contestant: m.Contestant, aspect: m.Aspect) -> str | None:
        """None if the judge may mark this cell, else the reason (a message id; rules.cells)."""
        k = (judge.id, contestant.id, aspect.id)
        if k in self._may:
            return self._may[k]
        why = self.seating.refusal(judge.id, contestant, aspect)
        if len(self._may) < 200_000:
            self._may[k] = why
        return why

    def check_may_mark(self, judge: m.Judge, contestant: m.Contestant, aspect: m.Aspect) -> None:
        """Refuse a mark the judge may not give: 403 (recused, withdrawn, not on the panel), or 409
        for an element the technical panel declared invalid (the cell's state, not the judge's right)."""
        why = self.may_mark(judge, contestant, aspect)
        if why == INVALID_ELEMENT:
            raise Conflict(why)
        if why:
            raise Forbidden(why)

    def expected_judges(self, contestant: m.Contestant, aspect: m.Aspect) -> list[m.Judge]:
        """The judges whose marks this cell waits for, by code (rules.cells)."""
        judges = [self.judges[j] for j in self.seating.expected(contestant, aspect) if j in self.judges]
        return sorted(judges, key=lambda j: j.code)

    def cell(
        self,
        conn,
        judge_id: int,
        ref: str,
        aspect_code: str | None,  # noqa: ANN001
        aspect_id: int | None = None,
    ):
        """(judge, contestant, aspect) of a submission, or NotFound naming the unknown one."""
        judge, contestant, aspect = self._known(judge_id, ref, aspect_code, aspect_id)
        if judge is None:
            # a judge added since (adding one to no panel does not bump config_version): from the database
            with Session(bind=connection_of(conn), expire_on_commit=False) as s:
                judge = s.get(m.Judge, judge_id)
            if judge is None or judge.competition_id != self.competition_id:
                raise NotFound(N_("Unknown judge."))
        if contestant is None:
            raise NotFound(N_("Unknown contestant."))
        if aspect is None:
            raise NotFound(N_("Unknown aspect."))
        return judge, contestant, aspect

    def _known(self, judge_id: int, ref: str, aspect_code: str | None, aspect_id: int | None):  # noqa: ANN202
        """``cell``'s lookups in these facts alone (None for what they do not know)."""
        ref = (ref or "").strip()
        if ref.startswith("#"):
            contestant = self.contestants.get(plain_id(ref[1:]))
        else:
            contestant = self.contestants.get(self.by_ref.get(ref, -1))
        aspect = self.aspects_by_id.get(aspect_id) if aspect_code is None else self.aspects.get(str(aspect_code))
        return self.judges.get(judge_id), contestant, aspect

    def cell_ids(self, judge_id: int, ref: str, aspect_code: str | None, aspect_id: int | None):  # noqa: ANN201
        """(contestant, aspect, judge) ids of the cell ``cell`` would give, if these facts alone know it."""
        judge, contestant, aspect = self._known(judge_id, ref, aspect_code, aspect_id)
        if judge is None or contestant is None or aspect is None:
            return None
        return contestant.id, aspect.id, judge.id


_configs: dict[tuple[int, int], MarkConfig] = {}
_config_lock = threading.Lock()
_C = m.Competition.__table__.c
_M = m.Mark.__table__.c

# Built once (bound parameters only): building a statement costs more CPU than running it on SQLite.
_HEAD = sa_select(_C.config_version, _C.created_at, _C.slug).where(_C.id == bindparam("cid"))
HEAD_REPLAY = sa_select(
    _C.config_version,
    _C.created_at,
    sa_select(_M.id)
    .where(_M.competition_id == bindparam("cid"), _M.idempotency_key == bindparam("key"))
    .limit(1)
    .scalar_subquery(),
    _C.slug,
).where(_C.id == bindparam("cid"))


class StaleCompetition(Exception):
    """The caller's remembered competition id no longer belongs to the slug it was asked by
    (deleted or replaced since): the caller looks the slug up again (web.common)."""


def config_head(conn, cid: int, key: str | None = None, slug: str | None = None):  # noqa: ANN001
    """(config key, replayed mark id or None) in one query; None if the competition is gone.
    With ``slug``: raises StaleCompetition unless competition ``cid`` still has that slug."""
    if key is None:
        row = conn.execute(_HEAD, {"cid": cid}).first()
    else:
        row = conn.execute(HEAD_REPLAY, {"cid": cid, "key": key}).first()
    if slug is not None and (row is None or row[-1] != slug):  # the slug is the last column of both
        raise StaleCompetition(slug)
    if row is None:
        return None, None
    return (row[0], row[1]), (row[2] if key is not None else None)


def config(engine: Engine, cid: int, head: tuple, conn=None) -> MarkConfig:  # noqa: ANN001
    """The cached rarely-changing facts of a competition for the given (config_version, created_at).
    ``conn``: the caller's open connection, read on instead of taking a second one from the pool
    (fifty tablets each holding one and waiting for another would starve the pool)."""
    slot = (id(engine), cid)
    full = (id(engine), cid, *head)
    hit = _configs.get(slot)
    if hit is not None and hit.key == full and hit.engine() is engine:
        return hit
    with _config_lock:
        hit = _configs.get(slot)
        if hit is not None and hit.key == full and hit.engine() is engine:
            return hit
        if conn is not None:
            with Session(bind=connection_of(conn), expire_on_commit=False) as s:
                built = MarkConfig(s, cid, full)
        else:
            with reading(engine) as s:
                built = MarkConfig(s, cid, full)
        if len(_configs) > 200:
            _configs.clear()
        # id() of an engine dropped since may be reused by a new one (tests, a replaced database):
        # a hit must be for this very engine
        built.engine = weakref.ref(engine)
        _configs[slot] = built
        return built


def config_cached(engine: Engine, cid: int) -> MarkConfig | None:
    """The facts cached last for this competition, whatever config version they were built for
    (no query): only to guess which cell a submission names (``services.mark_cell``)."""
    hit = _configs.get((id(engine), cid))
    return hit if hit is not None and hit.engine() is engine else None


def config_now(engine: Engine, cid: int) -> MarkConfig | None:
    """The cached facts for the competition's current config version (one small query)."""
    with engine.connect() as conn:
        head, _ = config_head(conn, cid)
    return None if head is None else config(engine, cid, head)
