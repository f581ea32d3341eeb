"""Appeals are one action, one transaction (services.publication.decide_appeal): the corrections,
the new result version, the certificates and the decision commit together or not at all, and
nothing is announced before the commit."""

from __future__ import annotations

import pytest
from services_helpers import count, enter_marks, small_document, standings_version
from sqlmodel import select

from scoring import models as m
from scoring import signals
from scoring.db import reading
from scoring.errors import Forbidden, InvalidInput
from scoring.services import appeals, publication
from scoring.services.transfer import import_document


@pytest.fixture
def published(any_app):
    """Version 1 published, an objection to C002 filed in the notice period."""
    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, small_document())
    enter_marks(engine, cid, {"C001": "90", "C002": "80", "C003": "70"})
    publication.set_stage_state(engine, cid, "theory", True, "t")
    assert publication.publish(engine, cid, "t", notice_days=5) == 1
    appeal = appeals.file_appeal(engine, cid, "C002", "杨堃", "13800000002", "理论成绩登记有误，应为95分", "public")
    return engine, cid, appeal


def _state(engine, cid, appeal):
    """Everything an appeal decision may change."""
    with reading(engine) as s:
        marks = sorted(
            (k.contestant_id, k.version, str(k.value))
            for k in s.exec(select(m.Mark).where(m.Mark.competition_id == cid))
        )
        decided = s.get(m.Appeal, appeal).state
        certificates = sorted(
            (c.serial, c.state) for c in s.exec(select(m.Certificate).where(m.Certificate.competition_id == cid))
        )
    return {
        "marks": marks,
        "appeal": decided,
        "versions": count(engine, m.ResultVersion, competition_id=cid),
        "events": count(engine, m.AuditEvent, competition_id=cid),
        "certificates": certificates,
        "standings": standings_version(engine, cid),
    }


def test_an_upheld_appeal_whose_second_correction_is_refused_changes_nothing(published):
    engine, cid, appeal = published
    before = _state(engine, cid, appeal)
    heard = []
    with (
        signals.standings_changed.connected_to(lambda cid_, **kw: heard.append(kw)),
        signals.mark_recorded.connected_to(lambda cid_, **kw: heard.append(kw)),
    ):
        with pytest.raises(InvalidInput) as refused:  # 100.3 is no step of 0.5: refused after C002 was written
            appeals.decide_appeal(
                engine,
                cid,
                appeal,
                True,
                "核实后更正",
                "t",
                [("C002", "T1", "J01", "95"), ("C001", "T1", "J01", "100.3")],
            )
    assert "100.3" in " ".join(refused.value.messages("zh_Hans_CN"))
    assert _state(engine, cid, appeal) == before and heard == []
    # the same decision with a good second correction goes through, whole
    assert (
        appeals.decide_appeal(
            engine, cid, appeal, True, "核实后更正", "t", [("C002", "T1", "J01", "95"), ("C001", "T1", "J01", "90.5")]
        )
        == 2
    )
    after = _state(engine, cid, appeal)
    assert after["appeal"] == "upheld" and after["versions"] == 2
    v2 = publication.versions(engine, cid)[1].content
    totals = {r["code"]: r["total"] for g in v2["groups"] for r in g["rows"]}
    assert totals["C002"] == "95.00" and totals["C001"] == "90.50"


def test_a_correction_the_judge_may_not_make_undoes_the_whole_decision(published):
    engine, cid, appeal = published
    before = _state(engine, cid, appeal)
    with pytest.raises(Forbidden):  # J02 sits on no panel: the write path refuses it
        appeals.decide_appeal(
            engine, cid, appeal, True, "核实后更正", "t", [("C002", "T1", "J01", "95"), ("C003", "T1", "J02", "75")]
        )
    assert _state(engine, cid, appeal) == before


def test_the_decision_is_announced_after_its_commit_once(published):
    engine, cid, appeal = published
    seen = []

    def standings_moved(cid_, *, version, **_):
        # a listener runs after the commit: another connection already sees the decision and the version
        with reading(engine) as s:
            seen.append(
                ("standings", version, s.get(m.Appeal, appeal).state, s.get(m.Competition, cid).standings_version)
            )

    def mark_recorded(cid_, *, contestant_id, **_):
        seen.append(("mark", contestant_id))

    with signals.standings_changed.connected_to(standings_moved), signals.mark_recorded.connected_to(mark_recorded):
        appeals.decide_appeal(engine, cid, appeal, True, "核实后更正", "t", [("C002", "T1", "J01", "95")])
    version = standings_version(engine, cid)
    with reading(engine) as s:
        c002 = s.exec(
            select(m.Contestant.id).where(m.Contestant.competition_id == cid, m.Contestant.code == "C002")
        ).one()
    assert seen == [("standings", version, "upheld", version), ("mark", c002)]
