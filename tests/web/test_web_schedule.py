"""The public schedule (场次安排, issue 12 item 3): each session with who competes at which
station, by anonymous code before the draw map is revealed and by name after; a page and a PDF."""

from __future__ import annotations

import pytest
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

SESSIONS = [
    {"code": "P1", "name": "第一场", "stage": "theory", "date": "2025-05-23", "start": "08:30", "stations": ["01", "02"]},
    {"code": "P2", "name": "第二场", "stage": "theory", "date": "2025-05-24", "start": "08:30", "stations": ["01", "02"]},
]  # fmt: skip


@pytest.fixture
def drawn(app):
    from competitions import small_document

    from scoring.services import draw
    from scoring.services.transfer import import_document

    doc = small_document("schedule-2025")
    doc["contestants"] = [
        {"code": f"C{i}", "name": f"张{i}号", "unit": "某单位", "group": "childcare"} for i in range(4)
    ]
    doc["sessions"] = SESSIONS
    eng = app.extensions["scoring.engine"]
    cid = import_document(eng, doc)
    draw.draw_lots(eng, cid, "t", seed="s")
    return eng, cid


def test_before_the_reveal_the_schedule_lists_codes_and_stations_only(app, drawn):
    eng, cid = drawn
    client = app.test_client()
    page = client.get("/schedule/schedule-2025").get_data(as_text=True)
    assert "第一场" in page and "第二场" in page and "2025-05-24 08:30" in page
    with reading(eng) as s:
        codes = [e.code for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid))]
    assert all(f'data-code="{c}"' in page for c in codes)
    assert not any(f"张{i}号" in page for i in range(4)) and "某单位" not in page and 'id="names-hidden"' in page
    english = client.get("/schedule/schedule-2025?lang=en").get_data(as_text=True)
    assert "Schedule" in english and "Station" in english
    pdf = client.get("/schedule/schedule-2025.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_after_the_reveal_names_appear(app, drawn):
    from scoring.services import draw, publication

    eng, cid = drawn
    publication.set_stage_state(
        eng, cid, "theory", True, "t", allow_incomplete=True
    )  # no marks: only the reveal matters
    draw.reveal(eng, cid, "t")
    page = app.test_client().get("/schedule/schedule-2025").get_data(as_text=True)
    assert all(f"张{i}号" in page for i in range(4)) and 'id="names-hidden"' not in page


def test_a_competition_without_sessions_says_so(app):
    from competitions import small_document

    from scoring.services.transfer import import_document

    import_document(app.extensions["scoring.engine"], small_document("plain-2025"))
    client = app.test_client()
    r = client.get("/schedule/plain-2025")
    assert r.status_code == 200 and "未设场次" in r.get_data(as_text=True)
    assert client.get("/schedule/plain-2025.pdf").status_code == 200
    assert client.get("/schedule/no-such").status_code == 404
