"""What the engine keeps per contestant, and who must mark what.

Why a module of its own: the full build (``engine``) and the place keeping (``placing``) both work
on this state; keeping it apart avoids an import cycle and keeps each module small. These are
mutable working records, never handed out: the results are the immutable ``types``.
"""
from __future__ import annotations

from typing import Sequence


class Expect:
    """Who must mark each aspect for a contestant (None: no panel, whoever marked)."""

    __slots__ = ("judges", "keys", "key_set", "stage_judges", "flat_aspects", "flat_judges", "plan", "batches")

    def __init__(self, judges: list[tuple[str, ...] | None], codes: Sequence[str], stage_aspects: list[list[int]]):
        self.judges = judges
        self.keys = [None if js is None else tuple((code, j) for j in js) for code, js in zip(codes, judges)]
        self.key_set = frozenset(k for ks in self.keys if ks is not None for k in ks)
        self.stage_judges: list[tuple[str, ...] | None] = []
        for idxs in stage_aspects:
            seen: list[str] = []
            open_panel = False
            for i in idxs:
                if judges[i] is None:
                    open_panel = True
                    continue
                for j in judges[i]:
                    if j not in seen:
                        seen.append(j)
            self.stage_judges.append(None if open_panel else tuple(seen))
        # The canonical order of a complete mark list (scheme order, then panel order): when a
        # contestant's marks arrive exactly so (as a database returns them when asked to), values
        # are sliced out without a single lookup.
        self.flat_aspects: list[str] | None = None
        self.flat_judges: list[str] | None = None
        self.plan: list[tuple[int, int, int]] = []
        self.batches: tuple | None = None      # set by the engine: aspects grouped by rule for batches
        if all(js is not None for js in judges):
            self.flat_aspects = [code for code, js in zip(codes, judges) for _ in js]
            self.flat_judges = [j for js in judges for j in js]
            lo = 0
            for i, js in enumerate(judges):
                self.plan.append((i, lo, lo + len(js)))
                lo += len(js)


class ContestantState:
    """Everything the engine knows about one contestant (slots: there are tens of thousands)."""

    __slots__ = (
        "code", "group", "exp", "params", "recused",          # who, and who must mark them
        "marks", "mlist", "src", "canon", "vals",              # marks: dict (aspect, judge) -> value, or raw
        "avals", "asecs", "cache", "aflags", "xflags", "flags",  # per aspect: value, seconds, results, flags
        "svals", "sparts", "sweighted", "stages", "total", "ptotal", "skey",  # stages, total, sort key
        "rank", "level", "tied", "first", "last", "gawards", "oawards", "row", "amap",  # place, awards, row
    )


def unrank(c: ContestantState) -> None:
    """No place, no award (the row has no total)."""
    c.rank = None
    c.level = None
    c.tied = False
    c.first = c.last = 0
    c.gawards = ()
    c.oawards = ()
