"""A tablet in real Chromium whose login card was reissued: its next marks are not taken, they wait
in its outbox, the page says to sign in again, and a fresh sign-in with the new PIN sends them."""

from __future__ import annotations

import time

import pytest
from judge_helpers import SLUG, competition_id, engine_of
from playwright.sync_api import expect
from sqlmodel import select
from test_judge_browser import WAIT, _mark, _signed_in_tablet, _stored, _two_unmarked

from scoring import models as m
from scoring.db import reading
from scoring.services import credentials

pytestmark = pytest.mark.browser


def test_after_a_reissue_the_tablet_keeps_its_marks_and_asks_to_sign_in_again(app, seeded, live_server, browser):
    ref = _two_unmarked(app)[0]
    context, page = _signed_in_tablet(browser, live_server)
    credentials.cards(engine_of(app), competition_id(app), reissue=True, actor="test")  # the organizer's button
    n = _mark(page, ref)
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", str(n), timeout=WAIT)
    expect(page.locator("#jdg-notices")).to_contain_text("请重新登录", timeout=WAIT)
    assert _stored(app, ref) == []  # nothing was taken with the withdrawn card
    page.goto(f"{live_server}/judge/c/{SLUG}/mark")  # the page itself leads to the sign-in form
    expect(page).to_have_url(f"{live_server}/judge/c/{SLUG}", timeout=WAIT)
    with reading(engine_of(app)) as s:
        pin = s.exec(
            select(m.JudgeCard.pin).join(m.Judge, m.Judge.id == m.JudgeCard.judge_id).where(m.Judge.code == "J02")
        ).one()
    page.fill("input[name=code]", "J02")
    page.fill("input[name=pin]", pin)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server}/judge/c/{SLUG}/mark", timeout=WAIT)
    # (the page is served with a count of 0 before its script reads the outbox: wait for the marks themselves)
    deadline = time.monotonic() + 30
    while len(_stored(app, ref)) < n and time.monotonic() < deadline:
        time.sleep(0.1)
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=30000)
    assert [c for _, c in _stored(app, ref)] == [1] * n  # sent once the judge signed in again
    context.close()
