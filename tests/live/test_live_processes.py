"""Several server processes for real, as the README's production recipe runs them: ``scoring serve
--workers 2`` (two gunicorn gevent processes on one PostgreSQL database, Redis between them)
behind Debian's nginx with the committed site config (deploy/nginx/scoring.conf). A mark POSTed
through nginx to process A reaches a board that nginx routed to process B over a real WebSocket;
process B is stopped and restarted (by the supervisor) while marks keep coming: every
acknowledged mark is stored exactly once, and the reconnected board shows the latest.

Deterministic and quick: readiness is probed, never slept for; processes stop within
SCORING_GRACEFUL_SECONDS=1 (an open board no longer holds a stop for gunicorn's 30 s)."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from live_helpers import SLUG, BoardClient, import_competition
from server_processes import free_port, nginx_binary, nginx_config, start_nginx, stop_server, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "scoring.conf"
PROCESS_LINE = re.compile(r"process (\d)/2: 127\.0\.0\.1:(\d+) \(pid (\d+)\)")


def _healthy(port: int) -> bool:
    return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok


@pytest.fixture
def cluster(pg_template, redis_url, tmp_path):
    """A migrated PostgreSQL database with the demo competition, Redis, ``scoring serve --workers
    2`` on ports P and P+1, and nginx in front of both."""
    if nginx_binary() is None:
        pytest.fail("nginx is not installed: bash scripts/test installs Debian's nginx")
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import dispose_all, make_engine, reading
    from scoring.services import judging

    admin, template = pg_template
    name = f"scoring_live_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    pg_admin = os.environ.get("SCORING_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    url = pg_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    engine = make_engine(url)
    cid = import_competition(engine)
    with reading(engine) as s:
        aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == "T1")).one()
        first = s.exec(select(m.Mark).where(m.Mark.aspect_id == aspect.id).order_by(m.Mark.id)).first()
        judge = s.get(m.Judge, first.judge_id)
        latest: dict[int, m.Mark] = {}
        for mark in s.exec(
            select(m.Mark).where(m.Mark.aspect_id == aspect.id, m.Mark.judge_id == judge.id).order_by(m.Mark.version)
        ):
            latest[mark.contestant_id] = mark
        codes = dict(s.exec(select(m.DrawEntry.contestant_id, m.DrawEntry.code)).all())
    cells = [(codes[c], mark.version, mark.value) for c, mark in sorted(latest.items())[:8]]
    judging.set_pin(engine, judge.id, "2468", actor="test")
    engine.dispose()
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": url,
        "SCORING_MESSAGE_QUEUE_URL": redis_url.rsplit("/", 1)[0] + f"/{random.randint(5, 15)}",
        "SCORING_INSTANCE": str(tmp_path / "inst"),
        "SCORING_SECRET_KEY": "cluster",
        "SCORING_TRUSTED_PROXIES": "1",
        "SCORING_GRACEFUL_SECONDS": "1",
    }
    port = free_port(pair=True)
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "scoring.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    pids: dict[int, int] = {}  # port -> pid of the process the supervisor (re)started last

    def read_lines() -> None:
        for line in supervisor.stdout:
            hit = PROCESS_LINE.search(line)
            if hit:
                pids[int(hit.group(2))] = int(hit.group(3))

    threading.Thread(target=read_lines, daemon=True).start()
    web = tmp_path / "nginx"
    web.mkdir()
    front = None
    try:
        wait_until(lambda: _healthy(port) and _healthy(port + 1), 60, "scoring serve --workers 2", supervisor)
        listen = free_port()
        # the test's own line: which process answered (to route a board and a judge to different ones)
        conf = nginx_config(
            SITE.read_text(), web, listen, [port, port + 1], "    add_header X-Upstream $upstream_addr always;"
        )
        front = start_nginx(conf, web, listen)
        yield {
            "base": f"http://127.0.0.1:{listen}",
            "ports": (port, port + 1),
            "pids": pids,
            "judge": judge.code,
            "cells": cells,
            "url": url,
        }
    finally:
        if front is not None:
            stop_server(front)
        started = time.monotonic()
        stop_server(supervisor, grace=5)
        stop_seconds = time.monotonic() - started
        dispose_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert stop_seconds < 4, f"stopping took {stop_seconds:.1f} s: the graceful timeout was not honoured"


def _upstream(base: str, route: str) -> str:
    """The process (address) nginx sends a client with this route cookie to."""
    return requests.get(f"{base}/healthz", cookies={"scoring_route": route}, timeout=5).headers.get("X-Upstream", "")


def _route_to(base: str, port: int) -> str:
    """A route cookie value nginx sends to the process on ``port`` (nginx hashes the cookie)."""
    for i in range(200):
        if _upstream(base, f"r{i}").endswith(f":{port}"):
            return f"r{i}"
    raise AssertionError(f"no route cookie reaches port {port}")


def _judge(base: str, code: str, route: str) -> requests.Session:
    http = requests.Session()
    http.cookies.set("scoring_route", route)
    page = http.get(f"{base}/judge/c/{SLUG}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    r = http.post(
        f"{base}/judge/c/{SLUG}/signin",
        allow_redirects=False,
        data={"code": code, "pin": "2468", "csrf_token": token.group(1) if token else ""},
    )
    assert r.status_code in (302, 303), r.status_code
    return http


def _post(http: requests.Session, base: str, label: str, value: Decimal, based_on: int) -> dict:
    """POST a mark as a tablet does: on no answer or a gateway error, resend the same key."""
    body = {
        "contestant": label,
        "aspect": "T1",
        "value": str(value),
        "idempotency_key": uuid.uuid4().hex,
        "based_on_version": based_on,
    }
    deadline = time.monotonic() + 20
    while True:
        try:
            r = http.post(f"{base}/api/v1/judging/{SLUG}/marks", json=body, timeout=10)
            if r.status_code in (200, 201):
                return {**r.json(), "key": body["idempotency_key"]}
            assert r.status_code in (502, 503, 504), r.text
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, "the mark was never acknowledged"
        time.sleep(0.05)


def _theory(msg: dict, label: str) -> str | None:
    for g in msg["groups"]:
        for r in g.get("rows", []):
            if r["code"] == label:
                return r["stages"]["theory"]
    return None


def _stored(url: str, keys: list[str]) -> dict[str, int]:
    from sqlmodel import func, select

    from scoring import models as m
    from scoring.db import make_engine, reading

    engine = make_engine(url)
    with reading(engine) as s:
        rows = s.exec(
            select(m.Mark.idempotency_key, func.count())
            .where(m.Mark.idempotency_key.in_(keys))
            .group_by(m.Mark.idempotency_key)
        ).all()
    engine.dispose()
    return dict(rows)


def test_a_mark_through_nginx_reaches_a_board_on_the_other_process_and_a_restart_loses_nothing(cluster):
    base, (port_a, port_b) = cluster["base"], cluster["ports"]
    to_a, to_b = _route_to(base, port_a), _route_to(base, port_b)
    board = BoardClient(
        base, group="childcare", reconnect=True, headers={"Cookie": f"scoring_route={to_b}"}, transports=["websocket"]
    )
    try:
        board.wait(lambda c: c.messages, timeout=10)
        assert board.sio.transport() == "websocket"
        http = _judge(base, cluster["judge"], to_a)
        cells = cluster["cells"]
        label, version, value = cells[0]
        first = _post(http, base, label, value - Decimal("2"), version)
        board.wait(lambda c: c.version >= first["standings_version"], timeout=10)
        assert any(_theory(msg, label) == f"{value - Decimal('2'):.2f}" for msg in board.messages[1:])

        # process B (the board's) stops; the judge's requests are now routed to B: nginx passes
        # them to A while B is down, and the supervisor starts B again
        old_b = cluster["pids"][port_b]
        os.kill(old_b, signal.SIGTERM)
        http.cookies.set("scoring_route", to_b)
        acked = [first]
        based_on = {label: first["version"]}
        for n, (lab, ver, val) in enumerate(cells[1:] + cells[:1]):
            acked.append(_post(http, base, lab, val - Decimal("3"), based_on.get(lab, ver)))
            based_on[lab] = acked[-1]["version"]
            if n == 2:  # some marks while B is down, the rest once nginx sends them to the new B
                wait_until(lambda: cluster["pids"][port_b] != old_b and _healthy(port_b), 30, "process B again")
                wait_until(lambda: _upstream(base, to_b).endswith(f":{port_b}"), 10, "nginx routes to B again")
        stored = _stored(cluster["url"], [a["key"] for a in acked])
        assert stored == {a["key"]: 1 for a in acked}  # every acknowledged mark, once
        newest = max(a["standings_version"] for a in acked)
        board.wait(lambda c: c.version >= newest, timeout=15)
        state = {}  # the board's view, as board.js builds it: the snapshot, then deltas in order
        for msg in board.messages:
            if msg["kind"] == "snapshot":
                state = {r["code"]: r for g in msg["groups"] for r in g.get("rows", [])}
            else:
                state.update({r["code"]: r for g in msg["groups"] for r in g.get("rows", [])})
        for lab, _ver, val in cells:
            assert state[lab]["stages"]["theory"] == f"{val - Decimal('3'):.2f}", lab
        assert board.sio.connected
    finally:
        board.close()
