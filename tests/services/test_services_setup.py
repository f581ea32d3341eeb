"""Applying every recusal suggestion is one transaction (services.setup.apply_suggested_recusals):
all of them are recorded, or, when the database refuses one, none."""

from __future__ import annotations

import pytest
from services_helpers import count, small_document, standings_version
from sqlalchemy import text

from scoring import models as m
from scoring.errors import Conflict
from scoring.services.setup import apply_suggested_recusals, suggest_recusals
from scoring.services.transfer import import_document


def _refuse_recusals_of(engine, contestant_id: int) -> None:
    """A trigger that refuses one pair as a unique violation: what a twin written meanwhile by
    another console would cause, made certain."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE TRIGGER refuse_one BEFORE INSERT ON recusal WHEN NEW.contestant_id = {contestant_id} "
                    "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: recusal'); END"
                )
            )
        else:
            conn.execute(
                text(
                    f"CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.contestant_id = {contestant_id} THEN "
                    "RAISE EXCEPTION 'refused' USING ERRCODE = 'unique_violation'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text("CREATE TRIGGER refuse_one BEFORE INSERT ON recusal FOR EACH ROW EXECUTE FUNCTION refuse_one()")
            )


def _allow_again(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("DROP TRIGGER refuse_one" if engine.dialect.name == "sqlite" else "DROP TRIGGER refuse_one ON recusal")
        )


def test_apply_all_recusals_is_all_or_nothing(any_app):
    engine = any_app.extensions["scoring.engine"]
    cid = import_document(engine, small_document())
    suggestions = suggest_recusals(engine, cid)
    assert [(s["judge"], s["contestant"], s["reason"]) for s in suggestions] == [
        ("J01", "C001", "同一单位"),
        ("J02", "C002", "同一单位"),
    ]
    version = standings_version(engine, cid)
    _refuse_recusals_of(engine, suggestions[-1]["contestant_id"])  # the last of the two is refused
    with pytest.raises(Conflict):
        apply_suggested_recusals(engine, cid, "t")
    assert count(engine, m.Recusal, competition_id=cid) == 0
    assert count(engine, m.AuditEvent, competition_id=cid, kind="recusal.set") == 0
    assert standings_version(engine, cid) == version
    _allow_again(engine)
    assert apply_suggested_recusals(engine, cid, "t") == 2
    assert count(engine, m.Recusal, competition_id=cid) == 2
    assert count(engine, m.AuditEvent, competition_id=cid, kind="recusal.set") == 2
    assert standings_version(engine, cid) == version + 1  # one change, one new version
    assert suggest_recusals(engine, cid) == [] and apply_suggested_recusals(engine, cid, "t") == 0
