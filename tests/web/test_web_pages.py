"""The demo competition on the pages: organizer sees names and awards; the board shows only what is public."""

from sqlmodel import select

from scoring import models as m
from scoring.db import transaction


def test_organizer_overview_shows_chinese_names_and_standings(organizer_client, seeded):
    html = organizer_client.get(f"/admin/c/{seeded}").get_data(as_text=True)
    assert "榆林市2025年托育职业技能竞赛" in html
    assert "托育" in html and "美发" in html
    assert "理论" in html and "实操" in html


def test_board_hides_names_until_the_draw_is_revealed(app, client, seeded):
    html = client.get(f"/board/{seeded}").get_data(as_text=True)
    with transaction(app.extensions["scoring.engine"]) as s:
        person = s.exec(select(m.Contestant).order_by(m.Contestant.id)).first()
        entry = s.exec(select(m.DrawEntry).where(m.DrawEntry.contestant_id == person.id)).first()
    assert person.name not in html
    assert entry.code in html


def test_embargoed_board_shows_only_the_published_theory(app, client, seeded):
    """The demo publishes its theory first (a stage publication): under embargo the board shows that
    stage by anonymous code and nothing else: no practical score, total, rank or award."""
    with transaction(app.extensions["scoring.engine"]) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == seeded)).one()
        comp.visibility = "embargoed"
        s.add(comp)
    r = client.get(f"/api/v1/competitions/{seeded}/standings")
    body = r.get_json()
    assert body["groups"]
    for g in body["groups"]:
        assert g["published_stages"] == ["theory"]
        for row in g["rows"]:
            assert set(row["stages"]) <= {"theory"}
            assert row["rank"] is None and row["total"] is None and not row["awards"]
    html = client.get(f"/board/{seeded}").get_data(as_text=True)
    assert "实操" not in html and "张伟" not in html
