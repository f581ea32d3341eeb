"""The Content-Security-Policy in real Chromium: the main pages raise no violation and their scripts
still work (a mark is saved on the tablet, the board and the chief judge's grid follow it, the
console pages and the error page's "Go back" work)."""

from __future__ import annotations

import pytest
from browser_helpers import fill_sheet
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SLUG = "yulin-childcare-2025"
WAIT = 30000
TABLET = {
    "viewport": {"width": 800, "height": 1280},
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}
# runs before any page script (injected by the browser driver, not subject to the policy)
LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});"""


class Watch:
    """Every CSP complaint of a browser context: the DOM events and Chromium's console errors."""

    def __init__(self, context):
        self.console: list[str] = []
        self.pages = []
        context.add_init_script(LISTEN)
        context.on("page", self._page)

    def _page(self, page):
        self.pages.append(page)
        page.on("console", lambda msg: self.console.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.on("pageerror", lambda exc: self.console.append(f"page error: {exc}"))

    def assert_clean(self, page, where: str) -> None:
        events = page.evaluate("window.__csp || []")
        assert events == [] and self.console == [], f"{where}: {events} {self.console}"


def _sign_in_judge(page, base: str, code: str, pin: str, lands_on: str) -> None:
    page.goto(f"{base}/judge/c/{SLUG}")
    page.fill("input[name=code]", code)
    page.fill("input[name=pin]", pin)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/judge/c/{SLUG}/{lands_on}", timeout=WAIT)


def _mark_first_unmarked(page) -> str:
    """Open the first contestant with no marks, fill every aspect, review and send; returns its code."""
    pick = page.locator("[data-testid^='pick-'][data-status='missing']").first
    ref = pick.get_attribute("data-testid").removeprefix("pick-")
    pick.click()
    expect(page.get_by_test_id("sheet-title")).to_contain_text(ref, timeout=WAIT)
    fill_sheet(page)
    page.get_by_test_id("review").click()
    page.get_by_test_id("submit").click()
    return ref


def test_tablet_board_phone_and_chief_pages_run_their_scripts_under_the_policy(app, seeded, live_server, browser):
    viewers = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    watch_viewers = Watch(viewers)
    board = viewers.new_page()
    board.goto(f"{live_server}/board/{SLUG}")
    expect(board.locator("#board")).to_have_attribute("data-connected", "1", timeout=WAIT)
    before = board.locator("#board").get_attribute("data-version")
    phone = viewers.new_page()
    phone.goto(f"{live_server}/board/{SLUG}/phone")
    expect(phone.locator("#board")).to_have_attribute("data-connected", "1", timeout=WAIT)

    chief_ctx = browser.new_context(**TABLET)
    watch_chief = Watch(chief_ctx)
    chief = chief_ctx.new_page()
    _sign_in_judge(chief, live_server, "J01", "1001", "chief")
    expect(chief.get_by_test_id("live-state")).to_have_attribute("data-state", "live", timeout=WAIT)

    tablet_ctx = browser.new_context(**TABLET)
    watch_tablet = Watch(tablet_ctx)
    tablet = tablet_ctx.new_page()
    _sign_in_judge(tablet, live_server, "J02", "1002", "mark")
    expect(tablet.locator("body")).to_have_attribute("data-offline-ready", "1", timeout=WAIT)
    ref = _mark_first_unmarked(tablet)
    cell = chief.get_by_test_id(f"cell-{ref}-J02")
    expect(tablet.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=WAIT)
    expect(tablet.get_by_test_id(f"pick-{ref}")).to_have_attribute("data-status", "submitted", timeout=WAIT)
    # the board and the chief judge's grid follow the mark without a reload
    expect(board.locator("#board")).not_to_have_attribute("data-version", before or "", timeout=WAIT)
    expect(cell).not_to_have_attribute("data-state", "missing", timeout=WAIT)

    watch_tablet.assert_clean(tablet, "tablet marking page")
    watch_chief.assert_clean(chief, "chief judge's grid")
    watch_viewers.assert_clean(board, "projector board")
    watch_viewers.assert_clean(phone, "phone page")
    for ctx in (tablet_ctx, chief_ctx, viewers):
        ctx.close()


def test_console_pages_and_error_page_under_the_policy(app, seeded, live_server, browser):
    from scoring.demo import DEMO_ORGANIZER

    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    watch = Watch(ctx)
    page = ctx.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", DEMO_ORGANIZER[0])
    page.fill("input[name=password]", DEMO_ORGANIZER[1])
    page.click("button[type=submit]")
    expect(page).not_to_have_url(f"{live_server}/login", timeout=WAIT)
    for path in (
        "",
        "/setup",
        "/contestants",
        "/recusals",
        "/draw",
        "/monitor",
        "/review",
        "/publish",
        "/appeals",
        "/certificates",
    ):
        page.goto(f"{live_server}/admin/c/{SLUG}{path}")
        expect(page.locator("main")).to_be_visible(timeout=WAIT)
        watch.assert_clean(page, f"console {path or '/'}")
    page.goto(f"{live_server}/screens/{SLUG}")
    expect(page.locator("main")).to_be_visible(timeout=WAIT)
    watch.assert_clean(page, "screens console")
    # the login cards: the confirmation before new PINs comes from a script file now
    page.goto(f"{live_server}/judge/c/{SLUG}/cards")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.locator("form[data-confirm] button[type=submit]").click()
    expect(page).to_have_url(f"{live_server}/judge/c/{SLUG}/cards", timeout=WAIT)
    assert asked and "PIN" in asked[0], asked
    watch.assert_clean(page, "login cards")
    # an error page's "Go back" (was a javascript: URL)
    page.goto(f"{live_server}/no/such/page")
    watch.assert_clean(page, "error page")
    page.locator("a[data-back]").click()
    expect(page).to_have_url(f"{live_server}/judge/c/{SLUG}/cards", timeout=WAIT)
    watch.assert_clean(page, "back from the error page")
    ctx.close()
