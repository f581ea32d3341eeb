"""Shortcuts that make a 1,000,000-mark recompute fit in a second, without a second rule.

Why: on a 2-core machine, Decimal sorting, dividing and quantizing 200,000 five-mark sets costs
most of the time budget by itself. Judges' marks come from a small set of values (8.5, 9.0 ...),
so the same multiset of marks recurs thousands of times. An aspect's shortcut result (see
``aggregate.fast_value``) depends only on the multiset of the marks (never on who gave them or
their order), so it is memoised per aggregation rule under a key that identifies the multiset
exactly: each distinct mark value gets a code k, and the key is the sum of ``16**k`` over the
marks; with fewer than 16 marks per set, the base-16 digits are the counts per value, so two sets
share a key only if they hold the same values the same number of times. Results are only memoised
when the rule rounds (so 7.5 and 7.50, which are equal and share a code, give the same Decimal).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Sequence

from scoring.rules.aggregate import fast_value
from scoring.rules.types import Aspect

MAX_CODES = 4096         # distinct mark values given a code; later new values are just not memoised
MAX_MEMO = 200_000       # entries per rule before the memo is cleared
MAX_SET = 15             # marks per set for the base-16 key


class FastPath:
    """Per-engine shortcut evaluators, one memo per distinct (type, aggregation) rule."""

    __slots__ = ("fns", "memos", "weights", "_next")

    def __init__(self, aspects: Sequence[Aspect]):
        shared: dict[tuple, tuple[Callable | None, dict | None]] = {}
        self.fns: list[Callable | None] = []
        self.memos: list[dict | None] = []
        for a in aspects:
            key = (a.type, a.aggregation)
            if key not in shared:
                f = fast_value(a)
                memo = {} if f is not None and a.aggregation.rounding.places is not None \
                    and not a.aggregation.param else None
                shared[key] = (f, memo)
            f, memo = shared[key]
            self.fns.append(f)
            self.memos.append(memo)
        self.weights: dict[Decimal, int] = {}
        self._next = 0

    def weights_of(self, vals: list[Decimal]) -> list[int] | None:
        """The multiset weight of each value (None if a new value can get no code)."""
        get = self.weights.get
        ws = list(map(get, vals))
        if None in ws:          # ints and None compare cheaply (unlike Decimals)
            for k, v in enumerate(vals):
                if ws[k] is None:
                    w = get(v)
                    if w is None:
                        if self._next >= MAX_CODES or not v.is_finite():
                            return None
                        w = self.weights[v] = 16 ** self._next
                        self._next += 1
                    ws[k] = w
        return ws

    def value(self, i: int, vals: list[Decimal], ws: list[int] | None, params) -> Decimal | None:
        """The shortcut value for aspect i (None: use the full rule)."""
        f = self.fns[i]
        if f is None:
            return None
        memo = self.memos[i]
        if memo is None or ws is None or len(vals) > MAX_SET:
            return f(vals, params)
        key = sum(ws)
        v = memo.get(key)
        if v is None:
            v = f(vals, params)
            if v is not None:
                if len(memo) >= MAX_MEMO:
                    memo.clear()
                memo[key] = v
        return v
