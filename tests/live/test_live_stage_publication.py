"""A stage publication as a board's socket sees it: the snapshot of an embargoed competition
whose theory is published carries the theory alone, and a practical mark committed afterwards
reaches no public board (no push, nothing of it in any later message)."""

from __future__ import annotations

import time

from live_helpers import pushes_settled
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.services import live_admin, publication, staged


def _practical_mark(engine, cid) -> m.Mark:
    with reading(engine) as s:
        return s.exec(
            select(m.Mark)
            .join(m.Aspect, m.Aspect.id == m.Mark.aspect_id)
            .join(m.Stage, m.Stage.id == m.Aspect.stage_id)
            .where(m.Mark.competition_id == cid, m.Stage.code == "practical")
            .order_by(m.Mark.id.desc())
            .limit(1)
        ).one()


def test_the_board_socket_shows_the_published_theory_and_nothing_of_the_practical(comp, board_client):
    import uuid

    from scoring.services.marks import submit_mark

    engine, cid = comp
    live_admin.set_visibility(engine, cid, "embargoed", "t")
    publication.set_stage_state(engine, cid, "theory", True, "t")
    staged.publish_stage(engine, cid, "theory", "", "t")
    board = board_client()
    board.wait(lambda b: b.messages)
    snap = board.messages[-1]
    assert snap["kind"] == "snapshot" and snap["view"]["standings"] is True
    assert [st["code"] for st in snap["stages"]] == ["theory"]
    for g in snap["groups"]:
        assert g["ranked_by"]["code"] == "theory"
        for r in g["rows"]:
            assert set(r["stages"]) == {"theory"} and r["stage_ranks"]["theory"]
            assert r["rank"] is None and r["total"] is None and r["awards"] == []
    pushes_settled()  # the publication's own push round may reach the new board after its snapshot
    assert all(msg["version"] == snap["version"] for msg in board.messages)
    before = len(board.messages)
    mark = _practical_mark(engine, cid)
    submit_mark(
        engine,
        competition_id=cid,
        judge_id=mark.judge_id,
        contestant_id=mark.contestant_id,
        aspect_id=mark.aspect_id,
        value="0",
        idempotency_key=uuid.uuid4().hex,
        based_on_version=mark.version,
        entered_by="test",
    )
    time.sleep(1.0)  # a push would come within ~100 ms
    for msg in board.messages[1:]:
        for g in msg.get("groups", []):
            for r in g.get("rows", []):
                assert set(r.get("stages", {})) <= {"theory"} and r.get("total") is None
    assert len(board.messages) == before  # the practical mark changed nothing the public sees
