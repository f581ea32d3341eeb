"""Real Chromium on the phone page: the team standings (团体总分) appear once names are public, in
both languages, and follow a corrected mark through the socket's delta."""

from __future__ import annotations

import pytest
from live_helpers import SLUG, correct_theory, reveal_draw, theory_marks
from playwright.sync_api import expect
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

pytestmark = pytest.mark.browser


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "title"), [("zh_Hans_CN", "县区团体总分"), ("en", "County team score")])
def test_the_phone_page_shows_the_county_standing_and_follows_a_corrected_mark(comp, live_server, page, lang, title):
    from scoring.services import live_admin
    from scoring.services.results import visible_standings
    from scoring.visibility import Audience

    engine, cid = comp
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/board/{SLUG}/phone?lang={lang}")
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)
    assert page.locator("[data-team]").count() == 0  # names are not public yet: no counties
    reveal_draw(engine, cid)
    live_admin.set_visibility(engine, cid, "live", "test")  # what the public sees changed: a push
    county = page.locator('[data-team="county"]')
    expect(county.locator("h2")).to_have_text(title, timeout=5_000)
    expect(county.locator("tbody tr")).to_have_count(12)
    leader = visible_standings(engine, cid, Audience.PUBLIC)["team_standings"][0]["rows"][0]
    cell = county.locator(f'tr[data-delegation="{leader["delegation"]}"] td.lb-total')
    expect(cell).to_have_text(leader["score"])
    best = leader["counted"][0]
    with reading(engine) as s:
        contestant = s.exec(
            select(m.Contestant.id).where(m.Contestant.competition_id == cid, m.Contestant.code == best["code"])
        ).one()
    assert any(mk.contestant_id == contestant for mk in theory_marks(engine, cid))
    correct_theory(engine, cid, contestant, "0")  # the county's best result loses its theory mark
    expect(cell).not_to_have_text(leader["score"], timeout=5_000)
