"""Stopping a real server process in a test: a short grace, then kill.

Why: gunicorn waits up to its graceful timeout (30 s) for open connections, and a polling board
or a keep-alive client keeps one open; a test that waited for that took 35-60 s and sometimes timed
out. Tests care that no acknowledged mark is lost, which a kill cannot change (acknowledged means
durable), so after ``grace`` seconds the whole process group is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess


def stop_server(proc: subprocess.Popen, grace: float = 3.0) -> None:
    """SIGTERM the process group of ``proc`` (started with ``start_new_session=True``), then
    SIGKILL it if it is still there after ``grace`` seconds."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)
