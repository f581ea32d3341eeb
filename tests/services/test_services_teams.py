"""Team entries through the database: imported, exported, the public export without members'
ID numbers and phones, on SQLite and PostgreSQL."""

import json
from pathlib import Path

from scoring.db import make_engine
from scoring.document import load_document
from scoring.services.transfer import export_document, import_document

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "team-event.json"


def test_a_team_event_round_trips_through_the_database(database_url):
    engine = make_engine(database_url)
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    cid = import_document(engine, raw)
    out = export_document(engine, cid)
    assert load_document(out) == load_document(raw)
    assert out["groups"][0]["team"] == {"min_members": 2, "max_members": 2}
    assert out["contestants"][0]["members"][0]["id_number"] == raw["contestants"][0]["members"][0]["id_number"]


def test_the_public_export_leaves_members_private_data_out(database_url):
    engine = make_engine(database_url)
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    cid = import_document(engine, raw)
    out = export_document(engine, cid, include_private=False)
    text = json.dumps(out, ensure_ascii=False)
    for c in raw["contestants"]:
        for member in c["members"]:
            assert member["id_number"] not in text and member["phone"] not in text
    assert [m["name"] for m in out["contestants"][1]["members"]] == ["王芳", "刘洋"]
    assert load_document(out).contestant("T01").members[0].unit == "榆阳区妇幼保健院"
