"""Boards at national scale (issue 14, item 4): in a group of 10,000 contestants a board gets its
page, the leaders and the changed rows, a phone the leaders and the row it follows; a push stays
under 8 KB while a corrected mark moves one contestant past thousands; and the one visibility
policy still decides what any of them sees (embargo, freeze, anonymous codes)."""

from __future__ import annotations

import json
import time

import pytest
from live_helpers import correct_theory, pushes_settled, reveal_draw
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.demo_national import SLUG

SIZE = 10_000
PUSH_LIMIT = 8 * 1024


@pytest.fixture
def sqlite_url(national_url):
    return national_url


def _bytes(msg: dict) -> int:
    """A message as the server writes it (scoring.live_frames.Utf8Json: UTF-8, no escapes)."""
    return len(json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode())


def _rows(engine, cid, audience="public") -> list[dict]:
    from scoring.services.results import visible_standings

    return visible_standings(engine, cid, audience, "zh_Hans_CN")["groups"][0]["rows"]


def _contestant(engine, cid, label: str) -> int:
    with reading(engine) as s:
        return s.exec(
            select(m.DrawEntry.contestant_id).where(m.DrawEntry.competition_id == cid, m.DrawEntry.code == label)
        ).one()


def _apply(state: dict, msg: dict) -> dict:
    """What board.js does with a window message: a snapshot replaces, a delta patches the page."""
    if msg["kind"] == "snapshot":
        return json.loads(json.dumps(msg))
    for d in msg["groups"]:
        g = state["groups"][0]
        by = {r["code"]: r for r in g["rows"]}
        by.update({r["code"]: r for r in d.get("rows", [])})
        for p in d.get("patch", []):
            by[p["code"]] = {**by[p["code"]], **p}
        order = d.get("order", [r["code"] for r in g["rows"]])
        g["rows"] = [by[c] for c in order]
        for key in ("count", "start", "leaders"):
            if key in d:
                g[key] = d[key]
    state["version"] = msg["version"]
    return state


def test_a_board_of_10000_gets_its_page_the_leaders_and_the_changed_row_under_8_kb(national, board_client):
    engine, cid, _rows0 = national
    rows = _rows(engine, cid)
    assert len(rows) == SIZE
    board = board_client(slug=SLUG, window={"group": "childcare", "start": 100, "size": 20})
    board.wait(lambda b: b.messages)
    snap = board.messages[0]
    g = snap["groups"][0]
    assert snap["kind"] == "snapshot" and g["count"] == SIZE and g["start"] == 100
    assert [r["code"] for r in g["rows"]] == [r["code"] for r in rows[100:120]]
    assert [r["code"] for r in g["leaders"]] == [r["code"] for r in rows[:3]]
    assert snap["index"] == [{"code": "childcare", "name": "托育", "count": SIZE}]
    assert _bytes(snap) < PUSH_LIMIT, _bytes(snap)

    # the last of 10,000 jumps to the top: every row between shifts down one place
    last = rows[-1]["code"]
    receipt = correct_theory(engine, cid, _contestant(engine, cid, last), "100")
    board.wait(lambda b: b.version >= receipt.standings_version)
    push = board.messages[-1]
    assert push["kind"] == "delta"
    assert _bytes(push) < PUSH_LIMIT, _bytes(push)
    assert [x["row"]["code"] for x in push["latest"]] == [last]  # the changed row, for the strip
    assert push["latest"][0]["row"]["total"] == "100.00" and push["latest"][0]["before"] == rows[-1]["rank"]
    assert push["groups"][0]["leaders"][0]["code"] == last
    # what the board holds after the push is exactly its page of the new standings
    now = _rows(engine, cid)
    state = _apply(snap, push)
    shown = state["groups"][0]["rows"]
    assert [(r["code"], r["rank"]) for r in shown] == [(r["code"], r["rank"]) for r in now[100:120]]
    assert shown == now[100:120]

    # turning the page: the next window, over the socket
    board.sio.emit("window", {"group": "childcare", "start": 120, "size": 20})
    board.wait(lambda b: b.messages[-1]["kind"] == "snapshot" and b.messages[-1]["groups"][0]["start"] == 120)
    assert board.messages[-1]["groups"][0]["rows"] == now[120:140]


def test_a_phone_gets_the_leaders_and_the_row_it_follows(national, board_client):
    engine, cid, _rows0 = national
    rows = _rows(engine, cid)
    followed = rows[5000]["code"]
    phone = board_client(slug=SLUG, audience="audience", window={"group": "childcare", "follow": followed})
    phone.wait(lambda b: b.messages)
    g = phone.messages[0]["groups"][0]
    assert [r["code"] for r in g["rows"]] == [followed] and g["start"] == 5000
    assert len(g["leaders"]) == 3 and g["count"] == SIZE
    assert _bytes(phone.messages[0]) < 4096
    receipt = correct_theory(engine, cid, _contestant(engine, cid, followed), "99.5")
    phone.wait(lambda b: b.version >= receipt.standings_version)
    push = phone.messages[-1]
    state = _apply(phone.messages[0], push)
    mine = state["groups"][0]["rows"][0]
    assert mine["code"] == followed and mine["total"] == "99.50" and mine["rank"] == "1"
    assert _bytes(push) < 4096


def test_the_visibility_policy_still_decides_what_a_window_shows(national, board_client):
    from scoring.services import live_admin

    engine, cid, _rows0 = national
    rows = _rows(engine, cid)
    window = {"group": "childcare", "start": 0, "size": 10}
    # before the draw map is revealed: anonymous codes, no names
    board = board_client(slug=SLUG, window=window)
    board.wait(lambda b: b.messages)
    g = board.messages[0]["groups"][0]
    assert all("name" not in r and r["code"].startswith("NA-") for r in g["rows"] + g["leaders"])
    # embargoed: nothing, and marks say nothing
    live_admin.set_visibility(engine, cid, "embargoed", "test")
    board.wait(lambda b: b.messages[-1]["view"]["standings"] is False if "view" in b.messages[-1] else False)
    hidden = board_client(slug=SLUG, window=window)
    hidden.wait(lambda b: b.messages)
    assert hidden.messages[0]["groups"] == [] and hidden.messages[0]["view"]["standings"] is False
    pushes_settled()  # the embargo's own push round may reach the new board after its snapshot
    seen = len(hidden.messages)
    correct_theory(engine, cid, _contestant(engine, cid, rows[50]["code"]), "100")
    time.sleep(0.6)
    assert len(hidden.messages) == seen, "an embargoed board hears nothing of marks"
    # frozen: the snapshot of the freeze, whatever is marked after
    live_admin.set_visibility(engine, cid, "frozen", "test")
    frozen = board_client(slug=SLUG, window=window)
    frozen.wait(lambda b: b.messages)
    top = frozen.messages[0]["groups"][0]["leaders"]
    assert top[0]["code"] == rows[50]["code"]  # the mark made under the embargo, frozen in
    pushes_settled()  # the freeze's own push round may reach the new board after its snapshot
    seen = len(frozen.messages)
    correct_theory(engine, cid, _contestant(engine, cid, rows[60]["code"]), "100")
    time.sleep(0.6)
    assert len(frozen.messages) == seen, "a frozen board hears nothing of marks"
    # names only once the draw map is revealed
    reveal_draw(engine, cid)
    live_admin.set_visibility(engine, cid, "live", "test")
    named = board_client(slug=SLUG, window=window)
    named.wait(lambda b: b.messages)
    assert all(r.get("name") for r in named.messages[0]["groups"][0]["rows"])


def test_a_window_that_is_not_one_is_refused(national, live_server):
    import socketio

    for bad in ({"group": "childcare", "size": 500}, {"group": "", "size": 5}, {"group": "x|y"}, "page 2",
                {"group": "childcare", "start": -1}, {"group": "childcare", "start": 1.5}):  # fmt: skip
        sio = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            sio.connect(live_server, auth={"competition": SLUG, "window": bad}, wait_timeout=5)
