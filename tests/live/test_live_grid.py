"""The chief judge's grid push (scoring.live_grid): a burst of marks is one push, sent after the
last of them; other changes are pushed at once."""

from __future__ import annotations

import time

from scoring import live_grid
from scoring.extensions import socketio


def _pushes(monkeypatch) -> list:
    sent: list = []
    monkeypatch.setattr(socketio, "emit", lambda event, data, **kw: sent.append((event, data, kw["to"])))
    return sent


def test_a_burst_of_marks_is_one_push_after_the_last_of_them(app, monkeypatch):
    sent = _pushes(monkeypatch)
    monkeypatch.setattr(live_grid, "MARK_PUSH_DELAY", 0.2)
    for _ in range(20):
        live_grid.grid_changed(7, what="mark")
    assert sent == []  # nothing yet: the push waits for the marks right behind the first
    deadline = time.monotonic() + 5
    while not sent and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    assert sent == [("progress", {"competition": 7, "what": "mark"}, "chief-7")]
    live_grid.grid_changed(7, what="mark")  # a mark after that push: a push of its own
    deadline = time.monotonic() + 5
    while len(sent) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(sent) == 2


def test_a_sign_off_or_a_flag_is_pushed_at_once(app, monkeypatch):
    sent = _pushes(monkeypatch)
    live_grid.grid_changed(8, what="flag")
    assert sent == [("progress", {"competition": 8, "what": "flag"}, "chief-8")]
