"""A small valid competition document, shared by the document tests (import, do not mutate)."""

SMALL = {
    "format": "scoring-competition",
    "version": 1,
    "competition": {
        "slug": "small-test",
        "name": "测试竞赛",
        "organizer": "榆林市总工会",
        "date": "2025-05-23",
        "venue": "神木职业技术学院",
        "timezone": "Asia/Shanghai",
        "locale": "zh_Hans_CN",
    },
    "rules": {
        "ranking": "standard",
        "tie_breaks": [{"kind": "stage", "ref": "practical"}, {"kind": "time", "ref": "P3"}],
        "awards": [
            {
                "name": "prizes",
                "kind": "quota_percent",
                "tiers": [{"name": "一等奖", "percent": "10"}, {"name": "二等奖", "percent": "20"}],
            },
            {"kind": "title", "tiers": [{"name": "技术能手", "max_rank": 1}]},
        ],
    },
    "groups": [{"code": "childcare", "name": "托育", "event": "托育职业技能"}],
    "stages": [
        {"code": "theory", "name": "理论", "weight": "30", "max_weight": "30", "max_mark": "100"},
        {
            "code": "practical",
            "name": "实操",
            "weight": "70",
            "max_mark": "100",
            "aggregation": {"method": "trimmed_mean", "trim": 1},
        },
    ],
    "scheme": [
        {
            "code": "T",
            "name": "理论",
            "stage": "theory",
            "aspects": [
                {
                    "code": "T1",
                    "name": "理论考试",
                    "max_mark": "100",
                    "step": "0.5",
                    "aggregation": {"method": "single"},
                }
            ],
        },
        {
            "code": "P",
            "name": "实操",
            "stage": "practical",
            "children": [
                {
                    "code": "P-A",
                    "name": "照护",
                    "aspects": [
                        {"code": "P1", "name": "喂养", "type": "measurement", "max_mark": "60", "step": "0.5"},
                        {
                            "code": "P2",
                            "name": "互动",
                            "type": "judgement",
                            "max_mark": "30",
                            "step": "1",
                            "descriptors": ["差", "达标", "良好", "优秀"],
                            "aggregation": {"method": "worldskills", "spread": "1"},
                        },
                    ],
                },
                {
                    "code": "P-B",
                    "name": "用时",
                    "aspects": [
                        {
                            "code": "P3",
                            "name": "用时",
                            "type": "time",
                            "max_mark": "10",
                            "step": "1",
                            "time_target": "600",
                            "time_limit": "900",
                        },
                    ],
                },
            ],
        },
    ],
    "contestants": [
        {
            "code": "C001",
            "name": "张伟",
            "gender": "女",
            "unit": "榆阳区第一幼儿园",
            "region": "榆阳区",
            "group": "childcare",
            "id_number": "610802199001010026",
            "phone": "13800000000",
        },
        {
            "code": "C002",
            "name": "杨堃",
            "gender": "男",
            "unit": "神木市妇幼保健院",
            "region": "神木市",
            "group": "childcare",
            "id_number": "",
            "phone": "",
        },
        {
            "code": "C003",
            "name": "周玥",
            "gender": "女",
            "unit": "府谷县贝贝托育中心",
            "region": "府谷县",
            "group": "childcare",
        },
    ],
    "judges": [
        {"code": "J01", "name": "刘建华", "role": "chief"},
        {"code": "J02", "name": "高秀英", "unit": "神木市妇幼保健院"},
        {"code": "J03", "name": "张丽萍"},
        {"code": "J04", "name": "李春燕"},
    ],
    "panels": [
        {"group": "childcare", "stage": "theory", "judges": ["J01"]},
        {"group": "childcare", "stage": "practical", "judges": ["J02", "J03", "J04"]},
    ],
    "recusals": [{"judge": "J02", "contestant": "C002", "reason": "同一单位"}],
    "draw": {
        "seed": "42",
        "entries": [
            {"contestant": "C001", "station": "01", "code": "T-0412"},
            {"contestant": "C002", "station": "02", "code": "T-0977"},
        ],
    },
    "marks": [
        {"contestant": "C001", "aspect": "T1", "judge": "J01", "value": "88.5"},
        {"contestant": "C001", "aspect": "P1", "judge": "J02", "value": "50.5"},
        {"contestant": "C001", "aspect": "P1", "judge": "J03", "value": 52},
        {"contestant": "C001", "aspect": "P2", "judge": "J02", "value": "2"},
        {"contestant": "C001", "aspect": "P3", "judge": "J02", "value": "640"},
        {"contestant": "C002", "aspect": "P1", "judge": "J03", "value": "41"},
    ],
}
