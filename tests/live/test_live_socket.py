"""The socket layer as a board sees it: a snapshot on connect, strictly increasing versions,
bursts coalesced with the last state delivered, screens configured remotely."""

from __future__ import annotations

import time

from live_helpers import correct_theory, draw_code, theory_marks  # noqa: F401  (tests/live/conftest.py)


def _row(payload_or_msg, label):
    for g in payload_or_msg["groups"]:
        for r in g.get("rows", []):
            if r["code"] == label:
                return r
    return None


def test_snapshot_on_connect_carries_the_version_and_only_public_rows(comp, board_client):
    engine, cid = comp
    board = board_client()
    board.wait(lambda b: b.messages)
    first = board.messages[0]
    assert first["kind"] == "snapshot"
    assert first["state"] == "live" and first["final"] is False
    assert first["version"] >= 1
    childcare = first["groups"][0]
    assert len(childcare["rows"]) == 78
    # before the draw map is revealed, a contestant is their anonymous code only
    assert all("name" not in r and r["code"] == r["label"] for r in childcare["rows"])


def test_a_committed_mark_reaches_the_board_with_a_higher_version(comp, board_client):
    engine, cid = comp
    board = board_client(group="childcare")
    board.wait(lambda b: b.messages)
    start = board.version
    mark = theory_marks(engine, cid)[5]
    label = draw_code(engine, cid, mark.contestant_id)
    receipt = correct_theory(engine, cid, mark.contestant_id, "0")
    board.wait(lambda b: b.version >= receipt.standings_version)
    assert _row(board.messages[-1], label)["stages"]["theory"] == "0.00"
    # once the room has a history, a push is a delta of the changed rows against the last push
    receipt = correct_theory(engine, cid, mark.contestant_id, "1")
    board.wait(lambda b: b.version >= receipt.standings_version)
    push = board.messages[-1]
    assert push["kind"] == "delta" and start <= push["base"] < push["version"]
    assert label in [r["code"] for g in push["groups"] for r in g["rows"]]
    assert _row(push, label)["stages"]["theory"] == "1.00"
    pushes = [msg["version"] for msg in board.messages[1:]]
    assert pushes == sorted(set(pushes)), "pushed versions must strictly increase"
    assert pushes[0] >= board.messages[0]["version"]


def test_a_burst_of_marks_is_coalesced_and_ends_with_the_last_state(comp, board_client, app):
    from scoring.live import hub

    engine, cid = comp
    board = board_client(group="childcare")
    board.wait(lambda b: b.messages)
    marks = theory_marks(engine, cid)[:12]
    pushes_before = hub.pushes
    last = None
    for i, mark in enumerate(marks):
        last = correct_theory(engine, cid, mark.contestant_id, str(10 + i))
    board.wait(lambda b: b.version >= last.standings_version)
    time.sleep(0.3)  # any stray push would arrive now
    pushed = [msg for msg in board.messages[1:]]
    assert len(pushed) < len(marks), "twelve marks in a burst must not cause twelve pushes"
    assert hub.pushes - pushes_before < len(marks)
    assert board.version == last.standings_version
    pushes = [msg["version"] for msg in pushed]
    assert pushes == sorted(set(pushes))
    # the board's state after applying every push equals the latest snapshot
    state = {r["code"]: r for r in board.messages[0]["groups"][0]["rows"]}
    for msg in pushed:
        for g in msg["groups"]:
            for r in g["rows"]:
                state[r["code"]] = r
    last_label = draw_code(engine, cid, marks[-1].contestant_id)
    assert state[last_label]["stages"]["theory"] == "21.00"


def test_pushes_are_spaced_at_least_about_100_ms_per_competition(comp, board_client):
    """Measured where the spacing is made (the server's push rounds): a board's arrival times
    over long-polling bunch up whenever one poll comes back late, so they cannot show it."""
    from scoring.live import hub

    engine, cid = comp
    board = board_client(group="hairdressing")
    board.wait(lambda b: b.messages)
    rounds = []
    plain_push = hub.push

    def observed(c, since=None):
        rounds.append(time.monotonic())
        plain_push(c, since)

    hub.push = observed
    try:
        marks = [mk for mk in theory_marks(engine, cid)][-20:]  # hairdressing contestants come last
        last = None
        for i, mark in enumerate(marks):
            last = correct_theory(engine, cid, mark.contestant_id, str(50 + i))
        board.wait(lambda b: b.version >= last.standings_version)
    finally:
        del hub.push
    gaps = [b - a for a, b in zip(rounds, rounds[1:])]
    assert len(rounds) < len(marks), "a burst of 20 marks is coalesced into fewer pushes"
    assert all(g >= 0.095 for g in gaps), gaps


def test_organizer_sets_a_screen_remotely_and_forces_a_reload(comp, board_client, client, accounts):
    from live_helpers import login

    engine, cid = comp
    login(client, "organizer")
    assert client.post("/screens/yulin-childcare-2025/screens", data={"name": "hall-1"}).status_code == 302
    screen = board_client(screen="hall-1")  # the projector: not signed in
    screen.wait(lambda b: b.screens)
    assert screen.screens[0]["name"] == "hall-1" and screen.screens[0]["theme"] == "dark"
    page = client.get("/screens/yulin-childcare-2025").get_data(as_text=True)
    assert "hall-1" in page
    r = client.post(
        "/screens/yulin-childcare-2025/screen/hall-1",
        data={"group": "hairdressing", "columns": "compact", "theme": "light"},
    )
    assert r.status_code == 302
    screen.wait(lambda b: any(s["theme"] == "light" for s in b.screens))
    assert screen.screens[-1] == {
        "name": "hall-1",
        "group": "hairdressing",
        "columns": "compact",
        "theme": "light",
        "reload": 0,
    }
    client.post("/screens/yulin-childcare-2025/screen/hall-1/reload")
    screen.wait(lambda b: b.screens[-1]["reload"] == 1)


def test_bad_screen_settings_are_refused_in_words_and_change_nothing(comp, client, accounts, board_client):
    from live_helpers import login

    login(client, "organizer")
    client.post("/screens/yulin-childcare-2025/screens", data={"name": "lobby"})
    screen = board_client(screen="lobby")
    screen.wait(lambda b: b.screens)
    r = client.post(
        "/screens/yulin-childcare-2025/screen/lobby",
        data={"group": "nope", "columns": "x", "theme": "pink"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 422
    fields = {p["field"] for p in r.json["error"]["problems"]}
    assert fields == {"group", "columns", "theme"}
    page = client.get("/screens/yulin-childcare-2025").get_data(as_text=True)
    assert 'value="dark" selected' in page
    assert (
        client.post(
            "/screens/yulin-childcare-2025/screen/no-such/reload", headers={"Accept": "application/json"}
        ).status_code
        == 404
    )


def test_only_organizers_reach_the_screen_console(comp, client, accounts):
    from live_helpers import login

    assert client.get("/screens/yulin-childcare-2025").status_code == 302  # to the sign-in page
    login(client, "chief")
    assert client.get("/screens/yulin-childcare-2025").status_code == 403
    assert client.post("/screens/yulin-childcare-2025/visibility", data={"state": "published"}).status_code == 403
