"""Benchmark: reading, validating, writing and importing the portable competition document.

Figures: ``read_document`` and ``dump_document`` of docs/examples/childcare.json (98 contestants,
8,563 marks); ``load_document`` and ``dump_document`` of a generated national-scale document
(10,000 contestants in one group: 10 theory aspects x 1 grader and 10 practical aspects x 5
judges = 600,000 marks, the scheme of bench/standings.py); and ``import_document`` into a fresh
SQLite database of a 10,000-contestant document with its theory marks (100,000 marks).
Timings are medians of ``--repeat`` runs (the import runs once: it is dominated by the
database), wall-clock and CPU time of this process (on a shared VM other processes inflate wall
time). Prints readable lines; the LAST line is one JSON object.

Run from the repo root:  .venv/bin/python bench/document.py  [--contestants N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.document import dump_document, load_document, read_document  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "childcare.json"
JUDGES = ("J1", "J2", "J3", "J4", "J5")


def national(n: int, seed: int = 7, practical: bool = True) -> dict:
    """A valid document: theory 30 % (10 aspects, one grader) and practical 70 % (10 aspects,
    five judges, trimmed mean), every mark in when ``practical``, else the theory marks only."""
    rnd = random.Random(seed)
    theory = [
        {"code": f"T{k:02d}", "max_mark": "10", "step": "0.5", "aggregation": {"method": "single"}}
        for k in range(1, 11)
    ]
    practice = [
        {"code": f"P{k:02d}", "max_mark": "10", "step": "0.5", "aggregation": {"method": "trimmed_mean", "trim": 1}}
        for k in range(1, 11)
    ]
    contestants = [
        {"code": f"C{k:05d}", "name": f"选手{k}", "group": "G1", "unit": f"单位{k % 97}", "region": f"区{k % 12}"}
        for k in range(n)
    ]
    values = [str(v / 2) if v % 2 else str(v // 2) for v in range(8, 21)]
    marks = []
    for c in contestants:
        for a in theory:
            marks.append({"contestant": c["code"], "aspect": a["code"], "judge": "G", "value": rnd.choice(values)})
        if practical:
            for a in practice:
                for j in JUDGES:
                    marks.append(
                        {"contestant": c["code"], "aspect": a["code"], "judge": j, "value": rnd.choice(values)}
                    )
    return {
        "format": "scoring-competition",
        "version": 1,
        "competition": {"slug": "national-bench", "name": "全国职业技能大赛（基准）"},
        "rules": {
            "tie_breaks": [{"kind": "stage", "ref": "practical"}, {"kind": "stage", "ref": "theory"}],
            "awards": [
                {
                    "name": "prizes",
                    "kind": "quota_percent",
                    "tiers": [
                        {"name": "一等奖", "percent": "10"},
                        {"name": "二等奖", "percent": "20"},
                        {"name": "三等奖", "percent": "30"},
                    ],
                }
            ],
        },
        "groups": [{"code": "G1", "name": "全国组"}],
        "stages": [{"code": "theory", "weight": "30", "max_weight": "30"}, {"code": "practical", "weight": "70"}],
        "scheme": [
            {"code": "T", "stage": "theory", "aspects": theory},
            {"code": "P", "stage": "practical", "aspects": practice},
        ],
        "contestants": contestants,
        "judges": [{"code": "G", "name": "阅卷"}] + [{"code": j, "name": f"裁判{j}"} for j in JUDGES],
        "panels": [
            {"group": "G1", "stage": "theory", "judges": ["G"]},
            {"group": "G1", "stage": "practical", "judges": list(JUDGES)},
        ],
        "marks": marks,
    }


def timed(fn, repeat: int) -> tuple[tuple[float, float], object]:
    """(median wall seconds, median CPU seconds), and the last result."""
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return (statistics.median(wall), statistics.median(cpu)), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--contestants", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    out: dict[str, float] = {}

    def record(name: str, figures: tuple[float, float]) -> str:
        out[f"{name}_s"], out[f"{name}_cpu_s"] = figures
        return f"{figures[0]:.3f} s (CPU {figures[1]:.3f} s)"

    times, doc = timed(lambda: read_document(EXAMPLE), args.repeat * 3)
    read = record("example_read", times)
    times, _ = timed(lambda: dump_document(doc), args.repeat * 3)
    print(
        f"example ({len(doc.contestants)} contestants, {len(doc.marks)} marks): read {read}, "
        f"dump {record('example_dump', times)}"
    )

    raw = national(args.contestants)
    times, big = timed(lambda: load_document(raw), args.repeat)
    load = record("national_load", times)
    times, _ = timed(lambda loaded=big: dump_document(loaded), args.repeat)
    print(
        f"national ({args.contestants} contestants, {len(raw['marks'])} marks): load {load}, "
        f"dump {record('national_dump', times)}"
    )
    del raw, big

    from scoring.db import make_engine
    from scoring.migrate import upgrade
    from scoring.services.transfer import import_document

    raw = national(args.contestants, practical=False)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        upgrade(url)
        engine = make_engine(url)
        times, _ = timed(lambda: import_document(engine, raw, actor="bench"), 1)
        engine.dispose()
    print(f"import ({args.contestants} contestants, {len(raw['marks'])} marks) into SQLite: {record('import', times)}")
    print(json.dumps({k: round(v, 4) for k, v in out.items()}))


if __name__ == "__main__":
    main()
