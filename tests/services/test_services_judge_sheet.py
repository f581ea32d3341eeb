"""What a judge's tablet is given (services.judge_sheet): their contestants by reference only,
each sheet's status as rules.cells reads it, never a recused contestant or a name."""

from __future__ import annotations

import json

from services_helpers import enter_marks, ids, small_document

from scoring.db import make_engine
from scoring.services.judge_sheet import judge_sheet
from scoring.services.setup import set_recusal
from scoring.services.signoff import sign_sheet
from scoring.services.transfer import import_document


def test_the_sheet_lists_refs_and_statuses_and_leaves_out_names_and_recusals(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, small_document())
    known = ids(engine, cid)
    enter_marks(engine, cid, {"C001": "90", "C002": "80"})
    sign_sheet(engine, cid, known["J01"], known["C002"], [known["T1"]])
    set_recusal(engine, cid, known["J01"], known["C003"], True, "亲属", "t")
    sheet = judge_sheet(engine, cid, known["J01"])
    rows = {r["ref"]: r for r in sheet["contestants"]}
    assert {ref: r["status"] for ref, r in rows.items()} == {
        f"#{known['C001']}": "submitted",
        f"#{known['C002']}": "signed",
    }
    assert rows[f"#{known['C002']}"]["marks"]["T1"] == {"value": "80", "version": 2, "state": "signed", "round": 1}
    assert [a["code"] for p in sheet["panels"] for a in p["aspects"]] == ["T1"]
    text = json.dumps(sheet, ensure_ascii=False)
    assert not any(name in text for name in ("张伟", "杨堃", "赵喆", "幼儿园"))
    assert judge_sheet(engine, cid, known["J02"])["contestants"] == []  # on no panel
    engine.dispose()
