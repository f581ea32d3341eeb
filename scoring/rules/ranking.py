"""Ranks from totals, with the configured tie-break chain and the rule that decided each place.

Why: rulebooks differ on how tied places are numbered (1224, 1334, 1223, 1234, 1 2.5 2.5 4)
and on what breaks a tie (practical score, then time, then theory ...). A result that cannot say
*why* A is above B invites appeals, so every ranked row names the deciding rule.

Sort keys: a row's key is ``(-total, c1, c2, ...)`` with one component per tie-break, arranged so
that smaller sorts first (``-value`` when higher is better, ``value`` otherwise; a missing value
is ``+Infinity``, i.e. worst). Two rows share a place when their keys are equal.

``decided_by`` (the convention used throughout the engine): for a row that does not share its
place, the deepest rule that was needed to separate it from its neighbours (the rows directly
above and below): ``"total"`` when the totals differ on both sides, else the tie-break, e.g.
``"time:T1"``. So both rows of a tie broken by time say ``"time:T1"``. Rows that share a place
have ``decided_by=None`` and ``tied=True`` (with ORDINAL ranking they still get distinct places,
in contestant-code order, and stay ``tied=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from scoring.rules.types import RankMethod, TieBreak

SortKey = tuple[Decimal, ...]  # (-total, c1, c2, ...): see above
Place = tuple[Decimal, int | None, bool, int, int]  # (rank, level, tied, first, last): see ``rank_block``
INF = Decimal("Infinity")
_D = [Decimal(i) for i in range(1025)]


def dec(i: int) -> Decimal:
    return _D[i] if i < 1025 else Decimal(i)


def level_names(tie_breaks: Sequence[TieBreak]) -> tuple[str, ...]:
    return ("total",) + tuple(f"{tb.kind.value}:{tb.ref}" for tb in tie_breaks)


def component(value: Decimal | None, higher_is_better: bool = True) -> Decimal:
    """One sort-key component (smaller sorts first; missing is worst)."""
    if value is None:
        return INF
    return value.copy_negate() if higher_is_better else value


def _level(a: SortKey, b: SortKey) -> int | None:
    """Index of the first key component that differs (None: equal keys)."""
    if a[0] != b[0]:
        return 0
    for k in range(1, len(a)):
        if a[k] != b[k]:
            return k
    return None


def group_start(keys: Sequence[SortKey], p: int) -> int:
    while p > 0 and keys[p - 1] == keys[p]:
        p -= 1
    return p


def group_end(keys: Sequence[SortKey], p: int) -> int:
    """Exclusive end of the tie group containing position p."""
    n = len(keys)
    p += 1
    while p < n and keys[p] == keys[p - 1]:
        p += 1
    return p


def rank_block(keys: Sequence[SortKey], lo: int, hi: int, method: RankMethod, dense_before: int = 0) -> list[Place]:
    """Places for sorted keys at positions ``lo..hi-1``; ``lo`` and ``hi`` must be tie-group boundaries.

    Returns per position ``(rank, level, tied, first, last)``: ``level`` indexes the deciding rule
    (None when tied), ``first``/``last`` are the 1-based positions spanned by the row's tie group.
    ``dense_before`` is the dense place of the group just before ``lo`` (DENSE only).
    """
    out: list[Place] = []
    n = len(keys)
    p = lo
    dense = dense_before
    while p < hi:
        key = keys[p]
        e = p + 1
        while e < n and keys[e] == key:
            e += 1
        first, last = p + 1, e
        dense += 1
        if e - p > 1:
            if method == RankMethod.STANDARD:
                r = dec(first)
            elif method == RankMethod.MODIFIED:
                r = dec(last)
            elif method == RankMethod.DENSE:
                r = dec(dense)
            elif method == RankMethod.FRACTIONAL:
                r = dec(first + last) / 2
            else:
                r = None
            for q in range(p, e):
                out.append((dec(q + 1) if r is None else r, None, True, first, last))
        else:
            above = _level(keys[p - 1], key) if p > 0 else None
            below = _level(key, keys[p + 1]) if p + 1 < n else None
            if above is None:
                lvl = below if below is not None else 0
            elif below is None:
                lvl = above
            else:
                lvl = above if above > below else below
            r = dec(dense) if method == RankMethod.DENSE else dec(first)
            out.append((r, lvl, False, first, last))
        p = e
    return out


def rank_values(values: Sequence[Decimal | None], method: RankMethod = RankMethod.STANDARD) -> list[Decimal | None]:
    """Places for plain totals (higher is better; None is unranked), in the input order.

    Ties under ORDINAL keep input order.
    """
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    present.sort(key=lambda iv: iv[1].copy_negate())
    idx = [i for i, _ in present]
    keys = [(v.copy_negate(),) for _, v in present]
    block = rank_block(keys, 0, len(keys), method)
    out: list[Decimal | None] = [None] * len(values)
    for i, info in zip(idx, block):
        out[i] = info[0]
    return out
