"""The chief judge's grid over Socket.IO (namespace /judging): pushes after commit, chiefs only."""

from __future__ import annotations

import queue
import threading

import pytest
import requests
import socketio
from judge_helpers import SLUG, post_mark, sheet_of, signin, unmarked


def _session(base: str, code: str) -> requests.Session:
    s = requests.Session()
    r = s.post(f"{base}/judge/c/{SLUG}/signin", data={"code": code, "pin": f"10{code[1:]}"}, allow_redirects=False)
    assert r.status_code == 302
    return s


def test_chief_gets_a_push_after_each_mark_and_judges_are_refused(app, seeded, live_server):
    events: queue.Queue = queue.Queue()
    sio = socketio.Client(http_session=_session(live_server, "J01"))
    sio.on("progress", lambda data: events.put(data), namespace="/judging")
    sio.connect(live_server, namespaces=["/judging"], auth={"slug": SLUG}, transports=["polling"], wait_timeout=10)
    try:
        judge = app.test_client()
        signin(judge, "J02")
        c = unmarked(sheet_of(judge))
        assert post_mark(judge, c["ref"], "A1.1", "4", "live-1").status_code == 201
        got = events.get(timeout=10)
        assert got["what"] == "mark"
        grid = requests.get(f"{live_server}/api/v1/judging/{SLUG}/progress", cookies=sio.eio.http.cookies).json()
        row = next(r for p in grid["panels"] for r in p["rows"] if r["ref"] == c["ref"] and "J02" in r["cells"])
        assert row["cells"]["J02"] == "partial"
    finally:
        # a polling client's disconnect waits for its open long-poll (up to 25 s): not for this test
        threading.Thread(target=sio.disconnect, daemon=True).start()
    judge_sio = socketio.Client(http_session=_session(live_server, "J02"))
    with pytest.raises(socketio.exceptions.ConnectionError):
        judge_sio.connect(
            live_server, namespaces=["/judging"], auth={"slug": SLUG}, transports=["polling"], wait_timeout=10
        )
