"""Helpers shared by the browser tests of several areas (tests/ is on the import path through the
root conftest.py)."""

from __future__ import annotations


def fill_sheet(page) -> int:
    """Fill every aspect of the tablet's open form with a valid entry; returns how many were filled."""
    fields = page.locator(".jdg-field")
    n = fields.count()
    for i in range(n):
        f = fields.nth(i)
        kind = f.get_attribute("data-type")
        if kind == "judgement":
            f.locator("[data-set='2']").click()
        elif kind == "deduction":
            f.locator("[data-set='0']").click()
        elif kind == "time":
            f.locator("[data-mm]").fill("65")
            f.locator("[data-ss]").fill("30")
        else:
            f.locator("[data-num]").fill("4")
    return n


TABLET = {
    "viewport": {"width": 1024, "height": 1366},
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


def tablet_page(
    browser, live_server: str, slug: str, code: str = "J02", pin: str = "1002", lands: str = "mark", **context
):
    """A new tablet-sized context signed in with a judge's PIN, on the page it lands on (``mark``, or
    ``chief`` for the chief judge): (context, page). ``context`` overrides the tablet's settings
    (e.g. a portrait 800×1280 viewport)."""
    from playwright.sync_api import expect

    ctx = browser.new_context(**{**TABLET, **context})
    page = ctx.new_page()
    page.goto(f"{live_server}/judge/c/{slug}")
    page.fill("input[name=code]", code)
    page.fill("input[name=pin]", pin)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server}/judge/c/{slug}/{lands}", timeout=30000)
    return ctx, page
