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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def free_port(pair: bool = False) -> int:
    """A free TCP port on 127.0.0.1 (with ``pair``: one whose successor is free too).

    Why not the port the kernel picks for ``bind(0)``: that comes from the ephemeral range, which
    the kernel also hands to outgoing connections, so between this check and the server's own bind
    another test's client could take it ("Connection in use", seen once in CI). A random port
    below the ephemeral range is never given to a client; only another listener could take it.
    """
    import random
    import socket

    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(200):
        port = random.randint(10000, max(10001, low - 2))
        try:
            for candidate in (port, port + 1) if pair else (port,):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise AssertionError("no free port" + (" pair" if pair else ""))


def wait_until(probe, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    """Readiness by probe, never by sleep: call ``probe()`` every 50 ms until it is true (an
    exception counts as not yet); fail after ``timeout`` s or as soon as ``proc`` exits."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if probe():
                return
        except Exception:  # noqa: BLE001,S110  (not up yet)
            pass
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{what}: the process exited ({proc.returncode})")
        time.sleep(0.05)
    raise AssertionError(f"{what}: not ready after {timeout} s")


def nginx_binary() -> str | None:
    import shutil

    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def nginx_config(site: str, workdir, port: int, upstreams: list[int], extra: str = "") -> str:
    """A whole nginx.conf running the committed site config (deploy/nginx/scoring.conf) as an
    ordinary process: listening on 127.0.0.1:``port``, proxying to ``upstreams``, with its pid,
    logs and temporary files under ``workdir`` (no root paths). ``extra``: lines for the server."""
    import getpass
    import re

    lines = [f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in upstreams]
    site, n = re.subn(r"(?m)^\s*server 127\.0\.0\.1:\d+[^;\n]*;\n", "", site)
    assert n >= 1, "the site config's upstream has no server line"
    site = site.replace("    keepalive 64;", "\n".join(lines) + "\n    keepalive 64;")
    site = re.sub(r"(?m)^\s*listen \[::\]:80;\n", "", site)
    site, n = re.subn(r"(?m)^(\s*)listen 80;", rf"\1listen 127.0.0.1:{port};" + "\n" + extra, site)
    assert n == 1, "the site config has no 'listen 80;'"
    temp = "\n".join(
        f"    {kind}_temp_path {workdir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""  # as root: workers stay this user
    return (
        f"{user}worker_processes 1;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{\n    access_log off;\n{temp}\n{site}\n}}\n"
    )


def start_nginx(conf: str, workdir, port: int) -> subprocess.Popen:
    """Run nginx in the foreground with ``conf`` (see ``nginx_config``); ready when it answers."""
    import http.client

    binary = nginx_binary()
    assert binary, "nginx is not installed (scripts/test installs Debian's nginx)"
    path = workdir / "nginx.conf"
    path.write_text(conf)
    proc = subprocess.Popen(
        [binary, "-p", str(workdir), "-c", str(path), "-e", str(workdir / "error.log"), "-g", "daemon off;"],
        start_new_session=True,
        stderr=subprocess.PIPE,
    )

    def answers() -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200

    try:
        wait_until(answers, 15, "nginx", proc)
    except AssertionError:
        stop_server(proc)
        raise AssertionError(
            proc.stderr.read().decode()[-2000:] + (workdir / "error.log").read_text()[-2000:]
        ) from None
    return proc


def start_serve(port: int, database_url: str, instance, secret: str) -> subprocess.Popen:  # noqa: ANN001
    """``scoring serve`` (the production server) on 127.0.0.1:``port``, in its own process group
    (``stop_server`` ends it), stderr kept for a failure message."""
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": database_url,
        "SCORING_INSTANCE": str(instance),
        "SCORING_SECRET_KEY": secret,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "scoring.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
