"""Sessions (场次) on the tablet and the chief judge's grid in real Chromium: the picker starts on the
session on now by the venue's clock (the demo's practical is long over, so on every session) and a
session is one choice away, showing only its contestants."""

from __future__ import annotations

import pytest
from judge_helpers import SLUG, sheet_of, signin
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WAIT = 30000
TABLET = {"viewport": {"width": 1024, "height": 1366}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def _practical_rows(app) -> dict[str, set[str]]:
    client = app.test_client()
    signin(client, "J02")
    sheet = sheet_of(client)
    out: dict[str, set[str]] = {}
    for c in sheet["contestants"]:
        out.setdefault(c.get("session", ""), set()).add(c["ref"])
    return out


def _shown(page) -> set[str]:
    return set(
        page.locator("#jdg-contestants > li:not([hidden]) [data-ref]").evaluate_all("bs => bs.map(b => b.dataset.ref)")
    )


def test_the_tablet_list_follows_the_session_picker(app, seeded, live_server, browser):
    rows = _practical_rows(app)
    assert set(rows) == {"P1", "P2"} and rows["P1"] and rows["P2"]
    context = browser.new_context(**TABLET)
    page = context.new_page()
    page.goto(f"{live_server}/judge/c/{SLUG}")
    page.fill("input[name=code]", "J02")
    page.fill("input[name=pin]", "1002")
    page.click("button[type=submit]")
    picker = page.get_by_test_id("session")
    expect(picker).to_be_visible(timeout=WAIT)
    expect(picker).to_have_value("", timeout=WAIT)  # the demo's days are past: every session
    assert _shown(page) == rows["P1"] | rows["P2"]
    picker.select_option("P2")
    assert _shown(page) == rows["P2"]
    picker.select_option("P1")
    assert _shown(page) == rows["P1"]
    context.close()


def test_the_chief_judges_grid_follows_the_session_picker(app, seeded, live_server, browser):
    context = browser.new_context(**TABLET)
    page = context.new_page()
    page.goto(f"{live_server}/judge/c/{SLUG}?lang=en")
    page.fill("input[name=code]", "J01")
    page.fill("input[name=pin]", "1001")
    page.click("button[type=submit]")
    picker = page.get_by_test_id("session")
    expect(picker).to_have_value("", timeout=WAIT)
    practical = page.locator(".jdg-panel", has_text="Practical").first
    expect(practical).to_be_visible(timeout=WAIT)
    every = practical.locator("tbody tr").count()
    picker.select_option("P2")
    expect(page.locator(".jdg-panel", has_text="Practical").first.locator("tbody tr")).not_to_have_count(every)
    context.close()
