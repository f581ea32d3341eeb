"""The window cuts of scoring/live_window.py on plain payloads: what a window holds, how a push
shrinks to the rows that changed, and which requests are refused."""

from __future__ import annotations

import pytest

from scoring.live_window import LATEST_MAX, Window, latest_changes, parse_window, window_cut, window_message


def _row(i: int, rank: int | None = None, total: str = "50.00", **extra) -> dict:
    return {"code": f"NA-{i:05d}", "label": f"NA-{i:05d}", "rank": str(rank or i), "total": total,
            "stages": {"theory": total}, "awards": [], "tied": False, **extra}  # fmt: skip


def _payload(rows: list[dict], version: int = 1) -> dict:
    return {"version": version, "state": "live", "view": {"standings": True, "names": False}, "stages": [],
            "team_standings": [], "groups": [{"code": "g", "name": "G", "rows": rows}]}  # fmt: skip


def test_a_window_holds_its_rows_the_leaders_and_the_counts():
    rows = [_row(i, session="P1" if i % 2 else "P2") for i in range(1, 501)]
    cut = window_cut(_payload(rows), Window("g", 40, 10))
    g = cut["groups"][0]
    assert [r["code"] for r in g["rows"]] == [r["code"] for r in rows[40:50]]
    assert g["count"] == 500 and g["start"] == 40 and g["leaders"] == rows[:3]
    assert cut["index"] == [{"code": "g", "name": "G", "count": 500}]
    seated = window_cut(_payload(rows), Window("g", 0, 5, session="P1"))
    assert [r["session"] for r in seated["groups"][0]["rows"]] == ["P1"] * 5
    assert seated["index"][0]["count"] == 250
    assert window_cut(_payload(rows), Window("nope", 0, 5))["groups"] == []


def test_a_phone_follows_a_row_by_what_the_payload_shows_of_it():
    rows = [_row(i) for i in range(1, 301)]
    rows[200]["name"] = "张三"
    by_code = window_cut(_payload(rows), Window("g", follow="NA-00100"))["groups"][0]
    assert [r["code"] for r in by_code["rows"]] == ["NA-00100"] and by_code["start"] == 99
    assert window_cut(_payload(rows), Window("g", follow="张三"))["groups"][0]["rows"] == [rows[200]]
    assert window_cut(_payload(rows), Window("g", follow="N00100"))["groups"][0]["rows"] == []  # not shown: not found


def test_a_push_carries_entering_rows_whole_moved_rows_as_patches_and_the_round_s_changes():
    rows = [_row(i) for i in range(1, 301)]
    before = _payload(rows)
    last = window_cut(before, Window("g", 10, 5))
    climber = {**rows[-1], "rank": "1", "total": "99.00", "stages": {"theory": "99.00"}}
    moved = [climber] + [{**r, "rank": str(int(r["rank"]) + 1)} for r in rows[:-1]]
    after = _payload(moved, version=2)
    latest = latest_changes(before, after)["g"]
    assert [x["row"]["code"] for x in latest] == [climber["code"]] and latest[0]["before"] == "300"
    msg = window_message((1, last), window_cut(after, Window("g", 10, 5), latest))
    part = msg["groups"][0]
    assert msg["kind"] == "delta" and msg["base"] == 1 and msg["version"] == 2
    assert [r["code"] for r in part["rows"]] == ["NA-00010"]  # shifted in from the page above
    assert all(set(p) == {"code", "rank"} for p in part["patch"])  # the others only moved
    assert part["order"] == [r["code"] for r in moved[10:15]]
    assert part["leaders"][0] == climber and msg["latest"] == latest
    assert window_message((2, window_cut(after, Window("g", 10, 5))), window_cut(after, Window("g", 10, 5))) is None
    many = _payload([{**r, "total": "1.00"} for r in rows], version=3)
    assert len(latest_changes(before, many)["g"]) == LATEST_MAX


def test_a_new_frame_is_a_snapshot():
    rows = [_row(i) for i in range(1, 301)]
    last = window_cut(_payload(rows), Window("g", 0, 5))
    frozen = {**_payload(rows, version=2), "state": "frozen"}
    assert window_message((1, last), window_cut(frozen, Window("g", 0, 5)))["kind"] == "snapshot"


@pytest.mark.parametrize(
    "raw",
    [None, "page 2", [], {"group": ""}, {"group": "g", "size": 41}, {"group": "g", "start": -1},
     {"group": "g", "start": "1e3"}, {"group": "g", "start": 1.5}, {"group": "g", "size": True},
     {"group": "a|b"}, {"group": "g" * 61}, {"group": "g", "follow": "x\x00"}, {"group": "g", "session": 5}],
)  # fmt: skip
def test_a_window_request_is_strict(raw):
    assert parse_window(raw) is None


def test_a_window_request_that_is_one():
    assert parse_window({"group": "g", "start": "20", "size": 20}) == Window("g", 20, 20)
    assert parse_window({"group": "g", "follow": "NA-1", "size": 20}) == Window("g", 0, 0, follow="NA-1")
