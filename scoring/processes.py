"""``scoring serve --workers N``: N server processes on ports P .. P+N-1, kept running.

Why N processes on N ports and not one gunicorn with N workers on one port: Socket.IO keeps each
connection's state in the process that accepted it, and a board that falls back to HTTP
long-polling sends many requests during one session; they must all reach that process. gunicorn
hands each new connection to whichever worker accepts it first, so a polling board would get
"session unknown" answers. With one port per process the reverse proxy routes every request of a
client to the same process (``deploy/nginx/scoring.conf``: hashed on a cookie nginx sets, so
tablets behind a venue's one NAT address still spread over the processes), which is what the
python-socketio and Flask-SocketIO documentation recommend for several workers.

Why they need PostgreSQL and Redis: every process reads and writes the same database (SQLite is
one file for one process's write queue: refused here with a message), and a mark committed on one
process must reach the boards of every other (the Socket.IO message queue and the standings relay,
``scoring.live_relay``); the sign-in brakes count in the same Redis (``web.brakes``). What each
process caches is checked against the database on use (docs/architecture.md, "Processes").

The supervisor migrates the database once, starts each process (``scoring serve --port P+i``,
gunicorn with one gevent worker), restarts one that dies, and on SIGTERM or Ctrl-C stops them
all (gunicorn's graceful stop: open boards are cut after ``SCORING_GRACEFUL_SECONDS`` and
reconnect to another process).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from sqlalchemy.engine import make_url

from scoring import gunicorn_conf
from scoring.i18n import N_

NEEDS_POSTGRESQL = N_(
    "--workers %(n)s needs PostgreSQL: SQLite is one file for one process. Set "
    "SCORING_DATABASE_URL=postgresql+psycopg://user@host/scoring (README, Production setup)."
)
NEEDS_REDIS = N_(
    "--workers %(n)s needs Redis, so that a mark on one process reaches the boards of the others. "
    "Set SCORING_MESSAGE_QUEUE_URL=redis://127.0.0.1:6379/0 (README, Production setup)."
)
NEEDS_GEVENT = N_("--workers %(n)s runs the production server: leave out --mode threading.")


def refusal(workers: int, database_url: str, queue_url: str | None, mode: str) -> str | None:
    """Why N processes cannot run with this configuration (a message id), or None."""
    if workers <= 1:
        return None
    if mode != "gevent":
        return NEEDS_GEVENT
    if make_url(database_url).get_backend_name() != "postgresql":
        return NEEDS_POSTGRESQL
    if not (queue_url or "").startswith(("redis://", "rediss://", "unix://")):
        return NEEDS_REDIS
    return None


def _command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "scoring.cli", "serve", "--host", host, "--port", str(port), "--no-migrate"]


def supervise(host: str, port: int, workers: int, echo) -> None:  # noqa: ANN001  (click.echo)
    """Run ``workers`` processes on ``port`` .. ``port + workers - 1`` until SIGTERM or SIGINT."""
    ports = [port + i for i in range(workers)]
    procs: dict[int, subprocess.Popen] = {}
    stopping = False

    def stop(_signum, _frame) -> None:  # noqa: ANN001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def start(p: int) -> None:
        procs[p] = subprocess.Popen(_command(host, p))
        echo(f"  process {ports.index(p) + 1}/{workers}: {host}:{p} (pid {procs[p].pid})")

    for p in ports:
        start(p)
    echo(f"  nginx upstream: {' '.join(f'server {host}:{p};' for p in ports)}")
    restarts: dict[int, float] = {}
    while not stopping:
        time.sleep(0.2)
        for p, proc in list(procs.items()):
            if proc.poll() is not None and not stopping:
                wait = 0.5 if time.monotonic() - restarts.get(p, 0.0) > 10 else 5.0  # a crash loop: slower
                echo(f"  process on port {p} exited ({proc.returncode}); restarting in {wait:.0f} s", err=True)
                time.sleep(wait)
                restarts[p] = time.monotonic()
                if not stopping:
                    start(p)
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + gunicorn_conf.graceful_timeout + 5
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
