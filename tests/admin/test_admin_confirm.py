"""Irreversible steps ask first (lock, publish, reveal, replace): a POST without ``confirm=1``
shows what the step would do with its counts and changes nothing; with it, the step is done and a
success message says so; the lock links its audited undo. Also: what blocks a step is listed on
the pages that refuse it, and a group without a panel no longer turns the console into 422s."""

from __future__ import annotations

import io
import json

import pytest
from admin_helpers import CSV_GOOD, ORGANIZER, engine_of, enter_marks
from sqlmodel import select

from scoring import models as m
from scoring.db import reading


def _organizer(app):
    client = app.test_client()
    assert client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]}).status_code == 302
    return client


def _people(app, cid):
    from scoring.services.setup import import_contestants

    import_contestants(engine_of(app), cid, "a.csv", CSV_GOOD.encode(), "t")


def _stage_state(app, cid):
    with reading(engine_of(app)) as s:
        return s.exec(select(m.Stage.state).where(m.Stage.competition_id == cid)).one()


def _events(app, kind):
    with reading(engine_of(app)) as s:
        return list(s.exec(select(m.AuditEvent).where(m.AuditEvent.kind == kind)))


@pytest.fixture
def one_marked(app, mini):
    """Three contestants, only C001 marked; (slug, competition id, the organizer's client)."""
    slug, cid = mini
    _people(app, cid)
    enter_marks(app, cid, {"C001": "90"})
    return slug, cid, _organizer(app)


def test_lock_asks_with_the_counts_then_locks_and_links_the_audited_unlock(app, one_marked):
    slug, cid, client = one_marked
    review = client.get(f"/admin/c/{slug}/review").get_data(as_text=True)
    assert 'data-test="blockers"' in review and "2 名选手成绩不完整，缺 2 项评分" in review
    assert f"/admin/c/{slug}/monitor?contestant=C002#drill" in review  # each row links where it is fixed

    asked = client.post(f"/admin/c/{slug}/review", data={"action": "lock", "stage": "theory"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-test="confirm-lock"' in page
    assert "锁定赛段 理论？" in page and "2 名选手成绩不完整，缺 2 项评分" in page and "仍然锁定 理论" in page
    assert 'name="confirm" value="1"' in page
    assert _stage_state(app, cid) == "open" and _events(app, "stage.locked") == []  # nothing changed

    done = client.post(f"/admin/c/{slug}/review", data={"action": "lock", "stage": "theory", "confirm": "1"})
    assert done.status_code == 302 and _stage_state(app, cid) == "locked"
    page = client.get(done.location).get_data(as_text=True)
    assert "赛段 理论 已锁定(2 名选手成绩不完整，缺 2 项评分)。" in page
    assert f'href="/admin/c/{slug}/review#stage-theory"' in page and "撤销：填写原因后解锁 理论" in page
    assert _events(app, "stage.locked")[0].payload["marks_missing"] == 2

    refused = client.post(f"/admin/c/{slug}/review", data={"action": "unlock", "stage": "theory"})
    assert refused.status_code == 302 and _stage_state(app, cid) == "locked"  # no reason, no unlock
    client.post(f"/admin/c/{slug}/review", data={"action": "unlock", "stage": "theory", "reason": "补录 C002 成绩"})
    assert _stage_state(app, cid) == "open"
    assert _events(app, "stage.unlocked")[0].payload["reason"] == "补录 C002 成绩"
    assert "赛段 理论 已重新解锁" in client.get(f"/admin/c/{slug}/review").get_data(as_text=True)


def test_publish_lists_its_blockers_then_asks_with_what_it_makes_public(app, one_marked):
    slug, cid, client = one_marked
    page = client.get(f"/admin/c/{slug}/publish?lang=en").get_data(as_text=True)
    assert (
        "2 contestants still incomplete, 2 marks missing" in page and "Stage Theory is not locked." in page
    )  # the stage named in English
    refused = client.post(
        f"/admin/c/{slug}/publish",
        data={"notice_days": "5"},
        headers={"Referer": f"http://localhost/admin/c/{slug}/publish"},
    )
    assert refused.status_code == 302  # refused before it is even asked, with the reason
    assert "Lock every stage before publishing." in client.get(refused.location).get_data(as_text=True)
    client.get(f"/admin/c/{slug}/publish?lang=zh_Hans_CN")

    enter_marks(app, cid, {"C002": "80", "C003": "70"})
    client.post(f"/admin/c/{slug}/review", data={"action": "lock", "stage": "theory", "confirm": "1"})
    asked = client.post(f"/admin/c/{slug}/publish", data={"notice_days": "5"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-test="confirm-publish"' in page
    assert "第 1 版将公开 1 个组别 3 名选手的成绩" in page and "公示期为 5 天" in page
    with reading(engine_of(app)) as s:
        assert s.exec(select(m.ResultVersion)).first() is None

    done = client.post(f"/admin/c/{slug}/publish", data={"notice_days": "5", "confirm": "1"})
    assert "成绩版本 1 已发布" in client.get(done.location).get_data(as_text=True)
    with reading(engine_of(app)) as s:
        assert [v.number for v in s.exec(select(m.ResultVersion))] == [1]


def test_reveal_asks_with_how_many_identities_it_makes_public(app, mini):
    from scoring.services import draw, publication

    slug, cid = mini
    _people(app, cid)
    draw.draw_lots(engine_of(app), cid, "t")
    enter_marks(app, cid, {"C001": "90", "C002": "80", "C003": "70"})
    client = _organizer(app)
    assert "赛段 理论 尚未锁定。" in client.get(f"/admin/c/{slug}/draw").get_data(as_text=True)  # what blocks it
    publication.set_stage_state(engine_of(app), cid, "theory", True, "t")
    asked = client.post(f"/admin/c/{slug}/draw", data={"action": "reveal"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-test="confirm-reveal"' in page and "解密 3 名选手身份" in page
    assert not draw.state(engine_of(app), cid)["revealed"]
    done = client.post(f"/admin/c/{slug}/draw", data={"action": "reveal", "confirm": "1"})
    assert draw.state(engine_of(app), cid)["revealed"]
    assert "身份已解密" in client.get(done.location).get_data(as_text=True)


def test_replace_asks_with_what_the_competition_holds_and_keeps_the_upload_until_confirmed(app, one_marked):
    from scoring.services.transfer import export_document

    slug, cid, client = one_marked
    data = json.dumps(export_document(engine_of(app), cid), ensure_ascii=False).encode()

    def upload(**form):
        return client.post(
            "/admin/import",
            data={"document": (io.BytesIO(data), "c.json"), **form},
            content_type="multipart/form-data",
        )

    assert upload().status_code == 422  # no replace asked: refused as before
    asked = upload(replace="1")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-test="confirm-replace"' in page
    assert "该竞赛目前有 3 名选手、1 条已存评分、0 个已发布成绩版本和 0 张有效证书" in page
    assert f"/admin/c/{slug}/document.json" in page  # the way to keep a copy first
    token = page.split('name="staged" value="')[1].split('"')[0]
    with reading(engine_of(app)) as s:
        assert s.exec(select(m.Competition).where(m.Competition.slug == slug)).one().id == cid  # untouched

    bad = client.post("/admin/import", data={"replace": "1", "staged": "0" * 32, "confirm": "1"})
    assert bad.status_code == 422 and "已过期" in bad.get_data(as_text=True)
    done = client.post("/admin/import", data={"replace": "1", "staged": token, "name": "c.json", "confirm": "1"})
    assert done.status_code == 302
    assert "已被导入的文档替换" in client.get(done.location).get_data(as_text=True)
    assert len(_events(app, "competition.imported")) == 1  # the new competition's own log
    again = client.post("/admin/import", data={"replace": "1", "staged": token, "confirm": "1"})
    assert again.status_code == 422  # a staged upload is used once


def test_a_group_without_a_panel_is_named_on_overview_and_monitor_instead_of_a_422(app, mini):
    slug, _cid = mini
    client = _organizer(app)
    client.post(f"/admin/c/{slug}/setup", data={"what": "group", "code": "hair", "name": "美发"})
    for page in ("", "/monitor", "/review", "/publish"):
        r = client.get(f"/admin/c/{slug}{page}")
        assert r.status_code == 200, page
        assert "组别 美发 在赛段 理论 没有裁判组" in r.get_data(as_text=True), page


def test_upholding_an_appeal_asks_with_the_version_and_certificates_it_touches(app, one_marked):
    from scoring.services import appeals, publication

    slug, cid, client = one_marked
    enter_marks(app, cid, {"C002": "80", "C003": "70"})
    publication.set_stage_state(engine_of(app), cid, "theory", True, "t")
    publication.publish(engine_of(app), cid, "t", notice_days=5)
    appeal = appeals.file_appeal(engine_of(app), cid, "C002", "杨堃", "", "理论成绩登记有误，应为95分", "public")
    form = {"action": "uphold", "appeal_id": str(appeal), "decision": "核实答卷，更正为95分"}
    form |= {"c_contestant": "C002", "c_aspect": "T1", "c_judge": "J01", "c_value": "95"}
    asked = client.post(f"/admin/c/{slug}/appeals", data=form)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-test="confirm-uphold"' in page
    assert "将发布第 2 版成绩" in page and "C002 · T1 · J01 → 95" in page and "C002 有 1 张有效证书" in page
    assert [v.number for v in publication.versions(engine_of(app), cid)] == [1]
    assert appeals.appeals(engine_of(app), cid)[0].state == "filed"
    done = client.post(f"/admin/c/{slug}/appeals", data={**form, "confirm": "1"})
    assert [v.number for v in publication.versions(engine_of(app), cid)] == [1, 2]
    assert "成绩版本 2 已发布" in client.get(done.location).get_data(as_text=True)


def test_a_chief_judge_account_sees_blockers_by_anonymous_code_and_station_before_the_reveal(app, mini):
    import re

    from scoring.services import draw
    from scoring.services.accounts import create_user

    slug, cid = mini
    _people(app, cid)
    draw.draw_lots(engine_of(app), cid, "t")
    enter_marks(app, cid, {"C001": "90"})
    create_user(engine_of(app), "chief", "chief-pass-1", role="chief")
    chief = app.test_client()
    chief.post("/login", data={"username": "chief", "password": "chief-pass-1"})
    page = chief.get(f"/admin/c/{slug}/review").get_data(as_text=True)
    blockers = page.split('data-test="blockers"')[1].split("</section>")[0]
    assert "2 名选手成绩不完整，缺 2 项评分" in blockers
    assert len(re.findall(r'data-blocker="CH-\d{4}"', blockers)) == 2
    assert not any(name in blockers for name in ("杨堃", "赵喆", "C002", "C003"))
