"""A small competition with a trainee judge (见习裁判) for the service and web tests: one practical
stage of a WorldSkills-style judgement aspect (spread 1) and a measurement aspect, a panel of
three counting judges (J01 chief, J02, J03) and the trainee T01, whose marks are far off."""

from __future__ import annotations

from competitions import small_document

SLUG = "trainee-2025"

# contestant -> aspect -> (J01, J02, J03, T01)
MARKS = {
    "C001": {"P1": ("3", "3", "2", "0"), "P2": ("40", "41", "39", "20")},
    "C002": {"P1": ("2", "2", "2", "3"), "P2": ("30", "31", "32", "45")},
    "C003": {"P1": ("1", "1", "1", "3"), "P2": ("35", "35", "36", "50")},
}
JUDGES = ("J01", "J02", "J03", "T01")


def trainee_document(slug: str = SLUG, trainee: bool = True, marks: bool = True) -> dict:
    """The document with every mark of ``MARKS`` (``marks=False``: none); ``trainee=False``: the
    same panel without its trainee, nor the trainee's marks."""
    doc = small_document(slug)
    doc["rules"]["checks"] = {"outlier_distance": "5"}
    doc["stages"] = [{"code": "practical", "name": "实操", "weight": "100", "max_mark": "100"}]
    doc["scheme"] = [
        {
            "code": "P",
            "name": "实操",
            "stage": "practical",
            "aspects": [
                {
                    "code": "P1",
                    "name": "沟通",
                    "type": "judgement",
                    "max_mark": "50",
                    "step": "1",
                    "scale_max": "3",
                    "descriptors": ["0 分", "1 分", "2 分", "3 分"],
                    "aggregation": {"method": "worldskills", "spread": "1"},
                },
                {"code": "P2", "name": "操作", "type": "measurement", "max_mark": "50", "step": "0.5"},
            ],
        }
    ]
    doc["contestants"] = [
        {"code": "C001", "name": "张伟", "group": "childcare", "unit": "榆阳区第一幼儿园", "region": "榆阳区"},
        {"code": "C002", "name": "杨堃", "group": "childcare", "unit": "神木市第一幼儿园", "region": "神木市"},
        {"code": "C003", "name": "赵喆", "group": "childcare", "unit": "府谷县实验幼儿园", "region": "府谷县"},
    ]
    doc["judges"] += [
        {"code": "J02", "name": "李裁判", "role": "judge"},
        {"code": "J03", "name": "赵裁判", "role": "judge"},
        {"code": "T01", "name": "孙见习", "role": "judge"},
        {"code": "J09", "name": "周裁判长", "role": "chief"},  # confirms sheets: on no panel
    ]
    panel = {"group": "childcare", "stage": "practical", "judges": ["J01", "J02", "J03"]}
    if trainee:
        panel["trainees"] = ["T01"]
    doc["panels"] = [panel]
    doc["draw"] = {
        "seed": "trainee",
        "entries": [
            {"contestant": "C001", "station": "1", "code": "X7"},
            {"contestant": "C002", "station": "2", "code": "K3"},
            {"contestant": "C003", "station": "3", "code": "M5"},
        ],
    }
    doc["marks"] = [
        {"contestant": c, "aspect": a, "judge": j, "value": v}
        for c, by in MARKS.items()
        for a, values in by.items()
        for j, v in zip(JUDGES, values)
        if marks and (j != "T01" or trainee)
    ]
    return doc
