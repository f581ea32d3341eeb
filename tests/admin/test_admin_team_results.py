"""Team standings (团体总分) on the public results page and in its exports: shown with the
published version they come from, in both languages, and exported as data (never code)."""

from __future__ import annotations

import csv
import io

import pytest
from admin_helpers import engine_of, team_standing_competition
from openpyxl import load_workbook

SLUG = "mini-2025"


@pytest.fixture
def app_with_teams(app):
    return app, team_standing_competition(app)


def _publish(app, cid) -> None:
    from scoring.services import publication

    publication.publish(engine_of(app), cid, "t")


def test_the_results_page_has_no_team_standing_before_the_results_are_published(app_with_teams):
    app, _cid = app_with_teams
    page = app.test_client().get(f"/results/{SLUG}").get_data(as_text=True)
    assert "县区团体总分" not in page and "东县" not in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh_Hans_CN", ("县区团体总分", "取最好 2 人成绩之和", "代表队")),
        ("en", ("County team score", "sum of the best 2 results", "Delegation")),
    ],
)
def test_the_published_results_page_shows_the_team_standing_in_both_languages(app_with_teams, lang, words):
    app, cid = app_with_teams
    _publish(app, cid)
    page = app.test_client().get(f"/results/{SLUG}?lang={lang}").get_data(as_text=True)
    for word in words:
        assert word in page
    team = page[page.index('data-team="county"') :]
    # 东县 160.50 (90.5 + 70), 西县 95 + 0 (the missing second counts as 0), then the hostile county 60
    assert team.index('data-delegation="东县"') < team.index('data-delegation="西县"') < team.index("=1+1")
    assert "160.50" in team and "95.00" in team


def test_the_team_standing_exports_as_csv_and_xlsx_with_text_neutralised(app_with_teams):
    app, cid = app_with_teams
    _publish(app, cid)
    anon = app.test_client()
    r = anon.get(f"/results/{SLUG}/teams/county.csv?v=1")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    head = rows[0]
    assert head[:3] == ["名次", "代表队", "成绩"]  # the reader's language, as the group exports
    english = anon.get(f"/results/{SLUG}/teams/county.csv?v=1&lang=en").data.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Rank,Delegation,Score")
    by_delegation = {row[1]: row for row in rows[1:]}
    assert by_delegation["东县"][:3] == ["1", "东县", "160.50"]
    assert "'=1+1" in by_delegation  # a formula-looking county is text
    r = anon.get(f"/results/{SLUG}/teams/county.xlsx?v=1")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.data)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    scores = [c for c in cells if c.row == 3 and c.column == 3]
    assert [(c.data_type, c.value) for c in scores] == [("n", 160.5)]
    assert anon.get(f"/results/{SLUG}/teams/nope.csv?v=1").status_code == 404
    assert anon.get(f"/results/{SLUG}/teams/county.pdf?v=1").status_code == 404


def test_the_organizer_exports_the_current_team_standing_before_publication_and_finds_it_on_the_page(app_with_teams):
    from admin_helpers import ORGANIZER

    from scoring.services.accounts import create_user

    app, cid = app_with_teams
    create_user(engine_of(app), *ORGANIZER, role="organizer")
    client = app.test_client()
    assert client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]}).status_code in (302, 303)
    r = client.get(f"/admin/c/{SLUG}/teams/county.csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[1][:3] == ["1", "东县", "160.50"]
    page = client.get(f"/admin/c/{SLUG}/publish").get_data(as_text=True)
    assert f"/admin/c/{SLUG}/teams/county.xlsx" in page
    assert app.test_client().get(f"/admin/c/{SLUG}/teams/county.csv").status_code in (302, 401, 403)


def test_the_changes_between_versions_name_the_delegations_whose_team_result_moved():
    from scoring.services.publication import diff

    def content(east: str, west: str, east_awards: list[str]) -> dict:
        rows = [
            {"rank": "1", "delegation": "东县", "score": east, "awards": east_awards},
            {"rank": "2", "delegation": "西县", "score": west, "awards": []},
        ]
        return {"groups": [], "team_standings": [{"code": "county", "name": "县区团体总分", "rows": rows}]}

    changes = diff(content("160.50", "95.00", []), content("170.50", "95.00", ["团体一等奖"]))
    assert [(c["group"], c["name"], c["field"], c["before"], c["after"]) for c in changes] == [
        ("县区团体总分", "东县", "score", "160.50", "170.50"),
        ("县区团体总分", "东县", "awards", [], ["团体一等奖"]),  # awards as lists, joined per language on the page
    ]
    assert diff({"groups": []}, content("1", "2", [])) == []  # a version before team standings: nothing to compare
