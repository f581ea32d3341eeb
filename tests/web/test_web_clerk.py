"""The clerks' paper sheet entry form and the chief judge's reconciliation queue over HTTP: a clerk
reaches the form and nothing else, errors are translated and keep what was typed, two clerks'
entries make the marks, a mismatch is decided on the console."""

from __future__ import annotations

import re

import pytest
from paper_helpers import SLUG, paper_document, token
from sqlmodel import select
from web_helpers import engine_of

from scoring import models as m
from scoring.db import reading
from scoring.services.accounts import create_user
from scoring.services.transfer import import_document

PASSWORD = "correct-horse-1"
VALUES = {"P1": "9", "P2": "18", "P3": "4.5"}


@pytest.fixture
def world(app):
    engine = engine_of(app)
    cid = import_document(engine, paper_document())
    other = import_document(engine, paper_document("other-2025"))
    create_user(engine, "clerk-a", PASSWORD, role="clerk", competition_id=cid)
    create_user(engine, "clerk-b", PASSWORD, role="clerk", competition_id=cid)
    create_user(engine, "clerk-other", PASSWORD, role="clerk", competition_id=other)
    create_user(engine, "chief-x", PASSWORD, role="chief", competition_id=cid)
    return {"app": app, "engine": engine, "cid": cid}


def _client(app, username):
    c = app.test_client()
    r = c.post("/login", data={"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return c, r.headers["Location"]


def _post(client, code, values, lang="zh"):
    data = {"sheet": code, **{f"v:{k}": v for k, v in values.items()}}
    return client.post(f"/clerk/c/{SLUG}?lang={lang}", data=data)


def _marks(engine, cid):
    with reading(engine) as s:
        return sorted(format(k.value, "f") for k in s.exec(select(m.Mark).where(m.Mark.competition_id == cid)))


def test_a_clerk_reaches_the_entry_form_and_nothing_else(world):
    client, landing = _client(world["app"], "clerk-a")
    assert landing.endswith("/clerk/")
    r = client.get("/clerk/")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/clerk/c/{SLUG}")
    page = client.get(f"/clerk/c/{SLUG}?lang=zh").get_data(as_text=True)
    assert "录分" in page and 'data-testid="scan"' in page and "autofocus" in page
    for url in (
        "/admin/",
        f"/admin/c/{SLUG}",
        f"/admin/c/{SLUG}/paper",
        f"/admin/c/{SLUG}/monitor",
        "/admin/accounts",
        f"/judge/c/{SLUG}/mark",
        "/clerk/c/other-2025",
    ):
        r = client.get(url)
        assert r.status_code in (302, 403), (url, r.status_code)
        assert r.status_code == 403 or "/judge/c/" in r.headers["Location"], url
    assert client.get(f"/api/v1/competitions/{SLUG}/standings?audience=chief").status_code == 403
    names = client.get(f"/clerk/c/{SLUG}?sheet={token(world['engine'], world['cid'], 'J02', 'C001')}")
    text = names.get_data(as_text=True)
    assert "张伟" not in text and "李裁判" not in text  # codes only: no contestant's or judge's name


def test_the_form_opens_the_scanned_sheet_with_its_aspects_in_order(world):
    client, _ = _client(world["app"], "clerk-a")
    code = token(world["engine"], world["cid"], "J02", "C001")
    page = client.get(f"/clerk/c/{SLUG}?lang=zh&sheet={code}").get_data(as_text=True)
    boxes = re.findall(r'<input id="clk-v\d" name="v:(P\d)"[^>]*inputmode="decimal"', page)
    assert boxes == ["P1", "P2", "P3"]
    assert re.search(r'name="v:P1"[^>]*autofocus', page)
    bad = client.get(f"/clerk/c/{SLUG}?lang=zh&sheet=SCS1/{SLUG}/J02/%231/deadbeef")
    assert bad.status_code == 409 and "重新打印" in bad.get_data(as_text=True)
    nonsense = client.get(f"/clerk/c/{SLUG}?lang=en&sheet=hello")
    assert nonsense.status_code == 422 and "not the code of a score sheet" in nonsense.get_data(as_text=True)


@pytest.mark.parametrize("lang,words", [("zh", "不是数字"), ("en", "is not a number")])
def test_form_errors_are_translated_and_keep_what_was_typed(world, lang, words):
    client, _ = _client(world["app"], "clerk-a")
    code = token(world["engine"], world["cid"], "J02", "C001")
    r = _post(client, code, {"P1": "9", "P2": "１８", "P3": "4.55"}, lang)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert words in page
    assert 'data-testid="error-P2"' in page and 'data-testid="error-P3"' in page and "error-P1" not in page
    assert re.search(r'name="v:P3" value="4.55"', page) and re.search(r'name="v:P1" value="9"', page)
    assert re.search(r'name="v:P2"[^>]*autofocus', page)  # the first box in error takes the focus
    with reading(world["engine"]) as s:
        assert s.exec(select(m.PaperEntry)).first() is None


def test_two_clerks_make_the_marks_blind_to_each_other(world):
    engine, cid = world["engine"], world["cid"]
    code = token(engine, cid, "J02", "C001")
    a, _ = _client(world["app"], "clerk-a")
    b, _ = _client(world["app"], "clerk-b")
    r = _post(a, code, VALUES)
    assert r.status_code == 302
    saved = a.get(f"/clerk/c/{SLUG}?lang=zh").get_data(as_text=True)
    assert "已保存" in saved and "J02" in saved
    again = a.get(f"/clerk/c/{SLUG}?lang=zh&sheet={code}").get_data(as_text=True)
    assert 'data-testid="closed"' in again and 'name="v:P1"' not in again  # entered it: no second go
    form = b.get(f"/clerk/c/{SLUG}?lang=zh&sheet={code}").get_data(as_text=True)
    assert 'name="v:P1" value=""' in form and "clerk-a" not in form  # blind: nothing of the first entry
    assert _post(b, code, VALUES).status_code == 302
    assert _marks(engine, cid) == sorted(VALUES.values())
    assert b.get(f"/clerk/c/{SLUG}").get_data(as_text=True).count("<code>P1</code> 9") == 1  # own entries only


def test_a_mismatch_is_decided_on_the_console(world):
    engine, cid = world["engine"], world["cid"]
    code = token(engine, cid, "J02", "C001")
    a, _ = _client(world["app"], "clerk-a")
    b, _ = _client(world["app"], "clerk-b")
    _post(a, code, VALUES)
    _post(b, code, {**VALUES, "P2": "13"})
    assert _marks(engine, cid) == []
    chief, _ = _client(world["app"], "chief-x")
    overview = chief.get(f"/admin/c/{SLUG}?lang=zh").get_data(as_text=True)
    assert 'data-testid="paper-progress"' in overview and 'data-conflict="1"' in overview
    lock = chief.post(f"/admin/c/{SLUG}/review?lang=zh", data={"action": "lock", "stage": "practical"})
    assert "纸质评分表：0 张等待第二次录入，1 张有冲突" in lock.get_data(as_text=True)  # asked before the lock
    page = chief.get(f"/admin/c/{SLUG}/paper?lang=zh").get_data(as_text=True)
    assert re.findall(r'data-aspect="(P\d)"', page) == ["P1", "P2", "P3"]
    assert re.findall(r'data-differs="1" data-aspect="(P\d)"', page) == ["P2"]
    sheet = re.search(r'data-sheet="(\d+)"', page).group(1)
    r = chief.post(
        f"/admin/c/{SLUG}/paper?lang=zh",
        data={"sheet_id": sheet, "action": "decide", "v:P1": "9", "v:P2": "18", "v:P3": "4.5"},
    )
    assert r.status_code == 422 and "裁定理由" in r.get_data(as_text=True) and 'value="18"' in r.get_data(as_text=True)
    data = {
        "sheet_id": sheet,
        "action": "decide",
        "reason": "纸质评分表为18",
        **{f"v:{k}": v for k, v in VALUES.items()},
    }
    assert chief.post(f"/admin/c/{SLUG}/paper", data=data).status_code == 302
    assert _marks(engine, cid) == sorted(VALUES.values())
    assert 'data-testid="no-conflicts"' in chief.get(f"/admin/c/{SLUG}/paper").get_data(as_text=True)


def test_a_sheet_image_is_uploaded_checked_and_shown(world):
    import io

    from PIL import Image

    engine, cid = world["engine"], world["cid"]
    code = token(engine, cid, "J02", "C001")
    _post(_client(world["app"], "clerk-a")[0], code, VALUES)
    _post(_client(world["app"], "clerk-b")[0], code, {**VALUES, "P1": "8"})
    chief, _ = _client(world["app"], "chief-x")
    sheet = re.search(r'data-sheet="(\d+)"', chief.get(f"/admin/c/{SLUG}/paper").get_data(as_text=True)).group(1)
    fake = {"sheet_id": sheet, "action": "image", "image": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")}
    r = chief.post(f"/admin/c/{SLUG}/paper?lang=zh", data=fake, content_type="multipart/form-data")
    assert r.status_code == 422 and "PNG" in r.get_data(as_text=True)
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buf, "PNG")
    ok = {"sheet_id": sheet, "action": "image", "image": (io.BytesIO(buf.getvalue()), "sheet.png")}
    assert chief.post(f"/admin/c/{SLUG}/paper", data=ok, content_type="multipart/form-data").status_code == 302
    img = chief.get(f"/admin/c/{SLUG}/paper/{sheet}/image")
    assert img.status_code == 200 and img.mimetype == "image/png" and img.data == buf.getvalue()
    big = {
        "sheet_id": sheet,
        "action": "image",
        "image": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * (3 << 20)), "b.png"),
    }
    assert chief.post(f"/admin/c/{SLUG}/paper", data=big, content_type="multipart/form-data").status_code == 413
    assert chief.get(f"/admin/c/{SLUG}/paper/999999/image").status_code == 404


def test_the_accounts_page_creates_a_clerk_limited_to_one_competition(world):
    org = world["app"].test_client()
    create_user(world["engine"], "boss", PASSWORD, role="organizer")
    org.post("/login", data={"username": "boss", "password": PASSWORD})
    assert 'name="competition"' in org.get("/admin/accounts").get_data(as_text=True)
    form = {"action": "create", "username": "clerk-new", "password": PASSWORD, "role": "clerk", "competition": SLUG}
    assert org.post("/admin/accounts", data=form).status_code == 302
    with reading(world["engine"]) as s:
        u = s.exec(select(m.User).where(m.User.username == "clerk-new")).one()
    assert (u.role, u.competition_id) == ("clerk", world["cid"])
    bad = org.post("/admin/accounts", data={**form, "username": "clerk-x", "competition": "nope"})
    assert bad.status_code == 422


@pytest.mark.parametrize(
    "code,status",
    [
        ("x" * 5000, 422),  # longer than any query value may be
        ("SCS1/" + "a" * 390, 422),
        (f"SCS1/{SLUG}/J02/%2599999999999/deadbeef", 422),
        (f"SCS1/{SLUG}/J02/%23²/deadbeef", 422),
        ("%00", 400),
        ("J02 %231 DEADBEEF", 409),  # a typed code (#1: the contestant before the draw) of an old version
    ],
)
def test_hostile_codes_get_a_short_4xx(world, code, status):
    client, _ = _client(world["app"], "clerk-a")
    r = client.get(f"/clerk/c/{SLUG}?lang=en&sheet={code}")
    assert r.status_code == status
    page = r.get_data(as_text=True)  # the scan field keeps what was typed, up to a code's length, no more
    assert "x" * 100 not in page and "a" * 401 not in page and len(page) < 20_000
    r = client.post(f"/clerk/c/{SLUG}", data={"sheet": code.replace("%00", "\x00"), "v:P1": "9" * 10_000})
    assert 400 <= r.status_code < 500


def test_a_clerk_watches_as_the_judges_do_never_standings_nor_names():
    from scoring.visibility import NOTHING, Audience, audience_of, may_watch, sees_personal_data, view_for

    assert audience_of("clerk") is Audience.JUDGE
    assert all(view_for(audience_of("clerk"), state, True) == NOTHING for state in ("live", "frozen", "published"))
    assert not may_watch("clerk", "chief") and not sees_personal_data(audience_of("clerk"))


def test_the_demo_clerks_type_in_a_printed_sheet_of_the_demo(app, seeded):
    """README tour, "On paper instead": clerk1 and clerk2 of the demo sign in, and a sheet J02 would
    mark on paper (one the demo has not marked yet) typed in by both becomes J02's marks."""
    from scoring.demo import DEMO_CLERKS
    from scoring.services.paper_sheets import paper_sheets

    engine = engine_of(app)
    with reading(engine) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == seeded)).one()
        j02 = s.exec(select(m.Judge).where(m.Judge.competition_id == comp.id, m.Judge.code == "J02")).one()
        marked = {k.contestant_id for k in s.exec(select(m.Mark).where(m.Mark.judge_id == j02.id))}
        refs = {
            e.code: e.contestant_id for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == comp.id))
        }
    sheets = paper_sheets(engine, comp.id, "http://venue.local", judge="J02").sheets
    sheet = next(p for p in sheets if refs.get(p.ref) not in marked and not p.invalid)
    code = sheet.token
    values = {a.code: a.min for a in sheet.panel.aspects}
    before = len(_marks(engine, comp.id))
    for user, password in DEMO_CLERKS:
        c = app.test_client()
        r = c.post("/login", data={"username": user, "password": password})
        assert r.status_code == 302 and r.headers["Location"].endswith("/clerk/")
        data = {"sheet": code, **{f"v:{k}": v for k, v in values.items()}}
        assert c.post(f"/clerk/c/{seeded}?lang=zh", data=data).status_code in (200, 302, 303)
    assert len(_marks(engine, comp.id)) == before + len(values)
