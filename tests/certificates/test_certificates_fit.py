"""Certificates with long text (issue 11, item 6): every field wraps, then shrinks to a minimum size,
and stays inside the frame. Checked on the PDF's own text positions as poppler reads them
(``pdftotext -bbox``; pdfminer cannot decode fpdf2's embedded CID encoding of the CFF font)."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from html import unescape

import pytest

from scoring.certificates.render import CertificateData, certificates_pdf

MM = 72 / 25.4  # points per mm
FRAME = 12 * MM  # the inner frame line, from each edge of the page

TITLE_37 = "榆林市2025年“技能兴榆·匠心筑梦”职工职业技能大赛托育服务项目总决赛区"
TITLE_60 = "陕西省榆林市总工会、榆林市人力资源和社会保障局联合主办2025年榆林市第三届职工职业技能大赛（托育、美容美发、化工）决赛"
LONG = {
    "name": "阿卜杜热合曼·买买提依明·艾合买提江",
    "award": "一等奖并授予“榆林市技术能手”荣誉称号（职工组）",
    "group_name": "托育服务（婴幼儿照护与早期发展）",
    "title": "2025年榆林市职工职业技能大赛荣誉证书",
    "issuer": "榆林市总工会 榆林市人力资源和社会保障局 榆林市教育局 榆林职业技术学院",
    "signatory": "榆林市职工职业技能大赛组织委员会主任委员",
    "date_text": "二〇二五年五月二十三日",
}


def test_the_titles_are_as_long_as_the_issue_says():
    assert (len(TITLE_37), len(TITLE_60)) == (37, 60)


def _words(pdf: bytes, tmp_path) -> tuple[float, float, list[tuple[float, float, float, float, str]]]:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    words = [
        (float(a), float(b), float(c), float(d), unescape(t))
        for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out
        )
    ]
    return float(page.group(1)), float(page.group(2)), words


def _collide(a, b) -> bool:
    """Whether two words' glyphs overlap (poppler's boxes include the font's whole ascent and
    descent, taller than a line: compare the middle band of each)."""

    def band(w):
        inset = (w[3] - w[1]) * 0.2
        return w[0] + 0.5, w[1] + inset, w[2] - 0.5, w[3] - inset

    ax0, ay0, ax1, ay1 = band(a)
    bx0, by0, bx1, by1 = band(b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


@pytest.mark.parametrize("orientation", ["L", "P"])
@pytest.mark.parametrize("competition", [TITLE_37, TITLE_60], ids=["37", "60"])
@pytest.mark.parametrize("revoked", [False, True], ids=["valid", "revoked"])
def test_the_longest_realistic_values_stay_inside_the_frame(tmp_path, orientation, competition, revoked):
    data = CertificateData(
        serial="ZS202503-0001",
        competition=competition,
        verify_url="https://scoring.example.org/verify/ZS202503-0001",
        layout={"orientation": orientation},
        revoked=revoked,
        **LONG,
    )
    pdf = certificates_pdf([data], created=datetime(2025, 5, 23, tzinfo=UTC))
    width, height, words = _words(pdf, tmp_path)
    assert (width > height) == (orientation == "L")
    assert words
    for x0, y0, x1, y1, text in words:
        assert FRAME <= x0 and x1 <= width - FRAME and FRAME <= y0 and y1 <= height - FRAME, text
    fields = [w for w in words if w[4] not in ("已撤销", "REVOKED")]  # a stamp goes over the text on purpose
    for i, a in enumerate(fields):
        for b in fields[i + 1 :]:
            assert not _collide(a, b), (a[4], b[4])
    printed = "".join(w[4] for w in words)
    body = f"在{competition}{LONG['group_name']}组比赛中荣获"
    for value in [*LONG.values(), body, "证书编号：ZS202503-0001"]:
        assert value.replace(" ", "") in printed, value  # wrapped, shrunk, never cut


def test_short_values_keep_the_full_sizes_and_text_too_long_for_any_size_is_cut_not_spilled(tmp_path):
    from scoring.certificates import fit
    from scoring.certificates.render import _new_pdf

    pdf = _new_pdf()
    pdf.add_page(orientation="L")
    pdf.set_font("CJK", size=12)
    box = fit.Box(24, 20, pdf.w - 48, 35)
    assert fit.layout(pdf, ["荣誉证书"], box, 48, 20) == (48, ["荣誉证书"])
    size, lines = fit.layout(pdf, ["很长的标题" * 40], box, 48, 20)
    assert size == 20 and lines[-1].endswith("…")
    assert len(lines) * size * fit.PT * fit.LEADING <= box.h
    assert all(pdf.get_string_width(line) <= box.w for line in lines)


def test_an_issued_certificate_draws_the_same_bytes_every_time():
    data = CertificateData(
        serial="ZS202503-0002", competition=TITLE_37, verify_url="https://x/verify/ZS202503-0002", **LONG
    )
    issued = datetime(2025, 5, 23, 8, 30, tzinfo=UTC)
    assert certificates_pdf([data], created=issued) == certificates_pdf([data], created=issued)
