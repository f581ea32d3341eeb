"""The visibility policy as every reader meets it: the audience × state matrix over the API,
the pages and the socket snapshot, with no leak of marks, ranks, names or personal data."""

from __future__ import annotations

import json

import pytest
from live_helpers import (
    SLUG,
    BoardClient,
    correct_theory,
    draw_code,
    login,
    names,
    private_values,
    reveal_draw,
    session_cookie_header,
    theory_marks,
)

STATES = ("embargoed", "live", "frozen", "published")
AUDIENCES = ("public", "audience", "judge", "chief", "organizer")


def _set_state(engine, cid, state):
    from scoring.services import live_admin

    live_admin.set_visibility(engine, cid, state, "test")


def _rows(payload):
    return {r["label"]: r for g in payload["groups"] for r in g["rows"]}


@pytest.fixture
def scene(app, comp):
    """A contestant whose theory mark is corrected AFTER the state is set (after the freeze)."""
    engine, cid = comp

    def make(state):
        mark = theory_marks(engine, cid)[3]
        label = draw_code(engine, cid, mark.contestant_id)
        _set_state(engine, cid, state)
        correct_theory(engine, cid, mark.contestant_id, "0")
        return {"engine": engine, "cid": cid, "label": label, "before": format(mark.value, ".2f")}

    return make


def _client_for(app, audience):
    client = app.test_client()
    if audience in ("judge", "chief", "organizer"):
        login(client, audience)
    return client


def _check(
    payload_text: str,
    payload: dict | None,
    audience: str,
    state: str,
    sc: dict,
    people: set[str],
    private: set[str],
    where: str,
):
    for secret in private:
        assert secret not in payload_text, f"{where}: personal data leaked"
    if audience == "judge" or (audience in ("public", "audience") and state == "embargoed"):
        assert not any(n in payload_text for n in people), f"{where}: a name leaked"
        assert sc["label"] not in payload_text, f"{where}: a contestant code leaked"
        if payload is not None:
            assert payload["groups"] == [] and payload["view"]["standings"] is False
        return
    if audience in ("public", "audience", "chief"):
        assert not any(n in payload_text for n in people), f"{where}: names before the draw map is revealed"
    if audience == "organizer":
        assert any(n in payload_text for n in people), f"{where}: the organizer sees names"
    if payload is None:
        return
    row = _rows(payload)[sc["label"]]
    assert row["rank"] is not None and row["total"] is not None
    if audience in ("public", "audience") and state == "frozen":
        assert row["stages"]["theory"] == sc["before"], f"{where}: a mark entered after the freeze leaked"
        assert payload["view"]["source"] == "frozen"
    else:
        assert row["stages"]["theory"] == "0.00", f"{where}: should see the live standings"
    if audience in ("public", "audience"):
        assert payload["flags"] == [] and "decided_by" not in row
    assert payload["final"] is (state == "published")


@pytest.mark.slow
@pytest.mark.parametrize("state", STATES)
def test_every_audience_sees_only_what_the_policy_allows(app, scene, state, live_server):
    sc = scene(state)
    people = names(sc["engine"], sc["cid"])
    private = private_values(sc["engine"], sc["cid"])
    for audience in AUDIENCES:
        client = _client_for(app, audience)
        # API (also the snapshot boards re-fetch on a gap)
        r = client.get(f"/api/v1/competitions/{SLUG}/standings?audience={audience}")
        assert r.status_code == 200, (audience, r.status_code)
        _check(r.get_data(as_text=True), r.json, audience, state, sc, people, private, f"API {audience}/{state}")
        # CSV export
        r = client.get(f"/api/v1/competitions/{SLUG}/standings.csv?audience={audience}")
        _check(r.get_data(as_text=True), None, audience, state, sc, people, private, f"CSV {audience}/{state}")
        # socket snapshot
        board = BoardClient(live_server, audience=audience, headers=session_cookie_header(client))
        try:
            board.wait(lambda b: b.messages)
            snap = board.messages[0]
            _check(
                json.dumps(snap, ensure_ascii=False),
                snap,
                audience,
                state,
                sc,
                people,
                private,
                f"socket {audience}/{state}",
            )
        finally:
            board.close()
    # pages: the projector board and the phone page are public
    anon = app.test_client()
    for path, audience in ((f"/board/{SLUG}", "public"), (f"/board/{SLUG}/phone", "audience")):
        html = anon.get(path).get_data(as_text=True)
        _check(html, None, audience, state, sc, people, private, f"page {path}/{state}")
        if state == "frozen":
            assert '"0.00"' not in html.split(sc["label"], 1)[-1][:400]


def test_officials_views_are_refused_to_those_who_may_not_see_them(app, comp):
    anon = app.test_client()
    for audience in ("chief", "organizer"):
        r = anon.get(f"/api/v1/competitions/{SLUG}/standings?audience={audience}")
        assert r.status_code == 403 and r.json["error"]["status"] == 403
    chief = _client_for(app, "chief")
    assert chief.get(f"/api/v1/competitions/{SLUG}/standings?audience=organizer").status_code == 403
    assert anon.get(f"/api/v1/competitions/{SLUG}/standings?audience=nobody").status_code == 400


def test_names_appear_on_public_boards_only_after_the_draw_map_is_revealed(app, comp):
    engine, cid = comp
    anon = app.test_client()
    people = names(engine, cid)
    html = anon.get(f"/board/{SLUG}").get_data(as_text=True)
    assert not any(n in html for n in people)
    reveal_draw(engine, cid)
    payload = anon.get(f"/api/v1/competitions/{SLUG}/standings").json
    rows = list(_rows(payload).values())
    assert payload["view"]["names"] and all(r["name"] in people for r in rows)
    assert all("id_number" not in r and "phone" not in r for r in rows)


def test_a_frozen_board_never_shows_marks_entered_after_the_freeze_even_after_many(app, comp):
    engine, cid = comp
    anon = app.test_client()
    _set_state(engine, cid, "frozen")
    frozen = anon.get(f"/api/v1/competitions/{SLUG}/standings").json
    for mark in theory_marks(engine, cid)[:5]:
        correct_theory(engine, cid, mark.contestant_id, "100")
    later = anon.get(f"/api/v1/competitions/{SLUG}/standings").json
    assert later["groups"] == frozen["groups"] and later["updated_at"] == frozen["updated_at"]
    _set_state(engine, cid, "live")
    live = anon.get(f"/api/v1/competitions/{SLUG}/standings").json
    assert live["groups"] != frozen["groups"]
