"""Heavy work of the console as jobs (scoring.jobs, web.admin.jobs): a big export, document dump,
certificate batch or import answers at once with a job; the job's page shows progress, and its
download is exactly what the request answered directly before."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from admin_helpers import ORGANIZER, engine_of, enter_marks, finished, small_document
from openpyxl import load_workbook
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

SLUG = "mini-2025"


@pytest.fixture
def marked(app):
    """The small competition, every theory mark in, the draw revealed and version 1 published."""
    from scoring.services import draw, publication
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    eng = engine_of(app)
    doc = small_document()
    doc["contestants"] = [
        {
            "code": code,
            "name": name,
            "gender": "女",
            "unit": "榆阳区第一幼儿园",
            "region": "榆阳区",
            "group": "childcare",
        }
        for code, name in (("C001", "张燕"), ("C002", "李娜"), ("C003", "王芳"))
    ]
    cid = import_document(eng, doc)
    create_user(eng, *ORGANIZER, role="organizer")
    draw.draw_lots(eng, cid, "t", seed="fixed")
    enter_marks(app, cid, {"C001": "90.5", "C002": "80", "C003": "70.5"})
    publication.set_stage_state(eng, cid, "theory", True, "t")
    draw.reveal(eng, cid, "t")
    publication.publish(eng, cid, "t")
    return cid


def organizer(app):
    client = app.test_client()
    assert client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]}).status_code == 302
    return client


def as_job(app, client, path: str, **kw):
    """The route's answer with the inline limit lowered to nothing: a job, then its file."""
    app.config["JOB_INLINE_ROWS"] = 0
    started = time.perf_counter()
    r = client.get(path, **kw)
    took = time.perf_counter() - started
    assert r.status_code == 303, r.status_code
    where = r.headers["Location"]
    assert "/jobs/" in where
    status = finished(client, where)
    assert status["state"] == "done", status
    assert status["download"]
    return took, status, client.get(status["download"])


def table(xlsx: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("query", ["", "?public=1", "?v=1"])
def test_a_big_export_answers_at_once_with_a_job_whose_file_is_the_direct_answer(app, marked, query):
    client = organizer(app)
    direct_csv = client.get(f"/admin/c/{SLUG}/export/childcare.csv{query}")
    direct_xlsx = client.get(f"/admin/c/{SLUG}/export/childcare.xlsx{query}")
    assert direct_csv.status_code == direct_xlsx.status_code == 200
    took, status, got = as_job(app, client, f"/admin/c/{SLUG}/export/childcare.csv{query}")
    assert took < 5  # the request only starts the job (a child process does the work)
    assert got.status_code == 200 and got.mimetype == "text/csv"
    assert got.data == direct_csv.data
    assert got.headers["Content-Disposition"] == direct_csv.headers["Content-Disposition"]
    _took, _status, got = as_job(app, client, f"/admin/c/{SLUG}/export/childcare.xlsx{query}")
    assert got.headers["Content-Disposition"] == direct_xlsx.headers["Content-Disposition"]
    assert table(got.data) == table(direct_xlsx.data)
    rows = list(csv.reader(io.StringIO(got_text(direct_csv.data))))
    assert len(rows) == 4  # the head and three contestants


def got_text(data: bytes) -> str:
    return data.decode("utf-8-sig")


def test_the_results_sheet_pdf_and_the_document_dump_come_from_jobs_too(app, marked):
    client = organizer(app)
    direct = client.get(f"/admin/c/{SLUG}/document.json").data
    _took, _status, got = as_job(app, client, f"/admin/c/{SLUG}/document.json")
    assert got.mimetype == "application/json"
    assert json.loads(got.data) == json.loads(direct)
    _took, _status, got = as_job(app, client, f"/admin/c/{SLUG}/export/childcare.pdf?v=1")
    assert got.data.startswith(b"%PDF-") and got.mimetype == "application/pdf"


def test_a_job_page_shows_its_progress_in_both_languages_and_other_competitions_cannot_see_it(app, marked):
    client = organizer(app)
    app.config["JOB_INLINE_ROWS"] = 0
    where = client.get(f"/admin/c/{SLUG}/export/childcare.xlsx").headers["Location"]
    page = client.get(where).get_data(as_text=True)
    assert "<progress" in page and "成绩导出" in page
    status = finished(client, where)
    assert status["done"] == status["total"] >= 1
    page = client.get(where + "?lang=en", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "job-download" in page
    job_id = where.rsplit("/", 1)[1]
    assert client.get(f"/admin/c/no-such/jobs/{job_id}").status_code == 404
    assert client.get(f"/admin/c/{SLUG}/jobs/{'0' * 32}").status_code == 404
    assert client.get(f"/admin/c/{SLUG}/jobs/..%2F..%2Fetc").status_code == 404
    assert app.test_client().get(where).status_code in (302, 303, 401, 403)  # not signed in


def test_a_certificate_batch_is_a_job_with_progress_and_a_pdf(app, marked):
    client = organizer(app)
    r = client.post(f"/admin/c/{SLUG}/certificates/batch", data={"group": ""})
    assert r.status_code in (302, 303)
    status = finished(client, r.headers["Location"])
    assert status["state"] == "done" and status["total"] >= 1 and status["done"] == status["total"]
    pdf = client.get(status["download"])
    assert pdf.data.startswith(b"%PDF-")
    old = client.get(r.headers["Location"].replace("/jobs/", "/certificates/jobs/"))
    assert old.status_code == 200  # the batch's earlier address still answers


def test_a_big_contestant_sheet_is_written_by_a_job_and_its_problems_are_shown(app, marked):
    from scoring.services.transfer import import_document

    cid = import_document(engine_of(app), small_document("fresh-2025"))
    client = organizer(app)
    app.config["JOB_INLINE_ROWS"] = 0
    sheet = "姓名,单位,县区,组别\n张三,单位一,榆阳区,childcare\n李四,单位二,横山区,childcare\n".encode()
    r = client.post(
        "/admin/c/fresh-2025/contestants",
        data={"sheet": (io.BytesIO(sheet), "名单.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    status = finished(client, r.headers["Location"])
    assert status["state"] == "done" and status["message"] == "已导入 2 名选手。", status
    with reading(engine_of(app)) as s:
        names = set(s.exec(select(m.Contestant.name).where(m.Contestant.competition_id == cid)))
    assert names == {"张三", "李四"}
    again = client.post(  # the same people again: refused by the database's check, on the job's page
        "/admin/c/fresh-2025/contestants",
        data={"sheet": (io.BytesIO(sheet.replace(b"childcare", b"nosuch")), "名单.csv")},
        content_type="multipart/form-data",
    )
    status = finished(client, again.headers["Location"])
    assert status["state"] == "failed" and status["problems"] and not status["error"]
    assert "nosuch" in status["problems"][0]
