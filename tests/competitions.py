"""Competition documents shared by the test areas (the organizer console, the services)."""

from __future__ import annotations


def small_document(slug: str = "mini-2025") -> dict:
    return {
        "format": "scoring-competition",
        "version": 1,
        "competition": {
            "slug": slug,
            "name": "测试市2025年托育技能竞赛",
            "organizer": "测试市总工会",
            "date": "2025-05-23",
            "venue": "职业技术学院",
        },
        "rules": {
            "ranking": "standard",
            "weight_kind": "percent",
            "total_rounding": {"places": 2, "mode": "half_up"},
            "awards": [
                {
                    "name": "prizes",
                    "kind": "quota_percent",
                    "tie_policy": "share",
                    "rounding": "half_up",
                    "per_group": True,
                    "tiers": [{"name": "一等奖", "percent": "34"}, {"name": "二等奖", "percent": "34"}],
                }
            ],
            "review": {"top_n": 1, "sample_percent": "50", "full_recheck_error_rate": "5"},
        },
        "groups": [{"code": "childcare", "name": "托育", "event": "托育"}],
        "stages": [{"code": "theory", "name": "理论", "weight": "100", "max_mark": "100"}],
        "scheme": [
            {
                "code": "T",
                "name": "理论",
                "stage": "theory",
                "aspects": [{"code": "T1", "name": "笔试", "type": "measurement", "max_mark": "100", "step": "0.5"}],
            }
        ],
        "contestants": [],
        "judges": [{"code": "J01", "name": "王裁判", "role": "chief", "unit": "榆阳区第一幼儿园", "region": "榆阳区"}],
        "panels": [{"group": "childcare", "stage": "theory", "judges": ["J01"]}],
        "recusals": [],
        "marks": [],
    }


def publish_document(engine, raw: dict, actor: str = "test", **publish) -> int:  # noqa: ANN001
    """``raw`` imported with every stage locked, its draw sealed and revealed, and result version 1
    published (``publication.publish``'s options in ``publish``): what the results lookup, the score
    reports and the public pages read. Returns the competition id."""
    from scoring.services import draw, publication
    from scoring.services.transfer import import_document

    for stage in raw["stages"]:
        stage["state"] = "locked"
    cid = import_document(engine, raw, actor=actor)
    draw.seal(engine, cid, actor)
    draw.reveal(engine, cid, actor)
    publication.publish(engine, cid, actor, **publish)
    return cid
