"""Team entries on boards, phones and the console payload: the team's anonymous code before the
draw map is revealed (no team name, no member names), its name with its members' names and units
after; members' ID numbers and phones never, for any audience."""

from __future__ import annotations

import json

import pytest
from team_helpers import import_locked_example, reveal_identities

from scoring.services.live_admin import set_visibility
from scoring.services.results import visible_standings
from scoring.visibility import Audience

MEMBERS = ("张燕", "李娜", "王芳", "刘洋", "陈静", "杨丽")


def _engine(app):
    return app.extensions["scoring.engine"]


@pytest.fixture
def team_comp(any_app):
    cid, raw = import_locked_example(_engine(any_app))
    set_visibility(_engine(any_app), cid, "live", "t")
    private = {p[k] for c in raw["contestants"] for p in c["members"] for k in ("id_number", "phone")}
    return any_app, cid, private


def _reveal(app, cid):
    reveal_identities(_engine(app), cid)


def test_before_the_reveal_a_team_is_its_anonymous_code_alone(team_comp):
    app, cid, private = team_comp
    for audience in (Audience.PUBLIC, Audience.AUDIENCE, Audience.CHIEF):
        payload = visible_standings(_engine(app), cid, audience)
        rows = payload["groups"][0]["rows"]
        assert [r["code"] for r in rows] == ["Y20", "Y34", "Y27"]
        assert all("members" not in r and "name" not in r for r in rows)
        text = json.dumps(payload, ensure_ascii=False)
        assert not any(name in text for name in MEMBERS) and "育婴一队" not in text
        assert not any(value in text for value in private)


def test_after_the_reveal_a_team_shows_its_name_and_members_never_their_ids(team_comp):
    app, cid, private = team_comp
    _reveal(app, cid)
    for audience in (Audience.PUBLIC, Audience.ORGANIZER):
        payload = visible_standings(_engine(app), cid, audience)
        first = payload["groups"][0]["rows"][0]
        assert first["name"] == "榆阳区育婴一队"
        assert first["members"] == [
            {"name": "张燕", "unit": "榆阳区妇幼保健院", "region": "榆阳区"},
            {"name": "李娜", "unit": "榆阳区阳光托育园", "region": "榆阳区"},
        ]
        assert not any(value in json.dumps(payload) for value in private)


def test_the_board_and_phone_pages_name_members_only_after_the_reveal(team_comp):
    app, cid, _private = team_comp
    client = app.test_client()
    for path in ("/board/infant-care-teams", "/board/infant-care-teams/phone", "/board/infant-care-teams?lang=en"):
        html = client.get(path).get_data(as_text=True)
        assert "Y20" in html and "张燕" not in html and "lb-members" not in html
    _reveal(app, cid)
    for path, members in (
        ("/board/infant-care-teams?lang=zh_Hans_CN", "张燕、李娜"),
        ("/board/infant-care-teams/phone", "张燕、李娜"),
        ("/board/infant-care-teams?lang=en", "张燕, 李娜"),  # the reader's list separator
    ):
        html = client.get(path).get_data(as_text=True)
        assert "榆阳区育婴一队" in html and f'<span class="lb-members">{members}</span>' in html


def test_the_published_results_list_each_teams_members(team_comp):
    from scoring.services.publication import publish

    app, cid, private = team_comp
    _reveal(app, cid)
    publish(_engine(app), cid, "t")
    client = app.test_client()
    for path, members in (
        ("/results/infant-care-teams", "张燕、李娜"),
        ("/results/infant-care-teams?lang=en", "张燕, 李娜"),
    ):
        html = client.get(path).get_data(as_text=True)
        assert f'榆阳区育婴一队<span class="lb-members">{members}</span>' in html
        assert not any(value in html for value in private)
    content = client.get("/results/infant-care-teams/v1.json").get_json()["content"]
    assert [m["name"] for m in content["groups"][0]["rows"][1]["members"]] == ["陈静", "杨丽"]


def test_the_public_export_has_a_members_column_for_a_team_event(team_comp):
    from scoring.services.publication import publish

    app, cid, private = team_comp
    _reveal(app, cid)
    publish(_engine(app), cid, "t")
    client = app.test_client()
    text = client.get("/results/infant-care-teams/export/infant-pairs.csv").get_data().decode("utf-8-sig")
    assert "队员" in text and "张燕（榆阳区妇幼保健院）、李娜（榆阳区阳光托育园）" in text
    english = client.get("/results/infant-care-teams/export/infant-pairs.csv?lang=en").get_data().decode("utf-8-sig")
    assert "Members" in english and "张燕 (榆阳区妇幼保健院); 李娜 (榆阳区阳光托育园)" in english
    assert not any(value in text + english for value in private)


def test_the_demo_has_a_two_person_team_event_with_every_mark(app, seeded):
    from scoring.demo_data import childcare_document
    from scoring.demo_teams import add_team_event
    from scoring.document import load_document, recompute

    doc = load_document(add_team_event(childcare_document(marks="some")))
    rows = recompute(doc).groups["infant-pairs"].rows
    assert len(rows) == 6 and all(r.total is not None for r in rows)
    assert all(len(doc.contestant(r.contestant).members) == 2 for r in rows)
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(_engine(app)) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == seeded)).one()
    payload = visible_standings(_engine(app), cid, Audience.ORGANIZER)
    group = next(g for g in payload["groups"] if g["code"] == "infant-pairs")
    assert [r["code"] for r in group["rows"]] == [r.contestant for r in rows]
    assert group["rows"][0]["name"].endswith("育婴队") and len(group["rows"][0]["members"]) == 2
    public = visible_standings(_engine(app), cid, Audience.PUBLIC)  # live, before the reveal: codes only
    rows_seen = next(g for g in public["groups"] if g["code"] == "infant-pairs")["rows"]
    assert all(r["code"].startswith("YY-") and "members" not in r for r in rows_seen)
