"""The screens at their devices' sizes, as the people in front of them see them (issue 11, item 7):
the projector board at 1920×1080 fills its height without spilling over and shows a changed score at
once in its "latest changes" strip, whatever page the table is on; phones at 390 px never scroll
sideways, even for a 60-character name."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from live_helpers import SLUG, correct_theory, reveal_draw, theory_marks
from playwright.sync_api import expect
from sqlmodel import select

from scoring import models as m
from scoring.db import reading, transaction

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
LONG_NAME = ("Wolfeschlegelsteinhausenbergerdorff-Alexandrovna-Zhang" + "Xiaoming" * 3)[:60]


def _biggest_group_rows(engine, cid):
    from scoring.services.results import visible_standings
    from scoring.visibility import Audience

    groups = visible_standings(engine, cid, Audience.ORGANIZER)["groups"]
    return max(groups, key=lambda g: len(g["rows"]))["rows"]


def _contestant_of(engine, cid, label: str) -> int:
    with reading(engine) as s:
        return s.exec(
            select(m.DrawEntry.contestant_id).where(m.DrawEntry.competition_id == cid, m.DrawEntry.code == label)
        ).one()


def _open_board(page, live_server, query: str = ""):
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{live_server}/board/{SLUG}{query}")
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)


def test_the_projector_board_fills_the_screen_without_spilling_over(comp, live_server, page):
    _open_board(page, live_server)
    expect(page.locator("#lb-reveal")).to_be_hidden()  # no empty outlined bar under the header
    assert page.locator(".lb-head").inner_text().count("暂定") == 1
    fit = page.evaluate(
        """() => {
        const groups = document.getElementById('lb-groups'), table = groups.querySelector('table');
        const rest = innerHeight - groups.getBoundingClientRect().top;
        const box = table.getBoundingClientRect();
        return { width: document.scrollingElement.scrollWidth, height: document.scrollingElement.scrollHeight,
                 bottom: box.bottom, fill: box.height / rest, rows: table.tBodies[0].rows.length };
    }"""
    )
    assert fit["width"] <= PROJECTOR["width"] and fit["height"] <= PROJECTOR["height"], fit
    assert fit["bottom"] <= PROJECTOR["height"], fit
    assert fit["fill"] >= 0.85, fit
    assert fit["rows"] >= 14, fit  # readable from the back of the hall, and still a useful page
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td.lb-name')).fontSize)")
    assert font >= 24, font
    # in English too: the same layout, the state said once
    _open_board(page, live_server, "?lang=en")
    assert page.locator(".lb-head").inner_text().lower().count("provisional") == 1


def test_a_changed_score_shows_in_the_latest_strip_at_once_even_on_another_page(comp, live_server, page):
    engine, cid = comp
    last = _biggest_group_rows(engine, cid)[-1]  # the last row: never on the first page
    contestant = _contestant_of(engine, cid, last["label"])
    mark = next(k for k in theory_marks(engine, cid) if k.contestant_id == contestant)
    _open_board(page, live_server)
    strip = page.get_by_test_id("latest")
    expect(strip).to_be_visible()
    expect(page.locator(f'#lb-groups tr[data-code="{last["label"]}"]')).to_have_count(0)
    changed = time.monotonic()
    correct_theory(engine, cid, contestant, str(mark.value + Decimal("1")))
    item = strip.locator(f'li[data-code="{last["label"]}"]')
    expect(item).to_be_visible(timeout=2_000)
    assert time.monotonic() - changed < 2.0
    expect(item).to_contain_text(last["label"])  # the anonymous code before the reveal, as in the table
    expect(page.locator(f'#lb-groups tr[data-code="{last["label"]}"]')).to_have_count(0)  # still another page
    # a frozen board shows what was frozen, and no strip of changes
    from scoring.services import live_admin

    live_admin.set_visibility(engine, cid, "frozen", "test")
    expect(strip).to_be_hidden(timeout=5_000)


def _long_name_on_top(engine, cid) -> str:
    """The leading contestant of the first group gets a 60-character name without a space."""
    from scoring.services import standings

    label = _biggest_group_rows(engine, cid)[0]["label"]
    with transaction(engine) as s:
        person = s.get(m.Contestant, _contestant_of(engine, cid, label))
        person.name = LONG_NAME
        s.add(person)
        standings.bump(s, cid)  # a change of people: readers rebuild
    reveal_draw(engine, cid)
    return label


def _publish(engine, cid) -> None:
    from scoring.services import draw, publication

    for stage in ("theory", "practical"):
        publication.set_stage_state(engine, cid, stage, True, "test")
    draw.reveal(engine, cid, "test")
    publication.publish(engine, cid, "test")


def test_a_sixty_character_name_never_widens_a_phone_screen(comp, live_server, page):
    engine, cid = comp
    _long_name_on_top(engine, cid)
    page.set_viewport_size(PHONE)
    for url in (f"/board/{SLUG}/phone", f"/board/{SLUG}", f"/board/{SLUG}/phone?lang=en"):
        page.goto(live_server + url)
        expect(page.locator("#lb-groups")).to_contain_text(LONG_NAME[:20])
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    _publish(engine, cid)
    for url in (f"/results/{SLUG}", f"/results/{SLUG}?lang=en"):
        page.goto(live_server + url)
        expect(page.locator("table.standings").first).to_contain_text(LONG_NAME[:20])
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
