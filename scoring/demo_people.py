"""The people of the demo competition: counties, units, names (all invented but realistic).

Why apart: ``demo_data`` builds the document from these tables; they are data, and a reader
looking for how the demo is built should not scroll past a hundred lines of given names.
"""

from __future__ import annotations

from scoring.rules.lookup import code_from

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


def demo_lookup_codes(contestants: list[dict], seed: int = 2025) -> list[dict]:
    """Fixed lookup codes (成绩查询) for the demo's contestants, so the README can name one; a real
    competition's are drawn at random on import (services.lookup_codes)."""
    for c in contestants:
        c["lookup_code"] = code_from(f"yulin-{seed}:{c['code']}")
    return contestants
