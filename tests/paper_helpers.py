"""A small competition for paper sheet entry: one practical stage of three aspects marked by a
panel of three judges, three contestants (no draw: sheets name them ``#<id>``)."""

from __future__ import annotations

from competitions import small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.rules.paper import SheetRef, sheet_token, version_of
from scoring.services.judge_sheet import panel_aspects

SLUG = "paper-2025"


def paper_document(slug: str = SLUG) -> dict:
    doc = small_document(slug)
    doc["stages"] = [{"code": "practical", "name": "实操", "weight": "100", "max_mark": "35"}]
    doc["scheme"] = [
        {
            "code": "P",
            "name": "实操",
            "stage": "practical",
            "aspects": [
                {"code": "P1", "name": "喂养", "type": "measurement", "max_mark": "10", "step": "0.5"},
                {"code": "P2", "name": "清洁", "type": "measurement", "max_mark": "20", "step": "1"},
                {"code": "P3", "name": "沟通", "type": "measurement", "max_mark": "5", "step": "0.1"},
            ],
        }
    ]
    doc["contestants"] = [
        {"code": f"C00{i}", "name": n, "group": "childcare", "unit": "幼儿园", "region": "榆阳区"}
        for i, n in ((1, "张伟"), (2, "杨堃"), (3, "赵喆"))
    ]
    doc["judges"] = [
        {"code": "J01", "name": "王裁判", "role": "chief", "unit": "一园", "region": "榆阳区"},
        {"code": "J02", "name": "李裁判", "role": "judge", "unit": "二园", "region": "神木市"},
        {"code": "J03", "name": "赵裁判", "role": "judge", "unit": "三园", "region": "府谷县"},
    ]
    doc["panels"] = [{"group": "childcare", "stage": "practical", "judges": ["J01", "J02", "J03"]}]
    return doc


def token(engine, cid: int, judge: str, contestant: str, slug: str = SLUG) -> str:
    """The code printed on the sheet of ``judge`` for ``contestant`` (by contestant code)."""
    with reading(engine) as s:
        c = s.exec(
            select(m.Contestant).where(m.Contestant.competition_id == cid, m.Contestant.code == contestant)
        ).one()
        entry = s.exec(select(m.DrawEntry).where(m.DrawEntry.contestant_id == c.id)).first()
        panel = s.exec(select(m.Panel).where(m.Panel.competition_id == cid)).first()
        version = version_of(panel_aspects(s, panel))
    return sheet_token(SheetRef(slug, judge, entry.code if entry else f"#{c.id}", version))
