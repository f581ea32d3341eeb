"""A push is framed once per room and the same bytes go to every board of the room
(scoring/live_frames.py): the shortcut is taken with the pinned libraries, and when it cannot be
(wsproto without the attribute it reads, a connection that negotiated deflate) every board still
gets every push, whole and correct, through simple-websocket's own path."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from importlib.metadata import version
from pathlib import Path

import pytest
import websockets
from live_helpers import correct_theory, draw_code, raw_connect, raw_receive, theory_marks

from scoring import live_frames

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"
MARKS = 3


def _pushes(got: list[dict]) -> list[dict]:
    return [m for m in got if m["kind"] != "snapshot" or m["base"] is not None]


def _watch(live_server, comp, langs=("zh_Hans_CN",) * 4) -> tuple[dict, dict, list]:
    """Raw WebSocket boards (one per entry of ``langs``, childcare group) through ``MARKS`` separate
    pushes. Returns ({(lang, i): messages}, {draw code: theory shown after its mark}, the
    Sec-WebSocket-Extensions each board's handshake answered)."""
    engine, cid = comp
    url = live_server.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    boards = {(lang, i): [] for i, lang in enumerate(langs)}
    negotiated: list = []
    stop = threading.Event()

    async def board(lang, got):
        async with websockets.connect(url, ping_interval=None) as ws:  # offers permessage-deflate
            negotiated.append(ws.response.headers.get("Sec-WebSocket-Extensions"))
            await ws.recv()  # Engine.IO open
            await ws.send(raw_connect(lang))
            while not stop.is_set():
                msg = await raw_receive(ws)
                if msg is not None:
                    got.append(msg)

    async def all_boards():
        await asyncio.gather(*(board(lang, got) for (lang, _), got in boards.items()))

    runner = threading.Thread(target=lambda: asyncio.run(all_boards()), daemon=True)
    runner.start()
    deadline = time.monotonic() + 10
    while not all(boards.values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(boards.values()), "every board gets its snapshot"
    expected, receipt = {}, None
    for i, mk in enumerate(theory_marks(engine, cid)[:MARKS]):
        receipt = correct_theory(engine, cid, mk.contestant_id, str(i))
        expected[draw_code(engine, cid, mk.contestant_id)] = f"{i}.00"
        time.sleep(0.25)  # separate pushes
    while time.monotonic() < deadline + 10 and not all(
        got and got[-1]["version"] >= receipt.standings_version for got in boards.values()
    ):
        time.sleep(0.05)
    stop.set()
    runner.join(5)
    for got in boards.values():
        assert got[-1]["version"] >= receipt.standings_version, "every board reaches the last version"
    return boards, expected, negotiated


def _assert_every_push_whole_and_correct(boards: dict, expected: dict) -> None:
    """Boards of one room got the same pushes, and each mark's new value reached them."""
    rooms: dict[str, list] = {}
    for (lang, _), got in boards.items():
        rooms.setdefault(lang, []).append(_pushes(got))
    for pushes in rooms.values():
        assert len(pushes[0]) >= 1
        assert all(p == pushes[0] for p in pushes)
        shown = {r["code"]: r["stages"]["theory"] for msg in pushes[0] for g in msg["groups"] for r in g["rows"]}
        assert {code: shown.get(code) for code in expected} == expected


def _pinned(name: str) -> str:
    found = re.search(rf"^{re.escape(name)}==([^\s;\\]+)", LOCK.read_text(), re.MULTILINE | re.IGNORECASE)
    assert found, f"{name} is not pinned in requirements.lock"
    return found.group(1)


@pytest.mark.slow
def test_the_pinned_libraries_take_the_shortcut(comp, live_server):
    assert version("wsproto") == _pinned("wsproto")
    assert version("simple-websocket") == _pinned("simple-websocket")
    before = live_frames.stats.reused
    boards, expected, negotiated = _watch(live_server, comp)
    assert negotiated == [None] * 4, "deflate is refused (live_frames.NoDeflate)"
    _assert_every_push_whole_and_correct(boards, expected)
    pushes = len(_pushes(next(iter(boards.values()))))
    # one room of four boards: every push is built once and written three more times unchanged
    assert live_frames.stats.reused - before >= 3 * pushes


@pytest.mark.slow
def test_boards_in_two_languages_get_every_push_whole(comp, live_server):
    """Boards of the same room get identical pushes, boards of another room (English) get their
    own, and every frame is a whole, parseable message."""
    boards, expected, _ = _watch(live_server, comp, langs=("zh_Hans_CN", "zh_Hans_CN", "en", "en"))
    _assert_every_push_whole_and_correct(boards, expected)
    zh0, en0 = boards[("zh_Hans_CN", 0)], boards[("en", 2)]
    assert json.dumps(zh0[0], ensure_ascii=False) != json.dumps(en0[0], ensure_ascii=False)


class _WithoutExtensions:
    """wsproto's frame protocol as a later wsproto might have it: no ``extensions`` attribute."""

    def __init__(self, proto) -> None:
        object.__setattr__(self, "_inner", proto)

    def __getattr__(self, name: str):
        if name == "extensions":
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self._inner, name, value)


@pytest.mark.slow
def test_without_the_private_attribute_pushes_go_the_normal_way(comp, live_server, monkeypatch):
    from wsproto.connection import Connection

    made = Connection.__init__

    def init(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self._proto = _WithoutExtensions(self._proto)

    monkeypatch.setattr(Connection, "__init__", init)
    before = live_frames.stats.reused, live_frames.stats.built
    boards, expected, _ = _watch(live_server, comp)
    _assert_every_push_whole_and_correct(boards, expected)
    assert (live_frames.stats.reused, live_frames.stats.built) == before, "the shortcut is not taken"


@pytest.mark.slow
def test_a_board_that_negotiated_deflate_gets_every_push_the_normal_way(comp, live_server, monkeypatch):
    from scoring.live_frames import NoDeflate as _NoDeflate

    # a deployment where deflate is not refused: the boards' offer is accepted
    monkeypatch.setattr(
        _NoDeflate, "__call__", lambda self, environ, start_response: self.wsgi_app(environ, start_response)
    )
    before = live_frames.stats.reused, live_frames.stats.built
    boards, expected, negotiated = _watch(live_server, comp)
    assert all(ext and "permessage-deflate" in ext for ext in negotiated)
    _assert_every_push_whole_and_correct(boards, expected)
    assert (live_frames.stats.reused, live_frames.stats.built) == before, "the shortcut is not taken"


@pytest.mark.parametrize(("client", "text", "plain"), [(False, "42[]", True), (True, "42[]", False)])
def test_only_plain_server_text_frames_are_reused(client, text, plain):
    from wsproto.frame_protocol import FrameProtocol

    frame = bytes(FrameProtocol(client=client, extensions=[]).send_data(text, True))
    assert live_frames.reusable(frame) is plain
    assert not live_frames.reusable(bytes(FrameProtocol(client=False, extensions=[]).send_data(text, False)))
