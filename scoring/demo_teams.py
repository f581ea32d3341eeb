"""The demo's team event (团体项目): a two-person 育婴 (infant care) team event, six county teams.

Why added to the demo rather than to the origin-story generator: ``childcare_document`` is the
archive example and the benchmarks' input (its 78 contestants and two groups are counted in many
places); the team event is one more group of the demo competition, built from the same people,
counties and judges, so the demo shows a team entry on every screen. Marks are complete and
derived from a fixed seed, like the rest of the demo.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from scoring.demo_data import _id_number, _name, _phone, _snap, demo_lookup_codes
from scoring.demo_people import CHILDCARE_UNITS, COUNTIES

GROUP = {
    "code": "infant-pairs",
    "name": "育婴（双人）",
    "event": "育婴职业技能",
    "team": {"min_members": 2, "max_members": 2},
}
SCHEME = {
    "code": "Y",
    "name": "育婴员实操（双人）",
    "stage": "practical",
    "aspects": [
        {"code": "Y1", "name": "婴儿生活照料", "type": "measurement", "max_mark": "40", "step": "0.5"},
        {"code": "Y2", "name": "婴儿保健与护理", "type": "measurement", "max_mark": "40", "step": "0.5"},
        {"code": "Y3", "name": "配合与沟通", "type": "measurement", "max_mark": "20", "step": "0.5"},
    ],
}
#: The team event's own judges (the individual groups' panels and tablets stay as they were).
JUDGES = [
    {"code": "J08", "name": "杜晓燕", "unit": "榆林市第一医院", "region": "榆阳区"},
    {"code": "J09", "name": "常红梅", "unit": "绥德县妇幼保健院", "region": "绥德县"},
    {"code": "J10", "name": "孙卫东", "unit": "陕西省育婴职业技能鉴定站", "region": ""},
    {"code": "J18", "name": "雷静", "unit": "榆林市卫生学校", "region": "榆阳区"},
]
PRACTICAL = ("J08", "J09", "J10")
THEORY = "J18"
COUNTIES_WITH_TEAMS = ("榆阳区", "神木市", "府谷县", "靖边县", "绥德县", "米脂县")


def _teams(rng: random.Random, used: set[str]) -> list[dict[str, Any]]:
    area = {name: code for name, code, _ in COUNTIES}
    teams = []
    for i, region in enumerate(COUNTIES_WITH_TEAMS):
        units = CHILDCARE_UNITS[region]
        members = []
        for k in range(2):
            female = rng.random() > 0.1
            members.append(
                {
                    "name": _name(rng, used, female),
                    "gender": "女" if female else "男",
                    "unit": units[(i + k) % len(units)],
                    "region": region,
                    "id_number": _id_number(rng, area[region], female),
                    "phone": _phone(rng),
                }
            )
        teams.append(
            {
                "code": f"Y{i + 1:03d}",
                "name": f"{region}育婴队",
                "region": region,
                "group": GROUP["code"],
                "members": members,
            }
        )
    return teams


def _marks(rng: random.Random, teams: list[dict]) -> list[dict]:
    out = []
    for team in teams:
        ability = rng.gauss(0, 1)
        theory = Decimal(_snap(2 * max(60.0, min(98.0, 82 + 7 * ability + rng.gauss(0, 4))), 200)) / 2
        out.append({"contestant": team["code"], "aspect": "T1", "judge": THEORY, "value": str(theory)})
        for aspect in SCHEME["aspects"]:
            top = int(Decimal(aspect["max_mark"]) * 2)
            share = max(0.5, min(0.98, 0.82 + 0.07 * ability))
            for judge in PRACTICAL:
                value = Decimal(_snap(share * top + rng.gauss(0, 0.05 * top), top)) / 2
                out.append({"contestant": team["code"], "aspect": aspect["code"], "judge": judge, "value": str(value)})
    return out


def add_team_event(raw: dict[str, Any], seed: int = 2025) -> dict[str, Any]:
    """``raw`` (the demo document) with the team event added: its group, its practical criterion,
    six teams drawn to stations and codes, its own judges and panels, and every mark."""
    rng = random.Random(f"yulin-teams-{seed}")
    teams = demo_lookup_codes(_teams(rng, {c["name"] for c in raw["contestants"]}), seed)
    raw["groups"].append(GROUP)
    raw["scheme"].append(SCHEME)
    raw["contestants"].extend(teams)
    raw["judges"].extend(JUDGES)
    raw["panels"].append({"group": GROUP["code"], "stage": "theory", "judges": [THEORY]})
    raw["panels"].append(
        {
            "group": GROUP["code"],
            "stage": "practical",
            "judges": list(PRACTICAL),
            "aspects": [a["code"] for a in SCHEME["aspects"]],
        }
    )
    stations = list(range(1, len(teams) + 1))
    rng.shuffle(stations)
    codes = rng.sample(range(1000, 10000), len(teams))
    raw["draw"]["entries"].extend(
        {"contestant": t["code"], "station": f"{s:02d}", "code": f"YY-{c:04d}"}
        for t, s, c in zip(teams, stations, codes)
    )
    raw["marks"].extend(_marks(rng, teams))
    return raw
