"""Trainee judges (见习裁判) through the services: they mark through the one write path, and the
standings, spread rule, progress, blockers, sign-off and the document's recompute are those of
the same panel without them; their seats round-trip through the document."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import select
from trainee_helpers import MARKS, SLUG, trainee_document

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.document import load_document, recompute
from scoring.errors import Conflict, NotFound
from scoring.services import seats, standings
from scoring.services.blockers import blockers_of
from scoring.services.judging import check_spread, confirm_sheet, progress, sign_for_judge
from scoring.services.marks import submit_mark
from scoring.services.progress import by_group
from scoring.services.transfer import export_document, import_document


def _ids(engine, cid):
    with reading(engine) as s:
        out = {c.code: c.id for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        out |= {j.code: j.id for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        out |= {a.code: a.id for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
    return out


def _mark(engine, cid, judge, contestant, aspect, value):
    known = _ids(engine, cid)
    return submit_mark(
        engine,
        competition_id=cid,
        judge_id=known[judge],
        contestant_id=known[contestant],
        aspect_id=known[aspect],
        value=value,
        idempotency_key=f"t-{cid}-{judge}-{contestant}-{aspect}-{value}",
        based_on_version=0,
        entered_by=judge,
    )


def _tablet(engine, cid, with_trainee: bool):
    """Every mark of ``MARKS`` entered on tablets, the counting judges first, the trainee's last."""
    for judge_at, judge in enumerate(("J01", "J02", "J03", "T01")):
        if judge == "T01" and not with_trainee:
            continue
        for c, by in MARKS.items():
            for a, values in by.items():
                _mark(engine, cid, judge, c, a, values[judge_at])


def test_a_panel_with_a_trainee_gives_the_standings_of_the_panel_without(database_url):
    engine = make_engine(database_url)
    with_t = import_document(engine, trainee_document(marks=False))
    without = import_document(engine, trainee_document("plain-2025", trainee=False, marks=False))
    _tablet(engine, with_t, with_trainee=True)  # the trainee's marks go through the one write path
    _tablet(engine, without, with_trainee=False)
    _, _, live = standings.computed(engine, with_t)
    _, _, plain = standings.computed(engine, without)
    assert live.groups == plain.groups
    assert sorted(map(repr, live.flags)) == sorted(map(repr, plain.flags))
    known = _ids(engine, with_t)
    for c in MARKS:  # the spread rule, as after each mark's commit
        check_spread(engine, with_t, known[c], known["P1"], 1)
    with reading(engine) as s:  # the trainee's 0 beside 3, 3, 2 broke no spread rule
        assert not s.exec(select(m.SpreadFlag).where(m.SpreadFlag.competition_id == with_t)).all()
        assert s.exec(select(m.Mark).where(m.Mark.competition_id == with_t, m.Mark.entered_by == "T01")).all()
    assert by_group(engine, with_t) == by_group(engine, without)
    assert blockers_of(engine, with_t, names=True).clear


def test_the_document_keeps_trainees_and_their_marks_and_recomputes_the_same_standings(tmp_path, sqlite_url):
    from scoring.cli import main

    engine = make_engine(sqlite_url)
    cid = import_document(engine, trainee_document())
    raw = export_document(engine, cid)
    assert raw["panels"][0]["trainees"] == ["T01"]
    assert {mk["judge"] for mk in raw["marks"]} == {"J01", "J02", "J03", "T01"}
    _, _, live = standings.computed(engine, cid)
    assert recompute(load_document(raw)) == live
    plain = recompute(load_document(trainee_document("plain-2025", trainee=False)))
    assert live.groups == plain.groups
    raw2 = {**raw, "competition": {**raw["competition"], "slug": "again-2025"}}
    again = export_document(engine, import_document(engine, raw2))
    assert again["panels"] == raw["panels"] and again["marks"] == raw["marks"]
    import json

    for name, doc in (("trainee.json", raw), ("plain.json", trainee_document(SLUG, trainee=False))):
        (tmp_path / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = [
        CliRunner().invoke(main, ["results", str(tmp_path / n), "--lang", "en"]) for n in ("trainee.json", "plain.json")
    ]
    assert out[0].exit_code == 0, out[0].output
    assert out[0].output == out[1].output


def test_the_spread_rule_would_have_flagged_the_same_marks_from_a_counting_judge(sqlite_url):
    engine = make_engine(sqlite_url)
    doc = trainee_document(marks=False)
    doc["panels"][0] = {"group": "childcare", "stage": "practical", "judges": ["J01", "J02", "J03", "T01"]}
    cid = import_document(engine, doc)
    _tablet(engine, cid, with_trainee=True)
    known = _ids(engine, cid)
    check_spread(engine, cid, known["C001"], known["P1"], 1)
    with reading(engine) as s:
        assert s.exec(select(m.SpreadFlag).where(m.SpreadFlag.competition_id == cid)).all()


def test_the_document_refuses_a_trainee_who_also_counts_on_the_panel():
    doc = trainee_document()
    doc["panels"][0]["trainees"] = ["J02", "T09"]
    with pytest.raises(Exception) as exc:
        load_document(doc)
    text = str(exc.value.messages("en")) if hasattr(exc.value, "messages") else str(exc.value)
    assert "not as a trainee" in text and "T09" in text


def test_the_grid_shows_the_trainee_and_a_sheet_is_confirmed_without_them(sqlite_url):
    engine = make_engine(sqlite_url)
    cid = import_document(engine, trainee_document(marks=False))
    _tablet(engine, cid, with_trainee=False)
    grid = progress(engine, cid)
    panel = grid["panels"][0]
    assert panel["judges"] == ["J01", "J02", "J03"] and panel["trainees"] == ["T01"]
    row = next(r for r in panel["rows"] if r["ref"] == "X7")
    assert row["cells"]["T01"] == "missing"
    known = _ids(engine, cid)
    for judge in ("J02", "J03"):
        sign_for_judge(engine, cid, known[judge], "X7")
    with reading(engine) as s:
        chief = s.get(m.Judge, known["J09"])
    with pytest.raises(Conflict):  # J01 has not signed: a counting judge is waited for
        confirm_sheet(engine, cid, panel["id"], "X7", chief)
    sign_for_judge(engine, cid, known["J01"], "X7")
    confirm_sheet(engine, cid, panel["id"], "X7", chief)  # the trainee never marked, nor signed
    assert next(r for r in progress(engine, cid)["panels"][0]["rows"] if r["ref"] == "X7")["confirmed_by"]


def test_seating_and_removing_a_trainee(sqlite_url):
    engine = make_engine(sqlite_url)
    cid = import_document(engine, trainee_document("plain-2025", trainee=False, marks=False))
    known = _ids(engine, cid)
    with reading(engine) as s:
        panel = s.exec(select(m.Panel).where(m.Panel.competition_id == cid)).one().id
    _tablet(engine, cid, with_trainee=False)
    _, _, before = standings.computed(engine, cid)
    seats.seat_trainee(engine, cid, panel, known["T01"], "organizer")
    with pytest.raises(Conflict):
        seats.seat_trainee(engine, cid, panel, known["T01"], "organizer")
    for c in MARKS:
        _mark(engine, cid, "T01", c, "P2", "0")  # a trainee may mark their panel's cells
    _, _, after = standings.computed(engine, cid)
    assert after.groups == before.groups
    # a counting judge made a trainee: their marks stop counting (the panel keeps two judges)
    seats.seat_trainee(engine, cid, panel, known["J03"], "organizer")
    assert export_document(engine, cid)["panels"][0]["trainees"] == ["J03", "T01"]
    seats.unseat_trainee(engine, cid, panel, known["T01"], "organizer")
    with pytest.raises(NotFound):
        seats.unseat_trainee(engine, cid, panel, known["J01"], "organizer")
    with reading(engine) as s:
        kinds = [e.kind for e in s.exec(select(m.AuditEvent).where(m.AuditEvent.competition_id == cid))]
    assert kinds.count("panel.trainee_seated") == 2 and "panel.trainee_removed" in kinds


def test_a_trainee_does_not_sign_the_results_sheet(sqlite_url):
    from scoring.services.exports import judges_of

    engine = make_engine(sqlite_url)
    cid = import_document(engine, trainee_document())
    judges, chief = judges_of(engine, cid)
    assert judges == ["李裁判", "赵裁判"] and chief == "王裁判"  # not 孙见习 (T01), a trainee on every seat
