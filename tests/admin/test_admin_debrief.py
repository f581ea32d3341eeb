"""The judge debrief on the console (page and PDF), trainee seats on the set-up page, and the
trainee's badge on the tablet."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sqlmodel import select
from trainee_helpers import SLUG, trainee_document

from scoring import models as m
from scoring.db import reading
from scoring.services import draw
from scoring.services.credentials import set_pins
from scoring.services.transfer import import_document


def engine_of(app):
    return app.extensions["scoring.engine"]


@pytest.fixture
def trainee_comp(app):
    engine = engine_of(app)
    cid = import_document(engine, trainee_document())
    draw.seal(engine, cid, "test")
    set_pins(engine, cid, {"J01": "1001", "J02": "1002", "T01": "2001"}, actor="test")
    return cid


def sign_in(app, client, role: str):
    from scoring.services.accounts import create_user

    create_user(engine_of(app), f"{role}-user", "correct-horse-1", role=role)
    assert client.post("/login", data={"username": f"{role}-user", "password": "correct-horse-1"}).status_code == 302


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_trainees_debrief_compares_them_with_the_counting_panel(app, client, trainee_comp):
    sign_in(app, client, "chief")
    r = client.get(f"/admin/c/{SLUG}/debrief/T01?lang=en")
    assert r.status_code == 200
    text = _text(r.get_data(as_text=True))
    assert "Judge debrief" in text and "孙见习" in text and "Trainee" in text
    assert "the counting judges' marks" in text
    # C001 = X7 before the reveal: P1 the trainee gave 0, the counting panel 3, 3, 2 (mean 2.67, median 3)
    row = re.search(r"X7 P1 沟通 0 (\S+) (\S+) (\S+) (\S+) X7 P2 操作 20 (\S+) (\S+) (\S+) (\S+) Outlier", text)
    assert row is not None, text
    assert row.groups()[:3] == ("2.67", "3.00", "-2.67")  # 2.67 from 0: within the distance 5
    assert row.groups()[4:7] == ("40.00", "40.00", "-20.00")  # 20 against 40, 41, 39: an outlier
    assert "张伟" not in text  # no names before the reveal
    assert re.search(r"Outlier flags (\d+)", text).group(1) == "3"  # P2: 20 vs 40, 45 vs 31, 50 vs 35.33


def test_a_counting_judges_debrief_and_names_after_the_reveal(app, client, trainee_comp):
    doc = trainee_document("trainee-done-2025")
    doc["stages"][0]["state"] = "locked"
    done = import_document(engine_of(app), doc)
    draw.seal(engine_of(app), done, "test")
    draw.reveal(engine_of(app), done, "test")
    sign_in(app, client, "organizer")
    text = _text(client.get("/admin/c/trainee-done-2025/debrief/J03?lang=zh").get_data(as_text=True))
    assert "裁判复盘" in text and "赵裁判" in text and "见习" not in text
    assert "C001 张伟" in text  # after the reveal: code and name
    assert client.get(f"/admin/c/{SLUG}/debrief/NOPE").status_code == 404
    monitor = client.get(f"/admin/c/{SLUG}/monitor?lang=en").get_data(as_text=True)
    assert f"/admin/c/{SLUG}/debrief/T01" in monitor and f"/admin/c/{SLUG}/debrief/J02" in monitor
    drill = _text(client.get(f"/admin/c/{SLUG}/monitor?contestant=X7&lang=en").get_data(as_text=True))
    assert "J03 T01 Trainee" in drill  # the trainee's marks shown, their column marked


def test_a_viewer_may_not_read_a_debrief(app, client, trainee_comp):
    sign_in(app, client, "viewer")
    assert client.get(f"/admin/c/{SLUG}/debrief/J02").status_code == 403
    assert "/debrief/" not in client.get(f"/admin/c/{SLUG}/monitor").get_data(as_text=True)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_debrief_pdf_speaks_the_readers_language(app, client, trainee_comp, tmp_path):
    sign_in(app, client, "chief")
    texts = {}
    for lang in ("zh", "en"):
        r = client.get(f"/admin/c/{SLUG}/debrief/T01.pdf?lang={lang}")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        path = tmp_path / f"debrief-{lang}.pdf"
        path.write_bytes(r.data)
        texts[lang] = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    zh, en = texts["zh"], texts["en"]
    assert "裁判复盘" in zh and "孙见习" in zh and "见习" in zh and "偏离" in zh
    assert "judge debrief" in en and "Trainee" in en and "Panel mean" in en and "Outlier flags" in en
    assert "X7" in en and "2.67" in en and "-2.67" in en
    assert "张伟" not in zh + en  # anonymous codes before the reveal
    for word in ("复盘", "平均", "偏离"):
        assert word not in en, word


def test_the_organizer_seats_and_removes_a_trainee_on_the_setup_page(app, client, trainee_comp):
    sign_in(app, client, "organizer")
    with reading(engine_of(app)) as s:
        panel = s.exec(select(m.Panel).where(m.Panel.competition_id == trainee_comp)).one().id
        j02 = s.exec(select(m.Judge).where(m.Judge.competition_id == trainee_comp, m.Judge.code == "J09")).one().id
        t01 = s.exec(select(m.Judge).where(m.Judge.competition_id == trainee_comp, m.Judge.code == "T01")).one().id
    page = client.get(f"/admin/c/{SLUG}/setup?lang=en").get_data(as_text=True)
    assert 'data-testid="trainee-T01"' in page and "Seat as trainee" in page
    url = f"/admin/c/{SLUG}/setup/trainees"
    assert client.post(url, data={"action": "seat", "panel": panel, "judge": j02}).status_code == 302
    assert 'data-testid="trainee-J09"' in client.get(f"/admin/c/{SLUG}/setup").get_data(as_text=True)
    assert client.post(url, data={"action": "seat", "panel": panel, "judge": j02}).status_code == 409
    assert client.post(url, data={"action": "remove", "panel": panel, "judge": t01}).status_code == 302
    assert client.post(url, data={"action": "remove", "panel": panel, "judge": "x" * 500}).status_code == 422
    assert client.post(url, data={"action": "nope", "panel": panel, "judge": t01}).status_code == 400
    page = client.get(f"/admin/c/{SLUG}/setup").get_data(as_text=True)
    assert 'data-testid="trainee-T01"' not in page and 'data-testid="trainee-J09"' in page


def test_the_trainee_sees_a_badge_on_the_tablet_and_marks_like_everyone(app, client, trainee_comp):
    r = client.post(f"/judge/c/{SLUG}/signin", data={"code": "T01", "pin": "2001"})
    assert r.status_code == 302
    page = client.get(f"/judge/c/{SLUG}/mark?lang=zh").get_data(as_text=True)
    assert 'data-testid="trainee"' in page and ">见习<" in page
    sheet = client.get(f"/api/v1/judging/{SLUG}/sheet").get_json()
    assert sheet["judge"]["trainee"] and sheet["panels"][0]["trainee"]
    r = client.post(
        f"/api/v1/judging/{SLUG}/marks",
        json={
            "contestant": "K3",
            "aspect": "P2",
            "value": "12",
            "idempotency_key": "trainee-k3-p2",
            "based_on_version": 1,
            "client_id": "tablet",
        },
    )
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    other = app.test_client()
    other.post(f"/judge/c/{SLUG}/signin", data={"code": "J02", "pin": "1002"})
    page = other.get(f"/judge/c/{SLUG}/mark").get_data(as_text=True)
    assert 'data-testid="trainee"' not in page
    assert not other.get(f"/api/v1/judging/{SLUG}/sheet").get_json()["judge"]["trainee"]
