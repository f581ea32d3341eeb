"""Who may join which room, what an embargoed or frozen board can learn from versions, and who
may add screens: real python-socketio clients against a live server, real SQLite."""

from __future__ import annotations

import threading
import time

import pytest
import socketio
from live_helpers import SLUG, BoardClient, correct_theory, login, pushes_settled, session_cookie_header, theory_marks
from sqlmodel import func, select

from scoring import models as m
from scoring.db import reading

# real Socket.IO clients against a live server, like the other live-board tests: the full tier, not the inner loop
pytestmark = pytest.mark.slow
OTHER = "other-2025"


@pytest.fixture
def other(app, comp):
    """A second competition and an organizer account limited to it ("other-organizer")."""
    from scoring.demo_data import childcare_document
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    engine, _cid = comp
    raw = childcare_document(marks="none")
    raw["competition"]["slug"] = OTHER
    cid = import_document(engine, raw, actor="test")
    create_user(engine, "other-organizer", "correct-horse-1", role="organizer", competition_id=cid)
    return cid


def _refused_connect(url: str, headers: dict | None = None, **kw) -> bool:
    client = socketio.Client(reconnection=False)
    kw["headers"] = dict(headers or {})  # a copy: the engine.io client takes the Cookie out of the dict
    kw.setdefault("transports", ["polling"])  # a refused WebSocket waits 3 s for the client's close handshake
    try:
        client.connect(url, wait_timeout=10, **kw)
    except socketio.exceptions.ConnectionError:
        return True
    # a polling client's disconnect waits for its open long-poll (up to 25 s): not for this test
    threading.Thread(target=client.disconnect, daemon=True).start()
    return False


def test_an_organizer_of_another_competition_cannot_join_its_organizer_rooms(app, comp, other, live_server):
    client = app.test_client()
    login(client, "other-organizer")
    cookie = session_cookie_header(client)
    assert _refused_connect(live_server, auth={"competition": SLUG, "audience": "organizer"}, headers=cookie)
    assert _refused_connect(live_server, auth={"competition": SLUG, "audience": "chief"}, headers=cookie)
    assert _refused_connect(live_server, auth={"slug": SLUG}, headers=cookie, namespaces=["/judging"])
    # ... while its own competition's rooms, and A's public board, are open to it
    own = BoardClient(live_server, slug=OTHER, audience="organizer", headers=cookie)
    public = BoardClient(live_server, audience="public", headers=cookie)
    try:
        own.wait(lambda b: b.messages)
        public.wait(lambda b: b.messages)
        assert own.messages[0]["view"]["names"] is True
    finally:
        own.close()
        public.close()
    assert not _refused_connect(live_server, auth={"slug": OTHER}, headers=cookie, namespaces=["/judging"])


def test_a_chief_judges_account_watches_without_names_before_the_reveal(app, comp, live_server):
    client = app.test_client()
    login(client, "chief")
    board = BoardClient(live_server, audience="chief", headers=session_cookie_header(client))
    try:
        board.wait(lambda b: b.messages)
        snap = board.messages[0]
        assert snap["view"]["names"] is False
        assert all("name" not in r for g in snap["groups"] for r in g["rows"])
        assert all(f["contestant"].startswith(("TY-", "MF-", "YY-")) for f in snap["flags"]), snap["flags"][:3]
    finally:
        board.close()
    assert _refused_connect(
        live_server, auth={"competition": SLUG, "audience": "organizer"}, headers=session_cookie_header(client)
    )


def _public_version(client) -> int:
    return client.get(f"/api/v1/competitions/{SLUG}/standings").json["version"]


@pytest.mark.parametrize("state", ["embargoed", "frozen"])
def test_marks_during_an_embargo_or_freeze_move_no_public_version_and_push_nothing(app, comp, board_client, state):
    """Boards compare versions to find gaps: a version that moved with each mark would tell an
    embargoed or frozen board that marks are coming in. Lifting the state moves it forward."""
    from scoring.services import live_admin

    engine, cid = comp
    anon = app.test_client()
    live = _public_version(anon)
    live_admin.set_visibility(engine, cid, state, "test")
    held = _public_version(anon)
    assert held > live, "the state change itself is something the public sees"
    public = board_client(audience="public")
    official = board_client(audience="organizer", headers=session_cookie_header(_signed_in(app, "organizer")))
    public.wait(lambda b: b.messages)
    official.wait(lambda b: b.messages)
    assert public.version == held
    pushes_settled()  # the state change's own push round may reach the new boards after their snapshots
    seen = len(public.messages)
    last = None
    for mark in theory_marks(engine, cid)[:4]:
        last = correct_theory(engine, cid, mark.contestant_id, "1")
    official.wait(lambda b: b.version >= last.standings_version)  # the push round has run
    time.sleep(0.3)
    assert _public_version(anon) == held
    assert len(public.messages) == seen, [(x["kind"], x["version"]) for x in public.messages[seen:]]
    live_admin.set_visibility(engine, cid, "live", "test")
    after = _public_version(anon)
    assert after > last.standings_version > held
    public.wait(lambda b: b.version == after)


def _signed_in(app, username):
    client = app.test_client()
    login(client, username)
    return client


def _screens(engine, cid) -> int:
    with reading(engine) as s:
        return s.exec(select(func.count()).select_from(m.Screen).where(m.Screen.competition_id == cid)).one()


def test_an_anonymous_board_with_an_unknown_screen_name_creates_nothing(app, comp, board_client):
    engine, cid = comp
    anon = app.test_client()
    for i in range(200):
        r = anon.get(f"/board/{SLUG}?screen=x{i}")
        assert r.status_code == 200
    assert _screens(engine, cid) == 0
    page = anon.get(f"/board/{SLUG}?screen=hall-9&lang=en").get_data(as_text=True)
    assert "not on the organizer&#39;s list" in page or "not on the organizer's list" in page
    board = board_client(screen="hall-9")
    board.wait(lambda b: b.messages)
    time.sleep(0.2)
    assert board.screens == [] and _screens(engine, cid) == 0


def test_the_organizer_adds_screens_up_to_a_bound(app, comp):
    from scoring.services.live_admin import MAX_SCREENS

    engine, cid = comp
    organizer = _signed_in(app, "organizer")
    page = organizer.get(f"/board/{SLUG}?screen=stage-left").get_data(as_text=True)  # signed in on this browser
    assert "stage-left" in page and _screens(engine, cid) == 1
    for i in range(MAX_SCREENS - 1):
        assert organizer.post(f"/screens/{SLUG}/screens", data={"name": f"tv-{i}"}).status_code == 302
    r = organizer.post(
        f"/screens/{SLUG}/screens", data={"name": "one-too-many"}, headers={"Accept": "application/json"}
    )
    assert r.status_code == 409 and str(MAX_SCREENS) in r.json["error"]["message"]
    assert _screens(engine, cid) == MAX_SCREENS
    assert organizer.post(f"/screens/{SLUG}/screen/tv-0/remove").status_code == 302
    assert _screens(engine, cid) == MAX_SCREENS - 1
    chief = _signed_in(app, "chief")
    assert chief.post(f"/screens/{SLUG}/screens", data={"name": "chiefs"}).status_code == 403
    assert _screens(engine, cid) == MAX_SCREENS - 1
