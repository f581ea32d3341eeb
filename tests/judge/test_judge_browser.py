"""The tablet in real Chromium: PIN sign-in, marking, offline with a reload, resend exactly once;
a sign-off made offline; the chief judge's grid updates without a reload."""

from __future__ import annotations

import pytest
from browser_helpers import fill_sheet as _fill_sheet
from browser_helpers import tablet_page
from judge_helpers import SLUG, engine_of, post_mark, sheet_of, signin
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

pytestmark = pytest.mark.browser
WAIT = 30000  # a busy 2-core machine: sending 19 durable marks can take seconds
TABLET = {
    "viewport": {"width": 800, "height": 1280},
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


def _two_unmarked(app) -> list[str]:
    cl = app.test_client()
    signin(cl, "J02")
    return [c["ref"] for c in sheet_of(cl)["contestants"] if c["status"] == "missing"][:2]


def _mark(page, ref: str) -> int:
    page.get_by_test_id(f"pick-{ref}").click()
    expect(page.get_by_test_id("sheet-title")).to_contain_text(ref, timeout=WAIT)
    n = _fill_sheet(page)
    expect(page.locator(".jdg-invalid")).to_have_count(0, timeout=WAIT)
    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("review-table")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("submit").click()
    return n


def _stored(app, ref: str) -> list[tuple[str, int]]:
    with reading(engine_of(app)) as s:
        rows = s.exec(
            select(m.Aspect.code, func.count(m.Mark.id))
            .join(m.Aspect, m.Aspect.id == m.Mark.aspect_id)
            .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Mark.contestant_id)
            .join(m.Judge, m.Judge.id == m.Mark.judge_id)
            .where(m.DrawEntry.code == ref, m.Judge.code == "J02")
            .group_by(m.Aspect.code)
        ).all()
    return sorted(rows)


def test_marks_made_offline_survive_a_reload_and_are_stored_exactly_once(app, seeded, live_server, browser):
    first, second = _two_unmarked(app)
    context, page = _signed_in_tablet(browser, live_server)
    # ready offline means the page and every script it runs are cached, the modules it imports too
    cached = page.evaluate("caches.open('jdg-v1').then(c => c.keys()).then(ks => ks.map(k => new URL(k.url).pathname))")
    assert {
        "/judge/c/yulin-childcare-2025/mark",
        "/static/js/judge.js",
        "/static/js/common.js",
        "/static/js/judge-sheet.js",
    } <= set(cached)
    unsent = page.get_by_test_id("unsent")
    # online: marked, sent, stored
    n = _mark(page, first)
    expect(unsent).to_have_attribute("data-count", "0", timeout=WAIT)
    expect(page.get_by_test_id(f"pick-{first}")).to_have_attribute("data-status", "submitted", timeout=WAIT)
    assert [c for _, c in _stored(app, first)] == [1] * n
    # offline: the marks wait on the tablet, visibly
    context.set_offline(True)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "offline", timeout=WAIT)
    assert _mark(page, second) == n
    expect(unsent).to_have_attribute("data-count", str(n), timeout=WAIT)
    expect(unsent).to_contain_text(f"{n} 条待发送", timeout=WAIT)
    # a reload without network: the page comes from the service worker, the queue from storage
    page.reload()
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", str(n), timeout=WAIT)
    expect(page.get_by_test_id(f"pick-{second}")).to_have_attribute("data-status", "submitted", timeout=WAIT)
    # (a POST that left just before the cut may be stored with its answer lost: the tablet still counts
    # it unsent, and its resend below must come back as a replay, not a second mark)
    assert all(c == 1 for _, c in _stored(app, second))
    # back online: sent automatically, each mark exactly once
    context.set_offline(False)
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=30000)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "online", timeout=WAIT)
    assert [c for _, c in _stored(app, second)] == [1] * n
    assert [c for _, c in _stored(app, first)] == [1] * n
    # the judge's own marks stay visible and can be corrected
    page.get_by_test_id(f"pick-{second}").click()
    expect(page.get_by_test_id("field-A1.1").locator("[data-num]")).to_have_value("4", timeout=WAIT)
    context.close()


def _signed_in_tablet(browser, live_server, code: str = "J02", pin: str = "1002", offline: bool = False):
    """A tablet-sized browser context signed in with a judge's PIN: a judge's marking page ready to
    work offline, or the chief judge's grid."""
    context, page = tablet_page(browser, live_server, SLUG, code, pin, "chief" if code == "J01" else "mark")
    context.set_default_timeout(15000)
    if code == "J01":
        return context, page
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "1", timeout=WAIT)
    if offline:
        context.set_offline(True)
        expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "offline", timeout=WAIT)
    return context, page


def _signed_states(app, ref: str) -> list[str]:
    """The state of J02's newest version of each aspect of one contestant."""
    with reading(engine_of(app)) as s:
        rows = s.exec(
            select(m.Mark.aspect_id, m.Mark.version, m.Mark.state)
            .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Mark.contestant_id)
            .join(m.Judge, m.Judge.id == m.Mark.judge_id)
            .where(m.DrawEntry.code == ref, m.Judge.code == "J02")
        ).all()
    newest = {}
    for aspect, version, state in rows:
        if aspect not in newest or version > newest[aspect][0]:
            newest[aspect] = (version, state)
    return sorted(state for _, state in newest.values())


def test_a_sheet_marked_and_signed_offline_is_sent_in_order_after_a_reload(app, seeded, live_server, browser):
    ref = _two_unmarked(app)[0]
    context, page = _signed_in_tablet(browser, live_server, offline=True)
    n = _mark(page, ref)
    page.get_by_test_id(f"pick-{ref}").click()
    page.get_by_test_id("sign").click()  # signing works offline too: it queues
    page.get_by_test_id("confirm-sign").click()
    unsent = page.get_by_test_id("unsent")
    expect(unsent).to_have_attribute("data-count", str(n + 1), timeout=WAIT)
    expect(page.get_by_test_id("signed")).to_have_attribute("data-pending", "1", timeout=WAIT)
    page.reload()
    expect(page.get_by_test_id(f"pick-{ref}")).to_have_attribute("data-status", "signed", timeout=WAIT)
    # nothing was signed on the server yet (as in the test above, a POST that left just as the
    # network was cut may have been stored; its resend is a replay)
    assert "signed" not in _signed_states(app, ref)
    context.set_offline(False)
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=30000)
    assert _signed_states(app, ref) == ["signed"] * n  # the marks first, then the sign-off
    page.get_by_test_id(f"pick-{ref}").click()
    expect(page.get_by_test_id("signed")).not_to_have_attribute("data-pending", "1", timeout=WAIT)
    context.close()


def test_a_queued_sign_off_is_dropped_when_a_mark_before_it_is_refused(app, seeded, live_server, browser):
    """The judge marked and signed offline, but meanwhile one of those cells was marked from
    another tablet: that mark comes back 409, and the sign-off queued behind it is not sent,
    so the server never locks a sheet the judge has not seen."""
    ref = _two_unmarked(app)[0]
    context, page = _signed_in_tablet(browser, live_server, offline=True)
    _mark(page, ref)
    page.get_by_test_id(f"pick-{ref}").click()
    page.get_by_test_id("sign").click()
    page.get_by_test_id("confirm-sign").click()
    other = app.test_client()  # the same judge on a second tablet
    signin(other, "J02")
    assert post_mark(other, ref, "A1.1", "3", "other-tablet").status_code == 201
    context.set_offline(False)
    expect(page.get_by_test_id("unsent")).to_have_attribute("data-count", "0", timeout=30000)
    expect(page.get_by_test_id("notices")).to_contain_text("重新签字", timeout=WAIT)
    assert "signed" not in _signed_states(app, ref)
    context.close()


def test_chief_grid_updates_without_a_reload(app, seeded, live_server, browser):
    ref = _two_unmarked(app)[0]
    context, page = _signed_in_tablet(browser, live_server, "J01", "1001")
    expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live", timeout=WAIT)
    cell = page.get_by_test_id(f"cell-{ref}-J02")
    expect(cell).to_have_attribute("data-state", "missing", timeout=WAIT)
    judge = app.test_client()
    signin(judge, "J02")
    assert post_mark(judge, ref, "A1.1", "4", "grid-1").status_code == 201
    expect(cell).to_have_attribute("data-state", "partial", timeout=WAIT)
    expect(cell).to_have_text("评分中", timeout=WAIT)
    judge.post(f"/api/v1/judging/{SLUG}/heartbeat", json={"client_id": "tab-x", "unsent": 2})
    expect(page.get_by_test_id("tablet-J02")).to_contain_text("2 条待发送", timeout=WAIT)
    context.close()


def test_markup_in_codes_and_names_shows_as_text_on_the_chief_grid_and_the_tablet(app, seeded, live_server, browser):
    """Codes, stations and panel names come from organisers' files: the grid and the tablet put them
    in the page as text (DOM nodes with textContent), so markup in them creates no element."""
    from scoring.db import transaction

    judge_code, ref, station, panel_name = (
        '<img src=x onerror="window.__xss=1">',
        "<img src=x onerror=alert(1)>",
        "<u>7</u>",
        "<script>window.__xss=2</script>Panel",
    )
    victim = _two_unmarked(app)[0]
    with transaction(engine_of(app)) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == SLUG)).one()
        judge = s.exec(select(m.Judge).where(m.Judge.competition_id == comp.id, m.Judge.code == "J03")).one()
        judge.code = judge_code
        entry = s.exec(
            select(m.DrawEntry).where(m.DrawEntry.competition_id == comp.id, m.DrawEntry.code == victim)
        ).one()
        entry.code, entry.station = ref, station
        panel = s.exec(
            select(m.Panel)
            .join(m.PanelJudge, m.PanelJudge.panel_id == m.Panel.id)
            .where(m.PanelJudge.judge_id == judge.id)
        ).first()
        panel.name = panel_name
        s.add_all([judge, entry, panel])
    context, page = _signed_in_tablet(browser, live_server, "J01", "1001")
    expect(page.get_by_test_id(f"cell-{ref}-J02")).to_have_attribute("data-state", "missing", timeout=WAIT)
    grid = page.get_by_test_id("grid")
    expect(grid.locator("th", has_text=judge_code)).to_have_count(1)
    expect(page.get_by_test_id(f"row-{ref}").first).to_contain_text(station + ref)  # one row per panel
    expect(grid.locator("h2", has_text=panel_name)).to_have_count(1)
    assert page.locator("#jdg-grid img, #jdg-grid u, #jdg-grid script").count() == 0
    assert page.evaluate("window.__xss") is None
    context.close()
    context, page = _signed_in_tablet(browser, live_server)
    pick = page.get_by_test_id(f"pick-{ref}")
    expect(pick).to_contain_text(ref, timeout=WAIT)
    pick.click()
    expect(page.get_by_test_id("sheet-title")).to_have_text(f"工位号 {station} · {ref}", timeout=WAIT)
    assert page.locator("#jdg-app img, #jdg-app u, #jdg-app script").count() == 0
    assert page.evaluate("window.__xss") is None
    context.close()
