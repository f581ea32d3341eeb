"""Two clerks type a paper score sheet in from the keyboard, in real Chromium at desktop size, in
Chinese: the code typed into the autofocused scan field as a USB scanner does (text + Enter), the
aspects walked with Tab and Enter, Enter on the last box saves; a bad box is refused in Chinese
with what was typed kept; the second clerk's agreeing entry makes the judge's marks."""

from __future__ import annotations

import pytest
from paper_helpers import SLUG, paper_document, token
from playwright.sync_api import expect
from sqlmodel import select
from web_helpers import engine_of

from scoring import models as m
from scoring.db import reading
from scoring.services.accounts import create_user
from scoring.services.transfer import import_document

pytestmark = pytest.mark.browser
SLOW = 20_000
expect.set_options(timeout=SLOW)
PASSWORD = "correct-horse-1"
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def _sign_in(browser, live_server, username):
    ctx = browser.new_context(**DESKTOP)
    page = ctx.new_page()
    page.set_default_timeout(SLOW)
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server}/clerk/c/{SLUG}")
    return ctx, page


def _scan(page, code):
    scan = page.locator("#clk-sheet")
    expect(scan).to_be_focused()  # the scanner types wherever the focus is: it starts here
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sheet-title")).to_contain_text("裁判 J02")
    expect(page.get_by_test_id("value-P1")).to_be_focused()


def test_two_clerks_enter_a_sheet_from_the_keyboard(app, live_server, browser):
    engine = engine_of(app)
    cid = import_document(engine, paper_document())
    create_user(engine, "boss", PASSWORD, role="organizer")  # else the sign-in page is the first-run set-up
    for name in ("clerk-a", "clerk-b"):
        create_user(engine, name, PASSWORD, role="clerk", competition_id=cid)
    code = token(engine, cid, "J02", "C001")

    ctx, page = _sign_in(browser, live_server, "clerk-a")
    _scan(page, code)
    page.keyboard.type("9")
    page.keyboard.press("Enter")  # Enter on a box that is not the last: the next box, nothing sent
    expect(page.get_by_test_id("value-P2")).to_be_focused()
    page.keyboard.type("18")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("value-P3")).to_be_focused()
    page.keyboard.type("4.55")  # not a step of 0.1
    page.keyboard.press("Enter")  # the last box: saves
    expect(page.get_by_test_id("error-P3")).to_contain_text("不是 0.1 的整数倍")
    expect(page.get_by_test_id("entry-error")).to_contain_text("输入被拒绝")
    expect(page.get_by_test_id("value-P1")).to_have_value("9")  # what was typed is kept
    expect(page.get_by_test_id("value-P2")).to_have_value("18")
    expect(page.get_by_test_id("value-P3")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("4.5")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("saved")).to_contain_text("已保存")
    expect(page.locator("#clk-sheet")).to_be_focused()  # ready for the next sheet
    expect(page.get_by_test_id("mine")).to_contain_text("J02")
    ctx.close()

    ctx, page = _sign_in(browser, live_server, "clerk-b")
    _scan(page, code)
    expect(page.get_by_test_id("value-P1")).to_have_value("")  # blind: nothing of the first entry
    for value in ("9", "18", "4.5"):
        page.keyboard.type(value)
        page.keyboard.press("Tab" if value != "4.5" else "Enter")
    expect(page.get_by_test_id("saved")).to_contain_text("已保存")
    ctx.close()
    with reading(engine) as s:
        marks = s.exec(select(m.Mark).where(m.Mark.competition_id == cid)).all()
    assert sorted(format(k.value, "f") for k in marks) == ["18", "4.5", "9"]
    assert {k.entered_by for k in marks} == {"paper: entered by clerk clerk-a, confirmed by clerk clerk-b"}
