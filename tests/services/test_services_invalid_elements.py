"""An element the technical panel declared invalid (params ``{"E2": {"invalid": "1"}}``) on the
judges' side: nobody is expected on it, a mark for it is refused and nothing is stored, the
tablet shows it read-only and signing a sheet does not ask for it (rules.cells, issue 12 item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from services_helpers import count, ids
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.errors import Conflict
from scoring.rules.cells import INVALID_ELEMENT
from scoring.services import blockers
from scoring.services.judge_sheet import judge_sheet
from scoring.services.marks import submit_mark
from scoring.services.progress import by_group, progress
from scoring.services.signoff import sign_sheet
from scoring.services.transfer import import_document

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "free-skating.json"


@pytest.fixture
def skating(database_url):
    """The free-skating example: 3 skaters x 3 elements x 9 judges, Skater Two's E2 invalid and unmarked."""
    engine = make_engine(database_url)
    cid = import_document(engine, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    return engine, cid, ids(engine, cid)


def test_progress_and_blockers_are_complete_without_marks_on_the_invalid_element(skating):
    engine, cid, known = skating
    assert by_group(engine, cid) == [
        {"code": "women", "name": by_group(engine, cid)[0]["name"], "expected": 72, "given": 72, "percent": 100}
    ]
    rows = progress(engine, cid)["panels"][0]["rows"]
    assert {status for row in rows for status in row["cells"].values()} == {"submitted"}
    with reading(engine) as s:
        assert blockers.find(s, cid).blockers.contestants == ()


def test_a_mark_for_the_invalid_element_is_refused_and_nothing_is_stored(skating):
    engine, cid, known = skating
    before = count(engine, m.Mark, competition_id=cid)
    with pytest.raises(Conflict) as refused:
        submit_mark(
            engine,
            competition_id=cid,
            judge_id=known["J1"],
            contestant_id=known["S2"],
            aspect_id=known["E2"],
            value="3",
            idempotency_key="invalid-e2",
            based_on_version=0,
        )
    assert refused.value.msgid == INVALID_ELEMENT
    assert count(engine, m.Mark, competition_id=cid) == before
    # the same element of a skater for whom it is valid is still taken
    with reading(engine) as s:
        newest = s.exec(
            select(m.Mark.version)
            .where(m.Mark.contestant_id == known["S1"], m.Mark.aspect_id == known["E2"], m.Mark.judge_id == known["J1"])
            .order_by(m.Mark.version.desc())
        ).first()
    submit_mark(
        engine,
        competition_id=cid,
        judge_id=known["J1"],
        contestant_id=known["S1"],
        aspect_id=known["E2"],
        value="2",
        idempotency_key="valid-e2",
        based_on_version=newest,
    )
    assert count(engine, m.Mark, competition_id=cid) == before + 1


def test_the_tablet_shows_it_read_only_and_signing_does_not_ask_for_it(skating):
    engine, cid, known = skating
    sheet = judge_sheet(engine, cid, known["J1"])
    two = next(r for r in sheet["contestants"] if r["ref"] == f"#{known['S2']}")
    assert two["marks"]["E2"] == {"value": None, "version": 0, "state": "invalid", "round": 1}
    assert two["status"] == "submitted"  # E1 and E3 marked: the sheet is complete
    change = sign_sheet(engine, cid, known["J1"], known["S2"], [known["E1"], known["E2"], known["E3"]])
    assert change.changed == 2  # E1 and E3 signed; nothing asked or written for E2
    with reading(engine) as s:
        assert not s.exec(
            select(m.Mark).where(m.Mark.contestant_id == known["S2"], m.Mark.aspect_id == known["E2"])
        ).all()
    two = next(r for r in judge_sheet(engine, cid, known["J1"])["contestants"] if r["ref"] == f"#{known['S2']}")
    assert two["status"] == "signed"
