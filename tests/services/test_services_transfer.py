"""Importing and exporting the portable document, on SQLite and PostgreSQL."""
import copy

import pytest
from sqlmodel import func, select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.demo_data import childcare_document
from scoring.document import load_document
from scoring.errors import InvalidInput
from scoring.services.transfer import export_document, import_document


def _count(engine, model):
    with reading(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_import_then_export_round_trips(database_url):
    engine = make_engine(database_url)
    raw = childcare_document(marks="some")
    cid = import_document(engine, raw)
    out = export_document(engine, cid)
    assert load_document(out) == load_document(raw)
    assert _count(engine, m.Contestant) == len(raw["contestants"])
    assert _count(engine, m.Mark) == len(raw["marks"])
    with reading(engine) as s:
        kinds = [e.kind for e in s.exec(select(m.AuditEvent))]
    assert kinds == ["competition.imported"]


def test_bad_document_is_rejected_whole_and_changes_nothing(database_url):
    engine = make_engine(database_url)
    raw = childcare_document(marks="some")
    bad = copy.deepcopy(raw)
    bad["contestants"][7]["group"] = "no-such-group"
    bad["marks"][0]["value"] = "abc"
    with pytest.raises(InvalidInput) as info:
        import_document(engine, bad)
    paths = {p.path for p in info.value.problems}
    assert "contestants[7].group" in paths
    assert any(p.startswith("marks[0]") for p in paths)
    for model in (m.Competition, m.Contestant, m.Mark, m.AuditEvent):
        assert _count(engine, model) == 0


def test_importing_the_same_competition_twice_needs_replace(database_url):
    engine = make_engine(database_url)
    raw = childcare_document(marks="none")
    import_document(engine, raw)
    with pytest.raises(InvalidInput):
        import_document(engine, raw)
    import_document(engine, raw, replace=True)
    assert _count(engine, m.Competition) == 1
    assert _count(engine, m.Contestant) == len(raw["contestants"])


def test_public_export_has_no_personal_data(database_url):
    engine = make_engine(database_url)
    raw = childcare_document(marks="none")
    cid = import_document(engine, raw)
    out = export_document(engine, cid, include_private=False)
    text = repr(out)
    for person in raw["contestants"][:5]:
        if person.get("id_number"):
            assert person["id_number"] not in text
        if person.get("phone"):
            assert person["phone"] not in text
