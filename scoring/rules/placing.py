"""Places and awards of a group, kept current as single rows move.

Why: after one mark, only one contestant's sort key changes. Re-sorting 10,000 rows and
rebuilding every row would cost tens of milliseconds; instead the row is moved with a bisect
delete/insert, and only the rows whose place, tie group or award can have changed are re-placed.
When a contestant enters (or leaves) the ranking, every row below moves one place: their working
state is shifted at once, but their immutable ``Row`` objects are copied only when the group's
standings are next read (``GroupPlaces.result``), so a burst of marks between two reads pays for
those copies once, and a mark costs about a millisecond even when 10,000 places move.
The rules themselves live in ``ranking`` (places, ``decided_by``) and ``awards`` (tiers); this
module only decides *which* rows need them again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import chain
from typing import cast

from scoring.rules.awards import cut_positions, tier_for
from scoring.rules.ranking import Place, SortKey, group_end, group_start, rank_block
from scoring.rules.state import ContestantState, unrank
from scoring.rules.types import AwardRule, GroupStandings, RankMethod, Row

Cuts = tuple[tuple[int, ...] | None, ...]  # per group award rule: its quota cut lines (None: no quota)


class GroupPlaces:
    """One group's ranking: parallel lists sorted by (sort key, code), plus the unranked rows by code."""

    __slots__ = (
        "code",
        "entries",
        "keys",
        "members",
        "rows",
        "ucodes",
        "umembers",
        "urows",
        "cuts",
        "shifted",
        "n_shifted",
    )

    def __init__(self, code: str):
        self.code = code
        self.entries: list[tuple[SortKey, str]] = []  # (sort key, code), sorted: what bisect searches
        self.keys: list[SortKey] = []  # sort keys alone: equal keys share a place
        self.members: list[ContestantState] = []
        self.rows: list[Row] = []
        self.ucodes: list[str] = []
        self.umembers: list[ContestantState] = []
        self.urows: list[Row] = []
        self.cuts: Cuts = ()  # quota cut lines per group award rule
        self.shifted: list[list[ContestantState]] = []  # runs of members whose row lags their place
        self.n_shifted = 0

    def result(self) -> GroupStandings:
        if self.shifted:
            self._catch_up()
        return GroupStandings(group=self.code, rows=tuple(self.rows) + tuple(self.urows))

    def _catch_up(self) -> None:
        """Copy the rows of shifted members whose place moved since their row was made.

        A shifted member keeps its tie group and awards (``Placer.move`` re-places the ones near a
        cut line eagerly), so only the place differs. A member may sit in several runs, or have
        been re-placed since: comparing the place objects makes each copy happen once.
        """
        new, R, set_dict = _new, Row, _set_dict
        for run in self.shifted:
            for m in run:
                row = m.row
                if row.rank is not m.rank:  # shifted since the row was made (a shift makes a new number)
                    out = new(R)
                    fields = row.__dict__.copy()
                    fields["rank"] = m.rank
                    set_dict(out, "__dict__", fields)
                    m.row = out
        self.shifted = []
        self.n_shifted = 0
        self.rows = [m.row for m in self.members]

    def note_shift(self, run: list[ContestantState]) -> None:
        self.shifted.append(run)
        self.n_shifted += len(run)
        if self.n_shifted > 4 * len(self.members) + 64:  # many marks, no read: keep memory bounded
            self.shifted = [list(self.members)]
            self.n_shifted = len(self.members)

    def put_row(self, c: ContestantState) -> None:
        """Replace c's row object in the lists (its place is already current)."""
        if c.skey is not None:
            self.rows[bisect_left(self.entries, (c.skey, c.code))] = c.row
        else:
            self.urows[bisect_left(self.ucodes, c.code)] = c.row


class Placer:
    """Places, ``decided_by`` and awards for the rows of groups, under one rule set."""

    def __init__(self, method: RankMethod, levels: Sequence[str], awards: Iterable[AwardRule]):
        self.method = method
        self.levels = tuple(levels)
        awards = tuple(awards)
        self.group_rules = [r for r in awards if r.per_group]
        self.overall_rules = [r for r in awards if not r.per_group]

    # ------------------------------------------------------------------ rows

    def make_row(self, c: ContestantState) -> Row:
        return Row(
            c.code,
            c.group,
            c.amap,
            c.stages,
            c.total,
            c.rank,
            None if c.level is None else self.levels[c.level],
            c.tied,
            self.awards_of(c),
            c.ptotal,
        )

    @staticmethod
    def awards_of(c: ContestantState) -> tuple[str, ...]:
        if c.oawards:
            return tuple(a for a in chain(c.gawards, c.oawards) if a is not None)
        return tuple([a for a in c.gawards if a is not None]) if c.gawards else ()

    def set_place(self, c: ContestantState, info: Place, cuts: Cuts) -> bool:
        """Store a ranked row's place and group awards; True if anything visible changed."""
        rank, level, tied, first, last = info
        if self.group_rules:
            total = c.total
            assert total is not None  # a ranked row has a total
            awards = tuple([tier_for(r, cut, rank, first, last, total) for r, cut in zip(self.group_rules, cuts)])
        else:
            awards = ()
        changed = c.rank is None or c.rank != rank or c.level != level or c.tied != tied or c.gawards != awards
        c.rank, c.level, c.tied, c.first, c.last, c.gawards = rank, level, tied, first, last, awards
        return changed

    # ------------------------------------------------------------------ from scratch

    def place_all(self, g: GroupPlaces, members: Iterable[ContestantState]) -> None:
        members = list(members)
        ranked = sorted([(c.skey, c.code, c) for c in members if c.skey is not None])
        g.entries = [(k, code) for k, code, _ in ranked]
        g.keys = [k for k, _, _ in ranked]
        g.members = [c for _, _, c in ranked]
        un = sorted((c for c in members if c.skey is None), key=lambda c: c.code)
        g.ucodes = [c.code for c in un]
        g.umembers = un
        g.cuts = tuple(cut_positions(r, len(ranked)) for r in self.group_rules)
        block = rank_block(g.keys, 0, len(g.keys), self.method)
        set_place = self.set_place
        cuts = g.cuts
        for c, info in zip(g.members, block):
            set_place(c, info, cuts)

    def award_overall(self, contestants: Iterable[ContestantState]) -> set[ContestantState]:
        """Overall (all-groups) award rules; returns the contestants whose overall awards changed."""
        contestants = list(contestants)
        ranked = sorted([(c.skey, c.code, c) for c in contestants if c.skey is not None])
        keys = [k for k, _, _ in ranked]
        block = rank_block(keys, 0, len(keys), self.method)
        cuts = tuple(cut_positions(r, len(ranked)) for r in self.overall_rules)
        changed = set()
        for (_, _, c), (rank, _lvl, _tied, first, last) in zip(ranked, block):
            total = c.total
            assert total is not None  # a ranked row has a total
            aw = tuple(tier_for(r, cut, rank, first, last, total) for r, cut in zip(self.overall_rules, cuts))
            if c.oawards != aw:
                changed.add(c)
            c.oawards = aw
        for c in contestants:
            if c.skey is None and c.oawards:
                c.oawards = ()
                changed.add(c)
        return changed

    # ------------------------------------------------------------------ one row moves

    def move(self, g: GroupPlaces, c: ContestantState, old_skey: SortKey | None) -> None:
        """Move c in its group's sorted lists and re-place only the rows whose place can have changed.

        Positions: c leaves p_old and enters p_new (bisect, no re-sort). The rows next to either
        spot (widened to whole tie groups) are re-placed from scratch; the rows between the two
        spots (or after the spot, when the number of ranked rows changes) keep their neighbours
        and tie groups and just move by one place, so their places are shifted and their awards
        re-checked only where a cut line or rank threshold lies in between; all other rows keep
        their places. When the quota cut lines move (the ranked count changed), the rows around
        the old and new lines are re-checked. DENSE places re-place everything after the change.
        """
        new_skey = c.skey
        entries, keys, members, rows = g.entries, g.keys, g.members, g.rows
        n_before = len(entries)
        p_old = p_new = None
        if old_skey is not None:
            p_old = bisect_left(entries, (old_skey, c.code))
            del entries[p_old], keys[p_old], members[p_old], rows[p_old]
        else:
            u = bisect_left(g.ucodes, c.code)
            del g.ucodes[u], g.umembers[u], g.urows[u]
        if new_skey is not None:
            p_new = bisect_left(entries, (new_skey, c.code))
            entries.insert(p_new, (new_skey, c.code))
            keys.insert(p_new, new_skey)
            members.insert(p_new, c)
            rows.insert(p_new, cast(Row, None))  # a placeholder, filled below
        else:
            unrank(c)
            c.row = self.make_row(c)
            u = bisect_left(g.ucodes, c.code)
            g.ucodes.insert(u, c.code)
            g.umembers.insert(u, c)
            g.urows.insert(u, c.row)
        n = len(entries)
        old_cuts = g.cuts
        cuts = old_cuts if n == n_before else tuple(cut_positions(r, n) for r in self.group_rules)
        g.cuts = cuts
        if n == 0 or (p_old is None and p_new is None):
            return
        done: set[int] = set()

        def replace(a: int, b: int, dense_before: int = 0) -> None:
            for p, info in zip(range(a, b), rank_block(keys, a, b, self.method, dense_before)):
                m = members[p]
                if self.set_place(m, info, cuts) or m is c:
                    m.row = self.make_row(m)
                    rows[p] = m.row
                done.add(p)

        if self.method == RankMethod.DENSE:
            start = min(x for x in (p_old, p_new) if x is not None)
            a = group_start(keys, max(min(start, n - 1) - 1, 0))
            dense_before = 0
            if a > 0:
                before = members[a - 1].rank
                assert before is not None  # members of the ranking have a place
                dense_before = int(before)
            replace(a, n, dense_before)
        else:
            windows = []
            if p_new is not None:
                windows.append(_window(keys, p_new - 1, p_new + 1))
            if p_old is not None:
                windows.append(_window(keys, p_old - 1, p_old + 1))
            for a, b in windows:
                if a < b:
                    replace(a, b)
            if p_old is not None and p_new is not None:
                span, d = ((p_new + 1, p_old + 1), 1) if p_new < p_old else ((p_old, p_new), -1)
            elif p_new is not None:
                span, d = (p_new + 1, n), 1
            else:
                assert p_old is not None  # (neither: returned above)
                span, d = (p_old, n), -1
            # Rows near a cut line or rank threshold may change award when they move: re-place them
            # properly; every other row in the span keeps its neighbours and awards and just moves.
            careful: list[tuple[int, int]] = list(windows)  # already re-placed: skipped below
            for line in self._award_lines(old_cuts, cuts):
                careful.append(_window(keys, line - 3, line + 1))
            cursor, stop = span
            for a, b in sorted(careful):
                if b <= cursor or a >= stop:
                    continue
                if a > cursor:
                    _shift(g, cursor, a, d)
                for p in range(max(a, cursor), min(b, stop)):
                    if p in done:
                        continue
                    m = members[p]
                    assert m.rank is not None  # members of the ranking have a place
                    if self.set_place(m, (m.rank + d, m.level, m.tied, m.first + d, m.last + d), cuts):
                        m.row = _moved(m.row, m.rank, self.awards_of(m))
                    rows[p] = m.row
                    done.add(p)
                cursor = min(b, stop)
            if cursor < stop:
                _shift(g, cursor, stop, d)
        if cuts != old_cuts:
            for oc, nc in zip(old_cuts, cuts):
                if oc is None or nc is None:  # (a rule without quotas has no cut lines, before or after)
                    continue
                for x, y in zip(oc, nc):
                    if x == y:
                        continue
                    a, b = _window(keys, min(x, y) - 1, max(x, y))
                    for p in range(a, b):
                        if p in done:
                            continue
                        m = members[p]
                        assert m.rank is not None  # members of the ranking have a place
                        if self.set_place(m, (m.rank, m.level, m.tied, m.first, m.last), cuts):
                            m.row = _moved(m.row, m.rank, self.awards_of(m))
                            rows[p] = m.row

    def _award_lines(self, old_cuts: Cuts, cuts: Cuts) -> list[int]:
        """Positions/places where a group award can change: quota cut lines and rank thresholds."""
        lines = set()
        for rule, oc, nc in zip(self.group_rules, old_cuts, cuts):
            for cut in chain(oc or (), nc or ()):
                lines.add(cut)
            for tier in rule.tiers:
                if tier.max_rank is not None:
                    lines.add(tier.max_rank)
        return sorted(lines)


def _window(keys: list[SortKey], a: int, b: int) -> tuple[int, int]:
    """Positions a..b (clipped) widened to whole tie groups, as a half-open range."""
    n = len(keys)
    a, b = max(a, 0), min(b, n - 1)
    if a > b:
        return 0, 0
    return group_start(keys, a), group_end(keys, b)


_new = object.__new__
# Copying a row's field dict and installing it is ~3x cheaper than updating the fresh instance's
# own (key-sharing) dict; a frozen dataclass refuses plain attribute assignment, hence object's.
_set_dict = object.__setattr__


def _shift(g: GroupPlaces, a: int, b: int, d: int) -> None:
    """Members a..b-1 moved by d places with their tie groups intact: same awards, new place.

    This is the one loop that runs over thousands of rows when a contestant enters a big group's
    ranking, so it only updates the working state; the rows are copied when next read
    (``GroupPlaces.result``). The caller keeps the rows it already re-placed out of the span.
    """
    moved = g.members[a:b]
    for m in moved:
        m.rank += d  # type: ignore[operator,assignment]  # ranked members have a place (no check: hot loop)
        m.first += d
        m.last += d
    g.note_shift(moved)


def _moved(row: Row, rank: Decimal, awards: tuple[str, ...]) -> Row:
    """A copy of a row with a new place and awards (several times cheaper than the constructor)."""
    out = _new(Row)
    fields = row.__dict__.copy()
    fields["rank"] = rank
    fields["awards"] = awards
    _set_dict(out, "__dict__", fields)
    return out


# The fast copies above rely on Row keeping its fields in an instance __dict__ (a plain frozen
# dataclass). Fail loudly at import rather than silently if that ever changes.
if "__slots__" in Row.__dict__:  # pragma: no cover
    raise ImportError("scoring.rules.placing expects Row instances to have a __dict__")
