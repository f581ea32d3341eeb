"""签字确认本表 asks first on the tablet (1024×1366): what will be signed and that only the chief
judge can unlock it; "back" changes nothing, "confirm-sign" signs and says so."""

from __future__ import annotations

import pytest
from browser_helpers import fill_sheet, tablet_page
from judge_helpers import SLUG, engine_of, sheet_of, signin
from playwright.sync_api import expect
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

pytestmark = pytest.mark.browser
WAIT = 30000


def _signed(app, ref: str) -> int:
    with reading(engine_of(app)) as s:
        return len(
            s.exec(
                select(m.Mark.id)
                .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Mark.contestant_id)
                .where(m.DrawEntry.code == ref, m.Mark.state == "signed")
            ).all()
        )


def test_sign_off_asks_first_then_signs_and_says_so(app, seeded, live_server, browser, tmp_path):
    probe = app.test_client()
    signin(probe, "J02")
    ref = next(c["ref"] for c in sheet_of(probe)["contestants"] if c["status"] == "missing")
    context, page = tablet_page(browser, live_server, SLUG)  # 1024×1366
    page.get_by_test_id(f"pick-{ref}").click()
    n = fill_sheet(page)
    page.get_by_test_id("review").click()
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=WAIT)
    expect(page.get_by_test_id(f"pick-{ref}")).to_have_attribute("data-status", "submitted", timeout=WAIT)
    page.get_by_test_id(f"pick-{ref}").click()

    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("sign-title")).to_have_text(f"签字确认 {ref} 的评分表？")
    expect(page.get_by_test_id("sign-facts")).to_contain_text(f"{n} 项评分")
    expect(page.locator(".jdg-sheet")).to_contain_text("只有裁判长")
    expect(page.get_by_test_id("sign-title")).to_be_in_viewport()
    page.screenshot(path=str(tmp_path / "sign-confirm.png"))
    page.get_by_test_id("sign-cancel").click()  # back: nothing signed, nothing queued
    expect(page.get_by_test_id("sign")).to_be_visible()
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0")
    assert _signed(app, ref) == 0

    page.get_by_test_id("sign").click()
    page.get_by_test_id("confirm-sign").click()
    expect(page.get_by_test_id("notices")).to_contain_text(f"{ref} 的评分表已签字并保存", timeout=WAIT)
    expect(page.get_by_test_id("signed")).to_be_visible(timeout=WAIT)
    assert _signed(app, ref) == n
    context.close()
