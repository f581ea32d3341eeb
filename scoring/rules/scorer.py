"""Scoring one contestant: aspects, stages, total and sort key, under one scheme and rule set.

Why a module of its own: this is the per-contestant half of the engine (``engine`` drives it
over a whole competition or one mark at a time; ``placing`` turns the totals into places). It
holds the compiled scheme (aspect and stage indexes, shortcuts, tie-break references) so that a
contestant's work is list indexing, not lookups by code.

Paths, from fastest to most general: marks complete and in canonical order are evaluated a rule
at a time (``fastpath`` batches); complete marks in any order one aspect at a time through the
per-aspect shortcut; anything else (gaps, extra marks, judgement, deduction, time, FIG, ISU ...)
through the full ``aggregate`` rule, whose result is kept for the row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from itertools import chain, repeat
from operator import attrgetter, itemgetter, mul, truediv
from typing import cast

from scoring.rules.aggregate import aggregate
from scoring.rules.checks import aspect_flags, ignored_mark_flag, outlier_flags
from scoring.rules.fastpath import Batch, FastPath, RuleKey
from scoring.rules.ranking import SortKey, component
from scoring.rules.results import AspectResults, SchemeView, StageResults, StageView, marks_for
from scoring.rules.rounding import quantize_each
from scoring.rules.stages import (
    judge_stage_totals,
    stage_from_judges,
    stage_marks_lookup,
    stage_sum,
    total_value,
    weighted_value,
)
from scoring.rules.state import Batches, ContestantState, Expect
from scoring.rules.technical import invalid_aspects, is_invalid
from scoring.rules.types import ZERO, AspectStatus, Flag, Mark, Rules, Scheme, Stage, TieBreakKind, WeightKind

_EMPTY: Mapping[str, Decimal] = {}
_HUNDRED = Decimal(100)
_OK = AspectStatus.OK
_ASPECT_JUDGE = attrgetter("aspect", "judge")
_ASPECT = attrgetter("aspect")
_JUDGE = attrgetter("judge")
_VALUE = attrgetter("value")

# per stage: (code, contiguous aspect span or None, aspect indexes, stage)
StageInfo = tuple[str, tuple[int, int] | None, list[int], Stage]
# per tie-break: (kind, stage or aspect index, aspect indexes of a criterion, higher is better); an
# index the scheme does not have is None
TieBreakRef = tuple[TieBreakKind, int | None, list[int] | None, bool]


class Scorer:
    """The compiled scheme and rules, and the arithmetic of one contestant."""

    def __init__(self, rules: Rules, scheme: Scheme):
        self.view = view = SchemeView(scheme.aspects)
        self.aspects = view.aspects
        self.codes = view.codes
        self.aidx = view.index
        self.stages = tuple(scheme.stages)
        self.stage_view = StageView([s.code for s in self.stages])
        sidx = {s.code: k for k, s in enumerate(self.stages)}
        self.stage_of = [sidx.get(a.stage, -1) for a in self.aspects]
        self.stage_aspects = [[i for i, a in enumerate(self.aspects) if a.stage == s.code] for s in self.stages]
        self.fastpath = FastPath(self.aspects)
        self.weight_kind = rules.weight_kind
        self.stage_info: list[StageInfo] = []
        for s, st in enumerate(self.stages):
            idxs = self.stage_aspects[s]
            span = (idxs[0], idxs[-1] + 1) if idxs and idxs == list(range(idxs[0], idxs[-1] + 1)) else None
            self.stage_info.append((st.code, span, idxs, st))
        self.total_rounding = rules.total_rounding
        self.outlier = rules.checks.outlier_distance
        self.checks = rules.checks
        tbs: list[TieBreakRef] = []
        for tb in rules.tie_breaks:
            if tb.kind == TieBreakKind.STAGE:
                tbs.append((tb.kind, sidx.get(tb.ref), None, tb.higher_is_better))
            elif tb.kind == TieBreakKind.CRITERION:
                crit = [
                    i
                    for i, a in enumerate(self.aspects)
                    if a.criterion == tb.ref or a.criterion.startswith(tb.ref + "/")
                ] or None
                tbs.append((tb.kind, None, crit, tb.higher_is_better))
            else:
                tbs.append((tb.kind, self.aidx.get(tb.ref), None, tb.higher_is_better))
        self.tbs = tbs

    @staticmethod
    def marks(c: ContestantState) -> dict[tuple[str, str], Decimal]:
        """The contestant's marks as (aspect, judge) -> value (built on first need; last mark wins)."""
        m = c.marks
        if m is None:
            lst = c.mlist if c.mlist is not None else list(c.src) if c.src is not None else []
            m = c.marks = dict(zip(map(_ASPECT_JUDGE, lst), map(_VALUE, lst))) if lst else {}
            c.mlist = c.src = None
        return m

    # ------------------------------------------------------------------ one contestant

    def compute_aspects(self, c: ContestantState) -> bool:
        """Every aspect of one contestant; True when all came from a shortcut with nothing to flag."""
        n_a = len(self.aspects)
        c.avals = [None] * n_a
        c.asecs = None  # lists made on first need: most rows have no times and no flags
        c.aflags = None
        c.cache = {}
        exp = c.exp
        lst = c.mlist
        if c.params and invalid_aspects(c.params):  # the technical panel's "-": through the full rule
            c.canon, c.vals = False, None
            c.xflags = self._by_lookup(c)
        elif c.canon or (
            lst is not None
            and exp.flat_aspects is not None
            and len(lst) == len(exp.flat_aspects)
            and list(map(_ASPECT, lst)) == exp.flat_aspects
            and list(map(_JUDGE, lst)) == exp.flat_judges
        ):
            self._canonical(c, lst)
            c.xflags = ()
        else:
            c.xflags = self._by_lookup(c)
        c.flags = self.collect_flags(c)
        source = c.marks if c.marks is not None else c.src if c.src is not None else c.mlist
        assert source is not None  # (the engine gives every contestant a mark list)
        c.amap = AspectResults(self.view, source, exp.judges, c.params, c.cache)
        c.mlist = None if c.src is not None else c.mlist  # the row reads its marks from the input
        return not c.cache and not c.flags

    def compute_stages(self, c: ContestantState) -> None:
        svals: list[Decimal | None] = []
        sparts: list[Decimal | None] = []
        sweighted: list[Decimal | None] = []
        for s, info in enumerate(self.stage_info):
            v, part, w = self.stage(c, s, info)
            svals.append(v)
            sparts.append(part)
            sweighted.append(w)
        c.svals, c.sparts, c.sweighted = svals, sparts, sweighted
        c.stages = StageResults(self.stage_view, svals, sweighted, sparts)
        self.total(c)

    def bulk_stages(self, cs: list[ContestantState]) -> None:
        """Stages and totals of many contestants whose aspects all have values, a rule at a time.

        Same arithmetic as ``stages.stage_sum``/``weighted_value``/``total_value``, run as C-level
        maps over all contestants instead of a dozen Python calls per contestant.
        """
        if not cs:
            return
        if any(span is None or stage.aggregation is not None for _, span, _, stage in self.stage_info):
            for c in cs:
                self.compute_stages(c)
            return
        avals = [c.avals for c in cs]
        by_stage = []
        for code, span, _, stage in self.stage_info:
            assert span is not None  # (checked above)
            sv = list(quantize_each(map(sum, map(itemgetter(slice(*span)), avals), repeat(ZERO)), stage.rounding))
            if self.weight_kind == WeightKind.PERCENT:
                weighted = map(truediv, map(mul, sv, repeat(stage.weight)), repeat(_HUNDRED))
            else:
                weighted = map(mul, sv, repeat(stage.weight))
            wv = list(quantize_each(weighted, stage.weighted_rounding))
            by_stage.append((code, sv, wv))
        totals = list(quantize_each(map(sum, zip(*(wv for _, _, wv in by_stage)), repeat(ZERO)), self.total_rounding))
        svals = list(map(list, zip(*(sv for _, sv, _ in by_stage))))
        sweighted = list(map(list, zip(*(wv for _, _, wv in by_stage))))
        stages = list(map(StageResults, repeat(self.stage_view), svals, sweighted, svals))
        skeys = self._sort_keys(cs, totals, [sv for _, sv, _ in by_stage])
        for c, sv, wv, st, total, skey in zip(cs, svals, sweighted, stages, totals, skeys):
            c.svals = c.sparts = sv  # complete: partial == value (copied before any change)
            c.sweighted = wv
            c.stages = st
            c.total = c.ptotal = total
            c.skey = skey

    def _sort_keys(
        self, cs: list[ContestantState], totals: list[Decimal], svals_by_stage: list[list[Decimal]]
    ) -> Iterator[SortKey]:
        """Sort keys of complete contestants, a column at a time (as ``_sort_key`` per row)."""
        negate = Decimal.copy_negate
        columns: list[Iterable[Decimal]] = [map(negate, totals)]
        for kind, ref, _, higher in self.tbs:
            col: list[Decimal]
            if ref is not None and kind == TieBreakKind.STAGE:
                col = svals_by_stage[ref]
            elif ref is not None and kind == TieBreakKind.ASPECT:
                col = cast("list[Decimal]", [c.avals[ref] for c in cs])  # complete: every aspect has a value
            else:
                return (self._sort_key(c, t) for c, t in zip(cs, totals))
            columns.append(map(negate, col) if higher else col)
        return zip(*columns)

    def batches(self, exp: Expect) -> Batches:
        """Aspects of a canonical mark list grouped by (rule, panel size) for batch evaluation, and
        the aspects evaluated one by one."""
        fp = self.fastpath
        groups: dict[tuple[RuleKey, int], tuple[Batch, list[int], list[slice]]] = {}
        single: list[int] = []
        for i, lo, hi in exp.plan:
            ev = fp.batch(i, hi - lo)
            if ev is None:
                single.append(i)
                continue
            g = groups.get((fp.rule_key(i), hi - lo))
            if g is None:
                g = groups[(fp.rule_key(i), hi - lo)] = (ev, [], [])
            g[1].append(i)
            g[2].append(slice(lo, hi))
        everyone = list(range(len(self.aspects)))
        return [(ev, idxs, slices, idxs == everyone) for ev, idxs, slices in groups.values()], single

    def _canonical(self, c: ContestantState, lst: list[Mark] | None) -> None:
        """Every expected mark present, nothing else, in scheme x panel order: slice, no lookups;
        aspects sharing a rule are evaluated together (see ``fastpath``)."""
        vals = c.vals
        if vals is None:
            assert lst is not None  # (canonical: the values were taken, or the list is here)
            vals = list(map(_VALUE, lst))
        c.vals = None
        exp = c.exp
        assert exp.batches is not None  # (set by the engine when it loads the contestant)
        batches, single = exp.batches
        if self.outlier is not None:
            batches, single = [], [i for i, _, _ in exp.plan]
        avals = c.avals
        for ev, idxs, slices, everyone in batches:
            got = ev(vals, slices)
            if everyone:
                avals[:] = got
            else:
                for i, v in zip(idxs, got):
                    avals[i] = v
        if single:
            fp = self.fastpath
            params = c.params
            plan = exp.plan
            for i in single:
                _, lo, hi = plan[i]
                sl = vals[lo:hi]
                if self.outlier is not None:
                    judges = exp.judges[i]
                    assert judges is not None  # (canonical: every aspect has its panel)
                    self._set_flags(c, i, tuple(outlier_flags(c.code, self.codes[i], judges, sl, self.outlier)))
                value = fp.value(i, sl, params.get(self.codes[i], _EMPTY) if params else _EMPTY)
                if value is None:
                    self._slow(c, i)
                else:
                    avals[i] = value

    def _by_lookup(self, c: ContestantState) -> tuple[Flag, ...]:
        """Any order, gaps or extra marks: look each expected mark up; returns the ignored-mark flags."""
        marks = self.marks(c)
        present = 0
        for i in range(len(self.aspects)):
            present += self.aspect(c, i, marks)
        return self.extra_flags(c) if present != len(marks) else ()

    def aspect(self, c: ContestantState, i: int, marks: dict[tuple[str, str], Decimal]) -> int:
        """(Re)compute aspect i; returns how many expected marks were present."""
        ks = c.exp.keys[i]
        if ks is None:
            self._slow(c, i)
            return 0
        if c.params and is_invalid(c.params.get(self.codes[i])):
            self._slow(c, i)
            return sum(map(marks.__contains__, ks))
        try:
            vals = list(map(marks.__getitem__, ks))
        except KeyError:
            self._slow(c, i)
            return sum(map(marks.__contains__, ks))
        code = self.codes[i]
        if self.outlier is not None:
            judges = c.exp.judges[i]
            assert judges is not None  # (expected keys: the aspect has its panel)
            self._set_flags(c, i, tuple(outlier_flags(c.code, code, judges, vals, self.outlier)))
        else:
            self._set_flags(c, i, ())
        v = self.fastpath.value(i, vals, c.params.get(code, _EMPTY) if c.params else _EMPTY)
        if v is None:
            self._slow(c, i)
        else:
            c.avals[i] = v
            self._set_secs(c, i, None)
            c.cache.pop(code, None)
        return len(ks)

    def _slow(self, c: ContestantState, i: int) -> None:
        aspect = self.aspects[i]
        code = aspect.code
        judges = c.exp.judges[i]
        marks = marks_for(code, self.marks(c), judges)
        p = c.params.get(code, _EMPTY) if c.params else _EMPTY
        r = aggregate(aspect, marks, judges, p)
        c.cache[code] = r
        ok = r.status == _OK
        c.avals[i] = r.value if ok else None
        self._set_secs(c, i, r.seconds if ok else None)
        if r.status == AspectStatus.MISSING or r.rule == "invalid":  # nothing to flag in marks that do not count
            self._set_flags(c, i, ())
        else:
            self._set_flags(c, i, tuple(aspect_flags(c.code, aspect, r, marks, judges, self.checks, p)))

    def _set_flags(self, c: ContestantState, i: int, flags: tuple[Flag, ...]) -> None:
        if c.aflags is None:
            if not flags:
                return
            c.aflags = [()] * len(self.aspects)
        c.aflags[i] = flags

    def _set_secs(self, c: ContestantState, i: int, seconds: Decimal | None) -> None:
        if c.asecs is None:
            if seconds is None:
                return
            c.asecs = [None] * len(self.aspects)
        c.asecs[i] = seconds

    def extra_flags(self, c: ContestantState) -> tuple[Flag, ...]:
        known = c.exp.key_set
        out = []
        for a, j in self.marks(c):
            if (a, j) in known:
                continue
            i = self.aidx.get(a)
            if i is None or c.exp.judges[i] is None:
                continue
            out.append((i, j, ignored_mark_flag(c.code, a, j, j in c.recused)))
        out.sort(key=lambda t: (t[0], t[1]))
        return tuple(f for _, _, f in out)

    @staticmethod
    def collect_flags(c: ContestantState) -> tuple[Flag, ...]:
        if not c.xflags and (c.aflags is None or not any(c.aflags)):
            return ()
        return (tuple(chain.from_iterable(c.aflags)) if c.aflags is not None else ()) + c.xflags

    def stage(
        self, c: ContestantState, s: int, info: StageInfo
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """(value, partial, weighted) of stage s (see ``stages``)."""
        _code, span, idxs, stage = info
        if stage.aggregation is None:
            v, part = stage_sum(
                c.avals[span[0] : span[1]] if span is not None else [c.avals[i] for i in idxs], stage.rounding
            )
        else:
            marks = self.marks(c)
            judges = c.exp.stage_judges[s]
            if judges is None:  # open panel: whoever marked an aspect of the stage
                judges = tuple(sorted({j for (a, j) in marks if self.aidx.get(a, -1) in idxs}))
            invalid = invalid_aspects(c.params)
            totals = judge_stage_totals([self.aspects[i] for i in idxs], judges, stage_marks_lookup(marks), invalid)
            v = part = stage_from_judges(stage.aggregation, totals, stage.rounding)
        return v, part, weighted_value(stage, v, self.weight_kind)

    def total(self, c: ContestantState) -> None:
        total, c.ptotal = total_value(c.sweighted, self.total_rounding)
        c.total = total
        c.skey = None if total is None else self._sort_key(c, total)  # no total: unranked

    def _sort_key(self, c: ContestantState, total: Decimal) -> SortKey:
        if not self.tbs:
            return (total.copy_negate(),)
        comps = [total.copy_negate()]
        for kind, ref, refs, higher in self.tbs:
            v = None
            if ref is not None:
                if kind == TieBreakKind.STAGE:
                    v = c.svals[ref]
                elif kind == TieBreakKind.ASPECT:
                    v = c.avals[ref]
                elif kind == TieBreakKind.TIME:
                    v = c.asecs[ref] if c.asecs is not None else None
            elif refs is not None:  # a criterion: the sum of its aspects
                try:
                    v = sum(cast("list[Decimal]", [c.avals[i] for i in refs]), ZERO)
                except TypeError:  # (an aspect without value)
                    v = None
            comps.append(component(v, higher))
        return tuple(comps)
