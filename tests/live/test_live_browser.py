"""Real Chromium on the board pages: a mark POSTed through the judges' API shows up within a
second; a missed push makes the board re-fetch; the award reveal steps bottom-up in order."""

from __future__ import annotations

import time
import uuid
from decimal import Decimal

import pytest
import requests
from live_helpers import SLUG, draw_code, theory_marks
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _hairdressing_top(app, engine, cid):
    """The leading hairdressing contestant's theory mark (first page of the board)."""
    from scoring.services.results import visible_standings
    from scoring.visibility import Audience

    payload = visible_standings(engine, cid, Audience.ORGANIZER)
    top = next(g for g in payload["groups"] if g["code"] == "hairdressing")["rows"][0]
    marks = {draw_code(engine, cid, mk.contestant_id): mk for mk in theory_marks(engine, cid)}
    return top["label"], marks[top["label"]]


def _judge_session(base: str, engine, judge_id: int) -> requests.Session:
    from scoring import models as m
    from scoring.db import reading
    from scoring.services import judging

    judging.set_pin(engine, judge_id, "2468", actor="test")
    with reading(engine) as s:
        code = s.get(m.Judge, judge_id).code
    http = requests.Session()
    r = http.post(f"{base}/judge/c/{SLUG}/signin", data={"code": code, "pin": "2468"}, allow_redirects=False)
    assert r.status_code in (302, 303), r.text[:300]
    return http


def _post_mark(http, base, label, value, based_on):
    r = http.post(
        f"{base}/api/v1/judging/{SLUG}/marks",
        json={
            "contestant": label,
            "aspect": "T1",
            "value": value,
            "idempotency_key": uuid.uuid4().hex,
            "based_on_version": based_on,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_a_mark_posted_through_the_api_appears_on_an_open_board_within_a_second(app, comp, live_server, page):
    engine, cid = comp
    label, mark = _hairdressing_top(app, engine, cid)
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{live_server}/board/{SLUG}?group=hairdressing")
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)
    cell = page.locator(f'tr[data-code="{label}"] td.lb-total')
    before = cell.inner_text()
    http = _judge_session(live_server, engine, mark.judge_id)
    new_value = str(mark.value - Decimal("0.5"))
    posted = time.monotonic()
    receipt = _post_mark(http, live_server, label, new_value, mark.version)
    # The issue asks for one second: standings are replayed incrementally after a marks-only change
    # (services.standings), so the push leaves within the 100 ms coalescing window.
    expect(cell).not_to_have_text(before, timeout=1_000)
    elapsed = time.monotonic() - posted
    assert elapsed < 1.0, elapsed
    expect(page.locator("#board")).to_have_attribute("data-version", str(receipt["standings_version"]))
    expect(page.locator(f'tr[data-code="{label}"]')).to_have_class("lb-flash")
    expect(page.locator(f'tr[data-code="{label}"] td.lb-full').first).to_have_text(f"{Decimal(new_value):.2f}")
    expect(page.locator("#lb-updated")).to_contain_text("更新")
    expect(page.locator(".lb-qr img")).to_be_visible()


def test_a_board_that_missed_a_push_refetches_the_snapshot(app, comp, live_server, page):
    engine, cid = comp
    label, mark = _hairdressing_top(app, engine, cid)
    page.goto(f"{live_server}/board/{SLUG}?group=hairdressing")
    expect(page.locator("#board")).to_have_attribute("data-connected", "1", timeout=10_000)
    http = _judge_session(live_server, engine, mark.judge_id)
    from scoring.live import hub

    page.evaluate("scoringBoard.socket.off('standings')")  # the board misses the next push
    pushes = hub.pushes
    first = _post_mark(http, live_server, label, str(mark.value - Decimal("1")), mark.version)
    deadline = time.monotonic() + 10
    while hub.pushes == pushes and time.monotonic() < deadline:  # the server has pushed it (in this process)
        time.sleep(0.05)
    time.sleep(0.3)
    page.evaluate("scoringBoard.socket.on('standings', scoringBoard.onStandings)")
    second = _post_mark(http, live_server, label, str(mark.value - Decimal("1.5")), first["version"])
    expect(page.locator("#board")).to_have_attribute("data-resyncs", "1", timeout=5_000)
    expect(page.locator("#board")).to_have_attribute("data-version", str(second["standings_version"]))
    expect(page.locator(f'tr[data-code="{label}"] td.lb-full').first).to_have_text(f"{mark.value - Decimal('1.5'):.2f}")


def test_the_award_reveal_steps_bottom_up_in_order_with_the_clicker(app, comp, live_server, page):
    from scoring.services import live_admin
    from scoring.services.results import visible_standings
    from scoring.visibility import Audience

    engine, cid = comp
    final = next(
        g for g in visible_standings(engine, cid, Audience.ORGANIZER)["groups"] if g["code"] == "hairdressing"
    )["rows"]
    live_admin.set_visibility(engine, cid, "frozen", "test")
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", "correct-horse-1")
    page.click("button[type=submit]")
    page.goto(f"{live_server}/screens/{SLUG}")
    page.locator("li", has_text="美发").get_by_role("button").click()
    board = page.locator("#board")
    expect(board).to_have_attribute("data-reveal-step", "0", timeout=10_000)
    expect(board).to_have_attribute("data-connected", "1", timeout=10_000)
    for step in range(1, 10):
        page.keyboard.press("PageDown" if step % 2 else "ArrowRight")
        expect(board).to_have_attribute("data-reveal-step", str(step), timeout=5_000)
        current = final[len(final) - step]
        expect(page.locator("tr.lb-current")).to_have_attribute("data-code", current["label"])
    # the twelfth place is the first award reached (三等奖 for 30 % of 20), shown in the banner
    expect(page.locator("#lb-reveal")).to_contain_text(final[len(final) - 9]["awards"][0])
    page.keyboard.press("PageUp")
    expect(board).to_have_attribute("data-reveal-step", "8", timeout=5_000)
    # the public board follows the ceremony too
    public = page.context.new_page()
    public.goto(f"{live_server}/board/{SLUG}?group=hairdressing")
    expect(public.locator("#lb-reveal")).to_contain_text("8")
    public.close()
