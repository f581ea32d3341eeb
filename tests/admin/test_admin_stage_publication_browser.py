"""Staged publication in real Chromium: the organizer publishes the theory for every group through
the confirmation page while the practical is still being marked, and an open projector board goes
from "not public" to the theory results by itself (Socket.IO), with no total and no practical column."""

from __future__ import annotations

import pytest
from admin_helpers import ORGANIZER
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SLOW = 20_000
SLUG = "yulin-childcare-2025"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_organizer_publishes_the_theory_and_the_open_board_follows(app, live_server, page, lang):
    from scoring.demo_data import childcare_document
    from scoring.services import publication
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    engine = app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks="some"))  # embargoed; the practical 40 % marked
    create_user(engine, *ORGANIZER, role="organizer")
    publication.set_stage_state(engine, cid, "theory", True, "t")
    q = "?lang=en" if lang == "en" else ""
    expect.set_options(timeout=SLOW)
    page.set_default_timeout(SLOW)

    board = page.context.new_page()
    board.set_viewport_size({"width": 1920, "height": 1080})
    board.goto(f"{live_server}/board/{SLUG}{q}")
    expect(board.locator(".lb-embargo")).to_be_visible()

    page.goto(f"{live_server}/login{q}")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("button[type=submit]")
    page.goto(f"{live_server}/admin/c/{SLUG}/publish{q}")
    page.select_option("[data-test=publish-stage-stage]", "practical")
    page.click("[data-test=publish-stage-ask]")
    expect(page.locator("[data-test=blocker-lock]")).to_be_visible()  # the practical: open, marks missing
    expect(page.locator("[data-test=confirm-publish-stage]")).to_have_count(0)
    page.click("[data-test=confirm-cancel]")
    page.select_option("[data-test=publish-stage-stage]", "theory")
    page.click("[data-test=publish-stage-ask]")
    expect(page.locator("[data-test=confirm-count]")).to_have_attribute("data-contestants", "98")
    page.click("[data-test=confirm-publish-stage]")
    flash = "成绩版本 1 已公布" if lang == "zh" else "Result version 1 is published"
    expect(page.get_by_text(flash)).to_be_visible()
    expect(page.locator("[data-test=version-scope]")).to_contain_text("理论" if lang == "zh" else "Theory")

    # the open board, without a reload: theory only, ordered by it, no totals
    heading = "按理论成绩排列" if lang == "zh" else "ranked by Theory"
    expect(board.locator(".lb-group h2").first).to_contain_text(heading)
    expect(board.locator(".lb-c-stage")).to_have_count(1)
    first = board.locator(".lb-group tbody tr").first
    expect(first.locator(".lb-rank")).to_have_text("1")
    expect(first.locator(".lb-total")).to_have_text("未公布" if lang == "zh" else "not published")
