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


def test_every_declared_setting_survives_the_database(database_url):
    """Rows are filled and read back by the declaration's field names: settings the transfer code
    never names (a withdrawal, a panel's name, an entry range, per-contestant parameters, judge
    rounding) come back as they went in."""
    raw = childcare_document(marks="some")
    raw["contestants"][2]["withdrawn"] = True
    raw["panels"][1]["name"] = "实操裁判组"
    theory = raw["scheme"][0]["aspects"][0]
    theory.update({"min_value": "10", "max_value": "99.5"})
    theory["aggregation"] = {"method": "single", "judge_rounding": {"places": 1, "mode": "down"}}
    raw["marks"] = [k for k in raw["marks"] if k["aspect"] != theory["code"] or 10 <= float(k["value"]) <= 99.5]
    for c in raw["contestants"]:
        c["params"] = {theory["code"]: {"bonus": "1.25"}}
    engine = make_engine(database_url)
    cid = import_document(engine, raw)
    out = export_document(engine, cid)
    assert load_document(out) == load_document(raw)
    assert out["panels"][1]["name"] == "实操裁判组" and out["contestants"][2]["withdrawn"] is True
    assert out["scheme"][0]["aspects"][0]["max_value"] == "99.5"


def test_protocol_rules_survive_the_database(database_url):
    """Issue 12 item 6: the GOE basis, fixed steps, an element declared invalid and the review's
    sample rounding are kept as the document writes them (aggregation, rules and parameters are
    JSON columns), and the server's standings score the invalid element 0."""
    import json
    from pathlib import Path

    from scoring.services.standings import computed

    raw = json.loads((Path(__file__).resolve().parents[2] / "docs/examples/free-skating.json").read_text("utf-8"))
    engine = make_engine(database_url)
    cid = import_document(engine, raw)
    out = export_document(engine, cid)
    assert all(c.pop("lookup_code") for c in out["contestants"])  # 成绩查询: given on import
    assert load_document(out) == load_document(raw)
    _, _, standings = computed(engine, cid)
    totals = {r.contestant: str(r.total) for r in standings.groups["women"].rows}
    assert totals == {"S1": "21.79", "S2": "12.30", "S3": "11.13"}


def test_team_standings_of_every_method_survive_the_database(database_url):
    """团体总分: decimals in point lists and weights, rounding and tie-breaks come back as declared."""
    raw = childcare_document(marks="some")
    raw["rules"]["team_standings"] += [
        {
            "code": "points",
            "name": "团体积分",
            "method": "points",
            "points": ["9", "7", "6", "5", "4", "3", "2", "1.5"],
            "best": 4,
            "tie_breaks": ["more_firsts", "best_place"],
            "rounding": {"places": 1, "mode": "half_even"},
        },
        {
            "code": "weighted",
            "name": "加权奖牌",
            "name_en": "Weighted awards",
            "delegation": "unit",
            "groups": ["childcare"],
            "method": "weighted_awards",
            "tiers": ["一等奖", "二等奖", "三等奖"],
            "weights": ["3", "2", "0.5"],
            "ranking": "dense",
        },
    ]
    engine = make_engine(database_url)
    cid = import_document(engine, raw)
    out = export_document(engine, cid)
    assert load_document(out) == load_document(raw)
    assert out["rules"]["team_standings"][3]["weights"] == ["3", "2", "0.5"]


def test_accounts_limited_to_a_replaced_competition_follow_it(database_url):
    """A clerk or chief judge account of the competition keeps working after ``import --replace``
    (the demo does one on every start); a judge's account follows the judge of the same code."""
    from scoring.services.accounts import create_user

    engine = make_engine(database_url)
    raw = childcare_document()
    old = import_document(engine, raw)
    with reading(engine) as s:
        j02 = s.exec(select(m.Judge).where(m.Judge.competition_id == old, m.Judge.code == "J02")).one().id
    create_user(engine, "clerk-x", "correct-horse-1", role="clerk", competition_id=old)
    create_user(engine, "judge-x", "correct-horse-1", role="judge", competition_id=old, judge_id=j02)
    new = import_document(engine, raw, replace=True)
    with reading(engine) as s:
        users = {u.username: u for u in s.exec(select(m.User))}
        judge = s.get(m.Judge, users["judge-x"].judge_id)
    assert users["clerk-x"].competition_id == new and users["judge-x"].competition_id == new
    assert (judge.competition_id, judge.code) == (new, "J02")
