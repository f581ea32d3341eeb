"""Properties over random competitions (hypothesis): order invariance, ties, monotonicity, quotas,
no floats, and the incremental engine always equal to a full recompute."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_builders import D, apply_operation, walk

from scoring.rules.awards import cut_positions, quota_counts
from scoring.rules.engine import StandingsEngine, compute_standings
from scoring.rules.types import (
    Aggregation,
    AggregationMethod,
    Aspect,
    AspectType,
    AwardKind,
    AwardRule,
    AwardTier,
    Checks,
    CompetitionInput,
    Contestant,
    Mark,
    MissingPolicy,
    Panel,
    RankMethod,
    Rounding,
    Rules,
    Scheme,
    Stage,
    TieBreak,
    TieBreakKind,
    TiePolicy,
)

M = AggregationMethod
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JUDGES = ("J1", "J2", "J3", "J4")

# A menu of aspects: (aspect, values a judge may enter)
MENU = {
    "trim": (
        Aspect("trim", "S1", D(10), aggregation=Aggregation(M.TRIMMED_MEAN, trim=1, rounding=Rounding(1))),
        [D(k) for k in range(4, 11)],
    ),
    "mean": (Aspect("mean", "S1", D(10), aggregation=Aggregation(M.MEAN)), [D(k) / 2 for k in range(10, 21)]),
    "ws": (
        Aspect(
            "ws",
            "S2",
            D(3),
            type=AspectType.JUDGEMENT,
            descriptors=("0", "1", "2", "3"),
            aggregation=Aggregation(M.WORLDSKILLS, spread=D(1)),
        ),
        [D(k) for k in range(4)],
    ),
    "ded": (
        Aspect("ded", "S2", D(5), type=AspectType.DEDUCTION, aggregation=Aggregation(M.MEDIAN)),
        [D(k) / 2 for k in range(0, 8)],
    ),
    "given": (
        Aspect(
            "given",
            "S1",
            D(10),
            aggregation=Aggregation(M.TRIMMED_MEAN, trim=1, missing=MissingPolicy.AGGREGATE_GIVEN, min_marks=3),
        ),
        [D(k) for k in range(5, 11)],
    ),
    "fill": (
        Aspect("fill", "S2", D(10), aggregation=Aggregation(M.MEAN, missing=MissingPolicy.MEAN_OF_GIVEN)),
        [D(k) for k in range(6, 11)],
    ),
}
MONOTONE = ("trim", "mean", "ded_inverse_not_included", "given")


@st.composite
def competitions(draw, complete: bool = False, monotone: bool = False, awards: bool = True):
    names = draw(
        st.lists(
            st.sampled_from(["trim", "mean", "given"] if monotone else sorted(MENU)),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    aspects = tuple(MENU[n][0] for n in names)
    stage_codes = sorted({a.stage for a in aspects})
    if len(stage_codes) == 2:
        w = draw(st.sampled_from([(40, 60), (30, 70), (50, 50)]))
        stages = (Stage("S1", weight=D(w[0])), Stage("S2", weight=D(w[1])))
    else:
        stages = (Stage(stage_codes[0]),)
    n_groups = draw(st.integers(1, 2))
    groups = [f"G{k}" for k in range(n_groups)]
    n = draw(st.integers(1, 9))
    contestants = tuple(Contestant(f"C{k}", draw(st.sampled_from(groups))) for k in range(n))
    panels = []
    for g in groups:
        for s in stages:
            panels.append(Panel(g, s.code, tuple(draw(st.sampled_from([JUDGES[:3], JUDGES])))))
    recusals = (
        frozenset()
        if complete or monotone
        else frozenset(
            draw(
                st.lists(st.tuples(st.sampled_from(JUDGES), st.sampled_from([c.code for c in contestants])), max_size=2)
            )
        )
    )
    marks = []
    for c in contestants:
        for a in aspects:
            for j in JUDGES:
                if complete or draw(st.integers(0, 9)) > 0:
                    marks.append(Mark(c.code, a.code, j, draw(st.sampled_from(MENU[a.code][1]))))
    if not complete and not monotone and draw(st.booleans()):
        c = draw(st.sampled_from(contestants))
        marks.append(Mark(c.code, aspects[0].code, "JX", D(5)))
    tie_breaks = tuple(
        draw(
            st.lists(
                st.sampled_from(
                    [TieBreak(TieBreakKind.STAGE, s.code) for s in stages]
                    + [TieBreak(TieBreakKind.ASPECT, a.code) for a in aspects]
                ),
                max_size=2,
                unique=True,
            )
        )
    )
    award_rules = ()
    if awards:
        award_rules = tuple(
            draw(
                st.lists(
                    st.sampled_from(
                        [
                            AwardRule(
                                AwardKind.QUOTA_PERCENT,
                                (AwardTier("first", percent=D(20)), AwardTier("second", percent=D(30))),
                            ),
                            AwardRule(
                                AwardKind.QUOTA_PERCENT,
                                (AwardTier("q1", percent=D(25)), AwardTier("q2", percent=D(25))),
                                tie_policy=TiePolicy.STRICT,
                            ),
                            AwardRule(
                                AwardKind.MEDALS,
                                (
                                    AwardTier("gold", max_rank=1),
                                    AwardTier("silver", max_rank=2),
                                    AwardTier("bronze", max_rank=3),
                                    AwardTier("mfe", min_total=D(70)),
                                ),
                            ),
                            AwardRule(AwardKind.TITLE, (AwardTier("expert", max_rank=2),), min_total=D(50)),
                            AwardRule(AwardKind.FIXED_COUNT, (AwardTier("top", count=1), AwardTier("next", count=2))),
                            AwardRule(AwardKind.QUOTA_PERCENT, (AwardTier("overall", percent=D(30)),), per_group=False),
                        ]
                    ),
                    max_size=3,
                    unique=True,
                )
            )
        )
    rules = Rules(
        ranking=draw(st.sampled_from(list(RankMethod))),
        tie_breaks=tie_breaks,
        awards=award_rules,
        checks=Checks(outlier_distance=draw(st.sampled_from([None, D(3)]))),
    )
    return CompetitionInput(rules, Scheme(stages, aspects), contestants, tuple(panels), tuple(marks), recusals)


def flag_set(st_):
    return sorted(repr(f) for f in st_.flags)


@SETTINGS
@given(inp=competitions(), seed=st.integers(0, 10_000))
def test_standings_do_not_depend_on_input_order(inp, seed):
    rnd = random.Random(seed)
    marks = list(inp.marks)
    contestants = list(inp.contestants)
    rnd.shuffle(marks)
    rnd.shuffle(contestants)
    a = compute_standings(inp)
    b = compute_standings(replace(inp, marks=tuple(marks), contestants=tuple(contestants)))
    assert a.groups == b.groups
    assert flag_set(a) == flag_set(b)


@SETTINGS
@given(inp=competitions(awards=False))
def test_standard_ranks_count_strictly_better_rows_and_ties_share(inp):
    inp = replace(inp, rules=replace(inp.rules, ranking=RankMethod.STANDARD, tie_breaks=()))
    for g in compute_standings(inp).groups.values():
        ranked = [r for r in g.rows if r.total is not None]
        for r in ranked:
            assert r.rank == 1 + sum(1 for o in ranked if o.total > r.total)
            assert r.tied == any(o is not r and o.total == r.total for o in ranked)
        assert all(r.rank is None for r in g.rows if r.total is None)
        assert [r.total for r in ranked] == sorted((r.total for r in ranked), reverse=True)


@SETTINGS
@given(inp=competitions(complete=True, monotone=True, awards=False), data=st.data())
def test_raising_a_mark_never_lowers_that_contestants_rank(inp, data):
    m = data.draw(st.sampled_from(inp.marks))
    values = MENU[m.aspect][1]
    higher = [v for v in values if v > m.value]
    if not higher:
        return
    raised = Mark(m.contestant, m.aspect, m.judge, data.draw(st.sampled_from(higher)))
    before = compute_standings(inp)
    after = compute_standings(replace(inp, marks=tuple(raised if x is m else x for x in inp.marks)))

    def rank(s):
        return next(r.rank for g in s.groups.values() for r in g.rows if r.contestant == m.contestant)

    assert rank(after) <= rank(before)


@SETTINGS
@given(
    n=st.integers(0, 200),
    percents=st.lists(st.integers(1, 40), min_size=1, max_size=3),
    policy=st.sampled_from(list(TiePolicy)),
    ties=st.integers(1, 5),
)
def test_quota_awards_add_up_to_half_up_counts_and_never_exceed_n_when_strict(n, percents, policy, ties):
    from rules_builders import theory_practical

    rule = AwardRule(
        AwardKind.QUOTA_PERCENT,
        tuple(AwardTier(f"t{k}", percent=D(p)) for k, p in enumerate(percents)),
        tie_policy=policy,
    )
    counts = quota_counts(rule, n)
    for c, p in zip(counts, percents):
        exact = Decimal(p) * n / 100
        assert c == int(exact) + (1 if exact - int(exact) >= Decimal("0.5") else 0)
    if n == 0 or n > 60:
        return
    # totals with `ties` contestants per distinct score
    inp = theory_practical({f"C{k:03d}": (100 - k // ties, 100 - k // ties) for k in range(n)}, Rules(awards=(rule,)))
    rows = compute_standings(inp).groups["G"].rows
    got = [sum(1 for r in rows if f"t{k}" in r.awards) for k in range(len(percents))]
    cuts = cut_positions(rule, n)
    cumulative = [sum(got[: k + 1]) for k in range(len(got))]
    assert sum(got) <= n or policy == TiePolicy.SHARE
    if policy == TiePolicy.STRICT:
        assert all(c <= cut for c, cut in zip(cumulative, cuts))
        assert sum(got) <= n
    else:
        assert all(c >= cut for c, cut in zip(cumulative, cuts))
    if ties == 1:
        assert got == [min(c, n - sum(counts[:k])) if sum(counts[:k]) < n else 0 for k, c in enumerate(counts)]


@SETTINGS
@given(inp=competitions())
def test_no_float_anywhere_in_a_result(inp):
    st_ = compute_standings(inp)
    for value in walk(st_):
        assert not isinstance(value, float), value
    for g in st_.groups.values():
        for r in g.rows:
            for a in r.aspects.values():
                assert a.value is None or isinstance(a.value, Decimal)
            assert r.rank is None or isinstance(r.rank, Decimal)


@st.composite
def operations(draw, inp: CompetitionInput):
    ops = []
    codes = [c.code for c in inp.contestants]
    for _ in range(draw(st.integers(1, 25))):
        c = draw(st.sampled_from(codes))
        a = draw(st.sampled_from([x.code for x in inp.scheme.aspects]))
        j = draw(st.sampled_from(JUDGES + ("JX",)))
        if draw(st.integers(0, 4)) == 0:
            ops.append(("remove", c, a, j, None))
        else:
            ops.append(("apply", c, a, j, draw(st.sampled_from(MENU[a][1]))))
    return ops


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_incremental_engine_equals_full_recompute(data):
    inp = data.draw(competitions())
    ops = data.draw(operations(inp))
    engine = StandingsEngine(inp)
    current = {(m.contestant, m.aspect, m.judge): m.value for m in inp.marks}
    for k, op in enumerate(ops):
        apply_operation(engine, current, op)
        if k % 5 == 4 or k == len(ops) - 1:
            fresh = compute_standings(replace(inp, marks=tuple(Mark(*key, val) for key, val in current.items())))
            assert engine.standings == fresh


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), method=st.sampled_from(list(RankMethod)), read_every=st.sampled_from([1, 10, 120]))
def test_incremental_engine_with_many_ties_and_entries(seed, method, read_every):
    """A bigger group where contestants complete one by one (the ranked count changes) and ties abound.

    Rows are made when standings are read: reading after every mark, every tenth, or only at the
    end (many shifts pile up, past the point where the engine folds them into one) must agree."""
    rnd = random.Random(seed)
    aspect = Aspect("A", "s", D(10), aggregation=Aggregation(M.MEAN, rounding=Rounding(0)))
    rules = Rules(
        ranking=method,
        awards=(
            AwardRule(
                AwardKind.QUOTA_PERCENT,
                (AwardTier("a", percent=D(10)), AwardTier("b", percent=D(20)), AwardTier("c", percent=D(30))),
            ),
            AwardRule(AwardKind.QUOTA_PERCENT, (AwardTier("s", percent=D(15)),), tie_policy=TiePolicy.STRICT),
            AwardRule(AwardKind.TITLE, (AwardTier("t", max_rank=7),)),
        ),
    )
    contestants = tuple(Contestant(f"C{k:02d}", "G") for k in range(40))
    inp = CompetitionInput(rules, Scheme((Stage("s"),), (aspect,)), contestants, (Panel("G", "s", ("J1", "J2")),), ())
    engine = StandingsEngine(inp)
    current = {}
    for step in range(120):
        c = rnd.choice(contestants).code
        j = rnd.choice(("J1", "J2"))
        if rnd.random() < 0.15:
            engine.remove_mark(c, "A", j)
            current.pop((c, "A", j), None)
        else:
            v = D(rnd.randint(5, 8))
            engine.apply_mark(Mark(c, "A", j, v))
            current[(c, "A", j)] = v
        if step % read_every == read_every - 1:
            fresh = compute_standings(replace(inp, marks=tuple(Mark(*key, val) for key, val in current.items())))
            assert engine.standings == fresh


@SETTINGS
@given(inp=competitions())
def test_overall_awards_across_separate_group_runs_equal_one_run(inp):
    """Groups computed in separate runs (as when they are marked on different aspects) and merged
    get the same overall (per_group=False) awards as one run over all groups."""
    from dataclasses import replace as dc_replace

    from scoring.document.convert import merge_standings
    from scoring.rules.overall import without_overall

    one = compute_standings(inp)
    runs = {}
    for g in sorted({c.group for c in inp.contestants}):
        members = {c.code for c in inp.contestants if c.group == g}
        runs[g] = compute_standings(
            dc_replace(
                inp,
                rules=without_overall(inp.rules),
                contestants=tuple(c for c in inp.contestants if c.group == g),
                panels=tuple(p for p in inp.panels if p.group == g),
                marks=tuple(m for m in inp.marks if m.contestant in members),
                recusals=frozenset(r for r in inp.recusals if r[1] in members),
            )
        )
    merged = merge_standings(runs, inp.rules)
    awards = lambda st_: {r.contestant: r.awards for gs in st_.groups.values() for r in gs.rows}  # noqa: E731
    assert awards(merged) == awards(one)
