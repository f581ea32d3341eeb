"""Public downloads of a big published version (web.public_cache, services.public_files): the first
request starts the one job that makes the version's files and says, translated, to come back
(503 with Retry-After); then every request is a file read equal to the direct answer, in each
language, for each group and team standing; a name the version does not hold is a 404 and starts
no job."""

from __future__ import annotations

import io
import os
import time

import pytest
from admin_helpers import COUNTY, engine_of, team_standing_competition
from openpyxl import load_workbook

SLUG = "mini-2025"


@pytest.fixture
def published(app):
    from scoring.services import publication

    cid = team_standing_competition(app)
    publication.publish(engine_of(app), cid, "t")
    app.config["JOB_INLINE_ROWS"] = 0  # every competition is big here
    return cid


def _direct(app, client, path: str):
    app.config["JOB_INLINE_ROWS"] = 10**6
    try:
        return client.get(path)
    finally:
        app.config["JOB_INLINE_ROWS"] = 0


def _when_ready(client, path: str, seconds: float = 60):
    """Ask as a visitor would, after each Retry-After (shortened here), until the file comes."""
    deadline = time.monotonic() + seconds
    answers = []
    while time.monotonic() < deadline:
        r = client.get(path)
        answers.append(r)
        if r.status_code != 503:
            return r, answers
        time.sleep(0.2)
    raise AssertionError("the public file was never made")


def _table(xlsx: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)]


def test_a_big_versions_public_files_are_made_once_and_equal_the_direct_answer(app, published, monkeypatch):
    client = app.test_client()
    team = COUNTY["code"]
    direct = {
        path: _direct(app, client, path)
        for path in (
            f"/results/{SLUG}/export/childcare.csv?lang=zh",
            f"/results/{SLUG}/export/childcare.xlsx?v=1&lang=zh",
            f"/results/{SLUG}/teams/{team}.csv?lang=en",
        )
    }
    assert all(r.status_code == 200 for r in direct.values())
    first = client.get(f"/results/{SLUG}/export/childcare.csv?lang=zh")
    assert first.status_code == 503 and first.headers["Retry-After"] == "5"
    assert "文件正在生成" in first.get_data(as_text=True)
    english = client.get(f"/results/{SLUG}/export/childcare.csv?lang=en", headers={"Accept": "application/json"})
    assert english.status_code == 503 and "being prepared" in english.get_json()["error"]["message"]
    for path, want in direct.items():
        got, _answers = _when_ready(client, path)
        assert got.status_code == 200 and got.mimetype == want.mimetype
        assert got.headers["Content-Disposition"] == want.headers["Content-Disposition"]
        if path.split("?")[0].endswith(".xlsx"):
            assert _table(got.data) == _table(want.data)
        else:
            assert got.data == want.data
    # made: the next request is a file read (nothing computes the sheet any more), on any version name
    from scoring.services import exports

    monkeypatch.setattr(exports, "group_csv", lambda *a, **k: pytest.fail("computed again"))
    again = client.get(f"/results/{SLUG}/export/childcare.csv?v=1&lang=zh")
    assert again.status_code == 200 and again.data == direct[f"/results/{SLUG}/export/childcare.csv?lang=zh"].data
    # a name the version does not hold: 404 at once, no job
    jobs_dir = app.instance_path + "/jobs"
    before = len(os.listdir(jobs_dir))
    assert client.get(f"/results/{SLUG}/export/no-such.csv").status_code == 404
    assert client.get(f"/results/{SLUG}/teams/no-such.csv").status_code == 404
    assert len(os.listdir(jobs_dir)) == before
    assert client.get(f"/results/{SLUG}/export/childcare.csv?v=9").status_code == 404


def test_a_job_whose_process_stopped_is_started_again_by_the_next_visitor(app, published):
    """A restart of the process that ran the job leaves its state "running" on disk: past its
    deadline it reads as failed (jobs.job), and the next request makes the files anew."""
    from scoring import jobs
    from scoring.services import public_files
    from scoring.web import public_cache

    client = app.test_client()
    with app.test_request_context():
        number, content_hash = public_files.head(engine_of(app), published, None)
        where = public_files.folder(public_cache.root(), published, number, content_hash, "zh", "csv")
        directory = public_cache.directory()
    lost = jobs.Job("e" * 32, "public", published, state="running", created=1.0, deadline=2.0)
    directory.mkdir(parents=True, exist_ok=True)
    jobs._write(directory, lost)
    where.parent.mkdir(parents=True, exist_ok=True)
    where.with_suffix(".job").write_text(lost.id)
    assert jobs.job(directory, lost.id).state == "failed"
    got, answers = _when_ready(client, f"/results/{SLUG}/export/childcare.csv?lang=zh")
    assert got.status_code == 200 and answers[0].status_code == 503
    assert where.with_suffix(".job").read_text() != lost.id
