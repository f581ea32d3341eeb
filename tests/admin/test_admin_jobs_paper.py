"""Printed papers as jobs (web.admin.jobs): a big selection of score sheets, a big batch of
admission tickets and a long judge debrief answer at once with the job's page, which shows the
progress and then the same PDF the request drew directly before; the whole competition's sheets
are no longer refused; the chief judge watches the sheet jobs, never the organizer's others."""

from __future__ import annotations

import subprocess
import time

import pytest
from admin_helpers import finished

SLUG = "yulin-childcare-2025"
SHEETS = f"/admin/c/{SLUG}/sheets.pdf"


def _account(app, role: str):
    from scoring.services.accounts import create_user

    create_user(app.extensions["scoring.engine"], f"j-{role}", "correct-horse-1", role=role)
    client = app.test_client()
    assert client.post("/login", data={"username": f"j-{role}", "password": "correct-horse-1"}).status_code == 302
    return client


@pytest.fixture
def console(app, seeded):
    return {role: _account(app, role) for role in ("organizer", "chief")}


def text_of(data: bytes, tmp_path, name: str = "x") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def direct(app, client, path: str):
    """The route's direct answer (the inline limit raised above any selection here)."""
    app.config["JOB_INLINE_SHEETS"] = 10**6
    try:
        return client.get(path)
    finally:
        app.config.pop("JOB_INLINE_SHEETS")


def as_job(app, client, path: str, key: str = "JOB_INLINE_SHEETS") -> tuple[float, dict, object]:
    """The route's answer once the inline limit is lowered to nothing: the job's page at once,
    the job's status when it is done, and its download."""
    app.config[key] = 0
    started = time.perf_counter()
    r = client.get(path)
    took = time.perf_counter() - started
    app.config.pop(key)
    assert r.status_code == 303 and "/jobs/" in r.headers["Location"], r.status_code
    status = finished(client, r.headers["Location"], seconds=120)
    assert status["state"] == "done", status
    return took, status, client.get(status["download"])


def test_a_selection_of_sheets_beyond_the_inline_limit_is_a_job_with_the_same_pdf(app, console, tmp_path):
    client = console["organizer"]
    straight = direct(app, client, f"{SHEETS}?judge=J02&session=P2&layout=sheet")
    assert straight.status_code == 200
    took, status, got = as_job(app, client, f"{SHEETS}?judge=J02&session=P2&layout=sheet")
    assert took < 5  # the request only starts the job
    assert status["total"] > 1 and status["done"] == status["total"]  # counted sheet by sheet
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert "J02-P2" in got.headers["Content-Disposition"] and "attachment" in got.headers["Content-Disposition"]
    assert text_of(got.data, tmp_path, "job") == text_of(straight.data, tmp_path, "direct")
    assert "评分表" in text_of(got.data, tmp_path, "job")


def test_the_whole_competitions_sheets_are_a_job_not_a_refusal(app, console, monkeypatch):
    from scoring.web.admin import paper_print

    # 600 sheets: once refused with 422, now a job; its own cap lowered here so that the test
    # does not draw 1,200 pages: the job then says how to narrow the selection
    monkeypatch.setattr(paper_print, "MAX_SHEETS", 100)
    client = console["organizer"]
    started = time.perf_counter()
    r = client.get(SHEETS)
    assert time.perf_counter() - started < 5
    assert r.status_code == 303 and "/jobs/" in r.headers["Location"]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "<progress" in page and "评分表" in page
    status = finished(client, r.headers["Location"] + "?lang=en")
    assert status["state"] == "failed" and not status["error"]
    assert "more than the 100 one download may hold" in status["problems"][0]


def test_the_chief_judge_follows_a_sheet_job_but_not_the_organizers_others(app, console, tmp_path):
    chief = console["chief"]
    _took, _status, got = as_job(app, chief, f"{SHEETS}?judge=J07&layout=grid&lang=en")
    assert "Judge signature" in text_of(got.data, tmp_path)
    app.config["JOB_INLINE_ROWS"] = 0
    export = console["organizer"].get(f"/admin/c/{SLUG}/document.json")
    app.config.pop("JOB_INLINE_ROWS")
    where = export.headers["Location"]
    assert chief.get(where).status_code == 404 and chief.get(where + "/file").status_code == 404
    assert finished(console["organizer"], where)["state"] == "done"


def test_a_big_batch_of_tickets_is_a_job_with_the_same_tickets(app, console, tmp_path):
    client = console["organizer"]
    straight = direct(app, client, f"/admin/c/{SLUG}/tickets.pdf?group=hairdressing")  # codes are given here, once
    assert straight.status_code == 200
    took, status, got = as_job(app, client, f"/admin/c/{SLUG}/tickets.pdf?group=hairdressing")
    assert took < 5 and status["total"] >= 20
    assert "hairdressing-tickets.pdf" in got.headers["Content-Disposition"]
    assert text_of(got.data, tmp_path, "job") == text_of(straight.data, tmp_path, "direct")
    assert text_of(got.data, tmp_path).count("准考证") == 20
    assert console["chief"].get(f"/admin/c/{SLUG}/tickets.pdf").status_code == 403
    assert client.get(f"/admin/c/{SLUG}/tickets.pdf?group=no-such").status_code == 404


def test_a_long_debrief_is_a_job_the_chief_judge_downloads(app, console, tmp_path):
    chief = console["chief"]
    straight = direct(app, chief, f"/admin/c/{SLUG}/debrief/J02.pdf")
    assert straight.status_code == 200 and straight.mimetype == "application/pdf"
    took, _status, got = as_job(app, chief, f"/admin/c/{SLUG}/debrief/J02.pdf")
    assert took < 5
    assert text_of(got.data, tmp_path, "job") == text_of(straight.data, tmp_path, "direct")
