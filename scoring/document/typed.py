"""Between the declared document and the typed ``Document`` the engine reads, by field name.

Why by name: the declaration (``declaration``) and the engine's vocabulary (``scoring.rules.types``)
use the same field names, so one generic step maps a declared entry to its engine type and a
dataclass back to its declaration (pydantic reads attributes). Only what the engine spells
differently is written out here: an aspect's inherited stage and criterion path, a tie-break's
default direction, the order of tolerance bands, and the workflow fields (stage states, panel
names) that the ``Document`` keeps beside the engine's types.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from scoring.document import declaration as d
from scoring.document.model import (
    FORMAT,
    VERSION,
    CompetitionInfo,
    ContestantRecord,
    Criterion,
    Document,
    Draw,
    DrawEntry,
    Group,
    JudgeRecord,
    Member,
    Recusal,
    SessionRecord,
    Team,
)
from scoring.document.problems import problem_of
from scoring.errors import InvalidInput
from scoring.rules.types import (
    NO_ROUNDING,
    Aggregation,
    Aspect,
    AwardRule,
    AwardTier,
    Checks,
    Mark,
    Panel,
    ReviewPlanRule,
    Rounding,
    Rules,
    Stage,
    Standardisation,
    TeamStandingRule,
    TieBreak,
    TieBreakKind,
    ToleranceBand,
)

ENGINE: dict[type[BaseModel], type] = {
    d.Rounding: Rounding,
    d.Band: ToleranceBand,
    d.Aggregation: Aggregation,
    d.TieBreak: TieBreak,
    d.Tier: AwardTier,
    d.Award: AwardRule,
    d.Checks: Checks,
    d.Review: ReviewPlanRule,
    d.TeamStanding: TeamStandingRule,
    d.Standardisation: Standardisation,
    d.Rules: Rules,
    d.Competition: CompetitionInfo,
    d.Group: Group,
    d.Team: Team,
    d.Member: Member,
    d.Stage: Stage,
    d.Contestant: ContestantRecord,
    d.Judge: JudgeRecord,
    d.Recusal: Recusal,
    d.DrawEntry: DrawEntry,
    d.Draw: Draw,
    d.Session: SessionRecord,
}


def typed(value: Any, **given: Any) -> Any:
    """A declared value as the engine's: entries to their dataclasses, lists to tuples."""
    decl: type[BaseModel] = type(value)
    cls = ENGINE.get(decl)
    if cls is not None:
        kwargs: dict[str, Any] = {}
        for name, default in _shared(decl, cls):
            v = typed(getattr(value, name))
            kwargs[name] = NO_ROUNDING if v is None and isinstance(default, Rounding) else v
        kwargs.update(given)
        if cls is TieBreak and kwargs["higher_is_better"] is None:
            kwargs["higher_is_better"] = kwargs["kind"] != TieBreakKind.TIME
        if cls is Aggregation:
            kwargs["bands"] = tuple(sorted(kwargs["bands"], key=lambda b: b.min_score, reverse=True))
        return cls(**kwargs)
    if isinstance(value, list):
        return tuple(typed(v) for v in value)
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    return value


@cache
def _shared(decl: type[BaseModel], cls: type) -> tuple[tuple[str, Any], ...]:
    """The fields a declaration shares with an engine dataclass, with the dataclass's defaults."""
    return tuple((f.name, f.default) for f in dataclasses.fields(cls) if f.name in decl.model_fields)


def _criterion(c: d.SubCriterion, stage: str, parent: tuple[str, ...]) -> Criterion:
    path = parent + (c.code,)
    return Criterion(
        code=c.code,
        name=c.name,
        stage=stage,
        children=tuple(_criterion(child, stage, path) for child in c.children),
        aspects=tuple(aspect_of(a, stage, "/".join(path)) for a in c.aspects),
    )


def aspect_of(a: d.Aspect, stage: str, criterion: str = "") -> Aspect:
    """A declared aspect as the engine's, with the stage and criterion path it inherits."""
    kwargs = {name: typed(getattr(a, name)) for name, _ in _shared(d.Aspect, Aspect)}
    return Aspect(**{**kwargs, "stage": stage, "criterion": criterion})


def document_of(decl: d.Document) -> Document:
    """The typed document of a declared one that passed every check (no ``Broken`` left in it).

    Marks come in a canonical order (contestant, then aspect in scheme order, then judge as
    listed): the same marks always make the same document, whatever order a database or a
    tablet produced."""
    scheme = tuple(_criterion(c, c.stage, ()) for c in decl.scheme)
    contestants = typed(decl.contestants)
    judges = typed(decl.judges)
    order_c = {c.code: i for i, c in enumerate(contestants)}
    order_a = {a.code: i for i, a in enumerate(a for c in scheme for a in c.walk_aspects())}
    order_j = {j.code: i for i, j in enumerate(judges)}
    marks = [Mark(m.contestant, m.aspect, m.judge, m.value) for m in decl.marks]
    marks.sort(key=lambda m: (order_c[m.contestant], order_a[m.aspect], order_j[m.judge]))
    names = tuple(p.name for p in decl.panels)
    return Document(
        competition=typed(decl.competition),
        rules=typed(decl.rules),
        groups=typed(decl.groups),
        stages=typed(decl.stages),
        scheme=scheme,
        contestants=contestants,
        judges=judges,
        panels=tuple(
            Panel(p.group, p.stage, tuple(p.judges), tuple(p.aspects), p.session, tuple(p.trainees))
            for p in decl.panels
        ),
        recusals=typed(decl.recusals),
        draw=typed(decl.draw),
        marks=tuple(marks),
        meta=decl.meta,
        stage_states={s.code: s.state for s in decl.stages if s.state != "open"},
        panel_names=names if any(names) else (),
        sessions=typed(decl.sessions),
    )


def declared_of(doc: Document) -> d.Document:
    """A typed document as its declaration (for the writer and the database): its values are
    the service's own, read strictly when they came in, so they are not parsed again."""
    reading: dict[str, Any] = {"trusted": True, "broken": []}
    names = doc.panel_names
    view = {
        "format": FORMAT,
        "version": VERSION,
        "competition": doc.competition,
        "rules": doc.rules,
        "groups": doc.groups,
        "stages": [_with(s, state=doc.stage_states.get(s.code, "open")) for s in doc.stages],
        "scheme": doc.scheme,
        "contestants": doc.contestants,
        "judges": doc.judges,
        "panels": [_with(p, name=names[i] if i < len(names) else "") for i, p in enumerate(doc.panels)],
        "recusals": doc.recusals,
        "sessions": doc.sessions,
        "draw": doc.draw,
        "marks": doc.marks,
        "meta": dict(doc.meta),
    }
    out = d.Document.model_validate(view, from_attributes=True, context=reading)
    if reading["broken"]:
        raise ValueError(f"not a valid document: {reading['broken'][0].errors}")
    return out


def _with(obj: Any, **extra: Any) -> dict[str, Any]:
    return {**{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, **extra}


def engine_aspect(raw: dict[str, Any], stage: str, criterion: str = "") -> Aspect:
    """The engine's aspect from its document form (e.g. a stored row written as the document
    writes it); ``InvalidInput`` when it is not a valid aspect."""
    try:
        decl = d.Aspect.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput([problem_of(e, str(raw.get("code", ""))) for e in exc.errors()]) from None
    return aspect_of(decl, stage, criterion)
