"""A trainee judge (见习裁判) in a real browser: the 见习 badge on the tablet and on the panel's form,
a mark sent like any judge's, and the trainee's column marked 见习 in the chief judge's grid."""

from __future__ import annotations

from browser_helpers import tablet_page
from playwright.sync_api import expect
from trainee_helpers import SLUG, trainee_document

from scoring.services.credentials import set_pins
from scoring.services.transfer import import_document

WAIT = 30000


def _tablet(browser, live_server, code: str, pin: str, lands: str):
    context, page = tablet_page(browser, live_server, SLUG, code, pin, lands)
    context.set_default_timeout(15000)
    return context, page


def test_the_trainee_marks_with_a_badge_and_the_chief_sees_the_column(app, live_server, browser):
    engine = app.extensions["scoring.engine"]
    cid = import_document(engine, trainee_document(marks=False))
    set_pins(engine, cid, {"J01": "1001", "T01": "2001"}, actor="test")
    context, page = _tablet(browser, live_server, "T01", "2001", "mark")
    expect(page.get_by_test_id("trainee")).to_have_text("见习")
    page.get_by_test_id("pick-X7").click()
    expect(page.get_by_test_id("trainee-panel")).to_be_visible(timeout=WAIT)
    page.locator(".jdg-field[data-type=measurement] [data-num]").fill("20")
    page.get_by_test_id("review").click()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=WAIT)
    context.close()
    context, page = _tablet(browser, live_server, "J01", "1001", "chief")
    expect(page.get_by_test_id("trainee-T01")).to_contain_text("见习", timeout=WAIT)
    expect(page.get_by_test_id("cell-X7-T01")).to_have_attribute("data-state", "partial", timeout=WAIT)
    expect(page.get_by_test_id("cell-X7-J02")).to_have_attribute("data-state", "missing")
    context.close()
