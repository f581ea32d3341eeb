"""The origin story as a competition document: 榆林市2025年托育职业技能竞赛.

Why a generator and not a fixture file: tests, the demo server, the benchmarks and the docs
all need the same realistic competition (78 childcare contestants from the 12 counties and
districts of Yulin, plus a hairdressing group whose winner is 康恒), with or without marks.
Everything is derived from ``seed`` with ``random.Random``, so the same call always returns
the same document. Random numbers only *choose* marks; every mark is an exact Decimal on
its aspect's step. Names, units, ID numbers and phone numbers are invented.

Run ``python -m scoring.demo_data`` (or this file) to rewrite ``docs/examples/childcare.json``.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from scoring.demo_people import (  # noqa: F401  (demo_data.JUDGES etc. are read by the demo and tests)
    CHILDCARE_UNITS,
    COUNTIES,
    FEMALE_GIVEN,
    FIXED_CHILDCARE_NAMES,
    HAIR_CONTESTANTS,
    JUDGES,
    MALE_GIVEN,
    PHONE_PREFIXES,
    PRACTICAL_PANELS,
    SURNAMES,
    THEORY_GRADERS,
    demo_lookup_codes,
)
from scoring.demo_scheme import (  # noqa: F401
    CHILDCARE_SCHEME,
    HAIR_SCHEME,
    THEORY_SCHEME,
    TIME_SCHEME,
    aspect_codes,
    aspects_of,
)

# --------------------------------------------------------------------------- people


def _id_number(rng: random.Random, area: str, female: bool) -> str:
    from scoring.document.load import id_check_digit

    year = rng.randint(1980, 2002)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    seq = rng.randint(0, 99) * 10 + rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
    first17 = f"{area}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return first17 + id_check_digit(first17)


def _phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"


def _name(rng: random.Random, used: set[str], female: bool) -> str:
    given = FEMALE_GIVEN if female else MALE_GIVEN
    while True:
        name = rng.choice(SURNAMES) + rng.choice(given)
        if name not in used:
            used.add(name)
            return name


def _contestants(rng: random.Random) -> list[dict]:
    area = {name: code for name, code, _ in COUNTIES}
    used = {n for n, _ in FIXED_CHILDCARE_NAMES.values()} | {"康恒"}
    out = []
    regions = [name for name, _, count in COUNTIES for _ in range(count)]
    rng.shuffle(regions)  # registration order is not by county
    for i, region in enumerate(regions):
        if i in FIXED_CHILDCARE_NAMES:
            name, gender = FIXED_CHILDCARE_NAMES[i]
        else:
            gender = "男" if rng.random() < 0.08 else "女"
            name = _name(rng, used, gender == "女")
        units = CHILDCARE_UNITS[region]
        out.append(
            {
                "code": f"C{i + 1:03d}",
                "name": name,
                "gender": gender,
                "unit": units[i % len(units)],
                "region": region,
                "group": "childcare",
                "id_number": _id_number(rng, area[region], gender == "女"),
                "phone": _phone(rng),
            }
        )
    for i, (region, unit, fixed) in enumerate(HAIR_CONTESTANTS):
        if fixed:
            name, gender = fixed, "男"
        else:
            gender = "女" if rng.random() < 0.55 else "男"
            name = _name(rng, used, gender == "女")
        out.append(
            {
                "code": f"H{i + 1:03d}",
                "name": name,
                "gender": gender,
                "unit": unit,
                "region": region,
                "group": "hairdressing",
                "id_number": _id_number(rng, area[region], gender == "女"),
                "phone": _phone(rng),
            }
        )
    return out


def _judges() -> list[dict]:
    return [
        {"code": code, "name": name, "role": role, "unit": unit, "region": region}
        for code, name, role, unit, region, _ in JUDGES
    ]


def _recusals(contestants: list[dict]) -> list[dict]:
    """Every practical or theory judge who works where a contestant works stands aside for them."""
    out = []
    for code, _name, _role, unit, _region, group in JUDGES:
        for c in contestants:
            if c["group"] == group and c["unit"] == unit:
                out.append({"judge": code, "contestant": c["code"], "reason": "同一单位"})
    return out


def _draw(rng: random.Random, contestants: list[dict], seed: int) -> dict:
    entries = []
    codes = rng.sample(range(1000, 10000), len(contestants))
    for group, prefix in (("childcare", "TY"), ("hairdressing", "MF")):
        mine = [c for c in contestants if c["group"] == group]
        stations = list(range(1, len(mine) + 1))
        rng.shuffle(stations)
        for c, station in zip(mine, stations):
            entries.append(
                {"contestant": c["code"], "station": f"{station:02d}", "code": f"{prefix}-{codes[len(entries)]:04d}"}
            )
    return {"seed": str(seed), "entries": entries}


#: The practical in two sessions (场次) over two days: stations 01 to half of each group's count on
#: the first afternoon, the rest the next morning (the theory is one sitting, not in sessions).
PRACTICAL_SESSIONS = [
    {"code": "P1", "name": "实操第一场", "stage": "practical", "date": "{year}-05-23", "start": "13:30", "end": "17:30"},
    {"code": "P2", "name": "实操第二场", "stage": "practical", "date": "{year}-05-24", "start": "08:30", "end": "12:00"},
]  # fmt: skip


def _sessions(seed: int, draw: dict, contestants: list[dict]) -> list[dict]:
    """Seat each drawn contestant in P1 or P2 by station (the draw's stations are kept as drawn)."""
    group_of = {c["code"]: c["group"] for c in contestants}
    size = {g: sum(1 for c in contestants if c["group"] == g) for g in set(group_of.values())}
    for e in draw["entries"]:
        e["session"] = "P1" if int(e["station"]) <= (size[group_of[e["contestant"]]] + 1) // 2 else "P2"
    return [{**s, "date": s["date"].format(year=seed)} for s in PRACTICAL_SESSIONS]


# --------------------------------------------------------------------------- marks


def _snap(units: float, top: int) -> int:
    return max(0, min(top, int(Decimal(repr(units)).quantize(Decimal(1), rounding=ROUND_HALF_UP))))


def _practical_marks(
    rng: random.Random,
    c: dict,
    ability: float,
    aspects: list[dict],
    judges: tuple[str, ...],
    recused: set[tuple[str, str]],
) -> list[dict]:
    out = []
    active = [j for j in judges if (j, c["code"]) not in recused]
    for a in aspects:
        step = Decimal(a["step"])
        kind = a["type"]
        if kind == "judgement":
            level = 1.6 + 0.7 * ability + rng.gauss(0, 0.35)
            base = max(0, min(2, int(level)))
            # each judge gives base or base + 1, so the WorldSkills spread rule (at most 1) holds
            values = {j: Decimal(base + (1 if rng.random() < level - base else 0)) for j in active}
        elif kind == "deduction":
            faults = 0 if rng.random() < 0.7 + 0.1 * ability else rng.choice((1, 1, 2, 3))
            values = {
                j: Decimal(max(0, faults + (rng.choice((-1, 1)) if faults and rng.random() < 0.15 else 0)))
                for j in active
            }
        elif kind == "time":
            seconds = Decimal(max(2700, min(5700, int(4200 - 420 * ability + rng.gauss(0, 300)))))
            values = {j: seconds for j in active}  # every judge writes the same stopwatch time
        else:
            top = int(Decimal(a["max_mark"]) / step)
            share = max(0.35, min(0.985, 0.8 + 0.085 * ability))
            values = {j: Decimal(_snap(share * top + rng.gauss(0, 0.07 * top), top)) * step for j in active}
        for j in active:
            out.append({"contestant": c["code"], "aspect": a["code"], "judge": j, "value": str(values[j])})
    return out


def _marks(
    rng: random.Random, contestants: list[dict], recusals: list[dict], panels_aspects: dict[str, list[dict]], mode: str
) -> list[dict]:
    recused = {(r["judge"], r["contestant"]) for r in recusals}
    abilities = {c["code"]: rng.gauss(0, 1) for c in contestants}
    abilities["H001"] = 2.6  # 康恒 捧得美发组桂冠
    out = []
    for c in contestants:
        grader = THEORY_GRADERS[c["group"]]
        theory = Decimal(_snap(2 * max(52.0, min(99.0, 80 + 8 * abilities[c["code"]] + rng.gauss(0, 5))), 200)) / 2
        out.append({"contestant": c["code"], "aspect": "T1", "judge": grader, "value": str(theory)})
    if mode == "none":
        return []
    for group in ("childcare", "hairdressing"):
        mine = [c for c in contestants if c["group"] == group]
        cut = len(mine) if mode == "all" else round(len(mine) * 0.4)
        for c in mine[:cut]:
            out.extend(
                _practical_marks(rng, c, abilities[c["code"]], panels_aspects[group], PRACTICAL_PANELS[group], recused)
            )
    return out


# --------------------------------------------------------------------------- the document


def childcare_document(seed: int = 2025, marks: str = "some") -> dict[str, Any]:
    """The raw (JSON-able) document of the origin story.

    ``marks``: ``"all"`` every mark of every contestant; ``"some"`` all theory marks plus the
    practical marks of the first 40 % of each group; ``"none"`` no marks at all.
    """
    if marks not in ("all", "some", "none"):
        raise ValueError(f"marks must be 'all', 'some' or 'none', not {marks!r}")
    rng = random.Random(f"yulin-{seed}")
    contestants = demo_lookup_codes(_contestants(rng), seed)
    judges = _judges()
    recusals = _recusals(contestants)
    draw = _draw(rng, contestants, seed)
    sessions = _sessions(seed, draw, contestants)
    time_aspects = aspects_of(TIME_SCHEME)
    panels_aspects = {
        "childcare": aspects_of(CHILDCARE_SCHEME) + time_aspects,
        "hairdressing": aspects_of(HAIR_SCHEME) + time_aspects,
    }
    mark_list = _marks(random.Random(f"yulin-marks-{seed}"), contestants, recusals, panels_aspects, marks)
    panels = []
    for group in ("childcare", "hairdressing"):
        panels.append({"group": group, "stage": "theory", "judges": [THEORY_GRADERS[group]], "aspects": []})
        panels.append(
            {
                "group": group,
                "stage": "practical",
                "judges": list(PRACTICAL_PANELS[group]),
                "aspects": [a["code"] for a in panels_aspects[group]],
            }
        )
    return {
        "format": "scoring-competition",
        "version": 1,
        "competition": {
            "slug": f"yulin-childcare-{seed}",
            "name": f"榆林市{seed}年托育职业技能竞赛",
            "organizer": "榆林市总工会",
            "date": f"{seed}-05-23",
            "venue": "神木职业技术学院",
            "timezone": "Asia/Shanghai",
            "locale": "zh_Hans_CN",
        },
        "rules": {
            "ranking": "standard",
            "tie_breaks": [
                {"kind": "stage", "ref": "practical", "higher_is_better": True},
                {"kind": "time", "ref": "X1", "higher_is_better": False},
                {"kind": "stage", "ref": "theory", "higher_is_better": True},
            ],
            "weight_kind": "percent",
            "total_rounding": {"places": 2, "mode": "half_up"},
            "awards": [
                {
                    "name": "prizes",
                    "kind": "quota_percent",
                    "tie_policy": "share",
                    "rounding": "half_up",
                    "per_group": True,
                    "tiers": [
                        {"name": "一等奖", "percent": "10"},
                        {"name": "二等奖", "percent": "20"},
                        {"name": "三等奖", "percent": "30"},
                    ],
                },
                {
                    "name": "titles",
                    "kind": "title",
                    "tie_policy": "share",
                    "rounding": "half_up",
                    "per_group": True,
                    "tiers": [{"name": "技术能手", "max_rank": 5}],
                },
            ],
            "checks": {"outlier_distance": "15", "normalisation": "sample"},
            "review": {"top_n": 10, "sample_percent": "15", "full_recheck_error_rate": "5"},
            "team_standings": [
                {
                    "code": "county",
                    "name": "县区团体总分",
                    "name_en": "County team score",
                    "delegation": "region",
                    "groups": ["childcare", "hairdressing"],
                    "method": "sum",
                    "best": 3,
                    "tie_breaks": ["best_result", "more_firsts"],
                    "awards": [
                        {
                            "name": "team prizes",
                            "kind": "fixed_count",
                            "tiers": [
                                {"name": "团体一等奖", "count": 1},
                                {"name": "团体二等奖", "count": 2},
                                {"name": "团体三等奖", "count": 3},
                            ],
                        }
                    ],
                },
                {
                    "code": "county-awards",
                    "name": "县区获奖榜",
                    "name_en": "County award table",
                    "delegation": "region",
                    "method": "medal_table",
                    "tiers": ["一等奖", "二等奖", "三等奖"],
                },
            ],
        },
        "groups": [
            {"code": "childcare", "name": "托育", "event": "托育职业技能"},
            {"code": "hairdressing", "name": "美发", "event": "美容美发职业技能"},
        ],
        "stages": [
            {
                "code": "theory",
                "name": "理论",
                "weight": "30",
                "max_weight": "30",
                "max_mark": "100",
                "aggregation": None,
                "rounding": {"places": 2, "mode": "half_up"},
                "weighted_rounding": {"places": None, "mode": "half_up"},
            },
            {
                "code": "practical",
                "name": "实操",
                "weight": "70",
                "max_weight": None,
                "max_mark": "100",
                "aggregation": {"method": "trimmed_mean", "trim": 1},
                "rounding": {"places": 2, "mode": "half_up"},
                "weighted_rounding": {"places": None, "mode": "half_up"},
            },
        ],
        "scheme": THEORY_SCHEME + CHILDCARE_SCHEME + HAIR_SCHEME + TIME_SCHEME,
        "contestants": contestants,
        "judges": judges,
        "panels": panels,
        "recusals": recusals,
        "sessions": sessions,
        "draw": draw,
        "marks": mark_list,
        "meta": {
            "generator": "scoring.demo_data.childcare_document",
            "seed": seed,
            "marks": marks,
            "draw": "random.Random: stations shuffled per group, 4-digit codes sampled without replacement",
        },
    }


EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "docs" / "examples" / "childcare.json"


def write_example(path: Path = EXAMPLE_PATH) -> Path:
    """Write the example document (all marks) as the loader would dump it."""
    from scoring.document import dump_document, load_document, to_json

    path.parent.mkdir(parents=True, exist_ok=True)
    doc = load_document(childcare_document(marks="all"))
    path.write_text(to_json(dump_document(doc)), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_example())
