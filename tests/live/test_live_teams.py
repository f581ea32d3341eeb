"""Team standings (团体总分) in the live payload follow the visibility policy of the rows they come
from: the audience × state matrix, names before the draw is revealed, the freeze, the award reveal."""

from __future__ import annotations

import pytest
from live_helpers import SLUG, correct_theory, login, reveal_draw, theory_marks

from scoring.services import live_admin
from scoring.services.results import visible_standings
from scoring.visibility import Audience, View, shows_team_standings, view_for

STATES = ("embargoed", "live", "frozen", "published")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("revealed", [False, True])
def test_the_policy_shows_team_standings_exactly_with_the_rows_and_the_names(audience, state, revealed):
    view = view_for(audience, state, revealed)
    assert shows_team_standings(view) == (view.standings and view.names)
    assert not shows_team_standings(view, reveal_running=True)


def test_the_policy_never_shows_team_standings_without_rows():
    hidden = View(standings=False, live=True, names=True, judge_marks=True, flags=True, final=True)
    assert not shows_team_standings(hidden)


def _teams(engine, cid, audience, locale=None):
    return visible_standings(engine, cid, Audience(audience), locale)["team_standings"]


def _county(teams) -> dict:
    return next(ts for ts in teams if ts["code"] == "county")


def test_before_the_draw_is_revealed_only_the_organizer_sees_the_counties(comp):
    engine, cid = comp
    for audience in ("public", "audience", "judge", "chief"):
        assert _teams(engine, cid, audience) == [], audience
    county = _county(_teams(engine, cid, "organizer"))
    assert len(county["rows"]) == 12 and county["rows"][0]["decided_by"] == "score"


def test_once_revealed_the_public_sees_them_live_in_its_language_without_the_deciding_rule(comp):
    engine, cid = comp
    reveal_draw(engine, cid)
    live_admin.set_visibility(engine, cid, "live", "test")  # (a change of what the public sees)
    zh, en = _county(_teams(engine, cid, "public")), _county(_teams(engine, cid, "public", "en"))
    assert (zh["title"], en["title"]) == ("县区团体总分", "County team score")
    assert "decided_by" not in zh["rows"][0] and "decided_by_text" not in zh["rows"][0]
    assert _county(_teams(engine, cid, "chief"))["rows"][0]["decided_by"] == "score"
    live_admin.set_visibility(engine, cid, "embargoed", "test")
    assert _teams(engine, cid, "public") == []


def test_a_frozen_board_keeps_the_team_standings_of_the_freeze_and_hides_them_during_the_award_reveal(app, comp):
    engine, cid = comp
    reveal_draw(engine, cid)
    live_admin.set_visibility(engine, cid, "frozen", "test")
    before = _county(_teams(engine, cid, "public"))
    leader = before["rows"][0]["counted"][0]  # the best result of the leading county
    contestant = next(
        mk.contestant_id for mk in theory_marks(engine, cid) if _code_of(engine, mk.contestant_id) == leader["code"]
    )
    correct_theory(engine, cid, contestant, "0")
    assert _county(_teams(engine, cid, "public")) == before  # the public stays at the freeze
    assert _county(_teams(engine, cid, "organizer"))["rows"] != before["rows"]  # officials see live
    live_admin.start_reveal(engine, cid, "childcare", "test")
    assert _teams(engine, cid, "public") == []
    assert _county(_teams(engine, cid, "organizer"))["rows"]
    client = app.test_client()
    login(client, "organizer")
    body = client.get(f"/api/v1/competitions/{SLUG}/standings?audience=public").get_json()
    assert body["team_standings"] == []


def _code_of(engine, contestant_id: int) -> str:
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(engine) as s:
        return s.exec(select(m.Contestant.code).where(m.Contestant.id == contestant_id)).one()


def test_a_push_carries_the_team_standings_only_when_they_moved():
    from scoring.live import make_message

    row = {"code": "C1", "rank": "1"}
    teams = [{"code": "county", "rows": [{"delegation": "东", "score": "90.00"}]}]
    before = {"state": "live", "version": 1, "groups": [{"code": "A", "rows": [row]}], "team_standings": teams}
    same = {**before, "version": 2}
    assert make_message((1, before), same) is None
    moved = [{"code": "county", "rows": [{"delegation": "东", "score": "95.00"}]}]
    delta = make_message((1, before), {**before, "version": 3, "team_standings": moved})
    assert delta["kind"] == "delta" and delta["team_standings"] == moved and delta["groups"] == []
    rows_only = make_message(
        (1, before), {**before, "version": 4, "groups": [{"code": "A", "rows": [{**row, "rank": "2"}]}]}
    )
    assert rows_only["kind"] == "delta" and "team_standings" not in rows_only
