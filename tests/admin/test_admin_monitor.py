"""Monitoring (web.admin.monitor): how many marks each group expects and has, as the organizer reads it
on the overview and the monitoring page. Expected: every panel judge × the panel's aspects × every
contestant still in the group, less recusals (回避); withdrawn contestants (弃赛) expect nothing."""

from __future__ import annotations

import re

import pytest
from admin_helpers import ORGANIZER, engine_of, small_document


def _document() -> dict:
    doc = small_document("progress-2025")
    doc["groups"].append({"code": "hair", "name": "美发", "event": "美发"})
    doc["scheme"][0]["aspects"][0]["max_mark"] = "60"
    doc["scheme"][0]["aspects"].append(
        {"code": "T2", "name": "口试", "type": "measurement", "max_mark": "40", "step": "0.5"}
    )
    doc["judges"].append({"code": "J02", "name": "李裁判", "unit": "神木市第一幼儿园", "region": "神木市"})
    doc["panels"] = [
        {"group": "childcare", "stage": "theory", "judges": ["J01", "J02"], "aspects": ["T1"]},
        {"group": "childcare", "stage": "theory", "judges": ["J01"], "aspects": ["T2"]},
        {"group": "hair", "stage": "theory", "judges": ["J02"]},
    ]
    person = {"unit": "测试单位", "region": "榆阳区"}
    doc["contestants"] = [
        {"code": "C1", "name": "张伟", "group": "childcare", **person},
        {"code": "C2", "name": "杨堃", "group": "childcare", **person},
        {"code": "C3", "name": "赵喆", "group": "childcare", "withdrawn": True, **person},
        {"code": "H1", "name": "王芳", "group": "hair", **person},
        {"code": "H2", "name": "刘洋", "group": "hair", **person},
    ]
    doc["recusals"] = [{"judge": "J02", "contestant": "C2", "reason": "同单位"}]
    doc["marks"] = [
        {"contestant": "C1", "aspect": "T1", "judge": "J01", "value": "50"},
        {"contestant": "C1", "aspect": "T1", "judge": "J02", "value": "45"},
        {"contestant": "H1", "aspect": "T1", "judge": "J02", "value": "30"},
        {"contestant": "H1", "aspect": "T2", "judge": "J02", "value": "20"},
    ]
    return doc


@pytest.fixture
def organizer(any_app):
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    import_document(engine_of(any_app), _document())
    create_user(engine_of(any_app), *ORGANIZER, role="organizer")
    client = any_app.test_client()
    assert client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]}).status_code == 302
    return client


def _progress(page: str) -> dict[str, tuple[int, int, int]]:
    """group name -> (given, expected, percent) as the page shows them."""
    found = re.findall(r"<p>(\S+): (\d+) / (\d+)[^<]*<progress max=\"100\" value=\"(\d+)\"", page)
    return {name: (int(given), int(expected), int(percent)) for name, given, expected, percent in found}


def test_each_group_shows_the_marks_it_expects_and_has(organizer):
    # 托育: C1 and C2 (C3 withdrew) × (T1 × J01, J02 + T2 × J01), less J02's recusal for C2 = 5;
    #       given: J01's and J02's T1 for C1
    # 美发: H1 and H2 × T1, T2 (the panel names no aspects: all of the stage) × J02 = 4; given: H1's two
    expected = {"托育": (2, 5, 40), "美发": (2, 4, 50)}
    assert _progress(organizer.get("/admin/c/progress-2025").get_data(as_text=True)) == expected
    assert _progress(organizer.get("/admin/c/progress-2025/monitor").get_data(as_text=True)) == expected


def test_a_voided_mark_is_missing_again_and_a_new_one_counts(organizer, any_app):
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading
    from scoring.services.marks import submit_mark

    eng = engine_of(any_app)
    with reading(eng) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == "progress-2025")).one()
        ids = {
            (type(row).__name__, row.code): row.id
            for kind in (m.Judge, m.Contestant, m.Aspect)
            for row in s.exec(select(kind).where(kind.competition_id == cid))
        }

    def enter(judge, contestant, aspect, value, key, based_on, state="submitted"):
        submit_mark(
            eng,
            competition_id=cid,
            judge_id=ids["Judge", judge],
            contestant_id=ids["Contestant", contestant],
            aspect_id=ids["Aspect", aspect],
            value=value,
            idempotency_key=key,
            based_on_version=based_on,
            entered_by="test",
            state=state,
            reason="录入错误" if state == "void" else "",
        )

    enter("J01", "C1", "T1", None, "void-1", 1, state="void")
    assert _progress(organizer.get("/admin/c/progress-2025").get_data(as_text=True))["托育"] == (1, 5, 20)
    enter("J01", "C2", "T2", "30", "new-1", 0)
    assert _progress(organizer.get("/admin/c/progress-2025").get_data(as_text=True))["托育"] == (2, 5, 40)


def test_tablets_online_and_judge_statistics_read_as_words(organizer, any_app):
    """A tablet's mark lists its judge as online with the time (counted by the database, one row per
    judge); the statistics chart labels each judge with a count, never a Python object."""
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading
    from scoring.services.judging import set_pins

    with reading(engine_of(any_app)) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == "progress-2025")).one()
    set_pins(engine_of(any_app), comp.id, {"J01": "4711"}, actor="t")
    tablet = any_app.test_client()
    assert tablet.post("/judge/c/progress-2025/signin", data={"code": "J01", "pin": "4711"}).status_code == 302
    sheet = tablet.get("/api/v1/judging/progress-2025/sheet").get_json()
    ref = next(c["ref"] for c in sheet["contestants"] if c["marks"].get("T2", {}).get("value") is None)
    r = tablet.post(
        "/api/v1/judging/progress-2025/marks",
        json={
            "contestant": ref,
            "aspect": "T2",
            "value": "30",
            "idempotency_key": "monitor-online-1",
            "based_on_version": 0,
            "client_id": "tablet-1",
        },
    )
    assert r.status_code in (200, 201), r.get_data(as_text=True)[:300]
    page = organizer.get("/admin/c/progress-2025/monitor").get_data(as_text=True)
    assert re.search(r'<li>[^<]+ <span class="muted">J01 · \d\d:\d\d:\d\d</span></li>', page), page
    labels = re.findall(r'<text x="0"[^>]*>([^<]+)</text>', page)
    assert labels and all(re.fullmatch(r".+ \(\d+\)", label) for label in labels), labels
    assert "built-in" not in page and " at 0x" not in page
