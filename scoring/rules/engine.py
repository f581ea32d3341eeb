"""Standings from a competition's rules, scheme, people and marks: full and incremental.

Why both: boards need the new standings within milliseconds of each mark, and an auditor needs
to recompute everything from the stored marks and get the same answer. ``StandingsEngine`` keeps
the state of one competition and updates only the marked contestant (its aspect, stage and total)
and the places in its group that can have moved; ``compute_standings`` is the same engine built
from scratch. The tests replay random mark sequences and compare the two.

Decisions documented here:

* Expected judges for (contestant, aspect) are the judges of the panels for the contestant's
  group and the aspect's stage (a panel with no aspect list covers the whole stage), in panel
  order, minus recusals. When no panel covers an aspect, whoever marked it counts (open panel).
* Marks by judges outside that list are ignored and flagged (``recused_mark`` / ``not_on_panel``);
  marks for unknown contestants or aspects are ignored by ``compute_standings`` and refused by
  ``StandingsEngine.apply_mark``. If a (contestant, aspect, judge) appears twice, the later wins.
* Missing is not zero: a stage with an aspect that is not OK has no value, a total with a stage
  without value is None and the row is unranked; partial sums stay visible (``StageResult.partial``,
  ``Row.partial_total``).
* Stage-level aggregation (``Stage.aggregation``): each judge's stage total is the sum of that
  judge's marks over *all* the stage's aspects (type conversion only, see
  ``aggregate.stage_judge_mark``); a judge who has not marked every aspect has no total, and the
  stage aggregation's missing policy decides. Aspect results are still shown per aspect.
* Overall award rules (``per_group=False``) rank every group together; after a mark they are
  re-evaluated for all rows (linear; the per-group path is the fast one).
* A full build pauses the cyclic garbage collector: it allocates several hundred thousand
  acyclic objects, and the collector would otherwise re-scan them many times over (it doubled
  the time of a 10,000-contestant recompute). The previous state is restored afterwards.
"""
from __future__ import annotations

import gc
from bisect import bisect_left
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain, groupby, repeat
from operator import attrgetter, itemgetter, mul, truediv
from typing import Iterator, Mapping, Sequence

from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.rules.aggregate import aggregate
from scoring.rules.awards import cut_positions, tier_for
from scoring.rules.checks import aspect_flags, ignored_mark_flag, outlier_flags
from scoring.rules.fastpath import FastPath
from scoring.rules.ranking import component, group_end, group_start, level_names, rank_block
from scoring.rules.results import AspectResults, SchemeView, marks_for
from scoring.rules.rounding import exact, quantize_each
from scoring.rules.stages import (
    judge_stage_totals,
    stage_from_judges,
    stage_marks_lookup,
    stage_sum,
    total_value,
    weighted_value,
)
from scoring.rules.types import (
    ZERO,
    AspectStatus,
    CompetitionInput,
    Flag,
    GroupStandings,
    Mark,
    RankMethod,
    Row,
    StageResult,
    Standings,
    TieBreakKind,
    WeightKind,
)
from scoring.rules.validation import validate_config

__all__ = ["compute_standings", "StandingsEngine", "validate_config"]

_EMPTY: Mapping = {}
_OK = AspectStatus.OK
_BY_CONTESTANT = attrgetter("contestant")
_ASPECT_JUDGE = attrgetter("aspect", "judge")
_ASPECT = attrgetter("aspect")
_JUDGE = attrgetter("judge")
_VALUE = attrgetter("value")
UNKNOWN_CONTESTANT = N_("there is no contestant %(code)s")
UNKNOWN_ASPECT = N_("there is no aspect %(code)s")


def compute_standings(inp: CompetitionInput) -> Standings:
    """Standings recomputed from scratch (pure: same input, same output)."""
    return StandingsEngine(inp).standings


@contextmanager
def _gc_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Expect:
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
        self.batches: tuple | None = None      # set by the engine: memoised aspects grouped by rule
        if all(js is not None for js in judges):
            self.flat_aspects = [code for code, js in zip(codes, judges) for _ in js]
            self.flat_judges = [j for js in judges for j in js]
            lo = 0
            for i, js in enumerate(judges):
                self.plan.append((i, lo, lo + len(js)))
                lo += len(js)


class _C:
    """Everything the engine knows about one contestant."""

    __slots__ = ("code", "group", "exp", "params", "recused", "marks", "mlist", "canon", "vals", "avals", "asecs",
                 "cache",
                 "aflags", "xflags", "flags", "svals", "sparts", "sweighted", "stages", "total", "ptotal", "skey",
                 "rank", "level", "tied", "first", "last", "gawards", "oawards", "row", "amap")


class _G:
    """One group's ranking: parallel lists sorted by (sort key, code), plus the unranked rows."""

    __slots__ = ("code", "entries", "keys", "members", "rows", "ucodes", "umembers", "urows", "cuts")

    def __init__(self, code: str):
        self.code = code
        self.entries: list[tuple] = []
        self.keys: list[tuple] = []
        self.members: list[_C] = []
        self.rows: list[Row] = []
        self.ucodes: list[str] = []
        self.umembers: list[_C] = []
        self.urows: list[Row] = []
        self.cuts: tuple = ()


class StandingsEngine:
    """Standings kept up to date mark by mark.

    ``standings`` is always the current immutable ``Standings``; ``apply_mark`` and ``remove_mark``
    return the new one. Not thread-safe: one engine per competition, updated by one writer.
    """

    def __init__(self, inp: CompetitionInput):
        with exact(), _gc_paused():
            self._compile(inp)
            self._load(inp)
            clean = [c for c in self._contestants if self._compute_aspects(c)]
            if len(clean) < len(self._contestants):
                ids = set(map(id, clean))
                for c in self._contestants:
                    if id(c) not in ids:
                        self._compute_stages(c)
            self._bulk_stages(clean)
            for g in self._groups.values():
                self._rank_group_full(g)
            if self._overall_rules:
                self._award_overall()
            for c in self._contestants:
                c.row = self._make_row(c)
            for g in self._groups.values():
                g.rows = [c.row for c in g.members]
                g.urows = [c.row for c in g.umembers]
            self._flags = tuple(chain.from_iterable(c.flags for c in self._contestants))
            self._standings = Standings(
                groups={code: self._group_result(self._groups[code]) for code in sorted(self._groups)},
                flags=self._flags)

    # ------------------------------------------------------------------ public

    @property
    def standings(self) -> Standings:
        return self._standings

    def apply_mark(self, mark: Mark) -> Standings:
        """Take in the newest version of one judge's mark and return the new standings."""
        c, i = self._cell(mark.contestant, mark.aspect)
        key = (mark.aspect, mark.judge)
        current = self._marks(c)
        old = current.get(key)
        if old is not None and old.as_tuple() == mark.value.as_tuple():
            return self._standings
        marks = dict(current)
        marks[key] = mark.value
        return self._changed(c, i, marks, key)

    def remove_mark(self, contestant: str, aspect: str, judge: str) -> Standings:
        """Forget a judge's mark (withdrawn or voided) and return the new standings."""
        c, i = self._cell(contestant, aspect)
        key = (aspect, judge)
        current = self._marks(c)
        if key not in current:
            return self._standings
        marks = dict(current)
        del marks[key]
        return self._changed(c, i, marks, key)

    # ------------------------------------------------------------------ compile

    def _compile(self, inp: CompetitionInput) -> None:
        rules, scheme = inp.rules, inp.scheme
        self._rules = rules
        self._view = view = SchemeView(scheme.aspects)
        self._aspects = view.aspects
        self._codes = view.codes
        self._aidx = view.index
        self._stages = tuple(scheme.stages)
        sidx = {s.code: k for k, s in enumerate(self._stages)}
        self._stage_of = [sidx.get(a.stage, -1) for a in self._aspects]
        self._stage_aspects = [[i for i, a in enumerate(self._aspects) if a.stage == s.code] for s in self._stages]
        self._fastpath = FastPath(self._aspects)
        self._weight_kind = rules.weight_kind
        # per stage: (code, contiguous aspect span or None, aspect indexes, stage)
        self._stage_info = []
        for s, st in enumerate(self._stages):
            idxs = self._stage_aspects[s]
            span = (idxs[0], idxs[-1] + 1) if idxs and idxs == list(range(idxs[0], idxs[-1] + 1)) else None
            self._stage_info.append((st.code, span, idxs, st))
        self._total_rounding = rules.total_rounding
        self._outlier = rules.checks.outlier_distance
        self._checks = rules.checks
        self._method = rules.ranking
        self._levels = level_names(rules.tie_breaks)
        tbs = []
        for tb in rules.tie_breaks:
            if tb.kind == TieBreakKind.STAGE:
                ref = sidx.get(tb.ref)
            elif tb.kind == TieBreakKind.CRITERION:
                ref = [i for i, a in enumerate(self._aspects)
                       if a.criterion == tb.ref or a.criterion.startswith(tb.ref + "/")] or None
            else:
                ref = self._aidx.get(tb.ref)
            tbs.append((tb.kind, ref, tb.higher_is_better))
        self._tbs = tbs
        self._group_rules = [r for r in rules.awards if r.per_group]
        self._overall_rules = [r for r in rules.awards if not r.per_group]
        self._recusals: dict[str, set[str]] = {}
        for j, c in inp.recusals:
            self._recusals.setdefault(c, set()).add(j)
        self._panels = tuple(inp.panels)

    def _expect_for(self, group: str, recused: set[str] | None) -> _Expect:
        judges: list[tuple[str, ...] | None] = []
        for a in self._aspects:
            found = False
            js: list[str] = []
            for p in self._panels:
                if p.group == group and p.stage == a.stage and (not p.aspects or a.code in p.aspects):
                    found = True
                    for j in p.judges:
                        if j not in js and not (recused and j in recused):
                            js.append(j)
            judges.append(tuple(js) if found else None)
        return _Expect(judges, self._codes, self._stage_aspects)

    # ------------------------------------------------------------------ load

    def _load(self, inp: CompetitionInput) -> None:
        group_expect: dict[str, _Expect] = {}
        self._contestants: list[_C] = []
        self._by_code: dict[str, _C] = {}
        self._groups: dict[str, _G] = {}
        for ct in inp.contestants:
            if ct.code in self._by_code:
                continue
            c = _C()
            c.code = ct.code
            c.group = ct.group
            c.params = ct.params or _EMPTY
            recused = self._recusals.get(ct.code)
            c.recused = recused or ()
            if recused:
                c.exp = self._expect_for(ct.group, recused)
            else:
                exp = group_expect.get(ct.group)
                if exp is None:
                    exp = group_expect[ct.group] = self._expect_for(ct.group, None)
                c.exp = exp
            if c.exp.batches is None:
                c.exp.batches = self._batches(c.exp)
            c.mlist = None
            c.marks = None
            c.vals = None
            c.canon = False
            self._unrank(c)
            self._contestants.append(c)
            self._by_code[ct.code] = c
            if ct.group not in self._groups:
                self._groups[ct.group] = _G(ct.group)
        # One pass over the marks, grouped by contestant (groupby + extend: right for any order,
        # cheap when a database returns them grouped). While a contestant's marks are still in
        # the CPU cache, check whether they are in canonical order and take their values.
        by_code = self._by_code
        for code, run in groupby(inp.marks, _BY_CONTESTANT):
            c = by_code.get(code)
            if c is None:
                continue
            if c.mlist is None:
                c.mlist = lst = list(run)
                exp = c.exp
                if (exp.flat_aspects is not None and len(lst) == len(exp.flat_aspects)
                        and list(map(_ASPECT, lst)) == exp.flat_aspects
                        and list(map(_JUDGE, lst)) == exp.flat_judges):
                    c.canon = True
                    c.vals = list(map(_VALUE, lst))
            else:
                c.mlist.extend(run)
                c.canon = False
                c.vals = None
        for c in self._contestants:
            if c.mlist is None:
                c.mlist = []

    @staticmethod
    def _marks(c: _C) -> dict:
        """The contestant's marks as (aspect, judge) -> value (built on first need; last mark wins)."""
        m = c.marks
        if m is None:
            lst = c.mlist
            m = c.marks = dict(zip(map(_ASPECT_JUDGE, lst), map(_VALUE, lst))) if lst else {}
            c.mlist = None
        return m

    # ------------------------------------------------------------------ one contestant

    def _compute_aspects(self, c: _C) -> bool:
        """Every aspect of one contestant; True when all came from a shortcut with nothing to flag."""
        n_a = len(self._aspects)
        c.avals = [None] * n_a
        c.asecs = None      # lists made on first need: most rows have no times and no flags
        c.aflags = None
        c.cache = {}
        exp = c.exp
        lst = c.mlist
        if c.canon or (lst is not None and exp.flat_aspects is not None and len(lst) == len(exp.flat_aspects)
                       and list(map(_ASPECT, lst)) == exp.flat_aspects
                       and list(map(_JUDGE, lst)) == exp.flat_judges):
            self._canonical(c, lst)
            c.xflags = ()
        else:
            c.xflags = self._by_lookup(c)
        c.flags = self._collect_flags(c)
        c.amap = AspectResults(self._view, c.marks if c.marks is not None else c.mlist, exp.judges, c.params,
                               c.cache)
        return not c.cache and not c.flags

    def _compute_stages(self, c: _C) -> None:
        svals, sparts, sweighted = [], [], []
        stages = {}
        for s, info in enumerate(self._stage_info):
            v, part, w = self._stage(c, s, info)
            svals.append(v)
            sparts.append(part)
            sweighted.append(w)
            stages[info[0]] = StageResult(info[0], v, w, part)
        c.svals, c.sparts, c.sweighted, c.stages = svals, sparts, sweighted, stages
        self._total(c)

    def _bulk_stages(self, cs: list[_C]) -> None:
        """Stages and totals of many contestants whose aspects all have values, a rule at a time.

        Same arithmetic as ``stages.stage_sum``/``weighted_value``/``total_value``, run as C-level
        maps over all contestants instead of a dozen Python calls per contestant.
        """
        if not cs:
            return
        if any(span is None or stage.aggregation is not None for _, span, _, stage in self._stage_info):
            for c in cs:
                self._compute_stages(c)
            return
        avals = [c.avals for c in cs]
        by_stage = []
        for code, span, _, stage in self._stage_info:
            sv = list(quantize_each(map(sum, map(itemgetter(slice(*span)), avals), repeat(ZERO)), stage.rounding))
            if self._weight_kind == WeightKind.PERCENT:
                wv = map(truediv, map(mul, sv, repeat(stage.weight)), repeat(100))
            else:
                wv = map(mul, sv, repeat(stage.weight))
            wv = list(quantize_each(wv, stage.weighted_rounding))
            by_stage.append((code, sv, wv, list(map(StageResult, repeat(code), sv, wv, sv))))
        totals = quantize_each(map(sum, zip(*(wv for _, _, wv, _ in by_stage)), repeat(ZERO)), self._total_rounding)
        totals = list(totals)
        codes = [code for code, _, _, _ in by_stage]
        svals = list(map(list, zip(*(sv for _, sv, _, _ in by_stage))))
        sweighted = list(map(list, zip(*(wv for _, _, wv, _ in by_stage))))
        stages = list(map(dict, map(zip, repeat(codes), zip(*(rs for _, _, _, rs in by_stage)))))
        skeys = self._sort_keys(cs, totals, [sv for _, sv, _, _ in by_stage])
        for c, sv, wv, st, total, skey in zip(cs, svals, sweighted, stages, totals, skeys):
            c.svals = c.sparts = sv
            c.sweighted = wv
            c.stages = st
            c.total = c.ptotal = total
            c.skey = skey

    def _sort_keys(self, cs: list[_C], totals: list[Decimal], svals_by_stage: list[list[Decimal]]) -> Iterator[tuple]:
        """Sort keys of complete contestants, a column at a time (as ``_sort_key`` per row)."""
        negate = Decimal.copy_negate
        columns = [map(negate, totals)]
        for kind, ref, higher in self._tbs:
            if ref is not None and kind == TieBreakKind.STAGE:
                col = svals_by_stage[ref]
            elif ref is not None and kind == TieBreakKind.ASPECT:
                col = [c.avals[ref] for c in cs]
            else:
                return (self._sort_key(c, t) for c, t in zip(cs, totals))
            columns.append(map(negate, col) if higher else col)
        return zip(*columns)

    def _batches(self, exp: _Expect) -> tuple[list, list[int]]:
        """Aspects of a canonical mark list grouped by (rule, panel size) for batch evaluation, and
        the aspects evaluated one by one."""
        fp = self._fastpath
        groups: dict[tuple, tuple] = {}
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
        everyone = list(range(len(self._aspects)))
        return [(ev, idxs, slices, idxs == everyone) for ev, idxs, slices in groups.values()], single

    def _canonical(self, c: _C, lst: list[Mark]) -> None:
        """Every expected mark present, nothing else, in scheme x panel order: slice, no lookups;
        aspects sharing a rule are evaluated together (see ``fastpath``)."""
        vals = c.vals if c.vals is not None else list(map(_VALUE, lst))
        c.vals = None
        exp = c.exp
        batches, single = exp.batches
        if self._outlier is not None:
            batches, single = (), [i for i, _, _ in exp.plan]
        avals = c.avals
        for ev, idxs, slices, everyone in batches:
            got = ev(vals, slices)
            if everyone:
                avals[:] = got
            else:
                for i, v in zip(idxs, got):
                    avals[i] = v
        if single:
            fp = self._fastpath
            params = c.params
            plan = exp.plan
            for i in single:
                _, lo, hi = plan[i]
                sl = vals[lo:hi]
                if self._outlier is not None:
                    self._set_flags(c, i, tuple(outlier_flags(c.code, self._codes[i], exp.judges[i], sl,
                                                              self._outlier)))
                v = fp.value(i, sl, params.get(self._codes[i], _EMPTY) if params else _EMPTY)
                if v is None:
                    self._slow(c, i)
                else:
                    avals[i] = v

    def _by_lookup(self, c: _C) -> tuple[Flag, ...]:
        """Any order, gaps or extra marks: look each expected mark up; returns the ignored-mark flags."""
        marks = self._marks(c)
        present = 0
        for i in range(len(self._aspects)):
            present += self._aspect(c, i, marks)
        return self._extra_flags(c) if present != len(marks) else ()

    def _aspect(self, c: _C, i: int, marks: dict) -> int:
        """(Re)compute aspect i; returns how many expected marks were present."""
        ks = c.exp.keys[i]
        if ks is None:
            self._slow(c, i)
            return 0
        try:
            vals = list(map(marks.__getitem__, ks))
        except KeyError:
            self._slow(c, i)
            return sum(map(marks.__contains__, ks))
        code = self._codes[i]
        if self._outlier is not None:
            self._set_flags(c, i, tuple(outlier_flags(c.code, code, c.exp.judges[i], vals, self._outlier)))
        else:
            self._set_flags(c, i, ())
        v = self._fastpath.value(i, vals, c.params.get(code, _EMPTY) if c.params else _EMPTY)
        if v is None:
            self._slow(c, i)
        else:
            c.avals[i] = v
            self._set_secs(c, i, None)
            c.cache.pop(code, None)
        return len(ks)

    def _slow(self, c: _C, i: int) -> None:
        aspect = self._aspects[i]
        code = aspect.code
        judges = c.exp.judges[i]
        marks = marks_for(code, self._marks(c), judges)
        p = c.params.get(code, _EMPTY) if c.params else _EMPTY
        r = aggregate(aspect, marks, judges, p)
        c.cache[code] = r
        ok = r.status == _OK
        c.avals[i] = r.value if ok else None
        self._set_secs(c, i, r.seconds if ok else None)
        if r.status == AspectStatus.MISSING:
            self._set_flags(c, i, ())
        else:
            self._set_flags(c, i, tuple(aspect_flags(c.code, aspect, r, marks, judges, self._checks, p)))

    def _set_flags(self, c: _C, i: int, flags: tuple) -> None:
        if c.aflags is None:
            if not flags:
                return
            c.aflags = [()] * len(self._aspects)
        c.aflags[i] = flags

    def _set_secs(self, c: _C, i: int, seconds: Decimal | None) -> None:
        if c.asecs is None:
            if seconds is None:
                return
            c.asecs = [None] * len(self._aspects)
        c.asecs[i] = seconds

    def _extra_flags(self, c: _C) -> tuple[Flag, ...]:
        known = c.exp.key_set
        out = []
        for (a, j) in self._marks(c):
            if (a, j) in known:
                continue
            i = self._aidx.get(a)
            if i is None or c.exp.judges[i] is None:
                continue
            out.append((i, j, ignored_mark_flag(c.code, a, j, j in c.recused)))
        out.sort(key=lambda t: (t[0], t[1]))
        return tuple(f for _, _, f in out)

    @staticmethod
    def _collect_flags(c: _C) -> tuple[Flag, ...]:
        if not c.xflags and (c.aflags is None or not any(c.aflags)):
            return ()
        return (tuple(chain.from_iterable(c.aflags)) if c.aflags is not None else ()) + c.xflags

    def _stage(self, c: _C, s: int, info: tuple) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """(value, partial, weighted) of stage s (see ``stages``)."""
        _code, span, idxs, stage = info
        if stage.aggregation is None:
            v, part = stage_sum(c.avals[span[0]:span[1]] if span is not None else [c.avals[i] for i in idxs],
                                stage.rounding)
        else:
            marks = self._marks(c)
            judges = c.exp.stage_judges[s]
            if judges is None:       # open panel: whoever marked an aspect of the stage
                judges = tuple(sorted({j for (a, j) in marks if self._aidx.get(a, -1) in idxs}))
            totals = judge_stage_totals([self._aspects[i] for i in idxs], judges, stage_marks_lookup(marks))
            v = part = stage_from_judges(stage.aggregation, totals, stage.rounding)
        return v, part, weighted_value(stage, v, self._weight_kind)

    def _total(self, c: _C) -> None:
        total, c.ptotal = total_value(c.sweighted, self._total_rounding)
        c.total = total
        c.skey = None if total is None else self._sort_key(c, total)   # no total: unranked

    def _sort_key(self, c: _C, total: Decimal) -> tuple:
        if not self._tbs:
            return (total.copy_negate(),)
        comps = [total.copy_negate()]
        for kind, ref, higher in self._tbs:
            v = None
            if ref is not None:
                if kind == TieBreakKind.STAGE:
                    v = c.svals[ref]
                elif kind == TieBreakKind.ASPECT:
                    v = c.avals[ref]
                elif kind == TieBreakKind.TIME:
                    v = c.asecs[ref] if c.asecs is not None else None
                else:
                    try:
                        v = sum([c.avals[i] for i in ref], ZERO)
                    except TypeError:
                        v = None
            comps.append(component(v, higher))
        return tuple(comps)

    # ------------------------------------------------------------------ ranking

    def _rank_group_full(self, g: _G) -> None:
        members = [c for c in self._contestants if c.group == g.code] if len(self._groups) > 1 else self._contestants
        ranked = sorted([(c.skey, c.code, c) for c in members if c.skey is not None])
        g.entries = [(k, code) for k, code, _ in ranked]
        g.keys = [k for k, _, _ in ranked]
        g.members = [c for _, _, c in ranked]
        un = sorted((c for c in members if c.skey is None), key=lambda c: c.code)
        g.ucodes = [c.code for c in un]
        g.umembers = un
        g.cuts = tuple(cut_positions(r, len(ranked)) for r in self._group_rules)
        block = rank_block(g.keys, 0, len(g.keys), self._method)
        set_place = self._set_place
        cuts = g.cuts
        for c, info in zip(g.members, block):
            set_place(c, info, cuts)

    @staticmethod
    def _unrank(c: _C) -> None:
        c.rank = None
        c.level = None
        c.tied = False
        c.first = c.last = 0
        c.gawards = ()
        c.oawards = ()

    def _set_place(self, c: _C, info: tuple, cuts: tuple) -> bool:
        """Store a ranked row's place and group awards; True if anything visible changed."""
        rank, level, tied, first, last = info
        if self._group_rules:
            total = c.total
            awards = tuple([tier_for(r, cut, rank, first, last, total) for r, cut in zip(self._group_rules, cuts)])
        else:
            awards = ()
        changed = c.rank is None or c.rank != rank or c.level != level or c.tied != tied or c.gawards != awards
        c.rank, c.level, c.tied, c.first, c.last, c.gawards = rank, level, tied, first, last, awards
        return changed

    def _award_overall(self) -> set[_C]:
        """Overall (all-groups) award rules; returns the contestants whose overall awards changed."""
        ranked = sorted([(c.skey, c.code, c) for c in self._contestants if c.skey is not None])
        keys = [k for k, _, _ in ranked]
        block = rank_block(keys, 0, len(keys), self._method)
        cuts = tuple(cut_positions(r, len(ranked)) for r in self._overall_rules)
        changed = set()
        for (_, _, c), (rank, _lvl, _tied, first, last) in zip(ranked, block):
            aw = tuple(tier_for(r, cut, rank, first, last, c.total) for r, cut in zip(self._overall_rules, cuts))
            if c.oawards != aw:
                changed.add(c)
            c.oawards = aw
        for c in self._contestants:
            if c.skey is None and c.oawards:
                c.oawards = ()
                changed.add(c)
        return changed

    # ------------------------------------------------------------------ rows

    def _make_row(self, c: _C) -> Row:
        return Row(c.code, c.group, c.amap, c.stages, c.total, c.rank,
                   None if c.level is None else self._levels[c.level], c.tied, self._awards_of(c), c.ptotal)

    @staticmethod
    def _group_result(g: _G) -> GroupStandings:
        return GroupStandings(group=g.code, rows=tuple(g.rows) + tuple(g.urows))

    # ------------------------------------------------------------------ incremental

    def _cell(self, contestant: str, aspect: str) -> tuple[_C, int]:
        c = self._by_code.get(contestant)
        if c is None:
            raise InvalidInput(Problem("contestant", UNKNOWN_CONTESTANT, {"code": contestant}))
        i = self._aidx.get(aspect)
        if i is None:
            raise InvalidInput(Problem("aspect", UNKNOWN_ASPECT, {"code": aspect}))
        return c, i

    def _changed(self, c: _C, i: int, marks: dict, key: tuple[str, str]) -> Standings:
        with exact():
            old_skey, old_flags = c.skey, c.flags
            c.marks = marks
            code = self._codes[i]
            c.cache = {k: v for k, v in c.cache.items() if k != code}
            self._aspect(c, i, marks)
            if key not in c.exp.key_set:
                c.xflags = self._extra_flags(c)
            c.flags = self._collect_flags(c)
            s = self._stage_of[i]
            if s >= 0:
                info = self._stage_info[s]
                v, part, w = self._stage(c, s, info)
                c.svals[s], c.sparts[s], c.sweighted[s] = v, part, w
                stages = dict(c.stages)
                stages[info[0]] = StageResult(info[0], v, w, part)
                c.stages = stages
            self._total(c)
            c.amap = AspectResults(self._view, marks, c.exp.judges, c.params, c.cache)
            g = self._groups[c.group]
            dirty = {g.code: g}
            self._rerank(g, c, old_skey)
            if self._overall_rules:
                for other in self._award_overall() - {c}:
                    other.row = self._make_row(other)
                    og = self._groups[other.group]
                    self._put_row(og, other)
                    dirty[og.code] = og
                c.row = self._make_row(c)
                self._put_row(g, c)
            groups = dict(self._standings.groups)
            for code_g, gg in dirty.items():
                groups[code_g] = self._group_result(gg)
            if c.flags != old_flags:
                self._flags = tuple(chain.from_iterable(x.flags for x in self._contestants))
            self._standings = Standings(groups=groups, flags=self._flags)
            return self._standings

    @staticmethod
    def _put_row(g: _G, c: _C) -> None:
        """Replace c's row object in its group's lists (its place is already current)."""
        if c.skey is not None:
            g.rows[bisect_left(g.entries, (c.skey, c.code))] = c.row
        else:
            g.urows[bisect_left(g.ucodes, c.code)] = c.row

    def _rerank(self, g: _G, c: _C, old_skey: tuple | None) -> None:
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
            rows.insert(p_new, None)  # filled below
        else:
            self._unrank(c)
            c.row = self._make_row(c)
            u = bisect_left(g.ucodes, c.code)
            g.ucodes.insert(u, c.code)
            g.umembers.insert(u, c)
            g.urows.insert(u, c.row)
        n = len(entries)
        old_cuts = g.cuts
        cuts = old_cuts if n == n_before else tuple(cut_positions(r, n) for r in self._group_rules)
        g.cuts = cuts
        if n == 0 or (p_old is None and p_new is None):
            return
        done: set[int] = set()

        def replace(a: int, b: int, dense_before: int = 0) -> None:
            for p, info in zip(range(a, b), rank_block(keys, a, b, self._method, dense_before)):
                m = members[p]
                if self._set_place(m, info, cuts) or m is c:
                    m.row = self._make_row(m)
                    rows[p] = m.row
                done.add(p)

        if self._method == RankMethod.DENSE:
            start = min(x for x in (p_old, p_new) if x is not None)
            a = group_start(keys, max(min(start, n - 1) - 1, 0))
            replace(a, n, int(members[a - 1].rank) if a > 0 else 0)
        else:
            windows = []
            if p_new is not None:
                windows.append(self._window(keys, p_new - 1, p_new + 1))
            if p_old is not None:
                windows.append(self._window(keys, p_old - 1, p_old + 1))
            for a, b in windows:
                if a < b:
                    replace(a, b)
            if p_old is not None and p_new is not None:
                span, d = ((p_new + 1, p_old + 1), 1) if p_new < p_old else ((p_old, p_new), -1)
            elif p_new is not None:
                span, d = (p_new + 1, n), 1
            else:
                span, d = (p_old, n), -1
            # Rows near a cut line or rank threshold may change award when they move: re-place them
            # properly; every other row in the span keeps its neighbours and awards and just moves.
            careful: list[tuple[int, int]] = list(windows)   # already re-placed: skipped below
            for line in self._award_lines(old_cuts, cuts):
                careful.append(self._window(keys, line - 3, line + 1))
            cursor, stop = span
            for a, b in sorted(careful):
                if b <= cursor or a >= stop:
                    continue
                if a > cursor:
                    self._shift(members, rows, cursor, a, d)
                for p in range(max(a, cursor), min(b, stop)):
                    if p in done:
                        continue
                    m = members[p]
                    if self._set_place(m, (m.rank + d, m.level, m.tied, m.first + d, m.last + d), cuts):
                        m.row = _moved(m.row, m.rank, self._awards_of(m))
                    rows[p] = m.row
                    done.add(p)
                cursor = min(b, stop)
            if cursor < stop:
                self._shift(members, rows, cursor, stop, d)
        if cuts != old_cuts:
            for oc, nc in zip(old_cuts, cuts):
                if oc is None:
                    continue
                for x, y in zip(oc, nc):
                    if x == y:
                        continue
                    a, b = self._window(keys, min(x, y) - 1, max(x, y))
                    for p in range(a, b):
                        if p in done:
                            continue
                        m = members[p]
                        if self._set_place(m, (m.rank, m.level, m.tied, m.first, m.last), cuts):
                            m.row = _moved(m.row, m.rank, self._awards_of(m))
                            rows[p] = m.row

    @staticmethod
    def _shift(members: list[_C], rows: list, a: int, b: int, d: int) -> None:
        """Rows a..b-1 moved by d places with their tie groups intact: same awards, new place.

        This is the one loop that runs over thousands of rows when a contestant enters a big
        group's ranking, so it copies each row's fields instead of calling the constructor. Rows
        re-placed just before (the windows around the change) are never inside a shift span
        except the moved row's own neighbours, which are handled by the caller.
        """
        new = _new
        R = Row
        moved = members[a:b]
        for m in moved:
            rank = m.rank = m.rank + d
            m.first += d
            m.last += d
            row = new(R)
            fields = row.__dict__
            fields.update(m.row.__dict__)
            fields["rank"] = rank
            m.row = row
        rows[a:b] = [m.row for m in moved]

    @staticmethod
    def _window(keys: list, a: int, b: int) -> tuple[int, int]:
        """Positions a..b (clipped) widened to whole tie groups, as a half-open range."""
        n = len(keys)
        a, b = max(a, 0), min(b, n - 1)
        if a > b:
            return 0, 0
        return group_start(keys, a), group_end(keys, b)

    def _award_lines(self, old_cuts: tuple, cuts: tuple) -> list[int]:
        """Positions/places where a group award can change: quota cut lines and rank thresholds."""
        lines = set()
        for rule, oc, nc in zip(self._group_rules, old_cuts, cuts):
            for cut in chain(oc or (), nc or ()):
                lines.add(cut)
            for tier in rule.tiers:
                if tier.max_rank is not None:
                    lines.add(tier.max_rank)
        return sorted(lines)

    @staticmethod
    def _awards_of(c: _C) -> tuple[str, ...]:
        if c.oawards:
            return tuple(a for a in chain(c.gawards, c.oawards) if a is not None)
        return tuple([a for a in c.gawards if a is not None]) if c.gawards else ()


_new = object.__new__


def _moved(row: Row, rank: Decimal, awards: tuple[str, ...]) -> Row:
    """A copy of a row with a new place and awards (3-4x cheaper than the dataclass constructor,
    which matters when thousands of rows move down by one place)."""
    if _ROW_HAS_DICT:
        out = _new(Row)
        d = out.__dict__
        d.update(row.__dict__)
        d["rank"] = rank
        d["awards"] = awards
        return out
    from dataclasses import replace

    return replace(row, rank=rank, awards=awards)


_ROW_HAS_DICT = "__slots__" not in Row.__dict__
if not _ROW_HAS_DICT:  # pragma: no cover - guards the fast copy should Row ever get slots
    raise ImportError("scoring.rules.engine expects Row instances to have a __dict__")
