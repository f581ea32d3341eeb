"""The judge simulator moves a live board: while the demo's judges mark through the marks API,
a public board connected over Socket.IO receives push after push, and its last push shows every
contestant complete."""

from __future__ import annotations

import threading
import time

import pytest
from live_helpers import SLUG, engine_of

from scoring import demo_simulation as sim
from scoring.demo import build_demo

pytestmark = pytest.mark.slow  # a real server, a real socket client, ~5,000 marks over about 20 s


def test_a_board_receives_pushes_while_the_judges_are_simulated(app, live_server, board_client):
    engine = engine_of(app)
    build_demo(engine)  # the demo as a newcomer gets it: part of the practical marks missing
    board = board_client(group="childcare")
    board.wait(lambda b: b.messages)
    first = board.messages[0]
    assert first["kind"] == "snapshot"
    incomplete = [r for r in first["groups"][0]["rows"] if r.get("rank") in (None, "")]
    assert incomplete, "the demo starts with contestants still missing practical marks"

    arrivals: list[float] = []
    done = threading.Event()
    result: list[sim.Simulation] = []

    def simulate():
        result.append(sim.run(engine, SLUG, live_server, app.config["SECRET_KEY"], seconds=20))
        done.set()

    count = len(board.messages)
    worker = threading.Thread(target=simulate, daemon=True)
    start = time.monotonic()
    worker.start()
    while not done.wait(0.2):
        if len(board.messages) > count:
            arrivals.extend([time.monotonic() - start] * (len(board.messages) - count))
            count = len(board.messages)
    assert result[0].state == "done", result[0].error
    assert len(arrivals) >= 10, arrivals  # pushes all along the run, not one at the end
    assert arrivals[0] < 10 and arrivals[-1] - arrivals[0] > 5
    versions = [msg["version"] for msg in board.messages]
    assert versions == sorted(versions)
    board.wait(lambda b: all(r.get("rank") not in (None, "") for r in _rows(b)), timeout=15)


def _rows(board) -> list[dict]:
    """The board's childcare rows after the last push (a snapshot, then deltas of changed rows)."""
    rows: dict[str, dict] = {}
    for msg in board.messages:
        if msg["kind"] == "snapshot":
            rows = {}
        for g in msg["groups"]:
            for r in g.get("rows", []):
                rows[r["code"]] = r
    return list(rows.values())
