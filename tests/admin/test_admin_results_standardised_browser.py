"""The public results page with standardised scores, in a real browser at phone and desktop sizes:
the column stands beside the raw total and the formula is readable in both languages."""

from __future__ import annotations

import os

import pytest
from test_admin_results_standardised import SLUG, _publish

SIZES = {"phone": (390, 844), "desktop": (1440, 900)}
SHOTS = os.environ.get("SCORING_SCREENSHOTS")  # a folder to keep the screenshots in, when set


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
@pytest.mark.parametrize("size", list(SIZES))
def test_standardised_column_and_formula_are_visible(app, live_server, page, lang, size):
    _publish(app, {})
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(f"{live_server}/results/{SLUG}?lang={lang}")
    head = "标准分" if lang == "zh_Hans_CN" else "Standardised"
    th = page.locator("section[data-group='hair'] thead th", has_text=head)
    assert th.count() == 1
    row = page.locator("section[data-group='hair'] tr[data-code='H002']")
    assert row.locator("td.standardised").inner_text() == "700.00"
    formula = page.locator("#standardisation code.formula")
    formula.scroll_into_view_if_needed()
    assert formula.is_visible()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"results-{size}-{lang}.png"), full_page=True)
