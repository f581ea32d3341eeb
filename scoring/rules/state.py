"""What the engine keeps per contestant, and who must mark what.

Why a module of its own: the full build (``engine``) and the place keeping (``placing``) both work
on this state; keeping it apart avoids an import cycle and keeps each module small. These are
mutable working records, never handed out: the results are the immutable ``types``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.rules.ranking import SortKey
    from scoring.rules.results import AspectResults, MarkRun, StageResults
    from scoring.rules.types import AspectResult, Flag, Mark, Row

# Aspects of a canonical mark list grouped for batch evaluation (``Scorer.batches``): per group the
# evaluator, the aspect indexes, their slices of the mark list and whether the group is every aspect;
# then the aspects evaluated one by one.
Batches = tuple[
    list[tuple[Callable[[list[Decimal], Sequence[slice]], list[Decimal]], list[int], list[slice], bool]], list[int]
]


class Expect:
    """Who must mark each aspect for a contestant (None: no panel, whoever marked)."""

    __slots__ = ("judges", "keys", "key_set", "stage_judges", "flat_aspects", "flat_judges", "plan", "batches")

    def __init__(self, judges: list[tuple[str, ...] | None], codes: Sequence[str], stage_aspects: list[list[int]]):
        self.judges = judges
        self.keys: list[tuple[tuple[str, str], ...] | None] = [
            None if js is None else tuple((code, j) for j in js) for code, js in zip(codes, judges)
        ]
        self.key_set = frozenset(k for ks in self.keys if ks is not None for k in ks)
        self.stage_judges: list[tuple[str, ...] | None] = []
        for idxs in stage_aspects:
            seen: list[str] = []
            open_panel = False
            for i in idxs:
                panel = judges[i]
                if panel is None:
                    open_panel = True
                    continue
                for j in panel:
                    if j not in seen:
                        seen.append(j)
            self.stage_judges.append(None if open_panel else tuple(seen))
        # The canonical order of a complete mark list (scheme order, then panel order): when a
        # contestant's marks arrive exactly so (as a database returns them when asked to), values
        # are sliced out without a single lookup.
        self.flat_aspects: list[str] | None = None
        self.flat_judges: list[str] | None = None
        self.plan: list[tuple[int, int, int]] = []
        self.batches: Batches | None = None  # set by the engine: aspects grouped by rule for batches
        panels = [js for js in judges if js is not None]
        if len(panels) == len(judges):
            self.flat_aspects = [code for code, js in zip(codes, panels) for _ in js]
            self.flat_judges = [j for js in panels for j in js]
            lo = 0
            for i, js in enumerate(panels):
                self.plan.append((i, lo, lo + len(js)))
                lo += len(js)


class ContestantState:
    """Everything the engine knows about one contestant (slots: there are tens of thousands).

    The annotations below only declare the slots' types (no class attributes); the engine sets
    every slot before reading it (``engine._load``, ``Scorer.compute_aspects``).
    """

    __slots__ = (
        "code",
        "group",
        "exp",
        "params",
        "recused",  # who, and who must mark them
        "marks",
        "mlist",
        "src",
        "canon",
        "vals",  # marks: dict (aspect, judge) -> value, or raw
        "avals",
        "asecs",
        "cache",
        "aflags",
        "xflags",
        "flags",  # per aspect: value, seconds, results, flags
        "svals",
        "sparts",
        "sweighted",
        "stages",
        "total",
        "ptotal",
        "skey",  # stages, total, sort key
        "rank",
        "level",
        "tied",
        "first",
        "last",
        "gawards",
        "oawards",
        "row",
        "amap",  # place, awards, row
    )
    code: str
    group: str
    exp: Expect
    params: Mapping[str, Mapping[str, Decimal]]
    recused: Collection[str]
    marks: dict[tuple[str, str], Decimal] | None
    mlist: list[Mark] | None
    src: MarkRun | None
    canon: bool
    vals: list[Decimal] | None
    avals: list[Decimal | None]
    asecs: list[Decimal | None] | None
    cache: dict[str, AspectResult]
    aflags: list[tuple[Flag, ...]] | None
    xflags: tuple[Flag, ...]
    flags: tuple[Flag, ...]
    svals: list[Decimal | None]
    sparts: list[Decimal | None]
    sweighted: list[Decimal | None]
    stages: StageResults
    total: Decimal | None
    ptotal: Decimal | None
    skey: SortKey | None
    rank: Decimal | None
    level: int | None
    tied: bool
    first: int
    last: int
    gawards: tuple[str | None, ...]
    oawards: tuple[str | None, ...]
    row: Row
    amap: AspectResults


def unrank(c: ContestantState) -> None:
    """No place, no award (the row has no total)."""
    c.rank = None
    c.level = None
    c.tied = False
    c.first = c.last = 0
    c.gawards = ()
    c.oawards = ()
