"""A national-scale group for benchmarks and tests of live boards (issue 14): the demo
competition's childcare group grown to ``size`` contestants, marked on one theory paper.

Why one stage and one mark each: every row then has a total and a rank from the start, so a
corrected mark moves a contestant past thousands of others (the worst case for what boards are
sent), while the import stays fast (one mark per contestant). Names, units and counties come from
the demo's own lists; anonymous codes (``NA-00001``...) from a draw, revealed or not like the demo.
"""

from __future__ import annotations

import random
from typing import Any

from scoring.demo_data import childcare_document

SLUG = "national-childcare-2025"


def national_document(size: int = 10_000, seed: int = 14) -> dict[str, Any]:
    """The document: one group ``childcare`` of ``size`` contestants, theory only (T1, judge J07)."""
    doc = childcare_document(marks="none")
    rng = random.Random(f"national-{seed}")
    people = [c for c in doc["contestants"] if c["group"] == "childcare"]
    contestants, marks, entries = [], [], []
    for i in range(size):
        model = people[i % len(people)]
        code = f"N{i + 1:05d}"
        contestants.append({**{k: model[k] for k in ("gender", "unit", "region")}, "code": code,
                            "name": f"{model['name']}{i + 1}", "group": "childcare"})  # fmt: skip
        marks.append({"contestant": code, "aspect": "T1", "judge": "J07", "value": str(rng.randrange(80, 200) / 2)})
        entries.append({"contestant": code, "station": f"{i + 1:05d}", "code": f"NA-{i + 1:05d}"})
    stage = {**doc["stages"][0], "weight": "100", "max_weight": "100"}
    rules = {**doc["rules"], "tie_breaks": [], "team_standings": []}
    return {
        **doc,
        "competition": {**doc["competition"], "slug": SLUG, "name": "全国托育职业技能竞赛（规模测试）"},
        "rules": rules,
        "groups": [g for g in doc["groups"] if g["code"] == "childcare"],
        "stages": [stage],
        "scheme": [c for c in doc["scheme"] if c["stage"] == "theory"],
        "contestants": contestants,
        "judges": [j for j in doc["judges"] if j["code"] == "J07"],
        "panels": [{"group": "childcare", "stage": "theory", "judges": ["J07"], "aspects": []}],
        "recusals": [],
        "sessions": [],
        "draw": {"seed": str(seed), "entries": entries},
        "marks": marks,
        "meta": {"generator": "scoring.demo_national.national_document", "seed": seed, "size": size},
    }
