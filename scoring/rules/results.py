"""A row's aspect and stage results, built when they are read.

Why: a full recompute of 10,000 contestants x 20 aspects must finish in well under a second,
and building 200,000 result objects with judge lists and notes costs more than that. A row's
``aspects`` mapping therefore keeps the marks snapshot it was computed from and builds each
``AspectResult`` (through the one ``aggregate`` rule) on first access, then keeps it. Values are
identical to eager construction: the engine only ever computes the same rule.

The snapshot is immutable by convention (the engine copies on write), so an old Standings object
keeps showing old results after newer marks arrive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from scoring.rules.aggregate import aggregate
from scoring.rules.types import Aspect, AspectResult, Mark, StageResult

_EMPTY: Mapping[str, Decimal] = {}


class SchemeView:
    """The aspects of a scheme, indexed once and shared by every row."""

    __slots__ = ("aspects", "codes", "index")

    def __init__(self, aspects: Sequence[Aspect]):
        self.aspects = tuple(aspects)
        self.codes = tuple(a.code for a in self.aspects)
        self.index = {c: i for i, c in enumerate(self.codes)}


def marks_for(code: str, marks: Mapping[tuple[str, str], Decimal], judges: Sequence[str] | None) -> dict[str, Decimal]:
    """One aspect's marks by judge, from a contestant's (aspect, judge) -> value snapshot."""
    if judges is not None:
        out = {}
        for j in judges:
            v = marks.get((code, j))
            if v is not None:
                out[j] = v
        return out
    return {j: v for (a, j), v in marks.items() if a == code}


class MarkRun:
    """A contestant's marks as a slice of the input's mark tuple, without copying it.

    Why: a row keeps its marks so that its aspect results can be built on demand. Keeping a
    100-mark list per row would put a million references in front of the garbage collector after
    every full recompute (it showed up as a tenth of the recompute time); a start/stop pair does not.
    """

    __slots__ = ("marks", "start", "stop")

    def __init__(self, marks: Sequence[Mark], start: int, stop: int):
        self.marks = marks
        self.start = start
        self.stop = stop

    def __iter__(self) -> Iterator[Mark]:
        return iter(self.marks[self.start : self.stop])

    def __len__(self) -> int:
        return self.stop - self.start


class AspectResults(Mapping[str, AspectResult]):
    """Read-only ``Mapping[aspect code, AspectResult]`` for one row, in scheme order.

    ``dict(row.aspects)`` gives a plain dict; pickling and deep copies produce one too.
    """

    __slots__ = ("_scheme", "_marks", "_judges", "_params", "_cache")

    def __init__(
        self,
        scheme: SchemeView,
        marks: Mapping[tuple[str, str], Decimal] | Iterable[Mark],
        judges: Sequence[Sequence[str] | None],
        params: Mapping[str, Mapping[str, Decimal]],
        cache: dict[str, AspectResult] | None = None,
    ):
        self._scheme = scheme
        self._marks = marks
        self._judges = judges
        self._params = params
        self._cache = cache if cache is not None else {}

    def __getitem__(self, code: str) -> AspectResult:
        r = self._cache.get(code)
        if r is None:
            i = self._scheme.index[code]
            aspect = self._scheme.aspects[i]
            judges = self._judges[i]
            marks = self._marks
            if not isinstance(marks, Mapping):  # a raw mark list (last mark wins)
                marks = self._marks = {(m.aspect, m.judge): m.value for m in marks}
            r = aggregate(aspect, marks_for(code, marks, judges), judges, self._params.get(code, _EMPTY))
            self._cache[code] = r
        return r

    def __iter__(self) -> Iterator[str]:
        return iter(self._scheme.codes)

    def __len__(self) -> int:
        return len(self._scheme.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._scheme.index

    def __repr__(self) -> str:
        return f"AspectResults({dict(self.items())!r})"

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        return (dict, (dict(self.items()),))

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        import copy

        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    __hash__ = None  # type: ignore[assignment]


class StageView:
    """The stage codes of a scheme, indexed once and shared by every row."""

    __slots__ = ("codes", "index")

    def __init__(self, codes: Sequence[str]):
        self.codes = tuple(codes)
        self.index = {c: i for i, c in enumerate(self.codes)}


class StageResults(Mapping[str, StageResult]):
    """Read-only ``Mapping[stage code, StageResult]`` for one row, in scheme order.

    Why lazy: the values are already computed; building two result objects and a dict per row
    up front cost a twentieth of a full recompute, and most readers look at a few rows only.
    The three sequences are snapshots (the engine copies on write).
    """

    __slots__ = ("_view", "_values", "_weighted", "_partials", "_cache")

    def __init__(
        self,
        view: StageView,
        values: Sequence[Decimal | None],
        weighted: Sequence[Decimal | None],
        partials: Sequence[Decimal | None],
    ):
        self._view = view
        self._values = values
        self._weighted = weighted
        self._partials = partials
        self._cache: dict[str, StageResult] | None = None

    def __getitem__(self, code: str) -> StageResult:
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        r = cache.get(code)
        if r is None:
            i = self._view.index[code]
            r = cache[code] = StageResult(code, self._values[i], self._weighted[i], self._partials[i])
        return r

    def __iter__(self) -> Iterator[str]:
        return iter(self._view.codes)

    def __len__(self) -> int:
        return len(self._view.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._view.index

    def __repr__(self) -> str:
        return f"StageResults({dict(self.items())!r})"

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        return (dict, (dict(self.items()),))

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        import copy

        return {k: copy.deepcopy(v, memo) for k, v in self.items()}

    __hash__ = None  # type: ignore[assignment]
