"""Boards under gevent with two greenlets each (scoring/live_sockets.py): the handler reads the
socket itself, a ping is a timer. Unit checks on a gevent Socket.IO server in this process, then
the production server for real (``scoring serve``: gunicorn, one gevent worker): raw WebSocket
boards and a polling board that upgrades get their snapshot and every push, answer pings, and
boards that go away (closing cleanly or dropping the connection) leave the others served."""

from __future__ import annotations

import asyncio
import threading
import time
from decimal import Decimal

import pytest
from live_helpers import BoardClient, raw_connect, raw_receive
from test_live_uploads import _judge, post_mark, production  # noqa: F401  (the server fixture)

from scoring import live_sockets


def _gevent_server():
    import socketio

    return socketio.Server(async_mode="gevent")


def test_a_gevent_server_reads_inline_and_leaves_the_shared_driver_table_alone():
    from engineio.async_drivers import gevent as driver

    server = _gevent_server()
    assert live_sockets.lean_sockets(server) == "inline reads, timer pings, direct sends"
    assert server.eio._async["websocket"] is live_sockets.InlineWebSocket
    assert driver._async["websocket"] is not live_sockets.InlineWebSocket  # other servers keep theirs
    assert live_sockets.lean_sockets(server) == "inline reads, timer pings, direct sends"  # twice: the same


def test_a_threading_server_is_left_as_it_is():
    import socketio

    server = socketio.Server(async_mode="threading")
    before = dict(server.eio._async)
    assert live_sockets.lean_sockets(server) == live_sockets.UNCHANGED
    assert server.eio._async == before


def test_a_ping_is_a_timer_that_sends_when_due_and_only_after_a_pong():
    import gevent
    from engineio import packet
    from engineio.socket import Socket

    server = _gevent_server()
    live_sockets.lean_sockets(server)
    server.eio.ping_interval = 0.05
    sock = Socket(server.eio, "sid-1")
    sock.schedule_ping()  # as engine.io does on connect and on every pong
    assert sock.last_ping is None
    sock.schedule_ping()  # no second timer while the first ping is not answered
    gevent.sleep(0.2)
    sent = []
    while not sock.queue.empty():
        sent.append(sock.queue.get_nowait().packet_type)
    assert sent == [packet.PING]
    assert sock.last_ping is not None  # the pong timeout runs from here, as before
    sock.closed = True
    sock.schedule_ping()
    gevent.sleep(0.2)
    assert sock.queue.empty(), "a closed socket gets no ping"


def _raw_boards(base: str, n: int, stop: threading.Event, got: dict, pings: list) -> threading.Thread:
    """``n`` raw WebSocket boards (no client library), each answering Engine.IO pings; board 0
    closes cleanly and board 1 drops its connection once every board has its snapshot."""
    import websockets

    url = base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"

    async def board(i):
        ws = await websockets.connect(url, ping_interval=None)
        await ws.recv()  # Engine.IO open
        await ws.send(raw_connect())
        pong = await ws.ping()  # a WebSocket-level ping: answered by the reading handler
        await asyncio.wait_for(pong, 10)
        pings.append(i)
        while not stop.is_set():
            if i < 2 and all(got[k] for k in got):
                if i == 0:
                    await ws.close()
                else:
                    ws.transport.abort()
                return
            msg = await raw_receive(ws)
            if msg is not None:
                got[i].append(msg)
        await ws.close()

    async def all_boards():
        await asyncio.gather(*(board(i) for i in range(n)))

    runner = threading.Thread(target=lambda: asyncio.run(all_boards()), daemon=True)
    runner.start()
    return runner


@pytest.mark.slow
def test_boards_on_the_production_server_get_every_push_and_boards_that_leave_do_not_matter(production):  # noqa: F811
    base = production["base"]
    stop, pings = threading.Event(), []
    got: dict[int, list] = {i: [] for i in range(5)}
    runner = _raw_boards(base, 5, stop, got, pings)
    polling = BoardClient(base, group="childcare")  # long-polling first, then the WebSocket upgrade
    try:
        deadline = time.monotonic() + 20
        while not (all(got.values()) and polling.messages) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(got.values()) and polling.messages, "every board gets its snapshot"
        assert sorted(pings) == list(range(5))
        time.sleep(0.5)  # boards 0 and 1 are gone
        judge = _judge(base, production["judge"])
        mark = production["mark"]
        version = mark.version
        for step in (1, 2):
            r = post_mark(judge, base, production["label"], mark.value - Decimal(step), version)
            version, standings = r.json()["version"], r.json()["standings_version"]
            time.sleep(0.3)  # separate pushes
        polling.wait(lambda c: c.version >= standings, timeout=20)
        while time.monotonic() < deadline + 20 and not all(
            got[i] and got[i][-1]["version"] >= standings for i in (2, 3, 4)
        ):
            time.sleep(0.05)
        for i in (2, 3, 4):
            assert got[i][-1]["version"] >= standings, f"board {i} reaches the last version"
            assert len(got[i]) > 1, "pushes after the snapshot"
    finally:
        stop.set()
        runner.join(10)
        polling.close()


class _EngineIOSocket:
    """What ``direct_send`` reads of engine.io's Socket: its queue, state and the inline WebSocket."""

    def __init__(self, inline) -> None:  # noqa: ANN001
        import gevent.queue

        self.queue = gevent.queue.JoinableQueue()
        self.upgraded, self.closing, self.closed = True, False, False
        self._scoring_inline, self._scoring_polling = inline, True  # the writer waits in poll

    def check_ping_timeout(self) -> bool:
        return True


def _frames(data: bytes) -> list[str]:
    """The texts of the unmasked server frames in ``data`` (RFC 6455 framing)."""
    out, i = [], 0
    while i < len(data):
        assert data[i] == 0x81, "a whole text frame"
        n, i = data[i + 1] & 0x7F, i + 2
        if n == 126:
            n, i = int.from_bytes(data[i : i + 2], "big"), i + 2
        elif n == 127:
            n, i = int.from_bytes(data[i : i + 8], "big"), i + 8
        out.append(data[i : i + n].decode())
        i += n
    return out


def test_a_board_that_stops_reading_gets_every_push_whole_and_in_order_after_direct_writes():
    """Pushes are written by the emitting greenlet while the board's buffer takes them; the rest of a
    frame the socket took only in part, and every later push, wait in the queue in order."""
    import base64
    import socket as std_socket

    import gevent
    import gevent.socket
    import simple_websocket
    from engineio import packet

    from scoring import live_frames

    live_frames.frame_pushes_once()
    server_end, board_end = gevent.socket.socketpair()
    server_end.setsockopt(std_socket.SOL_SOCKET, std_socket.SO_SNDBUF, 4096)
    board_end.setsockopt(std_socket.SOL_SOCKET, std_socket.SO_RCVBUF, 4096)
    environ = {
        "gunicorn.socket": server_end,
        "HTTP_HOST": "board",
        "HTTP_UPGRADE": "websocket",
        "HTTP_CONNECTION": "Upgrade",
        "HTTP_SEC_WEBSOCKET_KEY": base64.b64encode(b"0123456789abcdef").decode(),
        "HTTP_SEC_WEBSOCKET_VERSION": "13",
    }
    inline = live_sockets.InlineWebSocket(None, None)
    inline.ws = simple_websocket.Server(
        environ, thread_class=live_sockets._NeverStarted, event_class=live_sockets._NoWaiter
    )
    handshake = b""
    while b"\r\n\r\n" not in handshake:
        handshake += board_end.recv(4096)
    received = handshake.split(b"\r\n\r\n", 1)[1]
    sock = _EngineIOSocket(inline)
    texts = [f"push {i} " + "武" * 3000 for i in range(12)]  # about 9 KB each, more than the buffers hold
    before = (live_frames.stats.direct, live_frames.stats.tails)
    queued, read_some = 0, False
    for text in texts:
        pkt = packet.Packet(packet.MESSAGE, text)
        if not live_sockets.direct_send(sock, pkt):
            sock.queue.put(pkt)  # what engine.io's send does
            queued += 1
        if live_frames.stats.tails > before[1] and not read_some:
            received += board_end.recv(8192)  # the board reads a little: its buffer has room again
            read_some = True
    assert live_frames.stats.direct > before[0], "the first pushes are written at once"
    assert live_frames.stats.tails > before[1] and queued, "a full buffer sends the rest through the writer"

    def read_all() -> bytes:
        data = received
        while len(_frames_or_partial(data)) < len(texts):
            data += board_end.recv(65536)
        return data

    with gevent.Timeout(10, AssertionError("the board gets its pushes (garbled frames never add up)")):
        reader = gevent.spawn(read_all)
        while not sock.queue.empty():  # engine.io's writer: ws.send(pkt.encode()) for each queued packet
            inline.send(sock.queue.get().encode())
        data = reader.get()
    assert _frames(data) == ["4" + t for t in texts], "every push whole, none overtaking another"


def _frames_or_partial(data: bytes) -> list[str]:
    """The whole frames at the start of ``data`` (the rest may not have arrived)."""
    whole, i = [], 0
    while i + 2 <= len(data):
        n, head = data[i + 1] & 0x7F, 2
        if n == 126:
            if i + 4 > len(data):
                break
            n, head = int.from_bytes(data[i + 2 : i + 4], "big"), 4
        if i + head + n > len(data):
            break
        whole.append(data[i : i + head + n])
        i += head + n
    return whole


def test_a_push_to_a_board_that_stopped_answering_pings_is_dropped_not_queued_or_raised():
    """engine.io's own send drops a packet once the ping timeout closed the board (a second check
    would raise and end the push for every board after it)."""
    from engineio import packet

    class _Gone(_EngineIOSocket):
        def check_ping_timeout(self) -> bool:
            return False

    class _Inline:
        ws = type("ws", (), {"sock": type("sock", (), {"_sock": object()})()})()

    sock = _Gone(_Inline())
    assert live_sockets.direct_send(sock, packet.Packet(packet.MESSAGE, "x")) is True
    assert sock.queue.empty()
