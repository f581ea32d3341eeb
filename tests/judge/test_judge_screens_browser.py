"""The tablet held upright (1024×1366) and the chief judge's grid, as the people using them notice
them (issue 11, item 7): after a pick the form is in view, the status bar never scrolls away, the
list folds and finds a contestant by station or code, "sent when the network is back" only when
that is true; grid cells are 44 px touch targets with readable text, each judge listed once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from judge_helpers import SLUG, engine_of, signin
from playwright.sync_api import expect
from test_judge_browser import WAIT, _mark, _signed_in_tablet, _two_unmarked

from scoring import models as m
from scoring.db import transaction

pytestmark = pytest.mark.browser
UPRIGHT = {"width": 1024, "height": 1366}
QUEUED = "网络恢复后自动发送"


def _contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (opaque backgrounds here)."""

    def lum(css: str) -> float:
        parts = [float(x) for x in css[css.index("(") + 1 : -1].split(",")[:3]]
        lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_an_upright_tablet_finds_a_contestant_and_shows_the_form_under_a_pinned_status_bar(
    app, seeded, live_server, browser
):
    first, second = _two_unmarked(app)
    context, page = _signed_in_tablet(browser, live_server)
    page.set_viewport_size(UPRIGHT)
    sheet = page.locator("#jdg-sheet")
    expect(sheet).to_contain_text("请选择一名选手")
    expect(page.locator("body")).not_to_contain_text("左侧")
    # find by code: only the match is left, Enter picks it, the form is scrolled into view
    page.get_by_test_id("search").fill(second[-4:])
    expect(page.locator("#jdg-contestants > li:visible")).to_have_count(1)
    page.get_by_test_id("search").press("Enter")
    expect(page.get_by_test_id("sheet-title")).to_contain_text(second, timeout=WAIT)
    expect(page.get_by_test_id("sheet-title")).to_be_in_viewport()
    # the status bar stays on top of the screen however far the judge scrolls
    page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 0")
    for badge in ("connection", "unsent"):
        expect(page.get_by_test_id(badge)).to_be_in_viewport()
    # the list folds away and comes back
    page.get_by_test_id("search").fill("")
    toggle = page.get_by_test_id("list-toggle")
    toggle.click()
    expect(page.get_by_test_id("contestants")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(page.get_by_test_id("contestants")).to_be_visible()
    # a pick from the list (not the search) scrolls to the form too
    page.evaluate("window.scrollTo(0, 0)")
    _mark(page, first)
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=WAIT)
    expect(page.get_by_test_id("notices")).not_to_contain_text(QUEUED)  # online: sent, not "when back"
    # offline: now the marks do wait, and the tablet says so
    context.set_offline(True)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "offline", timeout=WAIT)
    _mark(page, second)
    expect(page.get_by_test_id("notices")).to_contain_text(QUEUED, timeout=WAIT)
    context.close()


def test_the_chief_grid_has_touch_sized_readable_cells_and_each_judge_once(app, seeded, live_server, browser):
    judge = app.test_client()
    signin(judge, "J02")
    for client_id, unsent in (("tab-old", 4), ("tab-new", 0)):
        judge.post(f"/api/v1/judging/{SLUG}/heartbeat", json={"client_id": client_id, "unsent": unsent})
    with transaction(engine_of(app)) as s:  # yesterday's browser session of the same judge
        old = s.get(m.TabletHeartbeat, "tab-old")
        old.last_seen -= timedelta(hours=3)
        s.add(old)
    context, page = _signed_in_tablet(browser, live_server, "J01", "1001")
    page.set_viewport_size(UPRIGHT)
    expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live", timeout=WAIT)
    tablets = page.get_by_test_id("tablets")
    expect(tablets.locator("li")).to_have_count(1, timeout=WAIT)
    expect(page.get_by_test_id("tablet-J02")).to_contain_text("在线")
    cells = page.locator("button.jdg-cell")
    expect(cells.first).to_be_visible(timeout=WAIT)
    # (a push that redraws the grid between finding the cells and measuring them leaves the found ones
    # detached, 0 × 0 and without style: only cells still on the page are measured, again if none were)
    looks: list = []
    for _ in range(3):
        looks = cells.evaluate_all(
            """els => els.filter(e => e.isConnected).slice(0, 200).map(e => {
                const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
                return { state: e.dataset.state, w: r.width, h: r.height, fg: cs.color, bg: cs.backgroundColor,
                         opacity: parseFloat(cs.opacity) }; })"""
        )
        if looks:
            break
    assert {x["state"] for x in looks} >= {"submitted", "missing"}, {x["state"] for x in looks}
    for x in looks:
        assert x["w"] >= 44 and x["h"] >= 44, x
        assert x["opacity"] == 1 and _contrast(x["fg"], x["bg"]) >= 4.5, x
    context.close()
