"""Sign-off and unlock of a judge's sheet (services.signoff): a signed mark refuses corrections
until the chief judge unlocks it with a reason; every change is a new, audited version."""

from __future__ import annotations

import pytest
from services_helpers import count, enter_marks, ids, small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.errors import Conflict, InvalidInput
from scoring.services.marks import SIGNED, submit_mark
from scoring.services.signoff import sign_sheet, unlock_sheet
from scoring.services.transfer import import_document


def _versions(engine, contestant_id):
    with reading(engine) as s:
        return [
            (k.version, k.state, format(k.value, "f"))
            for k in s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant_id).order_by(m.Mark.version))
        ]


def test_a_signed_sheet_refuses_corrections_until_it_is_unlocked_with_a_reason(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, small_document())
    known = ids(engine, cid)
    enter_marks(engine, cid, {"C001": "90"})
    with pytest.raises(InvalidInput) as missing:  # C002 has no mark yet: nothing to sign
        sign_sheet(engine, cid, known["J01"], known["C002"], [known["T1"]])
    assert [p.path for p in missing.value.problems] == ["T1"]
    assert sign_sheet(engine, cid, known["J01"], known["C001"], [known["T1"]]).changed == 1
    assert sign_sheet(engine, cid, known["J01"], known["C001"], [known["T1"]]).changed == 0  # signed already
    correction = dict(
        competition_id=cid,
        judge_id=known["J01"],
        contestant_id=known["C001"],
        aspect_id=known["T1"],
        value="91",
        idempotency_key="fix",
        based_on_version=2,
    )
    with pytest.raises(Conflict) as locked:
        submit_mark(engine, **correction)
    assert locked.value.msgid == SIGNED
    with pytest.raises(InvalidInput):
        unlock_sheet(engine, cid, known["J01"], known["C001"], "chief", "   ")
    assert unlock_sheet(engine, cid, known["J01"], known["C001"], "chief", "misread").changed == 1
    with pytest.raises(Conflict):  # nothing signed any more
        unlock_sheet(engine, cid, known["J01"], known["C001"], "chief", "again")
    submit_mark(engine, **{**correction, "based_on_version": 3})
    assert _versions(engine, known["C001"]) == [
        (1, "submitted", "90"),
        (2, "signed", "90"),
        (3, "submitted", "90"),
        (4, "submitted", "91"),
    ]
    assert count(engine, m.AuditEvent, competition_id=cid, kind="sheet.signed") == 2
    assert count(engine, m.AuditEvent, competition_id=cid, kind="sheet.unlocked") == 1
    engine.dispose()
