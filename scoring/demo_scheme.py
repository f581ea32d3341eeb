"""The demo's marking schemes: childcare and hairdressing practicals, theory, a timed task.

Why apart: the schemes are the longest part of the demo and change on their own (a new aspect, a
new descriptor); ``demo_data`` assembles them into the document.
"""

from __future__ import annotations


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


def aspect_codes(scheme: list[dict]) -> list[str]:
    out: list[str] = []
    for c in scheme:
        out.extend(a["code"] for a in c.get("aspects", ()))
        out.extend(aspect_codes(c.get("children", [])))
    return out


def aspects_of(scheme: list[dict]) -> list[dict]:
    out: list[dict] = []
    for c in scheme:
        out.extend(c.get("aspects", ()))
        out.extend(aspects_of(c.get("children", [])))
    return out
