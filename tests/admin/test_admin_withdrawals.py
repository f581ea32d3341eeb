"""Withdrawals and no-shows (弃权/缺考, issue 12 item 3): recorded on the console with a reason,
audited, undone with a reason; the contestant is not ranked, gets no award, is shown with the
word and the reason (never a 0) and does not hold up a lock or publication."""

from __future__ import annotations

import pytest
from admin_helpers import ORGANIZER, engine_of, enter_marks, small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading


def _document() -> dict:
    doc = small_document("withdrawals-2025")
    person = {"unit": "测试单位", "region": "榆阳区"}
    doc["contestants"] = [
        {"code": "C1", "name": "张伟", "group": "childcare", **person},
        {"code": "C2", "name": "杨堃", "group": "childcare", **person},
        {"code": "C3", "name": "赵喆", "group": "childcare", **person},
    ]
    return doc


@pytest.fixture
def world(any_app):
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    cid = import_document(engine_of(any_app), _document())
    create_user(engine_of(any_app), *ORGANIZER, role="organizer")
    client = any_app.test_client()
    assert client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]}).status_code == 302
    with reading(engine_of(any_app)) as s:
        ids = {c.code: c.id for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
    return any_app, client, cid, ids


URL = "/admin/c/withdrawals-2025/withdrawals"


def _row(payload: dict, code: str) -> dict:
    return next(r for g in payload["groups"] for r in g["rows"] if r["code"] == code)


def test_an_absent_contestant_is_shown_as_absent_with_the_reason_and_does_not_block(world):
    from scoring.services import publication, results

    app, client, cid, ids = world
    eng = engine_of(app)
    enter_marks(app, cid, {"C1": "80", "C2": "70"})
    r = client.post(URL, data={"action": "set", "contestant_id": ids["C3"], "kind": "absent", "reason": "病假"})
    assert r.status_code == 302
    _, full = results.full_payload(eng, cid)
    out = _row(full, "C3")
    assert (out["status"], out["reason"], out["rank"], out["total"], out["awards"]) == (
        "absent",
        "病假",
        None,
        None,
        [],
    )
    assert [_row(full, c)["rank"] for c in ("C1", "C2")] == ["1", "2"]
    with reading(eng) as s:
        event = s.exec(select(m.AuditEvent).where(m.AuditEvent.kind == "contestant.withdrawn")).one()
    assert event.subject == "C3" and event.payload["reason"] == "病假" and event.actor == ORGANIZER[0]
    page = client.get("/admin/c/withdrawals-2025").get_data(as_text=True)
    assert "缺考" in page and "病假" in page
    # the missing marks of an absent contestant do not hold up lock and publication
    publication.set_stage_state(eng, cid, "theory", True, "t")
    assert publication.publish(eng, cid, "t") == 1
    report = publication.current_report(eng, cid)
    third = next(r for g in report["groups"] for r in g["rows"] if r["code"] == "C3")
    assert third["status"] == "absent" and third["reason"] == "病假"
    from scoring.services.exports import group_csv

    assert "缺考: 病假" in group_csv(report, "childcare").decode("utf-8-sig")
    assert "Absent: 病假" in group_csv(report, "childcare", public=True, locale="en").decode("utf-8-sig")
    page = client.get("/results/withdrawals-2025").get_data(as_text=True)
    assert "缺考" in page and "病假" in page


def test_a_withdrawal_needs_a_reason_and_is_undone_with_one(world):
    app, client, cid, ids = world
    eng = engine_of(app)
    r = client.post(URL, data={"action": "set", "contestant_id": ids["C2"], "kind": "withdrawn", "reason": " "})
    assert r.status_code == 422
    with reading(eng) as s:
        assert s.get(m.Contestant, ids["C2"]).withdrawn is False
    data = {"action": "set", "contestant_id": ids["C2"], "kind": "withdrawn", "reason": "个人原因", "stage": "theory"}
    assert client.post(URL, data=data).status_code == 302
    page = client.get(URL + "?lang=en").get_data(as_text=True)
    assert 'data-out="withdrawn"' in page and "个人原因" in page and "Withdrew" in page
    assert client.post(URL, data={"action": "undo", "contestant_id": ids["C2"], "reason": ""}).status_code == 422
    assert client.post(URL, data={"action": "undo", "contestant_id": ids["C2"], "reason": "误录"}).status_code == 302
    with reading(eng) as s:
        c = s.get(m.Contestant, ids["C2"])
        kinds = [e.kind for e in s.exec(select(m.AuditEvent).order_by(m.AuditEvent.id))]
    assert (c.withdrawn, c.withdrawn_reason, c.withdrawn_stage) == (False, "", None)
    assert kinds[-2:] == ["contestant.withdrawn", "contestant.withdrawal_undone"]


def test_an_unknown_kind_or_stage_changes_nothing(world):
    app, client, cid, ids = world
    for extra in ({"kind": "zero"}, {"kind": "absent", "stage": "nope"}):
        data = {"action": "set", "contestant_id": ids["C1"], "reason": "x", **extra}
        assert client.post(URL, data=data).status_code == 422
    with reading(engine_of(app)) as s:
        assert s.get(m.Contestant, ids["C1"]).withdrawn is False


def test_the_document_keeps_kind_reason_and_stage(world):
    from scoring.document import load_document
    from scoring.services import withdrawals
    from scoring.services.readside import build_document

    app, client, cid, ids = world
    eng = engine_of(app)
    withdrawals.set_withdrawal(eng, cid, ids["C1"], "absent", "迟到", "theory", "t")
    with reading(eng) as s:
        raw = build_document(s, cid)
    c1 = next(c for c in raw["contestants"] if c["code"] == "C1")
    assert (c1["withdrawn"], c1["withdrawn_as"], c1["withdrawn_reason"], c1["withdrawn_stage"]) == (
        True,
        "absent",
        "迟到",
        "theory",
    )
    c2 = next(c for c in raw["contestants"] if c["code"] == "C2")
    assert "withdrawn_as" not in c2 and "withdrawn_reason" not in c2  # defaults stay out of the document
    load_document(raw)


def test_the_award_reveal_leaves_an_absent_contestant_out_and_lists_them_under(world):
    from scoring.services import live_admin, results, withdrawals
    from scoring.visibility import Audience

    app, client, cid, ids = world
    eng = engine_of(app)
    enter_marks(app, cid, {"C1": "80", "C2": "70"})
    withdrawals.set_withdrawal(eng, cid, ids["C3"], "absent", "病假", None, "t")
    live_admin.set_visibility(eng, cid, "live", "t")
    live_admin.set_visibility(eng, cid, "frozen", "t")
    live_admin.start_reveal(eng, cid, "childcare", "t")
    rows = results.visible_standings(eng, cid, Audience.PUBLIC)["groups"][0]["rows"]
    assert [(r["code"], r.get("pending", False), r.get("status")) for r in rows] == [
        ("C1", True, None),
        ("C2", True, None),
        ("C3", False, "absent"),
    ]
    live_admin.step_reveal(eng, cid, "childcare", 1, "t")
    payload = results.visible_standings(eng, cid, Audience.PUBLIC)
    assert payload["reveal"]["total"] == 2 and payload["reveal"]["current"] == "C2"
