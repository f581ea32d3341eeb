"""The printed score sheets (评分表) as a person and a scanner read them: the scheme's criteria,
aspects, ranges and descriptors, the station and anonymous code (never a name), the judge and the
signature line, A4 with every word inside the page, fonts embedded, and a QR code that a phone or
a USB scanner reads back to the sheet (poppler's pdftotext/pdffonts/pdftoppm and zbarimg)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from sqlmodel import select

from scoring import models as m
from scoring.certificates.score_sheets import score_sheets_pdf
from scoring.db import reading
from scoring.rules.paper import parse_sheet_token
from scoring.services.paper_sheets import paper_sheets

SLUG = "yulin-childcare-2025"
BASE = "https://scoring.example.org"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def demo(sqlite_template, tmp_path_factory, make_app):
    from scoring.demo import build_demo

    root = tmp_path_factory.mktemp("sheets")
    shutil.copy(sqlite_template, root / "sheets.sqlite")
    engine = make_app(f"sqlite:///{root / 'sheets.sqlite'}", root / "instance").extensions["scoring.engine"]
    build_demo(engine)
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == SLUG)).one()
        people = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)))
    private = {p.name for p in people} | {p.unit for p in people} | {p.id_number for p in people}
    private |= {x.get(k, "") for p in people for x in p.members for k in ("name", "id_number")}
    return {"engine": engine, "cid": cid, "private": {w for w in private if w}}


def _pdf(demo, tmp_path: Path, layout: str = "sheet", locale: str | None = None, n: int = 2, **selection):
    data = paper_sheets(demo["engine"], demo["cid"], BASE, locale=locale, **selection)
    data = dataclasses.replace(data, sheets=data.sheets[:n])
    path = tmp_path / f"sheets-{layout}-{locale}.pdf"
    path.write_bytes(score_sheets_pdf(data, layout, locale))
    return path, data


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


def _words(path: Path) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, width, height, x0, y0, x1, y1, word) as poppler lays the text out, in points."""
    out = _run("pdftotext", "-bbox", str(path), "-")
    words = []
    for n, page in enumerate(re.findall(r"<page (.*?)</page>", out, re.S), start=1):
        w, h = (float(x) for x in re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for a, b, c, d, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        ):
            words.append((n, w, h, float(a), float(b), float(c), float(d), unescape(text)))
    return words


def _text(path: Path, page: int | None = None) -> str:
    """The words of the document (or of one page) run together: wrapping never hides a phrase."""
    return "".join(w[7] for w in _words(path) if page is None or w[0] == page)


def _qr_codes(path: Path, tmp_path: Path, page: int = 1, dpi: int = 150) -> list[str]:
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.fail("pdftoppm and zbarimg are needed: bash scripts/test installs poppler-utils and zbar-tools")
    image = tmp_path / f"{path.stem}-{page}"
    _run("pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page), str(path), str(image))
    return _run("zbarimg", "-q", "--raw", f"{image}.png").split()


def test_a_sheet_prints_the_scheme_the_contestant_by_code_and_the_judge_signs(demo, tmp_path):
    path, data = _pdf(demo, tmp_path, judge="J02", session="P2")
    sheet = data.sheets[0]
    text = _text(path)
    for phrase in [
        "榆林市2025年托育职业技能竞赛·评分表",
        "组别：托育",
        "阶段：实操",
        "场次：实操第二场",
        "生活照料",  # criterion
        "A1喂养照护",  # sub-criterion
        "照护中的互动与回应",
        "0分:与婴幼儿的互动与回应未达到行业标准",  # the judgement's level descriptors
        "3分:与婴幼儿的互动与回应全面超出行业标准,表现优秀",
        "0–3步长1满分5",
        "0–5步长0.5",
        "扣分0–5",  # the deduction
        "安全操作违规扣分",
        "目标用时3600秒，限时5400秒",  # the time aspect
        "0–7200秒",
        "合计",
        "裁判签名：",
        "日期：",
        "工位号",
        "加密号",
        f"裁判{sheet.judge}{sheet.judge_name}",
        f"评分表版本{sheet.panel.version}",
        "第1页，共2页",
    ]:
        assert phrase in text, phrase
    words = {w[7] for w in _words(path)}
    assert {sheet.station, sheet.ref, "A1.3", "X1"} <= words  # the contestant only by station and code
    assert sheet.token in text  # typed by a clerk when the QR code will not scan
    leaked = sorted(w for w in demo["private"] if w in text)
    assert not leaked, leaked[:3]


@pytest.mark.parametrize("layout", ["sheet", "grid"])
def test_every_page_is_a4_portrait_with_every_word_inside_it_and_the_fonts_embedded(demo, tmp_path, layout):
    selection = {"judge": "J02", "session": "P1"} if layout == "sheet" else {"judge": "J07"}
    path, _ = _pdf(demo, tmp_path, layout, n=12, **selection)
    words = _words(path)
    assert words
    margin = 10 * MM
    for _page, width, height, x0, y0, x1, y1, text in words:
        assert (round(width, 1), round(height, 1)) == (595.3, 841.9)
        assert margin <= x0 and x1 <= width - margin and margin <= y0 and y1 <= height - margin, text
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", f) for f in fonts), fonts


def test_the_qr_code_opens_the_clerks_form_on_this_very_sheet(demo, tmp_path):
    path, data = _pdf(demo, tmp_path, judge="J02", session="P2", n=2)
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path))).group(1))
    assert pages == 4  # two sheets of two pages: every page carries the sheet's code
    for page, sheet in ((1, data.sheets[0]), (2, data.sheets[0]), (3, data.sheets[1])):
        (address,) = _qr_codes(path, tmp_path, page)
        assert address.startswith(f"{BASE}/clerk/c/{SLUG}?sheet=")
        ref = parse_sheet_token(address)
        assert (ref.slug, ref.judge, ref.contestant, ref.version) == (SLUG, "J02", sheet.ref, sheet.panel.version)


def test_a_small_panel_prints_as_a_grid_with_a_qr_code_per_row(demo, tmp_path):
    path, data = _pdf(demo, tmp_path, "grid", n=30, judge="J07")  # the childcare theory grader
    text = _text(path, 1)
    assert "评分汇总表（按场次）" in text and "T1理论考试成绩·测量·0–100;步长0.5" in text
    assert "裁判签名：" in text and f"裁判{data.sheets[0].judge}{data.sheets[0].judge_name}" in text
    on_page = [x for x in data.sheets if x.ref in text]
    assert len(on_page) >= 6 and all(x.token in text for x in on_page)  # each row's code, to type
    read = [parse_sheet_token(code) for code in _qr_codes(path, tmp_path, 1, dpi=200)]
    assert sorted(r.contestant for r in read) == sorted(x.ref for x in on_page)
    assert {(r.judge, r.version) for r in read} == {("J07", data.sheets[0].panel.version)}
    everything = _text(path)
    assert not sorted(w for w in demo["private"] if w in everything)


def test_a_large_panel_asked_for_as_a_grid_still_gets_one_sheet_per_contestant(demo, tmp_path):
    path, data = _pdf(demo, tmp_path, "grid", judge="J02", n=1)
    assert "评分表" in _text(path) and "评分汇总表" not in _text(path)


def test_english_labels_when_printed_in_english(demo, tmp_path):
    path, data = _pdf(demo, tmp_path, locale="en", judge="J02", n=1)
    text = _text(path)
    for phrase in [
        "scoresheet",
        "Group:托育",  # the scheme's and competition's own words stay as stored
        "Stage:Practical",
        "Station",
        "Anonymouscode",
        "Judgement",
        "step0.5",
        "maxmark5",
        "deduct0–5",
        "target3600s,limit5400s",
        "Sheettotal",
        "Judgesignature:",
        "Date:",
        "Page1of2",
    ]:
        assert phrase in text, phrase
    assert {"Measurement", "Judgement", "Deduction", "Time"} <= {w[7] for w in _words(path)}  # whole words
    for zh in ("裁判签名", "工位号", "加密号", "合计", "步长", "满分"):
        assert zh not in text
