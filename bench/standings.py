"""Benchmark: full standings recompute and one-mark updates at national-competition scale.

10,000 contestants in ONE group x 20 aspects x 5 judges = 1,000,000 marks; two stages
(theory 30% / practical 70%, 10 aspects each), trimmed mean (drop 1 high, 1 low) per aspect,
tie-breaks practical then theory, 10/20/30% prizes and a top-5 title.

Targets on the 2-core VM: full recompute <= 1 s; one mark via StandingsEngine.apply_mark <= 10 ms
(median). Prints readable lines; the last line is one JSON object.

Run from the repo root:  .venv/bin/python bench/standings.py  [--contestants N]
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.rules.engine import StandingsEngine, compute_standings  # noqa: E402
from scoring.rules.types import (  # noqa: E402
    Aggregation,
    AggregationMethod,
    Aspect,
    AwardKind,
    AwardRule,
    AwardTier,
    CompetitionInput,
    Contestant,
    Mark,
    Panel,
    Rules,
    Scheme,
    Stage,
    TieBreak,
    TieBreakKind,
)

JUDGES = ("J1", "J2", "J3", "J4", "J5")
VALUES = [str(Decimal(k) / 2) for k in range(8, 21)]   # 4.0 .. 10.0 in steps of 0.5


def build(n: int, seed: int = 7, missing: int = 0) -> tuple[CompetitionInput, list[Mark]]:
    """The input, plus the ``missing`` marks held back (each one completes a contestant)."""
    rnd = random.Random(seed)
    trimmed = Aggregation(AggregationMethod.TRIMMED_MEAN, trim=1)
    stages = (Stage("theory", weight=Decimal(30), max_weight=Decimal(30)), Stage("practical", weight=Decimal(70)))
    aspects = tuple(Aspect(f"A{k:02d}", "theory" if k <= 10 else "practical", Decimal(10), aggregation=trimmed,
                           criterion=f"C{(k - 1) // 5 + 1}", step=Decimal("0.5")) for k in range(1, 21))
    rules = Rules(
        tie_breaks=(TieBreak(TieBreakKind.STAGE, "practical"), TieBreak(TieBreakKind.STAGE, "theory")),
        awards=(AwardRule(AwardKind.QUOTA_PERCENT, (AwardTier("first", percent=Decimal(10)),
                                                    AwardTier("second", percent=Decimal(20)),
                                                    AwardTier("third", percent=Decimal(30))), name="prizes"),
                AwardRule(AwardKind.TITLE, (AwardTier("expert", max_rank=5),), name="titles")),
    )
    contestants = tuple(Contestant(f"C{k:05d}", "G1") for k in range(n))
    panels = (Panel("G1", "theory", JUDGES), Panel("G1", "practical", JUDGES))
    # Marks in the order a database returns them (by contestant, aspect, judge): objects are
    # allocated in iteration order, as they would be when read from a query.
    marks = []
    held = []
    hold = set(rnd.sample(range(n), missing)) if missing else set()
    choice = rnd.choice
    for k, c in enumerate(contestants):
        for a in aspects:
            for j in JUDGES:
                # a Decimal object per mark, as parsed from a database row (no shared objects)
                m = Mark(c.code, a.code, j, Decimal(choice(VALUES)))
                if k in hold and a.code == "A20" and j == "J5":
                    held.append(m)
                else:
                    marks.append(m)
    inp = CompetitionInput(rules=rules, scheme=Scheme(stages, aspects), contestants=contestants, panels=panels,
                           marks=tuple(marks))
    return inp, held


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contestants", type=int, default=10_000)
    ap.add_argument("--marks", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.contestants

    t0 = time.perf_counter()
    inp, held = build(n, missing=args.marks)
    # The input is long-lived data: freeze it out of the cyclic GC, as a server does after loading.
    gc.collect()
    gc.freeze()
    print(f"input: {n} contestants x {len(inp.scheme.aspects)} aspects x {len(JUDGES)} judges = "
          f"{len(inp.marks) + len(held)} marks ({args.marks} held back), built in {time.perf_counter() - t0:.1f} s")

    full = []
    standings = None
    for _ in range(args.repeat):
        t = time.perf_counter()
        standings = compute_standings(inp)
        full.append(time.perf_counter() - t)
        del standings
        gc.collect()
    print(f"full recompute: best {min(full):.3f} s, median {statistics.median(full):.3f} s over {args.repeat} runs")

    engine = StandingsEngine(inp)
    gc.collect()
    gc.freeze()   # long-lived engine state, as in a server: keep the collector off it during updates
    ranked = sum(1 for r in engine.standings.groups["G1"].rows if r.rank is not None)
    print(f"engine built: {ranked} ranked, {n - ranked} waiting for one mark")

    # 1) corrections: a random judge changes a random mark of a complete contestant
    rnd = random.Random(11)
    complete = [r.contestant for r in engine.standings.groups["G1"].rows if r.rank is not None]
    one = []
    corrections: dict[tuple[str, str, str], Mark] = {}
    for _ in range(args.marks):
        m = Mark(rnd.choice(complete), f"A{rnd.randint(1, 20):02d}", rnd.choice(JUDGES), Decimal(rnd.choice(VALUES)))
        corrections[(m.contestant, m.aspect, m.judge)] = m
        t = time.perf_counter()
        engine.apply_mark(m)
        one.append((time.perf_counter() - t) * 1000)
    print(f"one mark (correction, rank may move): p50 {statistics.median(one):.2f} ms, "
          f"p95 {pct(one, 0.95):.2f} ms, max {max(one):.2f} ms over {len(one)} marks")

    # 2) completing marks: each makes an unranked contestant ranked (everyone below moves down)
    done = []
    for m in held:
        t = time.perf_counter()
        engine.apply_mark(m)
        done.append((time.perf_counter() - t) * 1000)
    if done:
        print(f"one mark (completes a contestant, enters the ranking): p50 {statistics.median(done):.2f} ms, "
              f"p95 {pct(done, 0.95):.2f} ms, max {max(done):.2f} ms over {len(done)} marks")

    t = time.perf_counter()
    final = tuple(corrections.get((m.contestant, m.aspect, m.judge), m) for m in inp.marks) + tuple(held)
    check = compute_standings(CompetitionInput(inp.rules, inp.scheme, inp.contestants, inp.panels, final))
    t_check = time.perf_counter() - t
    same = check.groups["G1"].rows == engine.standings.groups["G1"].rows if n <= 2000 else (
        [(r.contestant, r.rank, r.total, r.awards) for r in check.groups["G1"].rows]
        == [(r.contestant, r.rank, r.total, r.awards) for r in engine.standings.groups["G1"].rows])
    print(f"check: incremental standings equal a fresh recompute: {same} (recompute {t_check:.3f} s)")

    result = {
        "contestants": n,
        "marks": len(inp.marks) + len(held),
        "full_s": round(min(full), 3),
        "full_median_s": round(statistics.median(full), 3),
        "one_mark_ms": round(statistics.median(one), 2),
        "one_mark_p95_ms": round(pct(one, 0.95), 2),
        "one_mark_max_ms": round(max(one), 2),
        "completing_mark_ms": round(statistics.median(done), 2) if done else None,
        "completing_mark_max_ms": round(max(done), 2) if done else None,
        "incremental_equals_full": same,
        "targets_met": min(full) <= 1.0 and statistics.median(one) <= 10.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
