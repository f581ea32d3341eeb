"""`scoring demo --simulate`: builds the demo, serves it, and once the server answers the demo's
judges mark every contestant still missing through the marks API, with the progress printed;
the database then holds a complete competition."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from server_processes import free_port, stop_server

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    return free_port()  # below the ephemeral range (server_processes.free_port says why)


@pytest.mark.slow  # a real `scoring demo` process and ~5,000 marks over HTTP
def test_demo_simulate_serves_and_completes_the_demo(tmp_path):
    from scoring.db import make_engine
    from scoring.demo_simulation import DEMO_SLUG
    from scoring.services.publication import current_report

    db = tmp_path / "db.sqlite"
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": f"sqlite:///{db}",
        "SCORING_INSTANCE": str(tmp_path / "instance"),
        "SCORING_SECRET_KEY": "demo-test",
    }
    log = tmp_path / "demo.log"
    scoring = str(Path(sys.executable).parent / "scoring")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [scoring, "demo", "--port", str(_port()), "--simulate", "--simulate-seconds", "0"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            text = log.read_text(encoding="utf-8")
            if "模拟完成" in text or "模拟中止" in text:
                break
            time.sleep(0.3)
    finally:
        stop_server(proc)
    text = log.read_text(encoding="utf-8")
    assert "模拟完成 Simulation done" in text, text[-2000:]
    assert "模拟评委开始打分" in text and "POST /api/v1/judging" not in text  # progress, not request lines
    engine = make_engine(f"sqlite:///{db}")
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == DEMO_SLUG)).one()
    assert current_report(engine, cid)["complete"]
    engine.dispose()
