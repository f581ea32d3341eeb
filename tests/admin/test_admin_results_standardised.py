"""The public results page and its exports with a declared cross-group standardisation: the
standardised column beside the raw total, the formula stated in both languages, and nothing new
when no standardisation is declared."""

from __future__ import annotations

import csv
import io

import pytest
from admin_helpers import engine_of, enter_marks, small_document

SLUG = "mini-2025"
MARKS = {"C001": "90", "C002": "80", "C003": "70", "H001": "60", "H002": "50", "H003": "45"}


def _publish(app, scale: dict | None):
    from scoring.services import draw, publication
    from scoring.services.transfer import import_document

    doc = small_document()
    doc["groups"].append({"code": "hair", "name": "美发", "event": "美发"})
    doc["panels"].append({"group": "hair", "stage": "theory", "judges": ["J01"]})
    doc["contestants"] = [
        {"code": code, "name": f"选手{code}", "unit": "单位", "group": "childcare" if code[0] == "C" else "hair"}
        for code in MARKS
    ]
    if scale is not None:
        doc["rules"]["standardisation"] = scale
        doc["rules"]["awards"].append(
            {
                "name": "best",
                "kind": "title",
                "basis": "standardised",
                "per_group": False,
                "tiers": [{"name": "全场最佳", "max_rank": 1}],
            }
        )
    eng = engine_of(app)
    cid = import_document(eng, doc)
    draw.draw_lots(eng, cid, "t", seed="fixed")
    enter_marks(app, cid, MARKS)
    publication.set_stage_state(eng, cid, "theory", True, "t")
    draw.reveal(eng, cid, "t")
    publication.publish(eng, cid, "t")
    return app.test_client()


def _row(html: str, code: str) -> str:
    start = html.index(f'data-code="{code}"')
    return html[start : html.index("</tr>", start)]


def test_public_page_shows_the_standardised_column_and_the_formula(app):
    client = _publish(app, {})
    zh = client.get(f"/results/{SLUG}").get_data(as_text=True)
    # childcare 90/80/70 and hair 60/50/45: each median lands on 700 beside its raw total
    assert '<th class="num">标准分</th>' in zh
    assert "80.00" in _row(zh, "C002") and "700.00" in _row(zh, "C002")
    assert "50.00" in _row(zh, "H002") and "700.00" in _row(zh, "H002")
    # hair's 60 is further above its median (in SDs) than childcare's 90: best overall by the scale
    assert "全场最佳" in _row(zh, "H001") and "全场最佳" not in _row(zh, "C001")
    assert 'id="standardisation"' in zh
    assert "标准分 = 700 + 20 × (总成绩 − 中位数) ÷ 离散度" in zh
    assert "除以 n" in zh and "四舍五入" in zh
    en = client.get(f"/results/{SLUG}?lang=en").get_data(as_text=True)
    assert '<th class="num">Standardised</th>' in en
    assert "standardised = 700 + 20 × (total − median) ÷ spread" in en
    assert "divided by n" in en and "half up" in en
    assert "median 80.0000" in en


def test_mad_and_no_spread_rules_are_stated(app):
    client = _publish(app, {"spread": "mad", "no_spread": "none"})
    en = client.get(f"/results/{SLUG}?lang=en").get_data(as_text=True)
    assert "1.4826 × the median absolute deviation" in en
    assert "gets no standardised scores" in en


def _csv(client, url: str, code: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header and the rows by contestant code (column ``code``) of a CSV download."""
    rows = list(csv.reader(io.StringIO(client.get(url).data.decode("utf-8-sig"))))
    return rows[0], {r[rows[0].index(code)]: r for r in rows[1:]}


def test_public_exports_carry_the_column_beside_the_total(app):
    client = _publish(app, {})
    head, by_code = _csv(client, f"/results/{SLUG}/export/hair.csv?v=1&lang=en", "Code")
    assert head.index("Standardised") == head.index("Total") + 1
    assert by_code["H002"][head.index("Standardised")] == "700.00"
    assert by_code["H002"][head.index("Total")] == "50.00"


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_without_a_declaration_nothing_changes(app, lang):
    client = _publish(app, None)
    html = client.get(f"/results/{SLUG}?lang={lang}").get_data(as_text=True)
    assert 'id="standardisation"' not in html and "标准分" not in html and "Standardised" not in html
    body = client.get(f"/results/{SLUG}/export/hair.csv?v=1&lang=en").data.decode("utf-8-sig")
    assert "Standardised" not in body


def test_standings_csv_carries_the_column_when_declared(app):
    client = _publish(app, {})
    head, by_code = _csv(client, f"/api/v1/competitions/{SLUG}/standings.csv", "code")
    assert head.index("standardised") == head.index("total") + 1
    assert by_code["C002"][head.index("standardised")] == "700.00"


def test_console_standings_show_the_column_beside_the_total(app):
    from admin_helpers import ORGANIZER

    from scoring.services.accounts import create_user

    client = _publish(app, {})
    create_user(engine_of(app), *ORGANIZER, role="organizer")
    r = client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]})
    assert r.status_code in (302, 303)
    html = client.get(f"/admin/c/{SLUG}?lang=en").get_data(as_text=True)
    assert '<th class="num">Standardised</th>' in html
    assert "700.00" in _row(html, "C002")
