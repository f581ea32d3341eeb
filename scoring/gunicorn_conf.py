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
    """
    import gc

    import gevent

    gevent.config.track_greenlet_tree = False
    gc.freeze()
    gc.set_threshold(700, 10, 1000)
