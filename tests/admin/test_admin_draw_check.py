"""The public draw check says "published before marking began" only when the hash's publication
time is strictly before the first mark, and shows both times in the competition's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from admin_helpers import CSV_GOOD, engine_of, enter_marks
from competitions import small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.services import draw
from scoring.services.transfer import import_document

BEFORE, AFTER = "在评分开始前公布。", "在评分开始后公布"


def _shown(at: datetime) -> str:
    return at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")


def test_a_hash_drawn_before_the_first_mark_is_said_to_be_published_before_marking(app, client, mini):
    from scoring.services.setup import import_contestants

    slug, cid = mini
    import_contestants(engine_of(app), cid, "a.csv", CSV_GOOD.encode(), "t")
    draw.draw_lots(engine_of(app), cid, "t")
    page = client.get(f"/draw/{slug}").get_data(as_text=True)
    assert "在评分开始前公布(尚无任何评分)" in page and "尚无评分" in page
    enter_marks(app, cid, {"C001": "90"})
    page = client.get(f"/draw/{slug}").get_data(as_text=True)
    with reading(engine_of(app)) as s:
        drawn = s.exec(select(m.AuditEvent.at).where(m.AuditEvent.kind == "draw.drawn")).one()
        first = s.exec(select(m.Mark.created_at).where(m.Mark.competition_id == cid)).one()
    assert BEFORE in page and AFTER not in page and 'data-before="1"' in page
    assert _shown(drawn) in page and _shown(first) in page and "北京时间 (UTC+8)" in page
    english = client.get(f"/draw/{slug}?lang=en").get_data(as_text=True)
    assert "Published before marking began." in english and "Hash published at" in english


def test_a_hash_sealed_after_marks_came_in_says_so_plainly(app, client):
    doc = small_document("late-2025")
    doc["contestants"] = [{"code": f"C00{i}", "name": n, "group": "childcare"} for i, n in enumerate(["甲", "乙"], 1)]
    doc["draw"] = {
        "seed": "s",
        "entries": [
            {"contestant": "C001", "station": "01", "code": "TY-1001"},
            {"contestant": "C002", "station": "02", "code": "TY-1002"},
        ],
    }
    doc["marks"] = [{"contestant": "C001", "aspect": "T1", "judge": "J01", "value": "90"}]
    cid = import_document(engine_of(app), doc)
    assert 'id="map-hash"' not in client.get("/draw/late-2025").get_data(as_text=True)  # no hash yet
    draw.seal(engine_of(app), cid, "t")  # the hash is published only now, after a mark
    page = client.get("/draw/late-2025").get_data(as_text=True)
    assert AFTER in page and BEFORE not in page and 'data-before="0"' in page
    assert "Published after marking began" in client.get("/draw/late-2025?lang=en").get_data(as_text=True)


def test_a_hash_imported_together_with_marks_is_not_claimed_to_be_earlier(app, client):
    doc = small_document("archive-2025")
    doc["contestants"] = [{"code": "C001", "name": "甲", "group": "childcare"}]
    entries = [["TY-1001", "01", "C001", "甲", "childcare"]]
    digest = draw.map_hash(draw.map_bytes("archive-2025", "s", entries))
    doc["draw"] = {
        "seed": "s",
        "map_hash": digest,
        "entries": [{"contestant": "C001", "station": "01", "code": "TY-1001"}],
    }
    doc["marks"] = [{"contestant": "C001", "aspect": "T1", "judge": "J01", "value": "90"}]
    import_document(engine_of(app), doc)
    page = client.get("/draw/archive-2025").get_data(as_text=True)
    assert AFTER in page and BEFORE not in page


def test_only_strictly_earlier_counts_as_before():
    t = datetime(2025, 5, 23, 1, 0, tzinfo=UTC)
    assert draw.published_before_marking(t, t + timedelta(microseconds=1))
    assert not draw.published_before_marking(t, t)
    assert not draw.published_before_marking(t, t - timedelta(seconds=1))
    assert draw.published_before_marking(t, None) and not draw.published_before_marking(None, None)
