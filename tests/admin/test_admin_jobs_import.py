"""A whole document's import (POST /admin/import) beyond JOB_INLINE_ROWS contestants and marks is
written by a job: the upload is read and refused first in the request's child as before, then the
request answers at once with the job's page (of no competition: admin.installation_job), which
says what the form would have said; all or nothing, problems translated on the job's page."""

from __future__ import annotations

import io
import json

from admin_helpers import ORGANIZER, engine_of, finished, small_document
from sqlmodel import func, select

from scoring import models as m
from scoring.db import reading

NAME = small_document()["competition"]["name"]


def _document(slug: str, n: int = 3) -> dict:
    doc = small_document(slug)
    doc["contestants"] = [
        {
            "code": f"C{i:03d}",
            "name": f"选手{i}",
            "gender": "女",
            "unit": "单位",
            "region": "榆阳区",
            "group": "childcare",
        }
        for i in range(1, n + 1)
    ]
    return doc


def _client(app):
    client = app.test_client()
    assert client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]}).status_code == 302
    return client


def _upload(client, doc: dict, **form):
    data = json.dumps(doc, ensure_ascii=False).encode()
    return client.post(
        "/admin/import", data={"document": (io.BytesIO(data), "c.json"), **form}, content_type="multipart/form-data"
    )


def _count(app, model, slug: str) -> int:
    with reading(engine_of(app)) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).first()
        if cid is None:
            return -1
        return s.exec(select(func.count()).select_from(model).where(model.competition_id == cid)).one()


def test_a_big_document_is_imported_by_a_job_as_the_form_would(app, mini):
    client = _client(app)
    app.config["JOB_INLINE_ROWS"] = 0
    r = _upload(client, _document("fresh-2025"))
    assert r.status_code == 303 and r.headers["Location"].startswith("/admin/jobs/")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "<progress" in page and "文档导入" in page and "返回竞赛列表" in page
    status = finished(client, r.headers["Location"])
    assert status["state"] == "done" and status["message"] == f"竞赛“{NAME}”已导入。", status
    assert status["download"] is None
    assert _count(app, m.Contestant, "fresh-2025") == 3
    english = client.get(r.headers["Location"] + "?lang=en", headers={"Accept": "application/json"}).get_json()
    assert english["message"] == f"The competition {NAME} was imported."


def test_the_databases_refusal_is_the_jobs_translated_problem_and_changes_nothing(app, mini):
    client = _client(app)
    app.config["JOB_INLINE_ROWS"] = 0
    doc = _document("mini-2025")
    doc["contestants"][0]["name"] = "改过的名字"
    r = _upload(client, doc)  # the slug exists and replacing was not asked
    status = finished(client, r.headers["Location"])
    assert status["state"] == "failed" and status["problems"] and not status["error"], status
    with reading(engine_of(app)) as s:
        assert "改过的名字" not in set(s.exec(select(m.Contestant.name)))
    # a document the reader refuses never becomes a job: the form's 422, as before
    bad = _upload(client, {"format": "scoring-competition"})
    assert bad.status_code == 422 and "未做任何更改" in bad.get_data(as_text=True)


def test_a_confirmed_replacement_is_a_job_too(app, mini):
    client = _client(app)
    app.config["JOB_INLINE_ROWS"] = 0
    doc = _document("mini-2025", 2)
    asked = _upload(client, doc, replace="1")
    assert asked.status_code == 200 and 'data-test="confirm-replace"' in asked.get_data(as_text=True)
    token = asked.get_data(as_text=True).split('name="staged" value="')[1].split('"')[0]
    r = client.post("/admin/import", data={"replace": "1", "staged": token, "name": "c.json", "confirm": "1"})
    status = finished(client, r.headers["Location"])
    assert status["state"] == "done" and status["message"] == f"竞赛“{NAME}”已被导入的文档替换。", status
    assert _count(app, m.Contestant, "mini-2025") == 2
    assert client.post("/admin/import", data={"replace": "1", "staged": token, "confirm": "1"}).status_code == 422


def test_an_installation_job_is_the_installation_organizers_only(app, mini):
    from scoring.services.accounts import create_user

    client = _client(app)
    app.config["JOB_INLINE_ROWS"] = 0
    where = _upload(client, _document("fresh-2025")).headers["Location"]
    finished(client, where)
    create_user(engine_of(app), "scoped", "correct-horse-1", role="organizer", competition_id=mini[1])
    scoped = app.test_client()
    assert scoped.post("/login", data={"username": "scoped", "password": "correct-horse-1"}).status_code == 302
    assert scoped.get(where).status_code in (403, 404)
    assert client.get("/admin/jobs/" + "0" * 32).status_code == 404
    assert client.get("/admin/jobs/nonsense").status_code == 404
