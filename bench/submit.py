"""Durable mark submissions per second through the HTTP API, next to raw sqlite3 inserts.

What it does, in one run on one machine:
1. builds a competition on a fresh SQLite file (WAL, synchronous=FULL: each acknowledged mark
   survives a power cut) with 50 extra judges on the childcare practical panel, each with a PIN;
2. starts a real server process: by default exactly what ``scoring serve`` runs in production
   (gunicorn, one gevent worker; README "Production setup"); ``--server gunicorn`` with
   ``--worker-class``/``--workers``/``--threads`` or ``--server werkzeug`` to compare; signs the
   50 judges in, and lets them submit marks
   concurrently through ``POST /api/v1/judging/<slug>/marks`` (each with its own idempotency
   key, based on version 0), recording every acknowledgement's latency;
   Latency percentiles are over every mark. The first mark of each judge (all 50 arriving in
   the same millisecond, the server's first use) is also reported on its own line, and the
   percentiles without it ("sustained");
3. stops the server and checks that every acknowledged mark is in the database;
4. inserts the same rows with the plain ``sqlite3`` module, same durability, one transaction
   per row.

With ``--database postgresql`` (README "Production setup"): the same on a throwaway PostgreSQL
database the bench creates and drops (``SCORING_BENCH_PG``, default
postgresql://postgres@127.0.0.1:5432/postgres, names the server), served by
``scoring serve --workers N`` (``--workers 2``: two processes, Redis between them, each judge
talking to one of them as nginx's route cookie would pin it), and the raw baseline is plain
psycopg on the same database: one durable transaction per row (synchronous_commit on, the
server's default), one connection.

Run from the repository root: ``.venv/bin/python bench/submit.py [--marks-per-judge 200]``
or ``.venv/bin/python bench/submit.py --workers 2 --database postgresql``.
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JUDGES = 50
SLUG = "yulin-childcare-2025"


def build(db_url: str, judges: int = JUDGES) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The demo competition without marks, plus ``judges`` bench judges on the practical panel."""
    from scoring.db import make_engine
    from scoring.demo_data import childcare_document
    from scoring.migrate import upgrade
    from scoring.services.judging import set_pins
    from scoring.services.transfer import import_document

    upgrade(db_url)
    raw = childcare_document(marks="none")
    codes = [f"B{i:02d}" for i in range(judges)]
    raw["judges"] += [{"code": c, "name": f"测试裁判{c}", "role": "judge"} for c in codes]
    for panel in raw["panels"]:
        if panel["group"] == "childcare" and panel["stage"] == "practical":
            panel["judges"] = codes
            aspects = panel["aspects"]
    raw["recusals"] = []
    engine = make_engine(db_url)
    import_document(engine, raw, actor="bench", replace=True)
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == SLUG)).one()
        kinds = {a.code: a.type for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
    set_pins(engine, cid, {c: "2468" for c in codes}, actor="bench")
    engine.dispose()
    refs = [e["code"] for e in raw["draw"]["entries"] if e["code"].startswith("TY-")]
    value = {"judgement": "2", "deduction": "1", "time": "3900", "measurement": "3"}
    cells = [(ref, a, value[kinds[a]]) for ref in refs for a in aspects]
    return codes, cells


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    kind: str, port: int, env: dict, workers: int = 2, threads: int = 8, worker_class: str = "gthread"
) -> subprocess.Popen:
    py = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    if kind == "serve":
        cmd = [py, "-c", "from scoring.cli import main; main()", "serve", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--workers", str(workers)]
    elif kind == "gunicorn":
        cmd = [
            py,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-k",
            worker_class,
            "--keep-alive",
            "75",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "scoring:create_app()",
        ]
        if worker_class == "gthread":
            cmd[5:5] = ["--threads", str(threads)]
    else:
        code = (
            "from werkzeug.serving import run_simple; from scoring import create_app; "
            f"run_simple('127.0.0.1', {port}, create_app(), threaded=True)"
        )
        cmd = [py, "-c", code]
    proc = subprocess.Popen(
        cmd, cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.time() + 60
    waiting = [port + i for i in range(workers if kind == "serve" else 1)]  # every process of --workers
    while time.time() < deadline and proc.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", waiting[0], timeout=2)
            conn.request("GET", f"/judge/c/{SLUG}")
            if conn.getresponse().status == 200:
                waiting.pop(0)
                if not waiting:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start: " + proc.stderr.read().decode()[-2000:])


def judge_worker(args) -> list[tuple[str, float, int]]:
    """One process driving several judges (one thread and one keep-alive connection each)."""
    ports, judges, per_judge, cells, start_at = args
    out: list[tuple[str, float, int]] = []
    lock = threading.Lock()

    def run(jidx: int, code: str) -> None:
        port = ports[jidx % len(ports)]  # a judge stays with one process, as nginx's route cookie pins it
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", f"/judge/c/{SLUG}")  # the sign-in form: its CSRF token and session cookie
        r = conn.getresponse()
        page = r.read().decode()
        first = r.getheader("Set-Cookie").split(";", 1)[0]
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        conn.request(
            "POST",
            f"/judge/c/{SLUG}/signin",
            body=urllib.parse.urlencode({"code": code, "pin": "2468", "csrf_token": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": first},
        )
        r = conn.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie").split(";", 1)[0]
        mine = []
        while time.time() < start_at:
            time.sleep(0.005)
        for n in range(per_judge):
            ref, aspect, value = cells[(jidx * 7 + n) % len(cells)]
            key = f"{code}-{uuid.uuid4().hex[:16]}"
            body = json.dumps(
                {
                    "contestant": ref,
                    "aspect": aspect,
                    "value": value,
                    "idempotency_key": key,
                    "based_on_version": 0,
                    "client_id": f"bench-{code}",
                }
            )
            t0 = time.perf_counter()
            for _attempt in range(5):  # a dropped connection: reconnect and resend the same key (idempotent)
                try:
                    conn.request(
                        "POST",
                        f"/api/v1/judging/{SLUG}/marks",
                        body=body,
                        headers={"Content-Type": "application/json", "Cookie": cookie},
                    )
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status = 0
            mine.append((key, time.perf_counter() - t0, status, n == 0))
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in judges]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return out


def raw_baseline(template: Path, rows: int, workdir: Path) -> float:
    """The same mark rows with plain sqlite3, WAL + synchronous=FULL, one transaction per row."""
    path = workdir / "raw.sqlite"
    shutil.copy(template, path)
    con = sqlite3.connect(str(path), isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=OFF")
    sql = (
        "INSERT INTO mark (competition_id, contestant_id, aspect_id, judge_id, round, version, value, state, "
        "created_at, client_id, idempotency_key, based_on_version, entered_by, reason) "
        "VALUES (?,?,?,?,1,1,?,'submitted',?,?,?,0,?,'')"
    )
    now = time.strftime("%Y-%m-%d %H:%M:%S.000000")
    t0 = time.perf_counter()
    for i in range(rows):
        con.execute("BEGIN IMMEDIATE")
        # unique (contestant, aspect, judge, round, version): distinct judge ids per row, the cell repeating
        con.execute(sql, (1, 1 + i % 78, 2 + i % 20, 100_000 + i, 30000, now, "raw", f"raw-{i}", "raw"))
        con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return rows / elapsed


PG_ADMIN = os.environ.get("SCORING_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_create() -> tuple[str, str]:
    """A throwaway PostgreSQL database: (its name, its SQLAlchemy URL)."""
    import psycopg

    name = f"bench_submit_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"


def pg_drop(name: str) -> None:
    import psycopg

    from scoring.db import dispose_all

    dispose_all()
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_stored(name: str) -> set[str]:
    import psycopg

    with psycopg.connect(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}") as con:
        return {r[0] for r in con.execute("SELECT idempotency_key FROM mark WHERE idempotency_key LIKE 'B%'")}


def pg_raw_baseline(name: str, rows: int) -> float:
    """The same mark rows with plain psycopg on the same database: one connection, one durable
    transaction (commit) per row, real contestant, aspect and judge ids (foreign keys hold)."""
    import psycopg

    with psycopg.connect(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as con:
        cid, contestant, aspect, judge = con.execute(
            "SELECT competition_id, contestant_id, aspect_id, judge_id FROM mark ORDER BY id LIMIT 1"
        ).fetchone()
        sql = (
            "INSERT INTO mark (competition_id, contestant_id, aspect_id, judge_id, round, version, value, state, "
            "created_at, client_id, idempotency_key, based_on_version, entered_by, reason) "
            "VALUES (%s,%s,%s,%s,1,%s,30000,'submitted',now(),'raw',%s,0,'raw','')"
        )
        t0 = time.perf_counter()
        for i in range(rows):
            with con.transaction():
                con.execute(sql, (cid, contestant, aspect, judge, 100_000 + i, f"raw-{i}"))
        elapsed = time.perf_counter() - t0
    return rows / elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--marks-per-judge", type=int, default=200)
    ap.add_argument(
        "--server",
        choices=("serve", "gunicorn", "werkzeug"),
        default="serve",
        help="serve: the production command `scoring serve` (gunicorn, one gevent worker)",
    )
    ap.add_argument("--clients", type=int, default=2, help="client processes sharing the 50 judges")
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes (serve: scoring serve --workers, default 1; gunicorn: 2)",
    )
    ap.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--redis", default=os.environ.get("SCORING_BENCH_REDIS", "redis://127.0.0.1:6379/3"))
    ap.add_argument("--threads", type=int, default=8, help="threads per gthread worker")
    ap.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, gevent)")
    opts = ap.parse_args()
    workers = opts.workers or (1 if opts.server == "serve" else 2)
    postgres = opts.database == "postgresql"
    print(f"load before the run (uptime): {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    work = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    db = work / "scoring.sqlite"
    pg_name, url = pg_create() if postgres else ("", f"sqlite:///{db}")
    try:
        print(f"building the competition in {pg_name or db} ...", flush=True)
        codes, cells = build(url)
        template = work / "template.sqlite"
        if not postgres:
            shutil.copy(db, template)
        env = {
            **os.environ,
            "SCORING_DATABASE_URL": url,
            "SCORING_INSTANCE": str(work / "instance"),
            "SCORING_SECRET_KEY": "bench-secret",
            "SCORING_GRACEFUL_SECONDS": "2",
            "PYTHONPATH": str(ROOT),
        }
        if workers > 1 and opts.server == "serve":
            env["SCORING_MESSAGE_QUEUE_URL"] = opts.redis
        port = free_port()
        while opts.server == "serve" and workers > 1 and not all(_free(port + i) for i in range(workers)):
            port = free_port()
        proc = start_server(opts.server, port, env, workers, opts.threads, opts.worker_class)
        ports = [port + i for i in range(workers)] if opts.server == "serve" else [port]
        try:
            per = opts.marks_per_judge
            groups = [[(i, c) for i, c in enumerate(codes) if i % opts.clients == k] for k in range(opts.clients)]
            start_at = time.time() + 3.0
            t0 = start_at
            with mp.Pool(opts.clients) as pool:
                parts = pool.map(judge_worker, [(ports, g, per, cells, start_at) for g in groups])
            elapsed = time.time() - t0
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        report(opts, workers, codes, parts, elapsed, db, pg_name, template, work)
    finally:
        if postgres:
            pg_drop(pg_name)
        shutil.rmtree(work, ignore_errors=True)


def _free(port: int) -> bool:
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


def report(opts, workers, codes, parts, elapsed, db, pg_name, template, work) -> None:  # noqa: ANN001
    results = [r for part in parts for r in part]
    acked = [k for k, _, status, _ in results if status in (200, 201)]
    errors = len(results) - len(acked)
    lat = sorted(t for _, t, _, _ in results)
    sustained = sorted(t for _, t, _, warm_up in results if not warm_up)
    warm = max(t for _, t, _, warm_up in results if warm_up) * 1000
    p50 = lat[len(lat) // 2] * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    p99_sustained = sustained[min(len(sustained) - 1, int(len(sustained) * 0.99))] * 1000
    api_rate = len(acked) / elapsed
    if pg_name:
        stored = pg_stored(pg_name)
    else:
        con = sqlite3.connect(str(db))
        stored = {row[0] for row in con.execute("SELECT idempotency_key FROM mark WHERE idempotency_key LIKE 'B%'")}
        con.close()
    lost = sum(1 for k in acked if k not in stored)
    print(f"server: {opts.server}; judges: {len(codes)}; marks: {len(results)} in {elapsed:.2f} s; errors: {errors}")
    print(
        f"API: {api_rate:,.0f} acknowledged durable marks/s; ack latency p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"over every mark"
    )
    print(
        f"first mark of each judge (all 50 at once): slowest acknowledged in {warm:.1f} ms; "
        f"p99 without them {p99_sustained:.1f} ms"
    )
    print(f"every acknowledged mark stored: {lost == 0} (lost {lost})")
    if pg_name:
        raw = pg_raw_baseline(pg_name, min(len(acked) or 1000, 5000))
        print(f"raw psycopg on the same PostgreSQL database, one durable transaction per row: {raw:,.0f} rows/s")
    else:
        raw = raw_baseline(template, len(acked) or 1000, work)
        print(f"raw sqlite3, WAL + synchronous=FULL, one transaction per row: {raw:,.0f} rows/s")
    ratio = api_rate / raw if raw else 0
    target = "0.3 with 2 workers" if pg_name else "0.1"
    print(f"ratio API / raw: {ratio:.3f} (target >= {target}); p99 target <= 100 ms")
    print(f"load after the run (uptime): {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(
        json.dumps(
            {
                "api_per_s": round(api_rate),
                "raw_per_s": round(raw),
                "ratio": round(ratio, 3),
                "p99_ms": round(p99, 1),
                "p50_ms": round(p50, 1),
                "p99_sustained_ms": round(p99_sustained, 1),
                "first_marks_max_ms": round(warm, 1),
                "lost": lost,
                "errors": errors,
                "server": f"scoring serve --workers {workers} (gunicorn gevent)"
                if opts.server == "serve"
                else opts.server
                if opts.server != "gunicorn"
                else f"gunicorn {opts.worker_class} {workers}w"
                + (f"x{opts.threads}t" if opts.worker_class == "gthread" else ""),
                "judges": len(codes),
                "marks": len(results),
                "workers": workers,
                "database": "postgresql" if pg_name else "sqlite",
                "load_1min": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
