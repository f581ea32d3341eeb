"""On a phone (390×844): from the demo's phone page, after publication, a contestant looks up their
own result with name + ID tail and downloads their certificate (issue 13, item 3's "done when")."""

from __future__ import annotations

import subprocess

from competitions import publish_document
from playwright.sync_api import expect

SLUG = "yulin-childcare-2025"


def _published_demo(app) -> dict:
    """The demo's competition (with its team event) fully marked, revealed and published; the
    best-ranked awarded contestant of 托育 as the phone's owner."""
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading
    from scoring.demo_data import childcare_document
    from scoring.demo_teams import add_team_event
    from scoring.services import publication

    engine = app.extensions["scoring.engine"]
    raw = add_team_event(childcare_document(marks="all"))
    raw["competition"]["visibility"] = "live"
    cid = publish_document(engine, raw, notice_days=5)
    rows = next(g for g in publication.current_report(engine, cid)["groups"] if g["code"] == "childcare")["rows"]
    row = next(r for r in rows if r.get("awards"))
    with reading(engine) as s:
        me = s.exec(
            select(m.Contestant).where(m.Contestant.competition_id == cid, m.Contestant.code == row["code"])
        ).one()
    return {"name": me.name, "tail": me.id_number[-6:], "award": row["awards"][0], "total": row["total"]}


def test_a_contestant_looks_up_their_result_on_a_phone_and_downloads_the_certificate(app, live_server, page, tmp_path):
    me = _published_demo(app)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/board/{SLUG}/phone")
    page.get_by_role("link", name="选手成绩查询").click()
    expect(page.get_by_role("heading", name="成绩查询")).to_be_visible()
    page.get_by_label("姓名").fill(me["name"])
    page.get_by_label("身份证号后 6 位").fill(me["tail"])
    page.get_by_role("button", name="查询本人成绩").click()
    result = page.locator("[data-test=lookup-result]")
    expect(result.locator("[data-test=lookup-name]")).to_have_text(me["name"])
    expect(result.locator("[data-test=lookup-total]")).to_have_text(me["total"])
    expect(result.locator("[data-test=lookup-award]")).to_contain_text(me["award"])
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # nothing runs off a phone's screen
    with page.expect_download() as download:
        result.get_by_role("link", name="下载证书（PDF）").first.click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert me["name"] in text and me["award"] in text
    page.get_by_role("button", name="结束查询").click()
    expect(page.get_by_role("button", name="查询本人成绩")).to_be_visible()
