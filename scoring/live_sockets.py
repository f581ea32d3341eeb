"""A board's WebSocket under gevent with two greenlets instead of four.

Why: measured in the gunicorn gevent worker with 2,000 raw boards (bench/fanout.py; RSS, /proc
smaps, tracemalloc, greenlets counted through ``gc``), a board cost about 64 KB, and most of it
was four greenlets per board, each holding a heap copy of its C stack (2-3 KB for a shallow one)
and its own chunk of Python frames (a page at least) besides its objects:
- the request's handler, deep in gunicorn and the WSGI middlewares, waiting for
- simple-websocket's reader, a greenlet that only moves received frames to the handler;
- engine.io's writer, which takes packets off the socket's queue and writes them;
- engine.io's ping task, asleep for 25 of every 25 seconds.
Here the handler reads the socket itself (``InlineWebSocket``, the design engine.io already
uses with gevent-websocket), and a ping is a timer (``gevent.spawn_later``: a greenlet that gets
a stack only for the moment it sends the ping). The writer stays: a board that stops reading
must not hold up the push to the others.

What does not change: the handshake and framing are simple-websocket's and wsproto's (the same
``Server`` object, ``NoDeflate`` and ``live_frames`` apply as before), the Engine.IO protocol is
engine.io's own handler, pings go out at the same interval and a client that does not answer is
closed the same way. Only servers in gevent mode with simple-websocket (engine.io's fallback when
gevent-websocket is not installed) are changed; tests/live/test_live_sockets.py runs a gevent
server with it.
"""

from __future__ import annotations

import time

UNCHANGED = "the server is not gevent with simple-websocket: left as it is"


class _NeverStarted:
    """simple-websocket's reader "thread", never started: the handler greenlet reads instead."""

    name = "(inline reader)"

    def __init__(self, target=None) -> None:  # noqa: ANN001
        pass

    def start(self) -> None:
        pass


class _NoWaiter:
    """simple-websocket's "frame arrived" event: set by its event handling, awaited by no one."""

    def set(self) -> None:
        pass

    def clear(self) -> None:
        pass


class InlineWebSocket:
    """engine.io's WebSocket wrapper (``_websocket_wsgi.SimpleWebSocketWSGI``'s interface) whose
    ``wait`` reads the socket in the calling greenlet (the request's handler) instead of waiting
    for a reader greenlet to do it."""

    def __init__(self, handler, server) -> None:  # noqa: ANN001
        self.app = handler
        self.ws = None

    def __call__(self, environ, start_response):  # noqa: ANN001
        import simple_websocket

        self.ws = simple_websocket.Server(environ, thread_class=_NeverStarted, event_class=_NoWaiter)
        _forget_handshake(self.ws.ws)
        eio_socket = getattr(self.app, "__self__", None)  # the handler is engine.io's Socket method
        if eio_socket is not None:
            eio_socket._scoring_inline = self  # see direct_send
        try:
            ret = self.app(self)
        finally:
            if eio_socket is not None:
                eio_socket._scoring_inline = None
            self.ws.connected = False
            self.ws.sock.close()  # as simple-websocket's reader did once the connection ended
        if self.ws.mode == "gunicorn":
            raise StopIteration()
        if self.ws.mode == "werkzeug":
            raise ConnectionError()
        return ret

    def close(self) -> None:
        if self.ws.connected:
            self.ws.close()

    def send(self, message) -> None:  # noqa: ANN001
        import simple_websocket

        try:
            if type(message) is _Tail:  # the rest of a frame direct_send began
                self.ws.sock.sendall(message.data)
                return
            self.ws.send(message)
        except simple_websocket.ConnectionClosed:
            raise OSError() from None

    def wait(self):
        """The next message, or None once the connection is closed: simple-websocket's reader
        loop (``Base._thread`` without its own pings, which engine.io does not ask for), run here."""
        from wsproto.utilities import LocalProtocolError

        ws = self.ws
        while ws.connected and not ws.input_buffer:
            try:
                data = ws.sock.recv(ws.receive_bytes)
                if not data:
                    raise OSError()
                ws.ws.receive_data(data)
                ws.connected = ws._handle_events()
            except (OSError, LocalProtocolError):
                ws.connected = False
        return ws.input_buffer.pop(0) if ws.input_buffer else None


def _forget_handshake(conn) -> None:  # noqa: ANN001  (a wsproto WSConnection)
    """Drop the HTTP parser and request wsproto keeps after the handshake (about 2 KB a board):
    once the connection is open, data goes to ``conn.connection`` and the handshake object only
    hands out the events it already queued. Private attributes: left alone if they are missing."""
    handshake = getattr(conn, "handshake", None)
    if getattr(conn, "connection", None) is not None and hasattr(handshake, "_h11_connection"):
        handshake._h11_connection = None
        if hasattr(handshake, "_initiating_request"):
            handshake._initiating_request = None


def _send_ping(sock) -> None:  # noqa: ANN001  (an engineio.socket.Socket)
    """engine.io's ``Socket._send_ping`` after its sleep."""
    from engineio import packet

    if not sock.closing and not sock.closed:
        sock.last_ping = time.time()
        sock.send(packet.Packet(packet.PING))


class _Tail:
    """The end of a frame that ``direct_send`` wrote only in part, queued as a packet for engine.io's
    writer (it calls ``ws.send(pkt.encode())``): later packets queue behind it, so nothing overtakes."""

    __slots__ = ("data",)
    packet_type = None

    def __init__(self, data: bytes) -> None:
        self.data = data

    def encode(self, b64: bool = False) -> _Tail:
        return self


def direct_send(sock, pkt) -> bool:  # noqa: ANN001  (an engineio.socket.Socket and Packet)
    """Write a message packet to an idle board's socket from the emitting greenlet; False: queue it.

    Why: engine.io queues every packet for the board's writer greenlet, so a push to 2,000 boards
    was 2,000 queue hand-offs and greenlet switches before the first byte left, measured with py-spy
    as the largest share of a push (bench/fanout.py). A board whose writer is idle (nothing queued,
    the writer waiting on the queue: it holds no packet) gets the frame written at once with one
    non-blocking ``send``; what the socket does not take goes to the queue as a ``_Tail``, in order.
    So a board that stops reading never holds up the others, and packets never overtake each other.
    Only message packets: pings still pass through the queue, which is what keeps engine.io's writer
    from timing out. The writer is idle while it is inside ``Socket.poll`` (marked by ``lean_sockets``)
    with nothing queued: once ``poll`` has a packet it takes every queued one without yielding.
    Reads engine.io's ``queue``, ``upgraded`` and ``closing`` and gevent's ``socket._sock``; when one
    is missing the packet is queued as before."""
    from scoring.live_frames import frame_for, stats

    inline = sock.__dict__.get("_scoring_inline")
    if inline is None or not getattr(sock, "upgraded", False) or sock.closing or sock.closed:
        return False
    queue = sock.queue
    if queue.qsize() or not sock.__dict__.get("_scoring_polling"):
        return False  # packets are queued or in the writer's hands: behind them
    ws = inline.ws
    raw = getattr(getattr(ws, "sock", None), "_sock", None)
    if raw is None:
        return False
    if not sock.check_ping_timeout():
        return True  # the board stopped answering pings and is closed: dropped, as engine.io's send does
    frame = frame_for(ws, pkt.encode())
    if frame is None:
        return False
    try:
        sent = raw.send(frame)
    except OSError:  # BlockingIOError: the board's buffer is full; or the board is gone
        return False  # queued: the writer waits for it or finds the board gone, as before
    stats.direct += 1
    if sent < len(frame):
        stats.tails += 1
        queue.put(_Tail(frame[sent:]))
    return True


def lean_sockets(server) -> str:  # noqa: ANN001  (a python-socketio Server)
    """Use ``InlineWebSocket`` and timer pings on ``server`` if it runs on gevent with
    simple-websocket; says what it did."""
    from engineio import socket as eio_socket
    from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI

    eio = getattr(server, "eio", None)
    drivers = getattr(eio, "_async", None)
    if getattr(eio, "async_mode", None) != "gevent" or not isinstance(drivers, dict):
        return UNCHANGED
    websocket = drivers.get("websocket")
    if websocket is not InlineWebSocket:
        if not (isinstance(websocket, type) and issubclass(websocket, SimpleWebSocketWSGI)):
            return UNCHANGED  # gevent-websocket's wrapper reads in the handler already
        eio._async = {**drivers, "websocket": InlineWebSocket}  # this server's copy of the driver table
    cls = eio_socket.Socket
    if not getattr(cls, "_scoring_timer_pings", False):
        plain = cls.schedule_ping

        def schedule_ping(self) -> None:  # noqa: ANN001
            if self.server._async.get("websocket") is not InlineWebSocket:  # another server: as it was
                return plain(self)
            if self.last_ping:  # engine.io's condition: the previous ping was answered
                import gevent

                self.last_ping = None
                gevent.spawn_later(self.server.ping_interval, _send_ping, self)
            return None

        cls.schedule_ping = schedule_ping
        cls._scoring_timer_pings = True
    if not getattr(cls, "_scoring_direct_sends", False):
        from engineio import packet as eio_packet

        queued_send, plain_poll = cls.send, cls.poll

        def send(self, pkt) -> None:  # noqa: ANN001
            if pkt.packet_type != eio_packet.MESSAGE or not direct_send(self, pkt):
                queued_send(self, pkt)

        def poll(self):  # noqa: ANN001, ANN202
            self._scoring_polling = True
            try:
                return plain_poll(self)
            finally:
                self._scoring_polling = False

        cls.send, cls.poll = send, poll
        cls._scoring_direct_sends = True
    return "inline reads, timer pings, direct sends"
