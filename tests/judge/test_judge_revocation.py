"""Withdrawn judge credentials stop working on the tablet's next request (issue 9, defect 1):
new cards/PINs, removal from a panel or from the competition. The marks hot path answers from
its cached config, so it refuses without a query of its own. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event
from venue_helpers import ORGANIZER, SLUG, engine_of, pin_sign_in, small_venue

from scoring import models as m
from scoring.db import reading
from scoring.services import credentials


@pytest.fixture
def venue(any_app):
    return any_app, small_venue(any_app)


def _tablet(app, code: str):
    client = app.test_client()
    r = pin_sign_in(client, code)
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return client


def _mark(client, contestant_id: int, value: str, key: str, based_on: int = 0):
    return client.post(
        f"/api/v1/judging/{SLUG}/marks",
        json={
            "contestant": f"#{contestant_id}",
            "aspect": "A1",
            "value": value,
            "idempotency_key": key,
            "based_on_version": based_on,
            "client_id": "tablet",
        },
    )


def _signed_out(r) -> bool:
    return r.status_code == 401 and r.get_json()["error"]["code"] == "not_signed_in"


def _organizer(app):
    client = app.test_client()
    assert client.post("/login", data=dict(zip(("username", "password"), ORGANIZER))).status_code == 302
    return client


def test_reissued_cards_sign_every_old_tablet_out_on_its_next_request(venue):
    app, ids = venue
    c1, c2 = ids["people"]["C1"], ids["people"]["C2"]
    pin_tablet = _tablet(app, "J02")
    organizer = _organizer(app)
    page = organizer.get(f"/judge/c/{SLUG}/cards").get_data(as_text=True)
    token = re.search(rf"/judge/card/({ids['judges']['J03']}\.\d+\.[0-9a-f]+)", page).group(1)  # J03's card
    card_tablet = app.test_client()
    assert card_tablet.get(f"/judge/card/{token}").status_code == 302
    assert _mark(pin_tablet, c1, "8", "before-1").status_code == 201
    assert _mark(card_tablet, c2, "7", "before-2").status_code == 201  # the config is cached now

    assert organizer.post(f"/judge/c/{SLUG}/cards").status_code == 200  # new cards and PINs for everyone

    for tablet in (pin_tablet, card_tablet):
        assert _signed_out(_mark(tablet, c1, "9", "after-1", based_on=1))  # the marks hot path
        assert _signed_out(_mark(tablet, c1, "8", "before-1"))  # even a retried key
        assert tablet.get(f"/api/v1/judging/{SLUG}/sheet").status_code == 401
        assert tablet.post(f"/api/v1/judging/{SLUG}/heartbeat", json={"client_id": "t", "unsent": 1}).status_code == 401
        page = tablet.get(f"/judge/c/{SLUG}/mark")
        assert page.status_code == 302 and page.headers["Location"].endswith(f"/judge/c/{SLUG}")
    assert app.test_client().get(f"/judge/card/{token}").status_code == 401  # the old QR code
    old_pin = app.test_client().post(f"/judge/c/{SLUG}/signin", data={"code": "J02", "pin": "1002"})
    assert old_pin.status_code == 401  # the old PIN
    with reading(engine_of(app)) as s:
        new_pin = s.get(m.JudgeCard, ids["judges"]["J02"]).pin
    fresh = app.test_client()
    assert fresh.post(f"/judge/c/{SLUG}/signin", data={"code": "J02", "pin": new_pin}).status_code == 302
    assert _mark(fresh, c1, "9", "after-2", based_on=1).status_code == 201


def test_a_judge_taken_off_the_panel_is_signed_out_and_the_others_mark_on(venue):
    app, ids = venue
    c1 = ids["people"]["C1"]
    j02, j03 = _tablet(app, "J02"), _tablet(app, "J03")
    assert _mark(j02, c1, "8", "p-1").status_code == 201
    assert _mark(j03, c1, "8", "p-2").status_code == 201
    assert credentials.remove_from_panel(engine_of(app), ids["cid"], ids["judges"]["J02"], "test", ids["panel"]) == 1
    assert _signed_out(_mark(j02, ids["people"]["C2"], "8", "p-3"))
    assert j02.get(f"/api/v1/judging/{SLUG}/sheet").status_code == 401
    assert _mark(j03, ids["people"]["C2"], "6", "p-4").status_code == 201
    # the judge may sign in again with the same PIN, but sits on no panel now
    again = _tablet(app, "J02")
    r = _mark(again, ids["people"]["C3"], "8", "p-5")
    assert r.status_code == 403


def test_a_judge_removed_from_the_competition_is_out_and_cannot_sign_in_again(venue):
    app, ids = venue
    tablet = _tablet(app, "J03")
    assert _mark(tablet, ids["people"]["C1"], "5", "r-1").status_code == 201
    credentials.remove_from_competition(engine_of(app), ids["cid"], ids["judges"]["J03"], "test")
    assert _signed_out(_mark(tablet, ids["people"]["C2"], "5", "r-2"))
    refused = app.test_client().post(f"/judge/c/{SLUG}/signin", data={"code": "J03", "pin": "1003"})
    assert refused.status_code == 401
    page = _organizer(app).get(f"/judge/c/{SLUG}/cards").get_data(as_text=True)
    assert "李裁判" in page and "赵裁判" not in page


def test_the_chief_judges_grid_and_socket_refuse_a_withdrawn_sign_in(venue):
    app, ids = venue
    chief = _tablet(app, "J01")
    assert chief.get(f"/api/v1/judging/{SLUG}/progress").status_code == 200
    assert chief.get(f"/judge/c/{SLUG}/chief").status_code == 200
    credentials.set_pin(engine_of(app), ids["judges"]["J01"], "4321", actor="test")
    assert chief.get(f"/api/v1/judging/{SLUG}/progress").status_code == 401
    assert chief.get(f"/judge/c/{SLUG}/chief").status_code == 302


def test_the_warm_marks_path_checks_the_sign_in_without_reading_the_judge(venue):
    """The epoch comes from the per-competition cache that a reissue invalidates (config_version):
    a mark costs no query on the judge table, before or after a reissue."""
    app, ids = venue
    tablet = _tablet(app, "J02")
    assert _mark(tablet, ids["people"]["C1"], "8", "w-1").status_code == 201  # warms the cache
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):  # noqa: ANN001
        statements.append(statement.lower())

    engine = engine_of(app)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert _mark(tablet, ids["people"]["C2"], "8", "w-2").status_code == 201
        hot = [st for st in statements if re.search(r"\bfrom judge\b", st)]
        assert hot == []
        credentials.set_pin(engine, ids["judges"]["J02"], "2468", actor="test")
        assert _signed_out(_mark(tablet, ids["people"]["C3"], "8", "w-3"))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
