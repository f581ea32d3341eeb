"""On the tablet (1024×1366) an element the technical panel declared invalid is shown read-only,
in Chinese and in English, and signing the sheet lists only the elements that take marks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browser_helpers import tablet_page
from judge_helpers import engine_of
from playwright.sync_api import expect
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.services.judging import set_pins
from scoring.services.transfer import import_document

pytestmark = pytest.mark.browser
WAIT = 30000
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "free-skating.json"
SLUG = "isu-free-skating-example"


def test_the_invalid_element_is_read_only_and_not_signed(app, live_server, browser, tmp_path):
    engine = engine_of(app)
    cid = import_document(engine, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    set_pins(engine, cid, {"J1": "4711"}, actor="t")
    with reading(engine) as s:
        two = s.exec(select(m.Contestant.id).where(m.Contestant.competition_id == cid, m.Contestant.code == "S2")).one()
    shots = Path(os.environ.get("SHOTS_DIR", tmp_path))
    context, page = tablet_page(browser, live_server, SLUG, code="J1", pin="4711")
    page.get_by_test_id(f"pick-#{two}").click()
    expect(page.get_by_test_id("invalid-E2")).to_have_text("无效（技术组判定），不打分。", timeout=WAIT)
    assert page.get_by_test_id("field-E2").locator("input").count() == 0
    assert page.get_by_test_id("field-E1").locator("input").count() == 1
    page.screenshot(path=str(shots / "invalid-zh.png"))
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("sign-table").locator("tr")).to_have_count(2, timeout=WAIT)
    page.get_by_test_id("confirm-sign").click()
    expect(page.get_by_test_id(f"pick-#{two}")).to_have_attribute("data-status", "signed", timeout=WAIT)
    page.goto(f"{live_server}/judge/c/{SLUG}/mark?lang=en")
    page.get_by_test_id(f"pick-#{two}").click()
    expect(page.get_by_test_id("invalid-E2")).to_contain_text("Invalid", timeout=WAIT)
    page.screenshot(path=str(shots / "invalid-en.png"))
    context.close()
