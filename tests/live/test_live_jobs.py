"""Issue 14: heavy work never runs on the serving loop. The production server for real (``scoring
serve``: gunicorn, one gevent worker) on the seeded demo, every export a job (``JOB_INLINE_ROWS=0``):
while the organizer's exports and document dumps run in child processes, a judge's mark is
acknowledged, and the jobs' pages show their progress and end with a download."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from live_helpers import SLUG
from test_live_uploads import _judge, _organizer, post_mark, production  # noqa: F401, F811  (the server fixture)

pytestmark = pytest.mark.slow
HEAVY = ("export/childcare.xlsx", "export/childcare.pdf", "document.json", "export/hairdressing.xlsx")


@pytest.fixture
def every_export_a_job(monkeypatch):
    monkeypatch.setenv("SCORING_JOB_INLINE_ROWS", "0")


def test_a_mark_is_acknowledged_while_heavy_jobs_run_and_their_progress_is_visible(every_export_a_job, production):  # noqa: F811
    base = production["base"]
    organizer = _organizer(base)
    judge = _judge(base, production["judge"])
    pages = []
    for path in HEAVY:  # four jobs: two run at once, two wait their turn
        r = organizer.get(f"{base}/admin/c/{SLUG}/{path}", allow_redirects=False, timeout=30)
        assert r.status_code == 303, (path, r.status_code)
        pages.append(base + r.headers["Location"])
    mark = production["mark"]
    post_mark(judge, base, production["label"], mark.value - Decimal(1), mark.version)
    # the mark was answered while the last job had not even finished (a loop busy with the work
    # would answer it only after every job: they are seconds of work, a mark is milliseconds)
    last = organizer.get(pages[-1], headers={"Accept": "application/json"}, timeout=30).json()
    assert last["state"] in ("queued", "running"), last
    page = organizer.get(pages[-1], timeout=30).text
    assert "<progress" in page and "成绩导出" in page
    seen: dict[str, set] = {p: set() for p in pages}
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not all("done" in s or "failed" in s for s in seen.values()):
        for p in pages:
            status = organizer.get(p, headers={"Accept": "application/json"}, timeout=30).json()
            seen[p].add(status["state"])
            assert 0 <= status["done"] <= max(status["total"], 1)
        time.sleep(0.2)
    assert all(s >= {"done"} and "failed" not in s for s in seen.values()), seen
    status = organizer.get(pages[0], headers={"Accept": "application/json"}, timeout=30).json()
    xlsx = organizer.get(base + status["download"], timeout=30)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"  # a workbook (a zip)
