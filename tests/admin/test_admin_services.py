"""Console services on real databases: import all-or-nothing, draw hash, publication, appeals,
certificates revoked and reissued, exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from admin_helpers import CSV_BAD, CSV_GOOD, engine_of, enter_marks, small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import Conflict, InvalidInput


@pytest.fixture
def comp(any_app):
    from scoring.services.transfer import import_document

    return any_app, import_document(engine_of(any_app), small_document())


def _count(app, model, cid):
    with reading(engine_of(app)) as s:
        return len(s.exec(select(model).where(model.competition_id == cid)).all())


def test_bad_sheet_lists_every_bad_row_and_imports_nothing(comp):
    from scoring.services.setup import import_contestants

    app, cid = comp
    with pytest.raises(InvalidInput) as exc:
        import_contestants(engine_of(app), cid, "名单.csv", CSV_BAD.encode("utf-8"), "t")
    text = "\n".join(exc.value.messages("zh_Hans_CN"))
    assert "第3行" in text and "姓名" in text  # missing name
    assert "第4行" in text and "美甲" in text  # unknown group
    assert "第5行" in text and "12345" in text  # bad phone
    assert "第5行" in text and "第 2 行" in text  # duplicate of row 2
    assert _count(app, m.Contestant, cid) == 0


def test_good_sheet_imports_xlsx_with_chinese_headers(comp):
    from openpyxl import Workbook

    from scoring.services.setup import import_contestants

    app, cid = comp
    wb = Workbook()
    for row in csv.reader(io.StringIO(CSV_GOOD)):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    assert import_contestants(engine_of(app), cid, "名单.xlsx", buf.getvalue(), "t") == 3
    with reading(engine_of(app)) as s:
        names = sorted(c.name for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)))
    assert names == sorted(["张伟", "杨堃", "赵喆"])
    with pytest.raises(InvalidInput):  # neither .xlsx nor .csv
        import_contestants(engine_of(app), cid, "x.txt", b"", "t")


def test_recusal_suggested_for_same_unit(comp):
    from scoring.services.setup import import_contestants, set_recusal, suggest_recusals

    app, cid = comp
    import_contestants(engine_of(app), cid, "a.csv", CSV_GOOD.encode(), "t")
    sug = suggest_recusals(engine_of(app), cid)
    assert [(x["contestant_name"], x["reason"]) for x in sug] == [("张伟", "同一单位")]
    set_recusal(engine_of(app), cid, sug[0]["judge_id"], sug[0]["contestant_id"], True, sug[0]["reason"], "t")
    assert suggest_recusals(engine_of(app), cid) == []


def test_draw_hash_matches_revealed_map_and_reveal_needs_lock(comp):
    from scoring.services import draw, publication
    from scoring.services.setup import import_contestants

    app, cid = comp
    import_contestants(engine_of(app), cid, "a.csv", CSV_GOOD.encode(), "t")
    digest = draw.draw_lots(engine_of(app), cid, "t", seed="fixed-seed")
    assert draw.state(engine_of(app), cid)["map_hash"] == digest and "entries" not in draw.state(engine_of(app), cid)
    with pytest.raises(Conflict):
        draw.reveal(engine_of(app), cid, "t")
    enter_marks(app, cid, {"C001": "90"})
    with pytest.raises(Conflict):  # marking has begun: the draw is final
        draw.draw_lots(engine_of(app), cid, "t")
    publication.set_stage_state(engine_of(app), cid, "theory", True, "t", allow_incomplete=True)
    draw.reveal(engine_of(app), cid, "t")
    st = draw.state(engine_of(app), cid)
    assert hashlib.sha256(st["map_file"]).hexdigest() == digest and st["matches"]
    body = json.loads(st["map_file"])
    assert body["seed"] == "fixed-seed" and {e[3] for e in body["entries"]} == {"张伟", "杨堃", "赵喆"}
    with reading(engine_of(app)) as s:
        assert s.exec(select(m.AuditEvent).where(m.AuditEvent.kind == "draw.revealed")).one().actor == "t"


def test_publish_appeal_revokes_and_reissues(comp):
    from scoring.certificates.service import certificates
    from scoring.services import appeals, draw, exports, publication
    from scoring.services.setup import import_contestants

    app, cid = comp
    eng = engine_of(app)
    import_contestants(eng, cid, "a.csv", CSV_GOOD.encode(), "t")
    draw.draw_lots(eng, cid, "t")
    enter_marks(app, cid, {"C001": "90", "C002": "80"})
    publication.set_stage_state(eng, cid, "theory", True, "t", allow_incomplete=True)
    draw.reveal(eng, cid, "t")
    with pytest.raises(Conflict):  # C003 has no mark: incomplete
        publication.publish(eng, cid, "t")
    with pytest.raises(Conflict):  # the stage is locked: no more marks
        enter_marks(app, cid, {"C003": "70"})
    publication.set_stage_state(eng, cid, "theory", False, "t", reason="C003 补录")
    enter_marks(app, cid, {"C003": "70"})
    publication.set_stage_state(eng, cid, "theory", True, "t")
    assert publication.publish(eng, cid, "t", notice_days=5) == 1
    with reading(eng) as s:
        assert s.get(m.Competition, cid).visibility == "published"
    v1 = publication.versions(eng, cid)[0]
    assert v1.content_hash == publication.content_hash(v1.content)
    first = {c.award: c for c in certificates(eng, cid)}
    assert first["一等奖"].name == "张伟" and first["二等奖"].name == "杨堃"
    aid = appeals.file_appeal(eng, cid, "C002", "杨堃", "13800000002", "理论成绩登记有误，应为95分", "public")
    assert appeals.decide_appeal(eng, cid, aid, True, "核实后更正", "t", [("C002", "T1", "J01", "95")]) == 2
    v2 = publication.versions(eng, cid)[1]
    changes = publication.diff(v1.content, v2.content)
    assert {(c["code"], c["field"]) for c in changes} >= {("C002", "rank"), ("C002", "awards"), ("C001", "awards")}
    by_serial = {c.serial: c for c in certificates(eng, cid)}
    old = by_serial[first["一等奖"].serial]
    assert old.state == "revoked" and old.replaced_by and by_serial[old.replaced_by].award == "二等奖"
    valid = {(c.name, c.award) for c in by_serial.values() if c.state == "valid"}
    assert valid == {("杨堃", "一等奖"), ("张伟", "二等奖")}
    # exports: ranks, awards, decided-by column; the public one has no station or region
    head, rows = exports.table(v2.content, "childcare")
    assert rows[0][head.index("姓名")] == "杨堃" and rows[0][head.index("奖项")] == "一等奖"
    phead, _ = exports.table(v2.content, "childcare", public=True)
    assert "工位号" not in phead and "县市区" not in phead
    assert "13800000002" not in json.dumps(v2.content, ensure_ascii=False)
    with pytest.raises(Conflict):  # decided once
        appeals.decide_appeal(eng, cid, aid, False, "x", "t")


def test_objection_refused_outside_notice_window(comp):
    from scoring.services import appeals

    app, cid = comp
    with pytest.raises(Conflict):
        appeals.file_appeal(engine_of(app), cid, "", "某人", "", "成绩有误请复核", "public")
