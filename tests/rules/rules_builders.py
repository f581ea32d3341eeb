"""Small builders for rule tests: competitions written as plain tables, numbers as strings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    CompetitionInput,
    Contestant,
    Mark,
    Panel,
    Rules,
    Scheme,
    Stage,
)


def D(x: object) -> Decimal:
    return Decimal(str(x))


def marks_of(contestant: str, aspect: str, values: Iterable[object], judges: Iterable[str] | None = None) -> list[Mark]:
    values = list(values)
    judges = list(judges) if judges is not None else [f"J{k + 1}" for k in range(len(values))]
    return [Mark(contestant, aspect, j, D(v)) for j, v in zip(judges, values) if v is not None]


def single_stage(
    aspects: Iterable[Aspect],
    contestants: Mapping[str, str],
    marks: Iterable[Mark],
    judges: Iterable[str] = ("J1", "J2", "J3", "J4", "J5"),
    rules: Rules = Rules(),
    stage: Stage | None = None,
    recusals: Iterable[tuple[str, str]] = (),
    params: Mapping[str, Mapping[str, Mapping[str, Decimal]]] | None = None,
) -> CompetitionInput:
    stage = stage or Stage("s")
    groups = sorted(set(contestants.values()))
    return CompetitionInput(
        rules=rules,
        scheme=Scheme((stage,), tuple(aspects)),
        contestants=tuple(Contestant(c, g, (params or {}).get(c, {})) for c, g in contestants.items()),
        panels=tuple(Panel(g, stage.code, tuple(judges)) for g in groups),
        marks=tuple(marks),
        recusals=frozenset(recusals),
    )


def theory_practical(
    scores: Mapping[str, tuple[object, object]], rules: Rules, weights: tuple[object, object] = (30, 70)
) -> CompetitionInput:
    """Contestants with one theory and one practical mark each (one judge, mark = stage score)."""
    single = Aggregation(AggregationMethod.SINGLE)
    stages = (Stage("theory", weight=D(weights[0])), Stage("practical", weight=D(weights[1])))
    aspects = (Aspect("T", "theory", D(100), aggregation=single), Aspect("P", "practical", D(100), aggregation=single))
    marks = []
    for c, (t, p) in scores.items():
        marks.append(Mark(c, "T", "J1", D(t)))
        marks.append(Mark(c, "P", "J1", D(p)))
    return CompetitionInput(
        rules,
        Scheme(stages, aspects),
        tuple(Contestant(c, "G") for c in scores),
        (Panel("G", "theory", ("J1",)), Panel("G", "practical", ("J1",))),
        tuple(marks),
    )


def walk(obj: Any, seen: set[int] | None = None) -> Iterable[Any]:
    """Every value reachable from a result (dataclasses, mappings, sequences)."""
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return
    seen.add(id(obj))
    yield obj
    if is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from walk(getattr(obj, f.name), seen)
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from walk(k, seen)
            yield from walk(v, seen)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            yield from walk(v, seen)


def apply_operation(engine: Any, current: dict[tuple[str, str, str], Decimal], op: tuple) -> None:
    """One ("apply" | "remove", contestant, aspect, judge, value) step on a ``StandingsEngine``
    and on ``current``, the marks a full recompute would be given."""
    kind, c, a, j, v = op
    if kind == "apply":
        engine.apply_mark(Mark(c, a, j, v))
        current[(c, a, j)] = v
    else:
        engine.remove_mark(c, a, j)
        current.pop((c, a, j), None)
