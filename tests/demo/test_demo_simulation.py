"""The judge simulator against a real server (scoring.demo_simulation): after one run every cell
of every panel of both groups is marked, through the marks API; a second run sends nothing; a
resent mark is a replay of its receipt, never a second mark; and the demo can then be locked,
revealed and published."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from scoring import demo_simulation as sim
from scoring import models as m
from scoring.db import reading
from scoring.demo import build_demo
from scoring.demo_marks import plan_for_sheet
from scoring.services import draw, publication
from scoring.services.progress import by_group

pytestmark = pytest.mark.slow  # about 15 s: 5,109 marks through HTTP on SQLite


def _mark_rows(engine, cid) -> int:
    with reading(engine) as s:
        return s.exec(select(func.count(m.Mark.id)).where(m.Mark.competition_id == cid)).one()


def test_simulating_marks_every_missing_cell_once_and_unblocks_publication(app, live_server):
    engine, secret = app.extensions["scoring.engine"], app.config["SECRET_KEY"]
    build_demo(engine)
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == sim.DEMO_SLUG)).one()
    before = by_group(engine, cid)
    gaps = [g["code"] for g in before if g["given"] < g["expected"]]
    assert gaps == ["childcare", "hairdressing"]  # both individual groups have gaps (the team event has every mark)
    assert not publication.current_report(engine, cid)["complete"]
    rows_before = _mark_rows(engine, cid)

    links = sim.card_links(engine, cid, secret)
    tablet, sheet = sim.sign_in_tablet(live_server, sim.DEMO_SLUG, "J02", links["J02"])
    owed = plan_for_sheet("J02", sheet, sim.typical_values(engine, cid), sim.DEFAULT_SEED)
    tablet.close()
    assert owed

    progress = []
    run = sim.run(engine, sim.DEMO_SLUG, live_server, secret, seconds=0, report=lambda r: progress.append(r.sent))
    assert run.state == "done", run.error
    assert run.sent == run.total > 0 and run.replayed == 0 and run.remaining == 0
    assert progress[-1] == run.total
    after = by_group(engine, cid)
    assert all(g["given"] == g["expected"] for g in after), after
    assert _mark_rows(engine, cid) == rows_before + run.total  # one stored version per mark sent

    again = sim.run(engine, sim.DEMO_SLUG, live_server, secret, seconds=0)
    assert again.state == "done" and again.total == 0  # nothing left: a second run sends nothing

    # a tablet resending what the simulator sent (same keys): the original receipts, nothing stored
    tablet, _ = sim.sign_in_tablet(live_server, sim.DEMO_SLUG, "J02", links["J02"])
    for p in owed[:3]:
        body = {"contestant": p.ref, "aspect": p.aspect, "value": p.value, "idempotency_key": p.key}
        status, _answer = tablet.request(
            "POST", f"/api/v1/judging/{sim.DEMO_SLUG}/marks", {**body, "based_on_version": p.based_on_version}
        )
        assert status == 200
    tablet.close()
    assert _mark_rows(engine, cid) == rows_before + run.total

    # missing marks no longer block: lock the practical (the demo's theory is locked and
    # published already, as version 1), reveal, publish everything as version 2
    report = publication.current_report(engine, cid)
    assert report["complete"]
    assert [v.scope["stages"] for v in publication.versions(engine, cid)] == [["theory"]]
    publication.set_stage_state(engine, cid, "practical", True, "organizer")
    draw.seal(engine, cid, "organizer")
    draw.reveal(engine, cid, "organizer")
    assert publication.publish(engine, cid, "organizer") == 2


def test_only_one_run_at_a_time_per_competition(app, tmp_path):
    from scoring.db import make_engine

    engine, other = app.extensions["scoring.engine"], make_engine(f"sqlite:///{tmp_path / 'other.sqlite'}")
    first = sim.claim(engine, "sim-test-once", 5)
    assert first is not None and sim.claim(engine, "sim-test-once", 5) is None
    assert sim.claim(other, "sim-test-once", 5) is not None  # another database's competition of that code
    first.state = "done"
    assert sim.claim(engine, "sim-test-once", 5) is not None
