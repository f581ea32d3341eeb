"""Sessions (场次) through the database: declared in the document, kept by import and export, and
seated by the draw, whose published hash covers each contestant's session and station."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

SESSIONS = [
    {"code": "P1", "name": "第一场", "stage": "theory", "date": "2025-05-23", "start": "08:30", "end": "11:30",
     "stations": ["A1", "A2"]},
    {"code": "P2", "name": "第二场", "stage": "theory", "date": "2025-05-24", "start": "08:30", "stations": ["A1", "A2"]},
]  # fmt: skip


def _document(n: int = 4) -> dict:
    from competitions import small_document

    doc = small_document("sessions-2025")
    doc["contestants"] = [{"code": f"C{i}", "name": f"选手{i}", "group": "childcare"} for i in range(1, n + 1)]
    doc["sessions"] = json.loads(json.dumps(SESSIONS))
    return doc


def _engine(app):
    return app.extensions["scoring.engine"]


def test_the_draw_seats_everyone_in_a_session_and_the_hash_covers_it(any_app):
    from scoring.services import draw
    from scoring.services.transfer import export_document, import_document

    eng = _engine(any_app)
    cid = import_document(eng, _document())
    digest = draw.draw_lots(eng, cid, "t", seed="fixed-seed")
    with reading(eng) as s:
        entries = list(s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid)))
    assert sorted(e.session for e in entries) == ["P1", "P1", "P2", "P2"]
    assert {(e.session, e.station) for e in entries} == {("P1", "A1"), ("P1", "A2"), ("P2", "A1"), ("P2", "A2")}
    with reading(eng) as s:
        rows = draw._entries(s, cid)
    assert all(len(r) == 6 for r in rows)
    assert draw.map_hash(draw.map_bytes("sessions-2025", "fixed-seed", rows)) == digest
    out = export_document(eng, cid)
    assert out["sessions"][0] == SESSIONS[0] and out["sessions"][1] == SESSIONS[1]
    assert {e["session"] for e in out["draw"]["entries"]} == {"P1", "P2"}


def test_a_session_without_room_refuses_the_draw(any_app):
    from scoring.errors import Conflict
    from scoring.services import draw
    from scoring.services.transfer import import_document

    eng = _engine(any_app)
    cid = import_document(eng, _document(5))
    with pytest.raises(Conflict):
        draw.draw_lots(eng, cid, "t")
    with reading(eng) as s:
        assert s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid)).first() is None


def test_a_draw_without_sessions_hashes_as_before():
    from scoring.services.draw import map_bytes

    entry = ["CH-1234", "01", "C1", "张伟", "childcare"]
    assert map_bytes("x", "s", [entry]) == (
        '{"competition":"x","seed":"s","entries":[["CH-1234","01","C1","张伟","childcare"]]}'.encode()
    )


def test_the_document_checks_sessions():
    from scoring.document import load_document
    from scoring.errors import InvalidInput

    doc = _document()
    doc["sessions"][1]["stage"] = "nope"
    doc["sessions"][0]["end"] = "08:00"
    doc["draw"] = {"entries": [{"contestant": "C1", "code": "X-1", "session": "P9"}]}
    with pytest.raises(InvalidInput) as exc:
        load_document(doc)
    paths = {p.path for p in exc.value.problems}
    assert {"sessions[1].stage", "sessions[0].end", "draw.entries[0].session"} <= paths


def test_a_sessions_own_panel_sees_and_marks_only_its_contestants(any_app):
    from scoring.services import draw
    from scoring.services.judge_sheet import judge_sheet
    from scoring.services.readside import seating
    from scoring.services.transfer import export_document, import_document

    eng = _engine(any_app)
    doc = _document()
    doc["judges"].append({"code": "J02", "name": "李裁判"})
    doc["panels"] = [
        {"group": "childcare", "stage": "theory", "judges": ["J01"], "session": "P1"},
        {"group": "childcare", "stage": "theory", "judges": ["J02"], "session": "P2"},
    ]
    cid = import_document(eng, doc)
    draw.draw_lots(eng, cid, "t", seed="s")
    with reading(eng) as s:
        judges = {j.code: j.id for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid)).one()
        seated = list(
            s.exec(select(m.DrawEntry, m.Contestant).join(m.Contestant, m.Contestant.id == m.DrawEntry.contestant_id))
        )
        rules = seating(s, cid)
    for entry, person in seated:
        own, other = ("J01", "J02") if entry.session == "P1" else ("J02", "J01")
        assert rules.refusal(judges[own], person, aspect) is None
        assert rules.refusal(judges[other], person, aspect) is not None
        assert rules.expected(person, aspect) == {judges[own]}
    sheet = judge_sheet(eng, cid, judges["J01"])
    assert {r["session"] for r in sheet["contestants"]} == {"P1"} and len(sheet["contestants"]) == 2
    assert [p.get("session") for p in export_document(eng, cid)["panels"]] == ["P1", "P2"]


def test_the_current_session_follows_the_venue_clock():
    from datetime import UTC, datetime

    from scoring.services.timetable import current_code

    rows = [{"code": c, "date": s["date"], "start": s["start"], "end": s.get("end")} for c, s in zip("AB", SESSIONS)]
    # 2025-05-23 09:00 in Shanghai is 01:00 UTC: session A is on; on the 24th at 07:00 local B is next
    assert current_code(rows, "Asia/Shanghai", datetime(2025, 5, 23, 1, 0, tzinfo=UTC)) == "A"
    assert current_code(rows, "Asia/Shanghai", datetime(2025, 5, 23, 23, 0, tzinfo=UTC)) == "B"
    assert current_code(rows, "Asia/Shanghai", datetime(2025, 5, 25, 1, 0, tzinfo=UTC)) is None  # all over
    assert current_code([], "Asia/Shanghai") is None


def test_tablet_grid_and_board_filter_by_session(any_app):
    from scoring.services import draw
    from scoring.services.judging import set_pins
    from scoring.services.live_admin import set_visibility
    from scoring.services.transfer import import_document

    eng = _engine(any_app)
    cid = import_document(eng, _document())
    draw.draw_lots(eng, cid, "t", seed="s")
    set_pins(eng, cid, {"J01": "4711"}, actor="t")
    client = any_app.test_client()
    assert client.post("/judge/c/sessions-2025/signin", data={"code": "J01", "pin": "4711"}).status_code == 302
    sheet = client.get("/api/v1/judging/sessions-2025/sheet").get_json()
    assert [s["code"] for s in sheet["sessions"]] == ["P1", "P2"] and sheet["current_session"] is None  # 2025: over
    assert sorted(r["session"] for r in sheet["contestants"]) == ["P1", "P1", "P2", "P2"]
    grid = client.get("/api/v1/judging/sessions-2025/progress").get_json()
    assert sorted(r["session"] for r in grid["panels"][0]["rows"]) == ["P1", "P1", "P2", "P2"]
    assert grid["current_session"] == sheet["current_session"]
    set_visibility(eng, cid, "live", "t")
    page = any_app.test_client().get("/board/sessions-2025?session=P2").get_data(as_text=True)
    board = json.loads(page.split('id="board-data">')[1].split("</script>")[0])
    assert [r["session"] for g in board["groups"] for r in g["rows"]] == ["P2", "P2"]
    page = any_app.test_client().get("/board/sessions-2025?session=current").get_data(as_text=True)
    board = json.loads(page.split('id="board-data">')[1].split("</script>")[0])
    assert {r["session"] for g in board["groups"] for r in g["rows"]} == {"P1", "P2"}  # none on: every session


def test_progress_per_session_counts_only_its_contestants_and_stage(any_app):
    from scoring.services import draw
    from scoring.services.progress import by_group
    from scoring.services.transfer import import_document

    eng = _engine(any_app)
    cid = import_document(eng, _document())
    draw.draw_lots(eng, cid, "t", seed="s")
    with reading(eng) as s:
        p1 = s.exec(select(m.StageSession).where(m.StageSession.code == "P1")).one()
    whole, first = by_group(eng, cid)[0], by_group(eng, cid, p1)[0]
    assert (whole["expected"], first["expected"]) == (4, 2)  # one judge, one aspect: 4 contestants, 2 in P1
