"""The production server's gunicorn settings and start-up hooks (README "Production setup").

``scoring serve`` loads this module; by hand the same is
``gunicorn -c python:scoring.gunicorn_conf -b 0.0.0.0:8000 'scoring:create_app()'``
(with ``SCORING_ASYNC_MODE=gevent``). Every module-level name that is a gunicorn setting is one.

Why the tuning lives here and not in ``create_app``: freezing the collector and turning off
gevent's debugging aids are process-wide decisions of the server that runs many long-lived
sockets in one worker, not of the app (tests, the CLI and the threaded development server build
apps too). The hook is ``post_worker_init``: it runs in the worker after the app is built and
before it serves, so the freeze covers what start-up built (``post_fork`` comes before the app is
loaded; ``when_ready`` runs in the master).
"""

from __future__ import annotations

import os


def _graceful_seconds() -> int:
    """SCORING_GRACEFUL_SECONDS (whole seconds, default 10): how long a stopping worker lets
    requests finish.

    Why not gunicorn's 30 s: an open board's socket counts as a request in flight, so a stop
    always waited the whole timeout; a mark is answered in milliseconds, and a board cut at the
    end reconnects (to another process, with ``--workers``) and gets the snapshot."""
    raw = os.environ.get("SCORING_GRACEFUL_SECONDS", "").strip()
    return min(int(raw), 300) if raw.isascii() and raw.isdigit() and len(raw) < 4 else 10


worker_class = "gevent"
workers = 1  # Socket.IO keeps per-connection state in the process: one worker per process
worker_connections = 4000  # boards per worker (bench/fanout.py measures 2,000)
timeout = 60
graceful_timeout = _graceful_seconds()
# gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): the processes of
# ``scoring serve --workers N`` would take it from each other, and nothing here uses it
control_socket_disable = True


def post_worker_init(worker) -> None:  # noqa: ANN001  (gunicorn's Worker)
    """gunicorn hook: tune the worker once the app is built, before it serves."""
    from scoring.extensions import socketio

    if getattr(getattr(socketio, "server", None), "async_mode", None) == "gevent":
        tune_gevent_worker()


def tune_gevent_worker() -> None:
    """Settings for one gevent process holding thousands of boards.

    Every greenlet otherwise records its spawner and a 10-frame spawning stack (a debugging aid):
    measured with py-spy and tracemalloc it was a large share of the worker's CPU (a greenlet per
    ping and per board) and about 5 KB per board. With the default collector thresholds a full
    collection scanned every long-lived socket object every few seconds (about 450 ms with 2,000
    boards, a frozen board for everyone): freeze what start-up built and make full collections
    rarer (young generations as before); cycles are still collected, in rarer full passes.

    The interpreter's switch interval is set to ``background.CPU_SWITCH_INTERVAL`` (1 ms, Python's
    default is 5 ms) from the start: every real OS thread of the worker (the group commit, the
    standings rebuild after a configuration change) holds the interpreter lock between switches,
    and the loop waits up to one interval each time it wants it back. ``cpu_on_os_thread`` would
    set it at the first rebuild anyway; set here, a worker's latency does not change in the middle
    of a competition (after the first weight change), and every process of ``--workers N`` and
    ``scoring serve`` alike run the same way (the threaded development server keeps the default:
    it has no loop to wait).
    """
    import gc
    import sys

    import gevent

    from scoring.background import CPU_SWITCH_INTERVAL

    gevent.config.track_greenlet_tree = False
    sys.setswitchinterval(CPU_SWITCH_INTERVAL)
    cooperative_psycopg()
    one_write_answers()
    gc.freeze()
    gc.set_threshold(700, 10, 1000)


def cooperative_psycopg() -> bool:
    """Make psycopg wait for PostgreSQL through gevent's loop; True if it had to be changed.

    Why: psycopg picks how it waits when it is first imported, and picks its C ``poll`` unless
    gevent has patched ``select`` by then. ``scoring serve`` migrates the database in the master
    before gunicorn forks the worker (and patches it), so the worker inherited the C wait: every
    query, every commit's flush to disk and every wait for another process's row lock then
    stopped every greenlet of the worker (measured with py-spy: the marks API on PostgreSQL ran
    one request at a time, 50-70 marks/s). The choice psycopg makes after patching is
    ``wait_poll`` (gevent's emulation of ``poll``); either is replaced by ``pg_waits.wait_gevent``
    (an io watcher on the loop, less bookkeeping per round trip); its connection set-up waits with
    the selector class it bound at import, replaced by gevent's here too."""
    import selectors
    import sys

    from scoring.pg_waits import wait_gevent

    waiting = sys.modules.get("psycopg.waiting")
    if waiting is None or getattr(waiting, "wait", None) not in (waiting.wait_c, waiting.wait_poll):
        return False  # not imported yet (``scoring.db`` imports it after the patch) or already changed
    from gevent import monkey

    if not monkey.is_module_patched("select"):
        return False
    waiting.wait = wait_gevent
    waiting.DefaultSelector = selectors.DefaultSelector
    return True


class _HeldHead:
    """Stands in for the client's socket while gunicorn writes a response's head (``util.write``
    calls ``sendall``), so the head can go out with the first body bytes."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.parts.append(bytes(data))


def one_write_answers() -> bool:
    """Make gunicorn write a response's head and its (first) body bytes in one write; True if it
    had to be changed.

    Why: gunicorn writes the head, then the body, two ``sendall`` calls for every answer; under
    gevent each is a system call plus the loop's bookkeeping, and py-spy put the head's own write at
    about 6 % of the worker's time on the marks API. Uses gunicorn's documented subclass point
    (``Response._emit_body``) and replaces ``gunicorn.http.wsgi.Response``, which ``wsgi.create``
    looks up per request. The head is never lost or reordered: it goes before the first body bytes,
    before a file sent with ``sendfile``, and at ``close`` for an answer without a body."""
    from gunicorn import util
    from gunicorn.http import wsgi

    base = wsgi.Response
    if getattr(base, "_scoring_one_write", False):
        return False

    class Response(base):  # type: ignore[misc, valid-type]
        _scoring_one_write = True
        _scoring_head: bytes | None = None

        def send_headers(self) -> None:
            if self.headers_sent:
                return
            sock, held = self.sock, _HeldHead()
            self.sock = held
            try:
                base.send_headers(self)
            finally:
                self.sock = sock
            self._scoring_head = b"".join(held.parts)

        def _flush_head(self) -> None:
            head, self._scoring_head = self._scoring_head, None
            if head:
                util.write(self.sock, head)

        def _emit_body(self, data: bytes) -> None:
            head, self._scoring_head = self._scoring_head, None
            if head and not self.chunked:
                util.write(self.sock, head + data)
                return
            if head:
                util.write(self.sock, head)
            base._emit_body(self, data)

        def sendfile(self, respiter) -> bool:  # noqa: ANN001
            if self.cfg.is_ssl or not self.can_sendfile():
                return False
            self.send_headers()
            self._flush_head()
            return base.sendfile(self, respiter)

        def close(self) -> None:
            self.send_headers()
            self._flush_head()
            base.close(self)

    wsgi.Response = Response
    return True
