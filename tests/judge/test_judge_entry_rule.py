"""The tablet (real Chromium) and the server refuse exactly the same entries: plain ASCII decimals
within the aspect's places, range and step, nothing else (scoring/rules/numbers.py, rules/marks.py
and static/js/judge.js)."""

from __future__ import annotations

import pytest
from browser_helpers import tablet_page
from judge_helpers import SLUG, engine_of, sheet_of, signin, unmarked
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import InvalidInput
from scoring.rules.marks import read_mark_value
from scoring.services.readside import rule_aspect_cached

pytestmark = pytest.mark.browser
WAIT = 30000
ENTRIES = [
    "4",
    "4.5",
    "4.50",
    "04.5",
    "0",
    "5",
    "5.0000",
    "4.50000",
    "4.25",
    "5.5",
    "-0.5",
    "1e-300000000",
    "1e999999",
    "１０",
    "٣",
    "1_0",
    "1e1",
    "3.",
    ".5",
    "-0",
    "-0.0",
    "+4",
    "4,5",
    "NaN",
    "0x4",
    "4.5e0",
    "3." + "0" * 69 + "1",
    "9" * 13,
    "4 5",
    " 4 ",
]


def _server_accepts(app, value: str) -> bool:
    with reading(engine_of(app)) as s:
        aspect = s.exec(select(m.Aspect).where(m.Aspect.code == "A1.1")).first()
        rule = rule_aspect_cached(s, aspect)
    try:
        read_mark_value(rule, value)
        return True
    except InvalidInput:
        return False


def test_the_tablet_and_the_server_refuse_the_same_entries(app, seeded, live_server, browser):
    cl = app.test_client()
    signin(cl, "J02")
    ref = unmarked(sheet_of(cl))["ref"]
    context, page = tablet_page(browser, live_server, SLUG, viewport={"width": 800, "height": 1280})
    page.get_by_test_id(f"pick-{ref}").click()
    field = page.get_by_test_id("field-A1.1")
    disagree = []
    for value in ENTRIES:
        field.locator("[data-num]").fill(value)
        tablet = "jdg-invalid" not in (field.get_attribute("class") or "")
        # the tablet trims what the judge typed and sends the trimmed text
        if tablet != _server_accepts(app, value.strip()):
            disagree.append((value, tablet))
    context.close()
    assert not disagree, f"tablet and server disagree on (value, tablet accepts): {disagree}"
    assert _server_accepts(app, "4.50") and not _server_accepts(app, "-0") and not _server_accepts(app, " 4 ")
