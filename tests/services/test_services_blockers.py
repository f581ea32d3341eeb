"""What blocks lock and publication (services.blockers over rules.blockers), on SQLite and
PostgreSQL: the same counts as the progress bars, bounded lists, anonymous codes before the
reveal, a group without a panel named (and no longer a 422 on every page), and the lock and
publication refusing with those counts."""

from __future__ import annotations

import pytest
from services_helpers import enter_marks, small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.demo_data import childcare_document
from scoring.errors import Conflict
from scoring.services import publication, standings
from scoring.services.blockers import blockers_of
from scoring.services.progress import by_group
from scoring.services.setup import add_group
from scoring.services.transfer import import_document


def test_blockers_count_what_the_progress_bars_miss_bounded_and_anonymous(any_app):
    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="some"))
    missing = sum(g["expected"] - g["given"] for g in by_group(engine, cid))
    b = blockers_of(engine, cid, limit=5)
    assert b["marks_missing"] == missing > 0
    assert sum(r["missing"] for r in b["rows"]) <= missing
    assert len(b["rows"]) == 5 and b["more"] == b["contestants_incomplete"] - 5
    with reading(engine) as s:
        codes = {e.code for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid))}
        names = {c.name for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
    assert all(r["code"] in codes and r["name"] == "" for r in b["rows"])  # names only where allowed
    assert {r["name"] for r in blockers_of(engine, cid, names=True)["rows"]} <= names
    assert sum(j["missing"] for j in blockers_of(engine, cid, limit=1000)["judges"]) == missing
    row = b["rows"][0]
    assert row["judges"] and all(j["code"].startswith("J") and j["count"] > 0 for j in row["judges"])
    assert all(j["aspects"] == "" or len(j["aspects"].split(", ")) == j["count"] <= 8 for j in row["judges"])
    # the theory marks are all in: only the practical stage blocks its lock
    assert blockers_of(engine, cid, stage_code="theory")["is_clear"]
    practical = blockers_of(engine, cid, stage_code="practical")
    assert practical["marks_missing"] == missing and set(practical["per_stage"]) == {"practical"}
    publish = blockers_of(engine, cid, need_locked=True)
    assert [st["code"] for st in publish["open_stages"]] == ["theory", "practical"]


def test_a_group_without_a_panel_is_named_and_the_standings_still_compute(any_app):
    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, small_document())
    enter_marks(engine, cid, {"C001": "90", "C002": "80", "C003": "70"})
    add_group(engine, cid, "hair", "美发", "t")
    b = blockers_of(engine, cid)
    assert b["missing_panels"] == [{"group": "美发", "stage": "理论"}] and not b["is_clear"]
    _version, doc, st = standings.computed(engine, cid)  # used to raise: every page answered 422
    assert [g.code for g in doc.groups] == ["childcare"] and "childcare" in st.groups
    with pytest.raises(Conflict, match="panel"):  # nobody can mark 美发: the lock asks too
        publication.set_stage_state(engine, cid, "theory", True, "t")
    publication.set_stage_state(engine, cid, "theory", True, "t", allow_incomplete=True)
    with pytest.raises(Conflict, match="panel"):
        publication.publish(engine, cid, "t")


def test_lock_with_missing_marks_needs_the_callers_consent_and_records_the_counts(any_app):
    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, small_document())
    enter_marks(engine, cid, {"C001": "90"})
    with pytest.raises(Conflict) as refused:
        publication.set_stage_state(engine, cid, "theory", True, "t")
    assert refused.value.params == {"contestants": 2, "marks": 2}
    with reading(engine) as s:
        assert s.exec(select(m.Stage.state).where(m.Stage.competition_id == cid)).one() == "open"
    assert publication.set_stage_state(engine, cid, "theory", True, "t", allow_incomplete=True) == "理论"
    with reading(engine) as s:
        event = s.exec(select(m.AuditEvent).where(m.AuditEvent.kind == "stage.locked")).one()
    assert event.payload["contestants_incomplete"] == 2 and event.payload["marks_missing"] == 2
    with pytest.raises(Conflict) as refused:  # publication names the same counts
        publication.publish(engine, cid, "t")
    assert refused.value.params == {"contestants": 2, "marks": 2}
