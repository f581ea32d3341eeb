"""The marks hot path's cached facts (services.mark_config): read once per config version, and a
change to who marks what (a recusal, a replaced competition) is in force at the next mark."""

from __future__ import annotations

import pytest
from services_helpers import ids, small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.errors import Forbidden
from scoring.rules.cells import NOT_ON_PANEL, RECUSED
from scoring.services.mark_config import config_now
from scoring.services.marks import submit_mark
from scoring.services.setup import set_recusal
from scoring.services.transfer import import_document


def _rows(engine, cid, known):
    with reading(engine) as s:
        return (
            s.get(m.Judge, known["J01"]),
            s.get(m.Judge, known["J02"]),
            s.get(m.Contestant, known["C001"]),
            s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid)).one(),
        )


def test_the_cache_answers_until_a_change_and_then_the_change_holds_at_once(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, small_document())
    known = ids(engine, cid)
    chief, other, c001, t1 = _rows(engine, cid, known)
    cfg = config_now(engine, cid)
    assert config_now(engine, cid) is cfg  # one read per config version
    assert cfg.may_mark(chief, c001, t1) is None and cfg.may_mark(other, c001, t1) == NOT_ON_PANEL
    assert [j.code for j in cfg.expected_judges(c001, t1)] == ["J01"]
    set_recusal(engine, cid, known["J01"], known["C001"], True, "亲属", "t")
    fresh = config_now(engine, cid)
    assert fresh is not cfg and fresh.may_mark(chief, c001, t1) == RECUSED and fresh.expected_judges(c001, t1) == []
    with pytest.raises(Forbidden) as refused:
        submit_mark(
            engine,
            competition_id=cid,
            judge_id=known["J01"],
            contestant_id=known["C001"],
            aspect_id=known["T1"],
            value="90",
            idempotency_key="after-recusal",
            based_on_version=0,
        )
    assert refused.value.msgid == RECUSED
    engine.dispose()


def test_a_replaced_competition_is_never_checked_against_the_old_facts(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, small_document())
    old = config_now(engine, cid)
    raw = small_document()
    raw["panels"][0]["judges"] = ["J02"]  # the replacement seats J02 instead of J01
    new_cid = import_document(engine, raw, replace=True)
    fresh = config_now(engine, new_cid)
    assert fresh is not old and fresh.key != old.key
    chief, other, c001, t1 = _rows(engine, new_cid, ids(engine, new_cid))
    assert fresh.may_mark(other, c001, t1) is None and fresh.may_mark(chief, c001, t1) == NOT_ON_PANEL
    engine.dispose()
