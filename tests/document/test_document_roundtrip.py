"""Round trips on generated documents: the writer's form is canonical and a fixed point.

A generated document is written in the canonical form (every key the writer writes, in its order,
decimals as plain text without trailing zeros, defaults left out where the writer leaves them out)
and then made noisy without changing its meaning: trailing zeros, JSON numbers, defaults spelled
out, nulls for absent fields, padded names, shuffled keys and marks. Reading either and writing it
back must give the canonical text exactly.
"""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.document import dump_document, load_document, to_json
from scoring.rules.numbers import JsonNumber

NAMES = (
    st.text(alphabet="张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗 abcXYZ", min_size=1, max_size=6)
    .map(str.strip)
    .filter(bool)
)


def _dec(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


@st.composite
def canonical_documents(draw) -> dict:
    rnd = random.Random(draw(st.integers(0, 2**32)))
    n_groups = draw(st.integers(1, 2))
    n_stages = draw(st.integers(1, 2))
    judges = [f"J{k}" for k in range(1, 4)]
    weights = [Decimal(100)] if n_stages == 1 else [Decimal(w) for w in (draw(st.sampled_from(["30", "40", "12.5"])),)]
    if n_stages == 2:
        weights.append(Decimal(100) - weights[0])
    stages, scheme, aspects = [], [], []
    for s in range(n_stages):
        code = f"S{s}"
        max_mark = Decimal(draw(st.sampled_from(["100", "60", "10"])))
        aggregation = draw(st.sampled_from([None, {"method": "trimmed_mean", "trim": 1}, {"method": "median"}]))
        stages.append(
            {
                "code": code,
                "name": draw(NAMES),
                "weight": _dec(weights[s]),
                "max_weight": None,
                "max_mark": _dec(max_mark),
                "aggregation": aggregation,
                "rounding": {"places": draw(st.sampled_from([0, 2, 4, None])), "mode": "half_up"},
                "weighted_rounding": {"places": None, "mode": "half_up"},
            }
        )
        parts = draw(st.integers(1, 3))
        shares = [(max_mark / parts).quantize(Decimal("0.0001"), rounding="ROUND_DOWN")] * (parts - 1)
        shares.append(max_mark - sum(shares, Decimal(0)))
        crit_aspects = []
        for k, share in enumerate(shares):
            a = {"code": f"A{s}.{k}", "name": draw(NAMES)}
            kind = draw(st.sampled_from(["measurement", "judgement", "deduction"]))
            a.update({"type": kind, "max_mark": _dec(share)})
            if kind == "judgement":
                a.update({"step": "1", "scale_max": "3", "descriptors": ["差", "达标", "良好", "优秀"]})
            else:
                a["step"] = draw(st.sampled_from(["1", "0.5", "0.01"])) if share == int(share) else "0.0001"
            method = draw(st.sampled_from(["mean", "median", "trimmed_mean"]))
            if method != "mean":
                a["aggregation"] = {"method": method, **({"trim": 1} if method == "trimmed_mean" else {})}
            crit_aspects.append(a)
            aspects.append(a)
        scheme.append({"code": f"K{s}", "name": draw(NAMES), "stage": code, "aspects": crit_aspects})
    groups = [{"code": f"G{g}", "name": draw(NAMES), "event": ""} for g in range(n_groups)]
    contestants = []
    for g in groups:
        for k in range(draw(st.integers(0, 3))):
            c = {
                "code": f"C{g['code']}{k}",
                "name": draw(NAMES),
                "gender": draw(st.sampled_from(["男", "女", ""])),
                "unit": "",
                "region": draw(st.sampled_from(["", "榆阳区"])),
                "group": g["code"],
            }
            if draw(st.booleans()) and k:
                c["withdrawn"] = True
            c.update({"id_number": "", "phone": draw(st.sampled_from(["", "13800000000"]))})
            contestants.append(c)
    marks = []
    for c in contestants:
        for a in aspects:
            top = Decimal(a.get("scale_max", "3")) if a["type"] == "judgement" else Decimal(a["max_mark"])
            steps = int(top / Decimal(a["step"]))
            for j in judges:
                if rnd.random() < 0.6:
                    marks.append(
                        {
                            "contestant": c["code"],
                            "aspect": a["code"],
                            "judge": j,
                            "value": _dec(Decimal(a["step"]) * rnd.randint(0, steps)),
                        }
                    )
    ranking = draw(st.sampled_from(["standard", "dense", "fractional"]))
    return {
        "format": "scoring-competition",
        "version": 1,
        "competition": {
            "slug": "generated",
            "name": draw(NAMES),
            "organizer": "",
            "date": "2025-05-23",
            "venue": "",
            "timezone": "Asia/Shanghai",
            "locale": "zh_Hans_CN",
            "visibility": "embargoed",
        },
        "rules": {
            "ranking": ranking,
            "tie_breaks": [{"kind": "stage", "ref": stages[-1]["code"], "higher_is_better": True}],
            "weight_kind": "percent",
            "total_rounding": {"places": 2, "mode": "half_up"},
            "awards": [
                {
                    "kind": "quota_percent",
                    "tie_policy": "share",
                    "rounding": "half_up",
                    "per_group": True,
                    "tiers": [{"name": "一等奖", "percent": "10"}, {"name": "二等奖", "percent": "20"}],
                }
            ],
            "checks": {"outlier_distance": None, "normalisation": None},
            "review": {"top_n": 10, "sample_percent": "15", "full_recheck_error_rate": "5"},
        },
        "groups": groups,
        "stages": stages,
        "scheme": scheme,
        "contestants": contestants,
        "judges": [
            {"code": j, "name": f"裁判{j}", "role": "judge", "unit": "", "region": "", "id_number": "", "phone": ""}
            for j in judges
        ],
        "panels": [
            {"group": g["code"], "stage": s["code"], "judges": judges, "aspects": []} for g in groups for s in stages
        ],
        "recusals": [],
        "draw": None,
        "marks": marks,
    }


def noisy(value, rnd: random.Random, key: str = ""):
    """The same document in another spelling the reader must accept."""
    if isinstance(value, dict):
        items = [(k, noisy(v, rnd, k)) for k, v in value.items()]
        if "type" in value and "max_mark" in value and "min_value" not in value and rnd.random() < 0.5:
            items.append(("min_value", "0.00"))  # a default spelled out
        if "group" in value and "withdrawn" not in value and "id_number" in value and rnd.random() < 0.5:
            items.append(("withdrawn", False))
        rnd.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        out = [noisy(v, rnd) for v in value]
        if key == "marks":
            rnd.shuffle(out)
        return out
    if isinstance(value, str) and key in ("weight", "max_mark", "step", "value", "percent", "sample_percent"):
        choice = rnd.random()
        if choice < 0.3:
            return value + (".00" if "." not in value else "0")
        if choice < 0.5:
            return int(value) if "." not in value else JsonNumber(value)
        return value
    if isinstance(value, str) and key == "name" and rnd.random() < 0.3:
        return f" {value} "
    if value == "" and key in ("organizer", "venue", "unit") and rnd.random() < 0.3:
        return None
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canonical_documents(), st.integers(0, 2**32))
def test_writing_what_was_read_gives_the_canonical_document(canonical, seed):
    text = to_json(canonical)
    doc = load_document(canonical)
    assert to_json(dump_document(doc)) == text
    variant = noisy(canonical, random.Random(seed))
    again = load_document(variant)
    assert again == doc
    assert to_json(dump_document(again)) == text
