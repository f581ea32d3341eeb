"""Several server processes for real: two gunicorn gevent processes on one PostgreSQL database,
Socket.IO events through Redis. A mark POSTed to process A's judging API reaches a board
connected to process B; after B restarts, the reconnected board shows the latest state."""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from live_helpers import SLUG, BoardClient, import_competition
from server_processes import stop_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int, env: dict) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "-c",
            str(ROOT / "scoring" / "gunicorn_conf.py"),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "scoring:create_app()",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/competitions/{SLUG}/standings", timeout=2).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start")


def _stop(proc: subprocess.Popen) -> None:
    stop_server(proc)


@pytest.fixture
def cluster(pg_template, redis_url, tmp_path):
    """A migrated PostgreSQL database with the demo competition, a Redis db index of its own, and
    a launcher for server processes sharing both."""
    from scoring.db import make_engine
    from scoring.services import judging

    admin, template = pg_template
    name = f"scoring_live_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    pg_admin = os.environ.get("SCORING_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    url = pg_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    engine = make_engine(url)
    cid = import_competition(engine)
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(engine) as s:
        aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == "T1")).one()
        mark = s.exec(select(m.Mark).where(m.Mark.aspect_id == aspect.id).order_by(m.Mark.id)).first()
        judge = s.get(m.Judge, mark.judge_id)
        label = s.exec(select(m.DrawEntry.code).where(m.DrawEntry.contestant_id == mark.contestant_id)).one()
    judging.set_pin(engine, judge.id, "2468", actor="test")
    engine.dispose()
    queue = redis_url.rsplit("/", 1)[0] + f"/{random.randint(5, 15)}"  # a Redis db of this run's own
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": url,
        "SCORING_MESSAGE_QUEUE_URL": queue,
        "SCORING_ASYNC_MODE": "gevent",
        "SCORING_INSTANCE": str(tmp_path / "inst"),
        "SCORING_SECRET_KEY": "cluster",
    }
    procs: list[subprocess.Popen] = []

    def launch(port: int) -> subprocess.Popen:
        proc = _start(port, env)
        procs.append(proc)
        return proc

    yield {"launch": launch, "judge": judge.code, "label": label, "mark": mark}
    for proc in procs:
        _stop(proc)
    from scoring.db import dispose_all

    dispose_all()
    pg_template[0].execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _judge(base: str, code: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base}/judge/c/{SLUG}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    r = http.post(
        f"{base}/judge/c/{SLUG}/signin",
        allow_redirects=False,
        data={"code": code, "pin": "2468", "csrf_token": token.group(1) if token else ""},
    )
    assert r.status_code in (302, 303), r.status_code
    return http


def _post(http, base, label, value, based_on):
    r = http.post(
        f"{base}/api/v1/judging/{SLUG}/marks",
        headers={"Connection": "close"},
        json={
            "contestant": label,
            "aspect": "T1",
            "value": str(value),
            "idempotency_key": uuid.uuid4().hex,
            "based_on_version": based_on,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


def _theory(msg, label):
    for g in msg["groups"]:
        for r in g.get("rows", []):
            if r["code"] == label:
                return r["stages"]["theory"]
    return None


def test_a_mark_on_process_a_reaches_a_board_on_process_b_and_survives_a_restart(cluster):
    port_a, port_b = _port(), _port()
    cluster["launch"](port_a)
    proc_b = cluster["launch"](port_b)
    a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    board = BoardClient(b, group="childcare", reconnect=True)
    try:
        board.wait(lambda c: c.messages, timeout=20)
        http = _judge(a, cluster["judge"])
        mark, label = cluster["mark"], cluster["label"]
        first = _post(http, a, label, mark.value - Decimal("2"), mark.version)
        board.wait(lambda c: c.version >= first["standings_version"], timeout=20)
        assert any(_theory(msg, label) == f"{mark.value - Decimal('2'):.2f}" for msg in board.messages[1:])
        # process B restarts; meanwhile another mark lands on A; the board reconnects to the latest state
        _stop(proc_b)
        second = _post(http, a, label, mark.value - Decimal("3"), first["version"])
        cluster["launch"](port_b)
        board.wait(lambda c: c.version >= second["standings_version"], timeout=30)
        latest = [msg for msg in board.messages if msg["version"] == board.version][-1]
        assert latest["kind"] == "snapshot" or _theory(latest, label) is not None
        assert _theory(latest, label) == f"{mark.value - Decimal('3'):.2f}"
    finally:
        board.close()
