"""Marks are stored exactly on both databases; migrations build the schema."""

from decimal import Decimal

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import StatementError

from scoring import models as m
from scoring.db import make_engine, reading, transaction


def test_migrated_schema_has_every_table(database_url):
    engine = make_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    assert {
        "competition",
        "group",
        "stage",
        "criterion",
        "aspect",
        "contestant",
        "judge",
        "panel",
        "paneljudge",
        "panelaspect",
        "recusal",
        "draw",
        "drawentry",
        "mark",
        "auditevent",
        "alembic_version",
    } <= tables


@pytest.mark.parametrize("value", ["0.1", "80.2", "99.9999", "-1.465", "0", "1000000"])
def test_decimal_marks_round_trip_exactly(database_url, value):
    engine = make_engine(database_url)
    with transaction(engine) as s:
        comp = m.Competition(slug="x", name="x")
        s.add(comp)
        s.flush()
        st = m.Stage(competition_id=comp.id, code="p", weight=Decimal("70"), max_weight=Decimal(value))
        s.add(st)
        s.flush()
        sid = st.id
    with reading(engine) as s:
        got = s.get(m.Stage, sid).max_weight
    assert isinstance(got, Decimal)
    assert got == Decimal(value)


def test_more_places_than_stored_is_refused_not_rounded(database_url):
    engine = make_engine(database_url)
    with pytest.raises(StatementError, match="decimal places"):  # the column type's ValueError, wrapped
        with transaction(engine) as s:
            s.add(m.Competition(slug="y", name="y"))
            s.flush()
            s.add(m.Stage(competition_id=1, code="p", weight=Decimal("70.00001")))
            s.flush()
    with reading(engine) as s:
        assert s.exec(m.Competition.__table__.select()).first() is None
