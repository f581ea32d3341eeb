"""A projector board of a group of 10,000 pages through its rows by window (issue 14, item 4): every
page is what fits the screen, the page label counts the whole group, the leaders stay in view, a
changed score shows in the strip at once from any page, and no frame the board receives is a copy
of the group (each under 8 KB). A phone shows the leaders and the contestant it follows."""

from __future__ import annotations

import pytest
from live_helpers import correct_theory
from playwright.sync_api import expect
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.demo_national import SLUG

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sqlite_url(national_url):
    return national_url


def _shown(page) -> list[str]:
    return page.locator("#lb-groups tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")


def test_a_board_of_a_big_group_pages_through_its_rows(national, live_server, page):
    engine, cid, rows = national
    frames: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda f: frames.append(len(f.encode() if isinstance(f, str) else f))),
    )
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{live_server}/board/{SLUG}")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connected", "1", timeout=10_000)
    label = page.locator("#lb-page")
    expect(label).to_contain_text("第 1 /")
    first = _shown(page)
    per = len(first)
    assert 10 <= per <= 40, per
    assert first == [r["code"] for r in rows[:per]]
    pages = int(label.inner_text().split("/")[1].split()[0])
    assert pages == -(-len(rows) // per) or pages == -(-len(rows) // (per - 1)), (pages, per)
    fit = page.evaluate("document.scrollingElement.scrollHeight")
    assert fit <= PROJECTOR["height"], fit
    leaders = page.get_by_test_id("leaders")
    expect(leaders.locator("li")).to_have_count(3)
    for n in (2, 3):  # the page turns (as the rotation timer turns it), the next rows come by window
        page.evaluate("window.scoringBoard.next()")
        expect(label).to_contain_text(f"第 {n} /")
        expect(page.locator("#lb-groups tbody tr").first).to_have_attribute("data-code", rows[(n - 1) * per]["code"])
        assert _shown(page) == [r["code"] for r in rows[(n - 1) * per : n * per]]
    # a score changed far down the group: the strip shows it at once, the page stays as it is
    last = rows[-1]["code"]
    with reading(engine) as s:
        contestant = s.exec(select(m.DrawEntry.contestant_id).where(m.DrawEntry.code == last)).one()
    correct_theory(engine, cid, contestant, "100")
    strip = page.get_by_test_id("latest")
    expect(strip.locator(f'li[data-code="{last}"]')).to_be_visible(timeout=3_000)
    expect(leaders.locator("li").first).to_have_attribute("data-code", last)  # it leads now
    # every row shifted one place: the page shows the new standings' rows of its positions
    expect(page.locator("#lb-groups tbody tr").first).to_have_attribute("data-code", rows[2 * per - 1]["code"])
    assert page.locator("#lb-groups tbody tr").count() == per
    assert frames and max(frames) < 8 * 1024, max(frames)


def test_a_phone_of_a_big_group_shows_the_leaders_and_the_row_it_follows(national, live_server, page):
    engine, cid, rows = national
    followed = rows[4321]
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/board/{SLUG}/phone")
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)
    assert page.locator("#lb-groups tbody tr").count() == 3  # the leaders, nothing else yet
    page.get_by_label("关注选手").fill(followed["code"])
    page.get_by_role("button", name="关注", exact=True).click()
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)
    following = page.locator("#lb-groups section").nth(1)  # under the leaders
    expect(following.locator("h2")).to_have_text("关注的选手")
    row = following.locator(f'tr[data-code="{followed["code"]}"]')
    expect(row).to_contain_text(followed["total"])
    with reading(engine) as s:
        contestant = s.exec(select(m.DrawEntry.contestant_id).where(m.DrawEntry.code == followed["code"])).one()
    correct_theory(engine, cid, contestant, "100")
    expect(row).to_contain_text("100.00", timeout=3_000)
    expect(row.locator("td").first).to_have_text("1")
    leaders = page.locator("#lb-groups section").first
    expect(leaders.locator("tbody tr").first).to_have_attribute("data-code", followed["code"])  # it leads now
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_a_board_whose_window_push_does_not_come_catches_up_after_a_tick(national, live_server, page, monkeypatch):
    """With several processes a window push comes only from the process that committed the mark
    when it has a board on that window; elsewhere the board hears a tick and asks for its window."""
    from scoring.live import hub

    engine, cid, rows = national
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{live_server}/board/{SLUG}")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connected", "1", timeout=10_000)
    first = page.locator("#lb-groups tbody tr").first
    expect(first).to_have_attribute("data-code", rows[0]["code"])
    monkeypatch.setattr(hub, "_push_windows", lambda *args, **kwargs: None)  # as if on another process
    with reading(engine) as s:
        contestant = s.exec(select(m.DrawEntry.contestant_id).where(m.DrawEntry.code == rows[0]["code"])).one()
    receipt = correct_theory(engine, cid, contestant, "40")  # the leader drops to the bottom
    page.wait_for_timeout(500)
    expect(first).to_have_attribute("data-code", rows[0]["code"])  # no push came
    page.evaluate(f"window.scoringBoard.onStandings({{kind: 'tick', version: {receipt.standings_version}}})")
    expect(board).to_have_attribute("data-version", str(receipt.standings_version), timeout=3_000)
    expect(first).to_have_attribute("data-code", rows[1]["code"])
