"""The marks API: exactly once under retries and concurrent twins; 409, 422, 403, 401; audited versions."""

from __future__ import annotations

import threading

from judge_helpers import SLUG, a_value, competition_id, engine_of, panel_of, post_mark, sheet_of, signin, unmarked
from sqlmodel import select

from scoring import models as m
from scoring.db import reading


def _rows(app, **where):
    with reading(engine_of(app)) as s:
        q = select(m.Mark)
        for k, v in where.items():
            q = q.where(getattr(m.Mark, k) == v)
        return list(s.exec(q))


def test_retry_of_the_same_key_returns_the_original_receipt_and_stores_once(app, judge_client):
    c = unmarked(sheet_of(judge_client))
    first = post_mark(judge_client, c["ref"], "A1.1", "4.5", "tab1-0001")
    again = post_mark(judge_client, c["ref"], "A1.1", "4.5", "tab1-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["mark_id"] == first.get_json()["mark_id"]
    assert again.get_json()["replayed"] is True and first.get_json()["replayed"] is False
    assert first.get_json()["value"] == "4.5"
    assert len(_rows(app, idempotency_key="tab1-0001")) == 1
    # the judge sees the mark on their own sheet, version 1
    cell = next(x for x in sheet_of(judge_client)["contestants"] if x["ref"] == c["ref"])["marks"]["A1.1"]
    assert cell == {"value": "4.5", "version": 1, "state": "submitted", "round": 1}


def test_concurrent_twins_of_one_submission_store_exactly_one_mark(app, seeded):
    clients = []
    for _ in range(8):
        cl = app.test_client()
        signin(cl, "J03")
        clients.append(cl)
    c = unmarked(sheet_of(clients[0]))
    results, barrier = [], threading.Barrier(len(clients))

    def send(cl):
        barrier.wait()
        r = post_mark(cl, c["ref"], "A2.1", "5.5", "twin-key")
        results.append((r.status_code, r.get_json()))

    threads = [threading.Thread(target=send, args=(cl,)) for cl in clients]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(code for code, _ in results) == [200] * 7 + [201]
    assert len({body["mark_id"] for _, body in results}) == 1
    assert len(_rows(app, idempotency_key="twin-key")) == 1


def test_concurrent_different_edits_of_one_version_one_wins_the_rest_get_409(app, seeded):
    clients = []
    for _ in range(6):
        cl = app.test_client()
        signin(cl, "J04")
        clients.append(cl)
    c = unmarked(sheet_of(clients[0]))
    codes, barrier = [], threading.Barrier(len(clients))

    def send(i, cl):
        barrier.wait()
        codes.append(post_mark(cl, c["ref"], "A2.2", "3", f"edit-{i}").status_code)

    threads = [threading.Thread(target=send, args=(i, cl)) for i, cl in enumerate(clients)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(codes) == [201] + [409] * 5
    with reading(engine_of(app)) as s:
        contestant = s.exec(select(m.DrawEntry).where(m.DrawEntry.code == c["ref"])).one().contestant_id
    assert len([r for r in _rows(app, contestant_id=contestant) if r.idempotency_key.startswith("edit-")]) == 1


def test_stale_version_is_409_with_a_clear_message(judge_client):
    c = unmarked(sheet_of(judge_client))
    assert post_mark(judge_client, c["ref"], "A1.2", "4", "s-1").status_code == 201
    zh = post_mark(judge_client, c["ref"], "A1.2", "3", "s-3")
    assert zh.status_code == 409 and "第 1 版" in zh.get_json()["error"]["message"]
    r = judge_client.post(
        f"/api/v1/judging/{SLUG}/marks?lang=en",
        json={"contestant": c["ref"], "aspect": "A1.2", "value": "3", "idempotency_key": "s-2", "based_on_version": 0},
    )
    assert r.status_code == 409
    assert "now version 1, you had version 0" in r.get_json()["error"]["message"]


def test_out_of_range_and_blank_are_422_naming_the_aspect_and_change_nothing(app, judge_client):
    c = unmarked(sheet_of(judge_client))
    for value, words in (
        ("9", "above the highest allowed value 5"),
        ("4.25", "not a multiple of 0.5"),
        ("", "blank is not zero"),
        (None, "blank is not zero"),
        ("abc", "not a number"),
        ("-1", "below the lowest allowed value 0"),
    ):
        r = judge_client.post(
            f"/api/v1/judging/{SLUG}/marks?lang=en",
            json={
                "contestant": c["ref"],
                "aspect": "A1.1",
                "value": value,
                "idempotency_key": f"bad-{value}",
                "based_on_version": 0,
            },
        )
        assert r.status_code == 422, (value, r.get_json())
        problems = r.get_json()["error"]["problems"]
        assert problems[0]["field"] == "A1.1"
        assert words in problems[0]["message"], (value, problems)
    r = post_mark(judge_client, c["ref"], "A1.3", "4", "bad-judgement")  # judgement scale is 0..3
    assert r.status_code == 422 and r.get_json()["error"]["problems"][0]["field"] == "A1.3"
    assert not [k for k in _rows(app) if k.idempotency_key.startswith("bad-")]


def test_recused_and_outside_the_panel_are_403_with_a_reason(app, seeded):
    cid = competition_id(app)
    with reading(engine_of(app)) as s:
        rec = s.exec(
            select(m.Recusal, m.Judge, m.DrawEntry)
            .join(m.Judge, m.Judge.id == m.Recusal.judge_id)
            .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Recusal.contestant_id)
            .where(m.Recusal.competition_id == cid, m.Judge.code.in_(("J02", "J03", "J04", "J05")))
        ).first()
    _, judge, entry = rec
    cl = app.test_client()
    signin(cl, judge.code)
    # the recused contestant is not even on the judge's sheet ...
    assert entry.code not in {c["ref"] for c in sheet_of(cl)["contestants"]}
    # ... and a hand-made submission is refused
    r = cl.post(
        f"/api/v1/judging/{SLUG}/marks?lang=en",
        json={
            "contestant": entry.code,
            "aspect": "A1.1",
            "value": "4",
            "idempotency_key": "rec-1",
            "based_on_version": 0,
        },
    )
    assert r.status_code == 403 and "recused" in r.get_json()["error"]["message"]
    hair = app.test_client()
    signin(hair, "J12")
    childcare_ref = unmarked(sheet_of(cl))["ref"]
    r = hair.post(
        f"/api/v1/judging/{SLUG}/marks?lang=en",
        json={
            "contestant": childcare_ref,
            "aspect": "A1.1",
            "value": "4",
            "idempotency_key": "out-1",
            "based_on_version": 0,
        },
    )
    assert r.status_code == 403 and "do not sit on the panel" in r.get_json()["error"]["message"]
    assert not _rows(app, idempotency_key="rec-1") and not _rows(app, idempotency_key="out-1")


def test_without_a_judge_sign_in_the_api_is_401_and_bad_bodies_are_400(app, seeded):
    anon = app.test_client()
    r = post_mark(anon, "TY-0000", "A1.1", "4", "anon")
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "not_signed_in"
    cl = app.test_client()
    signin(cl, "J02")
    assert cl.post(f"/api/v1/judging/{SLUG}/marks", data="value=4").status_code == 400
    r = post_mark(cl, "TY-0000", "A1.1", "4", "nobody")
    assert r.status_code == 404


def test_expired_judge_session_is_refused_and_marks_can_be_resent_after_sign_in(app, judge_client):
    c = unmarked(sheet_of(judge_client))
    with judge_client.session_transaction() as sess:
        sess["judge_session"]["exp"] = 1
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "late-1").status_code == 401
    signin(judge_client, "J02")
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "late-1").status_code == 201


def test_a_correction_is_a_new_audited_version(app, judge_client):
    c = unmarked(sheet_of(judge_client))
    assert post_mark(judge_client, c["ref"], "B1.1", "6", "c-1").status_code == 201
    r = post_mark(judge_client, c["ref"], "B1.1", "7.5", "c-2", based_on=1)
    assert r.status_code == 201 and r.get_json()["version"] == 2
    rows = sorted(
        (k.version, str(k.value), k.based_on_version) for k in _rows(app) if k.idempotency_key in ("c-1", "c-2")
    )
    assert rows == [(1, "6", 0), (2, "7.5", 1)]
    with reading(engine_of(app)) as s:
        events = s.exec(
            select(m.AuditEvent).where(m.AuditEvent.kind == "mark.submitted", m.AuditEvent.subject.like("%/B1.1/J02"))
        ).all()
    payloads = sorted(
        (e.payload["version"], e.payload["value"], e.payload["previous"])
        for e in events
        if e.payload["key"] in ("c-1", "c-2")
    )
    assert payloads == [(1, "6", None), (2, "7.5", "6")]
    cell = next(x for x in sheet_of(judge_client)["contestants"] if x["ref"] == c["ref"])["marks"]["B1.1"]
    assert cell["value"] == "7.5" and cell["version"] == 2


def test_the_judge_sees_codes_and_stations_only_never_names_units_or_other_judges(app, judge_client):
    sheet = sheet_of(judge_client)
    with reading(engine_of(app)) as s:
        people = s.exec(select(m.Contestant).where(m.Contestant.group_id.is_not(None))).all()
        other = s.exec(select(m.Mark).join(m.Judge, m.Judge.id == m.Mark.judge_id).where(m.Judge.code == "J03")).first()
    text = str(sheet)
    assert not any(p.name in text or (p.unit and p.unit in text) or p.code in text for p in people)
    keys = {"ref", "station", "panel_id", "status", "confirmed", "marks"}  # and the session (场次) of a sessioned stage
    assert all(set(c) - {"session"} == keys for c in sheet["contestants"])
    assert all(c["ref"].startswith("TY-") and c["station"] for c in sheet["contestants"])
    assert sheet["judge"]["code"] == "J02" and "J03" not in text and "rank" not in text
    page = judge_client.get(f"/judge/c/{SLUG}/mark").get_data(as_text=True)
    assert not any(p.name in page for p in people)
    assert other is not None  # other judges do have marks; they are simply not sent


def test_full_sheet_posted_through_the_api_round_trips(app, judge_client):
    sheet = sheet_of(judge_client)
    c = unmarked(sheet)
    for i, a in enumerate(panel_of(sheet, c)["aspects"]):
        assert post_mark(judge_client, c["ref"], a["code"], a_value(a), f"full-{i}").status_code == 201, a
    mine = next(x for x in sheet_of(judge_client)["contestants"] if x["ref"] == c["ref"])
    assert mine["status"] == "submitted"


def test_a_recusal_set_after_marking_began_is_enforced_at_once(app, judge_client):
    """The marks path keeps panels and recusals in memory per config version: a change must show."""
    from scoring.services.setup import set_recusal
    from scoring.web.tablet_session import SESSION_KEY

    c = unmarked(sheet_of(judge_client))
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "cache-1").status_code == 201
    with judge_client.session_transaction() as sess:
        judge_id = sess[SESSION_KEY]["id"]
    with reading(engine_of(app)) as s:
        contestant_id = s.exec(select(m.DrawEntry.contestant_id).where(m.DrawEntry.code == c["ref"])).one()
    set_recusal(engine_of(app), competition_id(app), judge_id, contestant_id, True, "relative", "test")
    r = judge_client.post(
        f"/api/v1/judging/{SLUG}/marks?lang=en",
        json={
            "contestant": c["ref"],
            "aspect": "A1.2",
            "value": "4",
            "idempotency_key": "cache-2",
            "based_on_version": 0,
        },
    )
    assert r.status_code == 403 and "recused" in r.get_json()["error"]["message"]
    # the retry of an acknowledged key still gets its original receipt
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "cache-1").status_code == 200
