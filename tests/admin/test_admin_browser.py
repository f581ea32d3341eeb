"""The organizer's whole path in real Chromium: import with a bad row, fix, draw, publish,
download a certificate (checked with pdftotext, pdffonts and zbarimg), verify it, uphold an
appeal, and see the old certificate revoked."""

from __future__ import annotations

import re
import subprocess

import pytest
from admin_helpers import CSV_BAD, CSV_GOOD, ORGANIZER, enter_marks
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SLOW = 20_000
expect.set_options(timeout=SLOW)


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60).stdout


def test_organizer_flow_from_import_to_revoked_certificate(app, mini, live_server, page, tmp_path):
    slug, cid = mini
    bad, good = tmp_path / "名单-有错.csv", tmp_path / "名单.csv"
    bad.write_text(CSV_BAD, encoding="utf-8")
    good.write_text(CSV_GOOD, encoding="utf-8")
    page.set_default_timeout(SLOW)

    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", ORGANIZER[0])
    page.fill("input[name=password]", ORGANIZER[1])
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="竞赛", exact=True)).to_be_visible()

    # a sheet with bad rows: every bad row listed, nothing imported
    page.goto(f"{live_server}/admin/c/{slug}/contestants")
    page.set_input_files("input[name=sheet]", str(bad))
    page.get_by_role("button", name="导入").click()
    report = page.locator(".adm-report")
    expect(report).to_contain_text("输入被拒绝")
    for text in ("第3行", "“姓名”为空", "第4行", "未知组别“美甲”", "第5行", "12345", "第 2 行"):
        expect(report).to_contain_text(text)
    expect(page.locator("#contestants tbody tr")).to_have_count(0)

    # fixed sheet: all three imported
    page.set_input_files("input[name=sheet]", str(good))
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status")).to_contain_text("已导入 3 名选手")
    expect(page.locator("#contestants tbody tr")).to_have_count(3)

    # draw: the hash is published before marking
    page.goto(f"{live_server}/admin/c/{slug}/draw")
    page.get_by_role("button", name="抽签").click()
    expect(page.locator("#map-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    published_hash = page.locator("#map-hash").inner_text()
    page.goto(f"{live_server}/draw/{slug}")
    expect(page.locator("#map-hash")).to_have_text(published_hash)

    enter_marks(app, cid, {"C001": "90", "C002": "80", "C003": "70"})  # the judges' part, through the write path

    page.goto(f"{live_server}/admin/c/{slug}/review")
    page.get_by_role("button", name="锁定 理论").click()
    expect(page.locator("[data-test=confirm-facts]")).to_contain_text("应有的评分已全部录入")  # asks first
    page.locator("[data-test=confirm-lock]").click()
    expect(page.get_by_role("status").first).to_contain_text("赛段 理论 已锁定")
    expect(page.locator("[data-test=undo-link] a")).to_have_attribute("href", f"/admin/c/{slug}/review#stage-theory")
    page.goto(f"{live_server}/admin/c/{slug}/draw")
    page.get_by_role("button", name="解密身份").click()
    page.locator("[data-test=confirm-reveal]").click()
    expect(page.get_by_role("status")).to_contain_text("身份已解密")
    page.goto(f"{live_server}/draw/{slug}")
    expect(page.locator("#draw-check")).to_contain_text("一致")

    page.goto(f"{live_server}/admin/c/{slug}/publish")
    page.get_by_role("button", name="发布成绩").click()
    expect(page.locator("[data-test=confirm-facts]")).to_contain_text("3 名选手")
    page.locator("[data-test=confirm-publish]").click()
    expect(page.locator("#latest-version")).to_have_text("v1")
    expect(page.get_by_role("status")).to_contain_text("成绩版本 1 已发布")

    # the first prize certificate: Chinese text, embedded font, QR to the verification page
    page.goto(f"{live_server}/admin/c/{slug}/certificates")
    row = page.locator("#certificates tbody tr", has_text="一等奖")
    expect(row).to_contain_text("张伟")
    serial = row.get_attribute("data-serial")
    with page.expect_download() as dl:
        row.get_by_role("link", name="PDF").click()
    pdf = tmp_path / "cert.pdf"
    dl.value.save_as(pdf)
    assert "张伟" in _run("pdftotext", str(pdf), "-") and "一等奖" in _run("pdftotext", str(pdf), "-")
    fonts = [line.split() for line in _run("pdffonts", str(pdf)).splitlines()[2:]]
    assert fonts and all(f[-5] == "yes" for f in fonts)  # emb column
    _run("pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "cert"))
    qr = _run("zbarimg", "-q", "--raw", str(tmp_path / "cert.png")).strip()
    assert qr == f"{live_server}/verify/{serial}"
    page.goto(qr)
    expect(page.locator("#verify-state")).to_have_text("有效")
    expect(page.locator("#verify-name")).to_have_text("张伟")

    # a batch PDF shows progress and becomes downloadable
    page.goto(f"{live_server}/admin/c/{slug}/certificates")
    page.get_by_role("button", name="生成所有有效证书的批量 PDF").click()
    expect(page.locator("#job-download")).to_be_visible()

    # an objection during 公示, upheld with a corrected mark: version 2 and the old certificate revoked
    page.goto(f"{live_server}/results/{slug}")
    page.fill("#objection input[name=contestant]", "C002")
    page.fill("#objection input[name=filed_by]", "杨堃")
    page.fill("#objection textarea[name=text]", "理论成绩登记有误，应为95分")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("status")).to_contain_text("异议已收到")
    page.goto(f"{live_server}/admin/c/{slug}/appeals")
    page.fill("textarea[name=decision]", "核实答卷，更正为95分")
    page.fill("input[name=c_aspect]", "T1")
    page.fill("input[name=c_judge]", "J01")
    page.fill("input[name=c_value]", "95")
    page.get_by_role("button", name="支持", exact=True).click()
    expect(page.locator("[data-test=confirm-facts]")).to_contain_text("将发布第 2 版成绩")
    page.locator("[data-test=confirm-uphold]").click()
    expect(page.get_by_role("status")).to_contain_text("成绩版本 2 已发布")
    page.goto(f"{live_server}/results/{slug}")
    expect(page.locator("#result-version")).to_have_text("v2")
    expect(page.locator(".adm-diff")).to_contain_text("杨堃")
    page.goto(qr)
    expect(page.locator("#verify-state")).to_have_text("已撤销")
