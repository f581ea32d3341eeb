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

COUNTIES: tuple[tuple[str, str, int], ...] = (
    # name, ID-number area code, childcare contestants (78 in all)
    ("榆阳区", "610802", 10),
    ("横山区", "610803", 7),
    ("神木市", "610881", 9),
    ("府谷县", "610822", 7),
    ("靖边县", "610824", 7),
    ("定边县", "610825", 6),
    ("绥德县", "610826", 6),
    ("米脂县", "610827", 5),
    ("佳县", "610828", 5),
    ("吴堡县", "610829", 4),
    ("清涧县", "610830", 6),
    ("子洲县", "610831", 6),
)

CHILDCARE_UNITS: dict[str, tuple[str, ...]] = {
    "榆阳区": ("榆林市妇幼保健院", "榆阳区第一幼儿园", "榆阳区机关幼儿园", "榆阳区星星托育中心"),
    "横山区": ("横山区第二幼儿园", "横山区妇幼保健院", "横山区童心托育园"),
    "神木市": ("神木市第一幼儿园", "神木市妇幼保健院", "神木市阳光托育中心"),
    "府谷县": ("府谷县实验幼儿园", "府谷县妇幼保健院", "府谷县贝贝托育中心"),
    "靖边县": ("靖边县第三幼儿园", "靖边县妇幼保健院", "靖边县小太阳托育园"),
    "定边县": ("定边县第一幼儿园", "定边县妇幼保健院", "定边县启航托育中心"),
    "绥德县": ("绥德县城关幼儿园", "绥德县妇幼保健院", "绥德县爱心托育中心"),
    "米脂县": ("米脂县幼儿园", "米脂县妇幼保健院", "米脂县育苗托育园"),
    "佳县": ("佳县幼儿园", "佳县妇幼保健院", "佳县暖阳托育中心"),
    "吴堡县": ("吴堡县幼儿园", "吴堡县妇幼保健院"),
    "清涧县": ("清涧县第一幼儿园", "清涧县妇幼保健院", "清涧县春苗托育中心"),
    "子洲县": ("子洲县幼儿园", "子洲县妇幼保健院", "子洲县宝贝托育园"),
}

HAIR_CONTESTANTS: tuple[tuple[str, str, str], ...] = (
    # region, unit, ability bonus (康恒 won the group in the article)
    ("榆阳区", "榆阳区恒艺造型工作室", "康恒"),
    ("榆阳区", "榆阳区名剪美发店", ""),
    ("榆阳区", "榆林市丝语美发沙龙", ""),
    ("榆阳区", "榆阳区时尚前线造型", ""),
    ("神木市", "神木市丝域造型", ""),
    ("神木市", "神木市美丽人生发艺", ""),
    ("神木市", "神木市尚美造型", ""),
    ("府谷县", "府谷县金剪子美发店", ""),
    ("府谷县", "府谷县靓点造型", ""),
    ("横山区", "横山区新概念发型设计", ""),
    ("靖边县", "靖边县时尚前沿造型", ""),
    ("靖边县", "靖边县名流美发", ""),
    ("定边县", "定边县艺发造型", ""),
    ("绥德县", "绥德县千丝坊美发", ""),
    ("米脂县", "米脂县魅力发型设计", ""),
    ("佳县", "佳县丝丝美发店", ""),
    ("吴堡县", "吴堡县潮流发艺", ""),
    ("清涧县", "清涧县美发技能培训中心", ""),
    ("子洲县", "子洲县精剪造型", ""),
    ("子洲县", "子洲县发之韵美发店", ""),
)

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董曹袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹金陆郝孔白崔康毛秦江史顾侯邵孟段雷钱汤尹常武乔贺霍拓呼艾惠"
)
FEMALE_GIVEN = (
    "丽娜",
    "晓燕",
    "雅琴",
    "佳怡",
    "梦瑶",
    "思琪",
    "雨涵",
    "欣怡",
    "婉婷",
    "慧敏",
    "玉兰",
    "春梅",
    "海燕",
    "丽娟",
    "亚楠",
    "文静",
    "晓玥",
    "子淼",
    "嘉怡",
    "静",
    "敏",
    "燕",
    "娟",
    "霞",
    "芳",
    "婷",
    "雪",
    "倩",
    "蕾",
    "瑶",
    "璐",
    "薇",
    "艳红",
    "秀英",
    "美玲",
    "晓霞",
    "玲玲",
    "小红",
    "金凤",
    "彩霞",
    "红艳",
    "淑芬",
    "丹丹",
    "媛媛",
    "欢",
    "莉",
    "宁",
    "娇",
    "娅楠",
    "一诺",
    "若曦",
    "梓涵",
    "艺涵",
    "玥彤",
    "淼淼",
    "乐怡",
    "瑞雪",
    "荣荣",
)
MALE_GIVEN = (
    "伟",
    "磊",
    "浩",
    "鹏",
    "涛",
    "强",
    "斌",
    "博文",
    "子轩",
    "宇航",
    "建军",
    "志强",
    "晓东",
    "海波",
    "俊杰",
    "堃",
    "喆",
    "赟",
    "天佑",
    "文博",
    "国栋",
    "振华",
    "明",
    "超",
    "凯",
)
# A few contestants with rarer name characters, placed at fixed positions so every document has them.
FIXED_CHILDCARE_NAMES = {
    3: ("杨堃", "男"),
    11: ("赵喆", "男"),
    19: ("黄淼", "女"),
    27: ("周玥", "女"),
    35: ("吴赟", "男"),
}

PHONE_PREFIXES = ("138", "139", "150", "151", "152", "157", "158", "159", "177", "181", "182", "187", "189", "199")

# --------------------------------------------------------------------------- the marking scheme


def _descriptors(subject: str) -> list[str]:
    return [
        f"0 分:{subject}未达到行业标准",
        f"1 分:{subject}达到行业标准",
        f"2 分:{subject}达到行业标准,且部分方面超出",
        f"3 分:{subject}全面超出行业标准,表现优秀",
    ]


def _m(code: str, name: str, max_mark: str, step: str = "0.5") -> dict:
    return {"code": code, "name": name, "type": "measurement", "max_mark": max_mark, "step": step}


def _j(code: str, name: str, max_mark: str, subject: str) -> dict:
    return {
        "code": code,
        "name": name,
        "type": "judgement",
        "max_mark": max_mark,
        "step": "1",
        "scale_max": "3",
        "descriptors": _descriptors(subject),
        "aggregation": {"method": "worldskills", "spread": "1"},
    }


def _d(code: str, name: str, max_mark: str) -> dict:
    return {"code": code, "name": name, "type": "deduction", "max_mark": max_mark, "step": "1"}


CHILDCARE_SCHEME: list[dict] = [
    {
        "code": "A",
        "name": "生活照料",
        "stage": "practical",
        "children": [
            {
                "code": "A1",
                "name": "喂养照护",
                "aspects": [
                    _m("A1.1", "配方奶冲调操作规范", "5"),
                    _m("A1.2", "喂奶姿势与拍嗝", "5"),
                    _j("A1.3", "照护中的互动与回应", "5", "与婴幼儿的互动与回应"),
                ],
            },
            {
                "code": "A2",
                "name": "清洁与睡眠",
                "aspects": [
                    _m("A2.1", "更换尿布", "6"),
                    _m("A2.2", "七步洗手与物品消毒", "4"),
                    _m("A2.3", "睡眠环境创设", "5"),
                    _j("A2.4", "安抚入睡", "5", "安抚入睡的方法与效果"),
                    _m("A2.5", "照护记录填写", "5"),
                ],
            },
        ],
    },
    {
        "code": "B",
        "name": "安全与健康",
        "stage": "practical",
        "children": [
            {
                "code": "B1",
                "name": "意外伤害处理",
                "aspects": [
                    _m("B1.1", "海姆立克急救法", "8"),
                    _m("B1.2", "烫伤应急处理", "7"),
                ],
            },
            {
                "code": "B2",
                "name": "健康观察",
                "aspects": [
                    _m("B2.1", "晨午检", "5"),
                    _m("B2.2", "体温测量与记录", "5"),
                ],
            },
            {
                "code": "B3",
                "name": "安全操作",
                "aspects": [
                    _d("B3.1", "安全操作违规扣分", "5"),
                ],
            },
        ],
    },
    {
        "code": "C",
        "name": "早期发展支持",
        "stage": "practical",
        "children": [
            {
                "code": "C1",
                "name": "游戏活动设计与组织",
                "aspects": [
                    _m("C1.1", "活动方案完整性", "5"),
                    _j("C1.2", "活动的年龄适宜性", "5", "活动内容与婴幼儿年龄特点的契合"),
                    _m("C1.3", "玩教具与材料准备", "5"),
                ],
            },
            {
                "code": "C2",
                "name": "家长沟通与指导",
                "aspects": [
                    _j("C2.1", "沟通表达", "5", "与家长沟通的表达与态度"),
                    _j("C2.2", "科学育儿指导", "5", "育儿指导的科学性与针对性"),
                ],
            },
        ],
    },
]

HAIR_SCHEME: list[dict] = [
    {
        "code": "M",
        "name": "男士发型",
        "stage": "practical",
        "children": [
            {
                "code": "M1",
                "name": "修剪",
                "aspects": [
                    _m("M1.1", "轮廓与层次", "10"),
                    _m("M1.2", "衔接与干净度", "10"),
                ],
            },
            {
                "code": "M2",
                "name": "吹风造型",
                "aspects": [
                    _m("M2.1", "吹风技法", "10"),
                    _j("M2.2", "整体造型效果", "10", "男士发型的整体效果"),
                ],
            },
        ],
    },
    {
        "code": "W",
        "name": "女士发型",
        "stage": "practical",
        "children": [
            {
                "code": "W1",
                "name": "盘发",
                "aspects": [
                    _m("W1.1", "结构与牢固度", "10"),
                    _j("W1.2", "盘发造型美观", "10", "盘发的造型与美感"),
                ],
            },
            {
                "code": "W2",
                "name": "烫染",
                "aspects": [
                    _m("W2.1", "卷度与均匀度", "10"),
                    _j("W2.2", "色彩协调", "10", "染发色彩与整体形象的协调"),
                ],
            },
        ],
    },
    {
        "code": "S",
        "name": "职业素养",
        "stage": "practical",
        "children": [
            {
                "code": "S1",
                "name": "安全卫生",
                "aspects": [
                    _d("S1.1", "安全卫生违规扣分", "5"),
                    _m("S1.2", "工具使用与整理", "5"),
                ],
            },
            {
                "code": "S2",
                "name": "服务礼仪",
                "aspects": [
                    _j("S2.1", "服务礼仪与沟通", "5", "服务礼仪与顾客沟通"),
                ],
            },
        ],
    },
]

THEORY_SCHEME: list[dict] = [
    {
        "code": "T",
        "name": "理论知识",
        "stage": "theory",
        "aspects": [
            {
                "code": "T1",
                "name": "理论考试成绩",
                "type": "measurement",
                "max_mark": "100",
                "step": "0.5",
                "aggregation": {"method": "single"},
            },
        ],
    },
]

# Shared by both groups so that one tie-break chain (practical, then time, then theory) fits both.
TIME_SCHEME: list[dict] = [
    {
        "code": "X",
        "name": "完成用时",
        "stage": "practical",
        "aspects": [
            {
                "code": "X1",
                "name": "实操完成用时(秒)",
                "type": "time",
                "max_mark": "5",
                "step": "1",
                "max_value": "7200",
                "time_target": "3600",
                "time_limit": "5400",
            },
        ],
    },
]

JUDGES: tuple[tuple[str, str, str, str, str, str], ...] = (
    # code, name, role, unit, region, group
    ("J01", "刘建华", "chief", "榆林职业技术学院", "榆阳区", "childcare"),
    ("J02", "高秀英", "judge", "榆林市妇幼保健院", "榆阳区", "childcare"),
    ("J03", "张丽萍", "judge", "神木职业技术学院", "神木市", "childcare"),
    ("J04", "李春燕", "judge", "神木市第一幼儿园", "神木市", "childcare"),
    ("J05", "王海霞", "judge", "榆林学院", "榆阳区", "childcare"),
    ("J06", "马文杰", "judge", "陕西省托育服务指导中心", "", "childcare"),
    ("J07", "白玉梅", "judge", "榆林市教育科学研究所", "榆阳区", "childcare"),
    ("J11", "霍志刚", "chief", "榆林市美发美容行业协会", "榆阳区", "hairdressing"),
    ("J12", "贺丽君", "judge", "榆林职业技术学院", "榆阳区", "hairdressing"),
    ("J13", "郝俊峰", "judge", "神木市尚美造型", "神木市", "hairdressing"),
    ("J14", "拓晓红", "judge", "西安美发化妆职业培训学校", "", "hairdressing"),
    ("J15", "呼延军", "judge", "榆林市技工学校", "榆阳区", "hairdressing"),
    ("J16", "乔艳", "judge", "府谷县职业教育中心", "府谷县", "hairdressing"),
    ("J17", "艾宏伟", "judge", "榆林市人力资源和社会保障局", "榆阳区", "hairdressing"),
)
PRACTICAL_PANELS = {
    "childcare": ("J02", "J03", "J04", "J05", "J06"),
    "hairdressing": ("J12", "J13", "J14", "J15", "J16"),
}
THEORY_GRADERS = {"childcare": "J07", "hairdressing": "J17"}


def _aspect_codes(scheme: list[dict]) -> list[str]:
    out: list[str] = []
    for c in scheme:
        out.extend(a["code"] for a in c.get("aspects", ()))
        out.extend(_aspect_codes(c.get("children", [])))
    return out


def _aspects(scheme: list[dict]) -> list[dict]:
    out: list[dict] = []
    for c in scheme:
        out.extend(c.get("aspects", ()))
        out.extend(_aspects(c.get("children", [])))
    return out


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
    contestants = _contestants(rng)
    judges = _judges()
    recusals = _recusals(contestants)
    draw = _draw(rng, contestants, seed)
    time_aspects = _aspects(TIME_SCHEME)
    panels_aspects = {
        "childcare": _aspects(CHILDCARE_SCHEME) + time_aspects,
        "hairdressing": _aspects(HAIR_SCHEME) + time_aspects,
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
