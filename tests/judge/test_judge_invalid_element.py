"""The tablet's side of an element declared invalid by the technical panel (issue 12 item 6):
the sheet shows it read-only, a mark for it is a translated 409 and stores nothing."""

from __future__ import annotations

import json
from pathlib import Path

from judge_helpers import engine_of, post_mark, sheet_of
from sqlmodel import func, select

from scoring import models as m
from scoring.db import reading
from scoring.services.judging import set_pins
from scoring.services.transfer import import_document

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "free-skating.json"
SLUG = "isu-free-skating-example"


def _marks(engine) -> int:
    with reading(engine) as s:
        return s.exec(select(func.count()).select_from(m.Mark)).one()


def test_a_mark_for_an_invalid_element_is_a_translated_409_and_the_sheet_shows_it_read_only(any_app):
    engine = engine_of(any_app)
    cid = import_document(engine, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    set_pins(engine, cid, {"J1": "4711"}, actor="t")
    tablet = any_app.test_client()
    assert tablet.post(f"/judge/c/{SLUG}/signin", data={"code": "J1", "pin": "4711"}).status_code == 302
    sheet = sheet_of(tablet, SLUG)
    with reading(engine) as s:
        two = s.exec(select(m.Contestant.id).where(m.Contestant.competition_id == cid, m.Contestant.code == "S2")).one()
    row = next(c for c in sheet["contestants"] if c["ref"] == f"#{two}")
    assert row["marks"]["E2"]["state"] == "invalid" and row["status"] == "submitted"
    before = _marks(engine)
    r = post_mark(tablet, f"#{two}", "E2", "3", "invalid-e2", slug=SLUG)
    assert r.status_code == 409, r.get_data(as_text=True)
    assert "技术组" in json.dumps(r.get_json(), ensure_ascii=False)
    assert "无效（技术组判定）" in tablet.get(f"/judge/c/{SLUG}/mark").get_data(as_text=True)
    assert "Invalid: declared by the technical panel" in tablet.get(f"/judge/c/{SLUG}/mark?lang=en").get_data(
        as_text=True
    )
    r = post_mark(tablet, f"#{two}", "E2", "3", "invalid-e2-en", slug=SLUG)  # the session now speaks English
    assert r.status_code == 409 and "declared this element invalid" in r.get_data(as_text=True)
    assert _marks(engine) == before
