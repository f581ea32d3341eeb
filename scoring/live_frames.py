"""Frame a push once for all boards instead of once per board.

Why: a push to a room hands every board the same encoded Engine.IO packet (python-socketio
encodes it once; the packet caches its text). simple-websocket then ran it through wsproto for
each board: a UTF-8 encode and a frame build per board, the largest single cost of fanning a push
out to 2,000 boards after the socket writes themselves. A server's text frame is the same bytes
for every connection (no masking; no extensions, as ``NoDeflate`` below refuses deflate), so the
last frame is kept and written again while the same text object is sent again.

Why it is safe: the shortcut depends on two things outside the libraries' public API, checked on
every send, and falls back to simple-websocket's own ``send`` whenever one does not hold:
- which extensions a connection negotiated, read from wsproto's private ``Connection._proto
  .extensions``: the shortcut is taken only when that is present and an empty list, so a wsproto
  that renames it, or a connection that negotiated an extension, goes the normal way;
- the cached frame itself must be a plain RFC 6455 server frame (FIN, no RSV bits, text opcode,
  unmasked); anything else wsproto builds is sent to its own connection only and never reused.
wsproto's state after a complete unfragmented message is what it was before, so skipping it for
such a message leaves nothing behind. tests/live/test_live_frames.py proves the shortcut is taken
with the pinned versions (requirements.lock) and that boards get every push, whole and correct,
when it is not (extension attribute gone, deflate negotiated).
"""

from __future__ import annotations

import json
from typing import Any

from wsproto.connection import ConnectionState
from wsproto.events import TextMessage

PLAIN_TEXT_FIN = 0x81  # first byte: FIN, RSV1-3 clear, opcode 1 (text)
MASK_BIT = 0x80  # second byte: set only in frames a client sends


class FrameStats:
    """How sends went, for tests and the benchmark (counts, not exact under threads)."""

    reused = 0  # frames written again without wsproto
    built = 0  # frames built by wsproto on the shortcut's path
    direct = 0  # pushes written by the emitting greenlet itself (live_sockets.direct_send)
    tails = 0  # of those, frames the socket took only part of (the rest went to the writer)


stats = FrameStats()


def plain_connection(conn) -> bool:  # noqa: ANN001  (a wsproto Connection, or None)
    """True when ``conn`` is open and has negotiated no extension (a missing attribute: False)."""
    extensions = getattr(getattr(conn, "_proto", None), "extensions", None)
    return type(extensions) is list and not extensions and getattr(conn, "state", None) is ConnectionState.OPEN


def reusable(frame: bytes) -> bool:
    """A complete, uncompressed, unmasked text frame: the same bytes are right for every board."""
    return len(frame) >= 2 and frame[0] == PLAIN_TEXT_FIN and not frame[1] & MASK_BIT


_last: tuple = (None, b"")  # (text object, its frame), replaced whole: threads read it safely


def frame_for(ws, data) -> bytes | None:  # noqa: ANN001  (a simple-websocket Base)
    """The frame of text ``data`` for ``ws``: the last frame again when ``data`` is the text object
    framed last, else wsproto's; None when the shortcut does not hold (see the module)."""
    global _last
    conn = getattr(ws.ws, "connection", None)
    if type(data) is not str or not ws.connected or not plain_connection(conn):
        return None
    text, frame = _last
    if data is text:
        stats.reused += 1
        return frame
    frame = bytes(conn.send(TextMessage(data=data)))
    stats.built += 1
    if reusable(frame):
        _last = (data, frame)
    return frame


def frame_pushes_once() -> None:
    """Install the shortcut in simple-websocket's ``send`` (once per process)."""
    from simple_websocket import ws as sws  # a dependency (pyproject.toml), as wsproto is through it

    base = sws.Base
    if getattr(base, "_scoring_frames_once", False):
        return
    plain_send = base.send

    def send(self, data) -> None:  # noqa: ANN001
        frame = frame_for(self, data)
        if frame is None:
            return plain_send(self, data)
        self.sock.sendall(frame)

    base.send = send
    base._scoring_frames_once = True


class NoDeflate:
    """Refuse permessage-deflate on the socket endpoint; under gunicorn, hand socket requests to
    engine.io directly.

    Why no deflate: simple-websocket accepts every deflate offer, and each accepted connection then
    keeps its own zlib compressor and decompressor (about 300 KB per board, measured with
    tracemalloc) and compresses every push once per board. Pushes are small deltas; memory and CPU
    matter more. The handshake is rebuilt from the ``HTTP_*`` keys, so removing the offer here
    disables it.

    Why directly: a board's request stays open as long as the board, and what the two middlewares
    in between (Flask-SocketIO's, engine.io's) make per request lives as long: a copy of the
    environ, and under gunicorn a class made per request (engine.io hands eventlet the socket that
    way), about 4 KB per board with the deeper stack. Done here is what Flask-SocketIO's
    middleware does for these paths (``environ["flask.app"]``), only when it is exactly that
    middleware; anything else goes the normal way.
    """

    _scoring_no_deflate = True

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app
        self.direct = None
        try:
            from flask_socketio import _SocketIOMiddleware

            if type(wsgi_app) is _SocketIOMiddleware:
                handle = wsgi_app.engineio_app.handle_request
                self.direct = (str(wsgi_app.engineio_path), wsgi_app.flask_app, handle)
        except (ImportError, AttributeError):
            self.direct = None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or ""
        if path.startswith("/socket.io"):
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
            direct = self.direct
            if direct is not None and "gunicorn.socket" in environ and path.startswith(direct[0]):
                environ["flask.app"] = direct[1]
                return direct[2](environ, start_response)
        return self.wsgi_app(environ, start_response)


class Utf8Json:
    """The JSON of Socket.IO packets, with Chinese as UTF-8 instead of ``\\u6b66`` escapes (武): a name
    or a unit then costs 3 bytes a character instead of 6 (issue 14: a push stays under 8 KB)."""

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(obj, **kwargs)

    loads = staticmethod(json.loads)


_shared: dict[int, tuple[dict, object]] = {}  # id(message) -> (message, its Engine.IO packet)


def send_shared(msg: dict, event: str = "standings") -> None:
    """Send ``msg`` to the client of the current Socket.IO handler as the one encoded packet every
    client that gets this same message object gets (a snapshot on connect or on a page turn).

    Why: ``emit`` to one client encodes the message again for each of them (about 25 KB for the
    demo's snapshot), and 2,000 boards connecting at once left tens of MB of such strings in the
    heap; an Engine.IO packet caches its text, so one packet object means one string, and the
    frame cache above then writes the same frame bytes too. Uses python-socketio's internals
    (``packet_class``, ``manager.get_participants``, ``_send_eio_packet``): when they are missing
    it falls back to ``emit``."""
    from flask import request
    from flask_socketio import emit

    from scoring.extensions import socketio

    server = getattr(socketio, "server", None)
    send = getattr(server, "_send_eio_packet", None)
    hit = _shared.get(id(msg))
    try:
        from engineio import packet as eio_packet
        from socketio import packet as sio_packet

        if hit is None or hit[0] is not msg:
            encoded = server.packet_class(sio_packet.EVENT, namespace="/", data=[event, msg]).encode()
            if not isinstance(encoded, str) or send is None:
                raise TypeError("not a plain text packet")
            if len(_shared) >= 64:  # a few versions' snapshots; older ones go
                _shared.clear()
            hit = _shared[id(msg)] = (msg, eio_packet.Packet(eio_packet.MESSAGE, encoded))
        for _sid, eio_sid in list(server.manager.get_participants(request.namespace, request.sid)):
            send(eio_sid, hit[1])
    except (AttributeError, TypeError):
        emit(event, msg)
