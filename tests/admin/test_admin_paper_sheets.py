"""The console's printed score sheets (评分表): the monitor page's form downloads the selection as a
PDF for the organizer and the chief judge; viewers, judges' tablets and strangers are refused; a
bad selection is a translated 4xx. The direct answers (a selection beyond ``JOB_INLINE_SHEETS`` is a
job: tests/admin/test_admin_jobs_paper.py)."""

from __future__ import annotations

import subprocess

import pytest

from scoring.rules.paper import parse_sheet_token

SLUG = "yulin-childcare-2025"
URL = f"/admin/c/{SLUG}/sheets.pdf"


def _account(app, role: str):
    from scoring.services.accounts import create_user

    create_user(app.extensions["scoring.engine"], f"p-{role}", "correct-horse-1", role=role)
    client = app.test_client()
    assert client.post("/login", data={"username": f"p-{role}", "password": "correct-horse-1"}).status_code == 302
    return client


@pytest.fixture
def console(app, seeded):
    app.config["JOB_INLINE_SHEETS"] = 10**6  # drawn in the request, whatever the selection
    return {role: _account(app, role) for role in ("organizer", "chief", "viewer")}


def test_the_organizer_downloads_one_judges_sheets_of_a_session(app, console, tmp_path):
    r = console["organizer"].get(f"{URL}?judge=J02&session=P2&layout=sheet")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"] and "J02-P2" in r.headers["Content-Disposition"]
    path = tmp_path / "s.pdf"
    path.write_bytes(r.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "评分表" in text and "J02" in text and "裁判签名" in text
    assert f"SCS1/{SLUG}/J02/" in text.replace("\n", "")  # the code to type, under the QR code
    # the QR code holds the clerks' address on the host the console was reached at (no SCORING_PUBLIC_URL)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "p")], check=True)
    found = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "p.png")], capture_output=True, text=True)
    ref = parse_sheet_token(found.stdout.strip())
    assert found.stdout.startswith(f"http://localhost/clerk/c/{SLUG}?sheet=") and ref.judge == "J02"


def test_the_chief_judge_prints_a_grid_in_english(console, tmp_path):
    r = console["chief"].get(f"{URL}?judge=J07&layout=grid&lang=en")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    path = tmp_path / "g.pdf"
    path.write_bytes(r.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "score sheet by session" in text and "Judge signature" in text and "评分汇总表" not in text


def test_the_monitor_page_offers_the_form_to_those_who_may_print(console):
    page = console["organizer"].get(f"/admin/c/{SLUG}/monitor").get_data(as_text=True)
    assert 'id="paper-sheets"' in page and f'action="{URL}"' in page
    assert '<option value="J02">' in page and '<option value="P2">' in page and 'value="grid"' in page
    viewer = console["viewer"].get(f"/admin/c/{SLUG}/monitor")
    assert viewer.status_code == 200 and 'id="paper-sheets"' not in viewer.get_data(as_text=True)


def test_viewers_tablets_and_strangers_are_refused(app, console):
    assert console["viewer"].get(f"{URL}?judge=J02").status_code == 403
    tablet = app.test_client()
    assert tablet.post(f"/judge/c/{SLUG}/signin", data={"code": "J02", "pin": "1002"}).status_code == 302
    assert tablet.get(f"{URL}?judge=J02").status_code in (302, 401, 403)
    stranger = app.test_client().get(f"{URL}?judge=J02")
    assert stranger.status_code == 302 and "/login" in stranger.headers["Location"]


@pytest.mark.parametrize(
    ("query", "zh", "en"),
    [
        ("judge=J99", "没有编号为 J99 的裁判", "No judge with the code J99"),
        ("session=NOPE", "没有编号为 NOPE 的场次", "No session with the code NOPE"),
        ("panel=999", "没有编号或名称为 999 的裁判组", "No panel with the number or name 999"),
        ("judge=J02&layout=poster", "版式请选择", "Choose the layout"),
        ("judge=J01", "所选范围内没有评分表", "No score sheets match this selection"),
    ],
)
def test_a_bad_selection_is_a_translated_4xx(console, query, zh, en):
    client = console["organizer"]
    r = client.get(f"{URL}?{query}&lang=zh")
    assert r.status_code == 422 and zh in r.get_data(as_text=True)
    r = client.get(f"{URL}?{query}&lang=en", headers={"Accept": "application/json"})
    assert r.status_code == 422 and en in r.get_data(as_text=True)
