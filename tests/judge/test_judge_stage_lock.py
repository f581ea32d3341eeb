"""A locked stage takes no more marks from the tablets (409, nothing stored) until the audited
unlock; what the lock's confirmation says ("final") is what the write path does."""

from __future__ import annotations

from judge_helpers import a_value, engine_of, panel_of, post_mark, sheet_of, unmarked
from sqlmodel import func, select

from scoring import models as m
from scoring.db import reading
from scoring.services import publication


def _marks(app) -> int:
    with reading(engine_of(app)) as s:
        return s.exec(select(func.count(m.Mark.id))).one()


def test_a_locked_stage_refuses_marks_until_it_is_unlocked(app, judge_client):
    sheet = sheet_of(judge_client)
    c = unmarked(sheet)
    aspect = panel_of(sheet, c)["aspects"][0]
    with reading(engine_of(app)) as s:
        cid = s.exec(select(m.Competition.id)).first()
    publication.set_stage_state(engine_of(app), cid, "practical", True, "t", allow_incomplete=True)
    before = _marks(app)
    refused = post_mark(judge_client, c["ref"], aspect["code"], a_value(aspect), "after-lock-1")
    assert refused.status_code == 409 and "锁定" in refused.get_json()["error"]["message"]
    assert _marks(app) == before
    publication.set_stage_state(engine_of(app), cid, "practical", False, "t", reason="J02 补评")
    assert post_mark(judge_client, c["ref"], aspect["code"], a_value(aspect), "after-unlock-1").status_code == 201
