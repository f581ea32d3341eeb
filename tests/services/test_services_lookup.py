"""The result lookup (成绩查询) and its lookup codes: who is found, and what they see, when."""

from __future__ import annotations

import pytest
from competitions import publish_document
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.demo_data import childcare_document
from scoring.demo_teams import add_team_event
from scoring.errors import InvalidInput
from scoring.rules.lookup import ALPHABET, LENGTH, read_code, shown_code
from scoring.services import lookup, publication, staged
from scoring.services.transfer import export_document, import_document


def _published(engine, **rules) -> int:
    raw = add_team_event(childcare_document(marks="all"))
    raw["rules"].update(rules)
    return publish_document(engine, raw, notice_days=5)


def _people(engine, cid) -> dict[str, m.Contestant]:
    with reading(engine) as s:
        return {c.code: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}


def test_every_contestant_gets_a_code_that_a_replace_keeps_for_the_same_person(database_url):
    engine = make_engine(database_url)
    raw = childcare_document(marks="none")
    for c in raw["contestants"]:
        c.pop("lookup_code")
    cid = import_document(engine, raw, actor="test")
    codes = {code: c.lookup_code for code, c in _people(engine, cid).items()}
    assert len(set(codes.values())) == len(codes)
    assert all(len(x) == LENGTH and set(x) <= set(ALPHABET) for x in codes.values())
    assert not set("01OI") & set("".join(codes.values()))
    # a replace from a document without codes (a spreadsheet-made one): the same people keep theirs
    raw["contestants"].reverse()
    cid2 = import_document(engine, raw, actor="test", replace=True)
    assert {code: c.lookup_code for code, c in _people(engine, cid2).items()} == codes
    # a document may not change an issued code, nor hand one to someone else
    changed = childcare_document(marks="none")
    changed["contestants"][0]["lookup_code"] = codes["C002"]
    with pytest.raises(InvalidInput) as info:
        import_document(engine, changed, actor="test", replace=True)
    assert {p.path for p in info.value.problems} >= {"contestants[0].lookup_code"}
    # private: the public export leaves the codes out, the archive keeps them
    assert all("lookup_code" not in c for c in export_document(engine, cid2, include_private=False)["contestants"])
    assert {c["code"]: c["lookup_code"] for c in export_document(engine, cid2)["contestants"]} == codes


def test_a_code_is_read_as_printed():
    code = "ABCDE23456"
    assert read_code(shown_code(code).lower()) == code
    assert read_code(" abcde 23456 ") == code
    assert read_code("ABCDE2345O") is None and read_code("ABCDE2345") is None


def test_found_by_code_or_by_name_and_id_tail_and_nothing_else(sqlite_url):
    engine = make_engine(sqlite_url)
    cid = import_document(engine, add_team_event(childcare_document(marks="none")), actor="test")
    people = _people(engine, cid)
    me = people["C003"]
    assert lookup.find(engine, cid, code=me.lookup_code).contestant_id == me.id
    assert lookup.find(engine, cid, name=me.name, tail=me.id_number[-6:]).contestant_id == me.id
    spaced = " ".join(me.name)
    assert lookup.find(engine, cid, name=spaced, tail=me.id_number[-6:]).contestant_id == me.id
    other = people["C004"]
    wrong = [
        lookup.find(engine, cid, name=me.name, tail=other.id_number[-6:]),  # the wrong half
        lookup.find(engine, cid, name=other.name, tail=me.id_number[-6:]),
        lookup.find(engine, cid, name="无此人", tail=me.id_number[-6:]),  # unknown
        lookup.find(engine, cid, code="ZZZZZZZZZZ"),
        lookup.find(engine, cid, name=me.name, tail=None),
    ]
    assert wrong == [None] * len(wrong)
    team = next(c for c in people.values() if c.members)
    member = team.members[1]
    found = lookup.find(engine, cid, name=member["name"], tail=member["id_number"][-6:])
    assert (found.contestant_id, found.member) == (team.id, member["name"])


def test_before_publication_nothing(sqlite_url):
    engine = make_engine(sqlite_url)
    cid = import_document(engine, childcare_document(marks="all"), actor="test")
    me = _people(engine, cid)["C003"]
    seen = lookup.personal(engine, cid, lookup.find(engine, cid, code=me.lookup_code))
    assert seen["version"] is None and seen["stages"] == [] and seen["total"] is None
    assert "certificates" not in seen


def test_a_stage_publication_shows_that_stage_only(sqlite_url):
    engine = make_engine(sqlite_url)
    cid = import_document(engine, childcare_document(marks="some"), actor="test")
    publication.set_stage_state(engine, cid, "theory", True, actor="test")
    staged.publish_stage(engine, cid, "theory", "", "test")
    me = _people(engine, cid)["C003"]
    seen = lookup.personal(engine, cid, lookup.find(engine, cid, code=me.lookup_code))
    assert [st["code"] for st in seen["stages"]] == ["theory"]
    assert seen["stages"][0]["score"] and seen["stages"][0]["rank"]
    assert seen["total"] is None and "rank" not in seen and "awards" not in seen and "certificates" not in seen
    assert "criteria" not in seen["stages"][0]  # not allowed by default


def test_after_publication_own_result_certificates_and_team_standing_never_anyone_else(sqlite_url):
    engine = make_engine(sqlite_url)
    cid = _published(engine)
    people = _people(engine, cid)
    report = publication.current_report(engine, cid)
    rows = {r["code"]: r for g in report["groups"] for r in g["rows"]}
    winner = next(code for code, r in rows.items() if r.get("awards") and not people[code].members)
    me = people[winner]
    seen = lookup.personal(engine, cid, lookup.find(engine, cid, code=me.lookup_code))
    assert seen["me"]["name"] == me.name and seen["total"] == rows[winner]["total"]
    assert seen["rank"] == rows[winner]["rank"] and seen["awards"] == rows[winner]["awards"]
    assert {st["code"] for st in seen["stages"]} == {"theory", "practical"}
    assert seen["version"]["number"] == 1 and len(seen["version"]["hash"]) == 64
    assert [c["award"] for c in seen["certificates"]] == rows[winner]["awards"]
    assert {t["delegation"] for t in seen["teams"]} == {me.region}
    text = repr(seen)
    others = [c for c in people.values() if c.code != winner]
    assert not [c.name for c in others if c.name in text and c.name not in me.region]
    assert me.id_number not in text and me.lookup_code not in text and me.phone not in text
    assert "criteria" not in seen["stages"][0]


def test_criterion_breakdown_only_when_the_competition_allows_it(sqlite_url):
    engine = make_engine(sqlite_url)
    cid = _published(engine, criterion_breakdown=True)
    me = _people(engine, cid)["C003"]
    seen = lookup.personal(engine, cid, lookup.find(engine, cid, code=me.lookup_code))
    practical = next(st for st in seen["stages"] if st["code"] == "practical")
    assert len(practical["criteria"]) >= 2
    assert all(c["name"] and c["score"] and c["max"] for c in practical["criteria"])


def test_the_readme_names_a_demo_code_that_finds_its_contestant(sqlite_url):
    import re
    from pathlib import Path

    from scoring.demo import build_demo

    engine = make_engine(sqlite_url)
    urls = dict(build_demo(engine))
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    step = readme.split("13. **The contestant's own result")[1][:800]
    code = re.search(r"`([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})`", step).group(1)
    tail = re.search(r"`(\d{5}[\dX])`", step).group(1)
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == "yulin-childcare-2025")).one()
    by_code = lookup.find(engine, cid, code=read_code(code))
    by_name = lookup.find(engine, cid, name="武子淼", tail=tail)
    assert by_code is not None and by_code == by_name
    assert any(code in label for label in urls), "the demo prints the code it lists"


def test_contestants_from_a_sheet_get_their_codes_too(sqlite_url):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "admin"))
    from admin_helpers import CSV_GOOD, small_document

    from scoring.services.setup import import_contestants

    engine = make_engine(sqlite_url)
    cid = import_document(engine, small_document(), actor="test")
    added = import_contestants(engine, cid, "a.csv", CSV_GOOD.encode(), "t")
    codes = [c.lookup_code for c in _people(engine, cid).values()]
    assert len(codes) == added and all(read_code(x) == x for x in codes) and len(set(codes)) == added


def test_a_replace_never_hands_one_code_to_two_rows(sqlite_url):
    """Two rows of a replacing document that both look like one earlier person (the same ID number
    twice): only one keeps the earlier code, the other gets a new one, and nothing breaks."""
    engine = make_engine(sqlite_url)
    raw = childcare_document(marks="none")
    cid = import_document(engine, raw, actor="test")
    before = _people(engine, cid)["C001"].lookup_code
    for c in raw["contestants"]:
        c.pop("lookup_code")
    raw["contestants"][1]["id_number"] = raw["contestants"][0]["id_number"]
    cid = import_document(engine, raw, actor="test", replace=True)
    people = _people(engine, cid)
    assert people["C001"].lookup_code == before and people["C002"].lookup_code != before


def test_a_competition_from_before_lookup_codes_is_found_by_name(app):
    """Rows from before the migration have no code: a lookup by name gives them theirs first."""
    from scoring.db import transaction

    engine = app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="none"), actor="test")
    with transaction(engine) as s:
        for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)):
            c.lookup_code = None
            s.add(c)
    me = _people(engine, cid)["C003"]
    client = app.test_client()
    r = client.post("/results/yulin-childcare-2025/lookup", data={"name": me.name, "id_tail": me.id_number[-6:]})
    assert r.status_code == 302
    assert all(c.lookup_code for c in _people(engine, cid).values())
