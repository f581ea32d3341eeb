"""A team event on the projector board and the phone in Chromium: the team's anonymous code before
the reveal, then its name with its members' names (drawn by board.js), in both languages; the phone
never scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from team_helpers import import_locked_example, reveal_identities

from scoring.services.live_admin import set_visibility

pytestmark = pytest.mark.browser
SLUG = "infant-care-teams"


@pytest.fixture
def team_board(app, live_server):
    engine = app.extensions["scoring.engine"]
    cid, _raw = import_locked_example(engine)
    set_visibility(engine, cid, "live", "t")
    return engine, cid, live_server


def test_the_board_names_the_team_and_its_members_only_after_the_reveal(page, team_board):
    engine, cid, base = team_board
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/board/{SLUG}")
    expect(page.locator("tr[data-code='Y20'] .lb-name")).to_have_text("Y20")
    expect(page.locator(".lb-members")).to_have_count(0)
    reveal_identities(engine, cid)
    for query, members in (("", "张燕、李娜"), ("?lang=en", "张燕, 李娜")):
        page.goto(f"{base}/board/{SLUG}{query}")
        row = page.locator("tr[data-code='T01']")
        expect(row.locator(".lb-name")).to_contain_text("榆阳区育婴一队")
        expect(row.locator(".lb-members")).to_have_text(members)


def test_the_phone_shows_members_without_scrolling_sideways(page, team_board):
    engine, cid, base = team_board
    reveal_identities(engine, cid)
    page.set_viewport_size({"width": 390, "height": 844})
    for query, members in (("", "陈静、杨丽"), ("?lang=en", "陈静, 杨丽")):
        page.goto(f"{base}/board/{SLUG}/phone{query}")
        expect(page.locator("tr[data-code='T03'] .lb-members")).to_have_text(members)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
