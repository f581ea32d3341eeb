"""The spread rule and re-score rounds: after every recorded mark, a panel-scale aspect whose
expected marks are all in is checked against its allowed spread; a violation raises a flag at
once, and the chief judge may open the next round for it.

Why after the commit (``on_mark_recorded`` listens to ``signals.mark_recorded``): the last two
judges of a panel may submit at the same moment, and each check must see the other's mark. Who
is expected and which mark counts are ``rules.cells``' answers; the arithmetic is
``rules.aggregate``. Every change here is one transaction, audited, and the chief judge's grid
is told after the commit (``signals.grid_changed``).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring import signals
from scoring.db import quick_reads, reading, transaction
from scoring.errors import Conflict, NotFound
from scoring.i18n import N_
from scoring.rules.aggregate import aggregate
from scoring.rules.cells import counting_marks
from scoring.rules.types import AggregationMethod, AspectStatus
from scoring.services.audit import record
from scoring.services.mark_config import MarkConfig, config_now
from scoring.services.mark_rows import needs_round
from scoring.services.readside import contestant_by_ref, current_round, rule_aspect_cached, seating


def expected_judges(s: Session, contestant: m.Contestant, aspect: m.Aspect) -> list[m.Judge]:
    """The judges who must mark this cell (rules.cells), by code."""
    ids = seating(s, contestant.competition_id).expected(contestant, aspect)
    if not ids:
        return []
    return sorted(s.exec(select(m.Judge).where(m.Judge.id.in_(ids))), key=lambda j: j.code)


def _flags_would_change(s: Session, contestant_id: int, aspect_id: int, rnd: int, violated: bool) -> bool:
    """Whether ``check_spread``'s write would change a flag of the cell (read only; the write decides
    again under its lock). Why: most marks on a complete cell change no flag, and the write
    transaction is the database's write lock on SQLite, which every batch of marks queues for."""
    here = select(m.SpreadFlag).where(m.SpreadFlag.contestant_id == contestant_id, m.SpreadFlag.aspect_id == aspect_id)
    flag = s.exec(here.where(m.SpreadFlag.round == rnd)).first()
    if violated:
        return flag is None or flag.state == "resolved"
    if flag is not None and flag.state == "open":
        return True
    return (
        rnd > 1 and s.exec(here.where(m.SpreadFlag.round < rnd, m.SpreadFlag.state == "rescoring")).first() is not None
    )


def check_spread(
    engine: Engine,
    competition_id: int,
    contestant_id: int,
    aspect_id: int,
    rnd: int,
    round_marks: list | None = None,
    cfg: MarkConfig | None = None,
) -> None:
    """After a mark's commit: when every expected mark of this round is in, apply the spread rule.
    A violation raises a flag at once; a corrected or re-marked set resolves it. ``round_marks``:
    the cell's marks in ``rnd`` read after the commit, when the mark's batch read them; ``cfg``: the
    cached facts the mark was checked against (``_spread_may_apply``), used for the aspect, its
    rule, the contestant and the expected judges instead of reading them again (four reads per
    correction of a complete cell, on the request's way to its answer)."""
    with reading(engine) as s:
        known = cfg is not None and aspect_id in cfg.aspects_by_id and contestant_id in cfg.contestants
        aspect = cfg.aspects_by_id[aspect_id] if cfg is not None and known else s.get(m.Aspect, aspect_id)
        rule = cfg.rules[aspect_id] if cfg is not None and known else rule_aspect_cached(s, aspect)
        if rule.aggregation.method != AggregationMethod.WORLDSKILLS or rule.aggregation.spread is None:
            return
        if cfg is not None and known:
            contestant = cfg.contestants[contestant_id]
            judges = cfg.expected_judges(contestant, aspect)
        else:
            contestant = s.get(m.Contestant, contestant_id)
            judges = expected_judges(s, contestant, aspect)
        rows = round_marks
        if rows is None:
            rows = s.exec(
                select(m.Mark).where(
                    m.Mark.contestant_id == contestant_id, m.Mark.aspect_id == aspect_id, m.Mark.round == rnd
                )
            ).all()  # one query for the whole panel
        cell = (contestant_id, aspect_id)
        counted = counting_marks((cell, k.judge_id, k) for k in rows)
        values: dict[str, Decimal] = {j.code: counted[(cell, j.id)].value for j in judges if (cell, j.id) in counted}
        if not judges or len(values) < len(judges):
            return
        result = aggregate(rule, values, [j.code for j in judges])
        violated = result.status == AspectStatus.REJECTED
        if not _flags_would_change(s, contestant_id, aspect_id, rnd, violated):
            return
    changed = False
    try:
        with transaction(engine) as s:
            flag = s.exec(
                select(m.SpreadFlag).where(
                    m.SpreadFlag.contestant_id == contestant_id,
                    m.SpreadFlag.aspect_id == aspect_id,
                    m.SpreadFlag.round == rnd,
                )
            ).first()
            detail = {
                "marks": {k: format(v, "f") for k, v in values.items()},
                "spread": format(max(values.values()) - min(values.values()), "f"),
                "allowed": format(rule.aggregation.spread, "f"),
            }
            if violated and flag is None:
                s.add(
                    m.SpreadFlag(
                        competition_id=competition_id,
                        contestant_id=contestant_id,
                        aspect_id=aspect_id,
                        round=rnd,
                        detail=detail,
                    )
                )
                record(
                    s,
                    competition_id,
                    "system",
                    "spread.flagged",
                    f"{contestant.code}/{aspect.code}",
                    {"round": rnd, **detail},
                )
                changed = True
            elif violated and flag.state == "resolved":
                flag.state, flag.detail = "open", detail
                s.add(flag)
                record(
                    s,
                    competition_id,
                    "system",
                    "spread.flagged",
                    f"{contestant.code}/{aspect.code}",
                    {"round": rnd, **detail},
                )
                changed = True
            elif not violated:
                if flag is not None and flag.state == "open":
                    flag.state = "resolved"
                    s.add(flag)
                    changed = True
                if rnd > 1:
                    for old in s.exec(
                        select(m.SpreadFlag).where(
                            m.SpreadFlag.contestant_id == contestant_id,
                            m.SpreadFlag.aspect_id == aspect_id,
                            m.SpreadFlag.round < rnd,
                            m.SpreadFlag.state == "rescoring",
                        )
                    ):
                        old.state = "resolved"
                        s.add(old)
                        changed = True
                if changed:
                    record(
                        s,
                        competition_id,
                        "system",
                        "spread.resolved",
                        f"{contestant.code}/{aspect.code}",
                        {"round": rnd, **detail},
                    )
    except IntegrityError:
        pass  # a concurrent check raised the same flag
    if changed:
        signals.grid_changed.send(competition_id, what="flag")


def open_rescore(
    engine: Engine, competition_id: int, contestant_ref: str, aspect_code: str, actor: str, reason: str = ""
) -> int:
    """The chief judge opens the next round for a flagged aspect; returns the new round number.
    The judges see only that they must re-mark; round 1 stays in the marks and the audit log."""
    try:
        with transaction(engine) as s:
            # The competition's row lock first, the lock every batch of marks takes before it reads the
            # cells' rounds again (services.marks, standings.bump): on PostgreSQL a batch then either
            # commits before this round exists or sees it and refuses the marks of the old round.
            # (SQLite: the write transaction already holds the one write lock.)
            s.exec(select(m.Competition.id).where(m.Competition.id == competition_id).with_for_update())
            contestant = contestant_by_ref(s, competition_id, contestant_ref)
            aspect = s.exec(
                select(m.Aspect).where(m.Aspect.competition_id == competition_id, m.Aspect.code == aspect_code)
            ).first()
            if contestant is None or aspect is None:
                raise NotFound(N_("Unknown contestant or aspect."))
            rnd = current_round(s, contestant.id, aspect.id)
            flag = s.exec(
                select(m.SpreadFlag).where(
                    m.SpreadFlag.contestant_id == contestant.id,
                    m.SpreadFlag.aspect_id == aspect.id,
                    m.SpreadFlag.round == rnd,
                )
            ).first()
            if flag is None or flag.state != "open":
                raise Conflict(N_("This aspect has no open spread flag in its current round."))
            flag.state = "rescoring"
            s.add(flag)
            s.add(
                m.MarkingRound(
                    competition_id=competition_id,
                    contestant_id=contestant.id,
                    aspect_id=aspect.id,
                    round=rnd + 1,
                    opened_by=actor,
                    reason=reason,
                )
            )
            record(
                s,
                competition_id,
                actor,
                "round.opened",
                f"{contestant.code}/{aspect.code}",
                {"round": rnd + 1, "reason": reason, "previous": flag.detail},
            )
    except IntegrityError:
        raise Conflict(N_("This re-score round was already opened.")) from None
    signals.grid_changed.send(competition_id, what="round")
    return rnd + 1


_mk = m.Mark.__table__.c
_ROUND_MARKS = sa_select(_mk.judge_id, _mk.round, _mk.version, _mk.state, _mk.value).where(
    _mk.contestant_id == bindparam("c"), _mk.aspect_id == bindparam("a"), _mk.round == bindparam("r")
)


def _spread_may_apply(
    engine: Engine,
    competition_id: int,
    contestant_id: int,
    aspect: m.Aspect,
    rnd: int,
    cfg: MarkConfig | None,
    round_marks: list | None = None,
) -> tuple[bool, MarkConfig | None]:
    """Cheap pre-check for ``check_spread``: False only when it would surely do nothing (the aspect
    has no spread rule, or not every expected judge has a counting mark in this round yet).
    ``cfg``: the write path's cached facts the mark was checked against, if it came that way;
    ``round_marks``: the cell's marks in ``rnd`` read after the mark's commit, if its batch read them.
    Also returns the facts it decided on when they know the cell (for ``check_spread``), else None."""
    if cfg is None or cfg.key is None or cfg.key[:2] != (id(engine), competition_id):
        cfg = config_now(engine, competition_id)
        if cfg is None:
            return False, None
    rule = cfg.rules.get(aspect.id)
    contestant = cfg.contestants.get(contestant_id)
    if rule is None or contestant is None or cfg.aspects_by_id.get(aspect.id) is None:
        return True, None  # not what the cache knows: let the full check decide
    if rule.aggregation.method != AggregationMethod.WORLDSKILLS or rule.aggregation.spread is None:
        return False, None
    judges = cfg.expected_judges(contestant, cfg.aspects_by_id[aspect.id])
    if not judges:
        return False, None
    rows = round_marks
    if rows is None:
        with quick_reads(engine).connect() as conn:
            rows = conn.execute(_ROUND_MARKS, {"c": contestant_id, "a": aspect.id, "r": rnd}).all()
    cell = (contestant_id, aspect.id)
    counted = counting_marks((cell, row.judge_id, row) for row in rows)
    return all((cell, judge.id) in counted for judge in judges), cfg


def on_mark_recorded(
    competition_id: int,
    *,
    engine: Engine,
    contestant_id: int,
    aspect: m.Aspect,
    round: int,
    config: MarkConfig | None = None,
    round_marks: list | None = None,
    **_: object,
) -> None:  # noqa: A002
    """The listener of ``signals.mark_recorded``: the spread check, then the chief judge's grid."""
    # only a panel-scale aspect with a spread rule needs the check (no extra query for the others)
    if needs_round(aspect):
        may, facts = _spread_may_apply(engine, competition_id, contestant_id, aspect, round, config, round_marks)
        if may:
            check_spread(engine, competition_id, contestant_id, aspect.id, round, round_marks, facts)
    signals.grid_changed.send(competition_id, what="mark")
