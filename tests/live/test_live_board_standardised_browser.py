"""The projector board with a declared cross-group standardisation: the standardised score stands
beside the raw total, from the server's first render and after the live script re-renders."""

from __future__ import annotations

import os

import pytest
from live_helpers import SLUG, engine_of
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCORING_SCREENSHOTS")  # a folder to keep the screenshots in, when set


@pytest.fixture
def scaled(app):
    from scoring.demo_data import childcare_document
    from scoring.services import live_admin
    from scoring.services.transfer import import_document

    doc = childcare_document(marks="all")
    doc["rules"]["standardisation"] = {}
    engine = engine_of(app)
    cid = import_document(engine, doc, actor="test", replace=True)  # over the seeded one
    live_admin.set_visibility(engine, cid, "live", "test")
    return engine, cid


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_board_shows_the_standardised_score_beside_the_total(app, scaled, live_server, page, lang):
    from scoring.services.results import visible_standings
    from scoring.visibility import Audience

    engine, cid = scaled
    payload = visible_standings(engine, cid, Audience.PUBLIC)
    top = next(g for g in payload["groups"] if g["code"] == "hairdressing")["rows"][0]
    assert top["standardised"] is not None
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server}/board/{SLUG}?group=hairdressing&columns=full&lang={lang}")
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)
    head = "标准分" if lang == "zh_Hans_CN" else "Standardised"
    expect(page.locator("th.lb-c-std")).to_have_text(head)
    row = page.locator(f'tr[data-code="{top["code"]}"]')
    expect(row.locator("td.lb-total")).to_have_text(top["total"])
    expect(row.locator("td.lb-std")).to_have_text(top["standardised"])
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"board-{lang}.png"))


def test_without_a_declaration_the_board_has_no_such_column(comp, live_server, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server}/board/{SLUG}?group=hairdressing&columns=full")
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)
    expect(page.locator("td.lb-total").first).to_be_visible()
    assert page.locator("th.lb-c-std, td.lb-std").count() == 0
