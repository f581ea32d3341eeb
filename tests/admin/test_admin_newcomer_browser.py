"""The newcomer's path of the README tour ("A 15-minute tour"), in real Chromium, in both languages,
on a fresh demo (its theory locked and published as version 1): simulate the judges → lock the
practical → review → seal and reveal the draw → publish everything as version 2 → certificates
issued → a certificate PDF downloaded → its QR code decoded (zbarimg on the rendered page) → the
verify page says valid → an objection upheld with a corrected mark → version 3 → the old serial
revoked, for the same holder, and a new certificate issued.

Each step is one helper below, named after the README step, with the labels it clicks in
``LABELS``: when a page changes (confirmation steps, blocker lists), adjust the helper or the
label, not the test. ``confirm_if_asked`` clicks through a confirmation step (a button whose
``data-test`` starts with ``confirm-``, or a browser dialog) wherever one appears.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from scoring.demo import DEMO_ORGANIZER, build_demo
from scoring.demo_people import THEORY_GRADERS
from scoring.demo_simulation import DEMO_SLUG

pytestmark = pytest.mark.slow  # the whole path: ~5,000 simulated marks, ~40 review findings, PDFs
SLOW = 30_000
SLUG = DEMO_SLUG

# The words a newcomer clicks and reads, per language (the README tour names the same ones).
LABELS = {
    "zh": {
        "simulate": "模拟评委打分",
        "lock": re.compile(r"^锁定"),
        "record": "登记",
        "seal": "公布哈希",
        "reveal": "解密身份",
        "publish": "发布成绩",
        "valid": "有效",
        "revoked": "已撤销",
        "submit_objection": "提交异议",
        "uphold": "支持",
        "republished": "成绩版本 3 已发布",
        "second_prize": "二等奖",
    },
    "en": {
        "simulate": "Simulate the judges",
        "lock": re.compile(r"^Lock\b"),
        "record": "Record",
        "seal": "Publish the hash",
        "reveal": "Reveal identities",
        "publish": "Publish the results",
        "valid": "Valid",
        "revoked": "Revoked",
        "submit_objection": "Submit the objection",
        "uphold": "Uphold",
        "republished": "result version 3 is published",
        "second_prize": "二等奖",  # award names come from the competition's own rules (Chinese in the demo)
    },
}


# --------------------------------------------------------------------------- the steps


class Newcomer:
    """The browser of a newcomer following the README tour in one language."""

    def __init__(self, page: Page, base: str, lang: str) -> None:
        self.page, self.base, self.lang, self.L = page, base, lang, LABELS[lang]
        page.set_default_timeout(SLOW)
        page.on("dialog", lambda dialog: dialog.accept())  # a confirm() step, if a page uses one

    def open(self, path: str) -> None:
        """Every address with ?lang= (the language is remembered in the session, which sign-in renews)."""
        joiner = "&" if "?" in path else "?"
        self.page.goto(f"{self.base}{path}{joiner}lang={'en' if self.lang == 'en' else 'zh_Hans_CN'}")

    def confirm_if_asked(self) -> None:
        """A confirmation step (helper A's confirm buttons, data-test="confirm-…"): click it if shown."""
        button = self.page.locator("button[data-test^='confirm-']:visible").first
        try:
            button.wait_for(state="visible", timeout=1500)
        except PlaywrightTimeout:
            return
        button.click()
        self.page.wait_for_load_state()

    def sign_in(self) -> None:
        self.open("/login")
        self.page.fill("input[name=username]", DEMO_ORGANIZER[0])
        self.page.fill("input[name=password]", DEMO_ORGANIZER[1])
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def simulate(self) -> None:
        """Tour step "模拟评委打分": the demo's judges mark every missing contestant (fast pace here)."""
        self.open(f"/admin/c/{SLUG}")
        self.page.fill("[data-test=simulate-seconds]", "0")
        self.page.get_by_role("button", name=self.L["simulate"]).click()
        self.confirm_if_asked()
        expect(self.page.locator("#simulation")).to_have_attribute("data-state", "done", timeout=180_000)
        expect(self.page.locator("#sim-count")).to_contain_text(re.compile(r"(剩余|remaining) 0$"))

    def lock_the_practical(self) -> None:
        """Tour step "锁定 实操" on 复核与锁定 (Review and lock): the demo's theory is locked already."""
        self.open(f"/admin/c/{SLUG}/review")
        buttons = self.page.get_by_role("button", name=self.L["lock"])
        expect(buttons).to_have_count(1)
        buttons.first.click()
        self.confirm_if_asked()
        self.open(f"/admin/c/{SLUG}/review")
        expect(buttons).to_have_count(0)

    def review(self) -> None:
        """Tour step 复核: record a finding ("无误", correct) for every contestant of the review plan."""
        self.open(f"/admin/c/{SLUG}/review")
        rows = self.page.locator(".adm-review tbody tr")
        total = rows.count()
        assert total > 0
        for i in range(total):
            row = self.page.locator(".adm-review tbody tr").nth(i)
            row.get_by_role("button", name=self.L["record"]).click()
            self.page.wait_for_load_state()
        expect(self.page.locator(".adm-review tbody tr .badge")).to_have_count(total)

    def seal_and_reveal(self) -> None:
        """Tour step on 抽签 (Draw): "公布哈希", then "解密身份" (every stage is locked now)."""
        self.open(f"/admin/c/{SLUG}/draw")
        seal = self.page.get_by_role("button", name=self.L["seal"])
        if seal.count():
            seal.click()
            self.confirm_if_asked()
        expect(self.page.locator("#map-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        self.page.get_by_role("button", name=self.L["reveal"]).click()
        self.confirm_if_asked()
        expect(self.page.get_by_role("button", name=self.L["reveal"])).to_have_count(0)

    def publish(self) -> None:
        """Tour step on 发布 (Publication): "发布成绩" → version v2 (the theory's stage publication is v1)."""
        self.open(f"/admin/c/{SLUG}/publish")
        self.page.get_by_role("button", name=self.L["publish"]).click()
        self.confirm_if_asked()
        expect(self.page.locator("#latest-version")).to_have_text("v2")

    def certificate_row(self, name: str, award: str):
        self.open(f"/admin/c/{SLUG}/certificates")
        return self.page.locator("#certificates tbody tr", has_text=name).filter(has_text=award)

    def download_certificate(self, row, tmp_path: Path) -> Path:
        """Tour step on 证书 (Certificates): the "PDF" link of one certificate."""
        with self.page.expect_download() as download:
            row.get_by_role("link", name="PDF").click()
        pdf = tmp_path / f"certificate-{self.lang}.pdf"
        download.value.save_as(pdf)
        return pdf

    def verify(self, url: str, state: str, holder: str) -> None:
        """Tour step: the page the QR code opens (/verify/<serial>)."""
        self.page.goto(url + ("?lang=en" if self.lang == "en" else "?lang=zh_Hans_CN"))
        expect(self.page.locator("#verify-state")).to_have_text(state)
        expect(self.page.locator("#verify-name")).to_have_text(holder)

    def pdf_hash_shown(self, pdf: Path) -> bool:
        """Tour step 10's last words: the verify page shows the SHA-256 of the issued PDF, the very
        file downloaded (an issued PDF is kept, never re-rendered)."""
        return hashlib.sha256(pdf.read_bytes()).hexdigest() in self.page.content()

    def object_and_uphold(self, code: str, judge: str, value: str) -> None:
        """Tour step: an objection on the public results page (公示), upheld on 申诉 (Appeals) with a
        corrected theory mark; the results are republished as version 3."""
        self.open(f"/results/{SLUG}")
        self.page.fill("#objection input[name=contestant]", code)
        self.page.fill("#objection input[name=filed_by]", "选手本人")
        self.page.fill("#objection textarea[name=text]", "理论成绩登分有误，请核对答卷")
        self.page.get_by_role("button", name=self.L["submit_objection"]).click()
        expect(self.page.get_by_role("status")).to_be_visible()
        self.open(f"/admin/c/{SLUG}/appeals")
        self.page.fill("textarea[name=decision]", "核对答卷，理论成绩更正为满分")
        self.page.fill("input[name=c_aspect]", "T1")
        self.page.fill("input[name=c_judge]", judge)
        self.page.fill("input[name=c_value]", value)
        self.page.get_by_role("button", name=self.L["uphold"], exact=True).click()
        self.confirm_if_asked()
        expect(self.page.get_by_role("status")).to_contain_text(self.L["republished"])


def qr_payload(pdf: Path, tmp_path: Path) -> str:
    """The QR code's text, read the way a phone reads it: the page rendered (pdftoppm), the code
    decoded (zbarimg, zbar-tools; ``bash scripts/test`` installs both)."""
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.fail("pdftoppm and zbarimg are needed: bash scripts/test installs poppler-utils and zbar-tools")
    image = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(image)], check=True, timeout=60)
    found = subprocess.run(
        ["zbarimg", "-q", "--raw", f"{image}.png"], check=True, capture_output=True, text=True, timeout=60
    )
    return found.stdout.strip()


def first_second_prize(app) -> tuple[str, str]:
    """(code, name) of 托育's best-ranked 二等奖: the contestant just below the first-prize line,
    whom a corrected theory mark lifts to 一等奖 (the tour's appeal)."""
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading
    from scoring.services.publication import current_report

    engine = app.extensions["scoring.engine"]
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == SLUG)).one()
    rows = next(g for g in current_report(engine, cid)["groups"] if g["code"] == "childcare")["rows"]
    row = next(r for r in rows if "二等奖" in (r.get("awards") or []))
    return row["code"], row["name"]


# --------------------------------------------------------------------------- the path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_newcomer_reaches_a_verified_certificate_and_sees_it_revoked_after_an_appeal(
    app, live_server, page, tmp_path, lang
):
    build_demo(app.extensions["scoring.engine"])
    me = Newcomer(page, live_server, lang)
    me.sign_in()
    me.simulate()
    me.lock_the_practical()
    me.review()
    me.seal_and_reveal()
    me.publish()

    code, holder = first_second_prize(app)
    row = me.certificate_row(holder, me.L["second_prize"])
    expect(row).to_have_count(1)
    serial = row.get_attribute("data-serial")
    pdf = me.download_certificate(row, tmp_path)
    url = qr_payload(pdf, tmp_path)
    assert url == f"{live_server}/verify/{serial}"
    me.verify(url, me.L["valid"], holder)
    assert me.pdf_hash_shown(pdf)

    me.object_and_uphold(code, THEORY_GRADERS["childcare"], "100")
    reissued = me.certificate_row(holder, "一等奖")
    expect(reissued).to_have_count(1)
    new_serial = reissued.get_attribute("data-serial")
    assert new_serial != serial
    me.verify(url, me.L["revoked"], holder)  # the old serial: revoked, and still the same person
    expect(page.get_by_role("link", name=new_serial)).to_be_visible()  # 替换为 (Replaced by) the new one
