"""Crash durability: acknowledged marks survive ``kill -9`` of the production server, none doubled.

What it does, per database (SQLite in a temporary directory; PostgreSQL in a temporary database
created on 127.0.0.1:5432 and dropped afterwards, skipped with the reason when unreachable):
1. builds the demo competition without marks plus 20 bench judges on the childcare practical
   panel (``bench/submit.py``'s ``build``) and starts ``scoring serve`` (gunicorn, one gevent
   worker), exactly as in production;
2. each round, 20 judges (one thread and one keep-alive connection each) first resend the marks
   of their outbox that were never acknowledged, with the same idempotency keys, as the tablet's
   outbox does after a reconnect, then post new marks back to back through
   ``POST /api/v1/judging/<slug>/marks``; every 2xx receipt is recorded;
3. at a random moment of the burst (when a random share, 5-95 %, of the round's marks has been
   acknowledged) the whole process group (gunicorn master AND worker) gets SIGKILL; the database
   is then read directly: every acknowledged key must be there, no key may have two rows, no
   cell two versions; the server is started again for the next round;
4. after the last round the outboxes are flushed on a fresh server, which is then stopped
   normally, and the database is checked once more.

Run from the repository root: ``.venv/bin/python bench/crash.py [--rounds 10] [--database both]``.
It prints figures per round and a summary; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from submit import ROOT, SLUG, build, free_port  # noqa: E402

JUDGES = 20
PG_ADMIN = os.environ.get("SCORING_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
MARKS_PATH = f"/api/v1/judging/{SLUG}/marks"


@dataclass
class Mark:
    key: str
    body: bytes
    tries: int = 0


@dataclass
class Judge:
    """One tablet: its session cookie, its outbox of unacknowledged marks, its unused cells."""

    code: str
    cells: list
    cookie: str = ""
    outbox: list[Mark] = field(default_factory=list)
    acked: dict[str, int] = field(default_factory=dict)  # key -> HTTP status of its receipt
    refused: list[tuple[str, int]] = field(default_factory=list)

    def new_mark(self) -> Mark:
        ref, aspect, value = self.cells.pop()
        key = f"{self.code}-{uuid.uuid4().hex[:20]}"
        body = json.dumps(
            {
                "contestant": ref,
                "aspect": aspect,
                "value": value,
                "idempotency_key": key,
                "based_on_version": 0,
                "client_id": f"crash-{self.code}",
            }
        ).encode()
        return Mark(key, body)


class Server:
    """``scoring serve`` in its own process group, so that one SIGKILL reaches master and worker."""

    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> float:
        t0 = time.perf_counter()
        py = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [
                    py,
                    "-c",
                    "from scoring.cli import main; main()",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                cwd=str(ROOT),
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", f"/judge/c/{SLUG}")
                if conn.getresponse().status == 200:
                    return time.perf_counter() - t0
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            if self.proc.poll() is not None:
                break
        self.kill()
        raise SystemExit("the server did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group and wait until no process of it is left."""
        if self.proc is None:
            return
        pgid = self.proc.pid
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        else:
            os.killpg(pgid, signal.SIGKILL)
        self.proc = None


def sign_in(port: int, judge: Judge) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/judge/c/{SLUG}")
    r = conn.getresponse()
    page = r.read().decode()
    first = (r.getheader("Set-Cookie") or "").split(";", 1)[0]
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0] if 'name="csrf_token"' in page else ""
    conn.request(
        "POST",
        f"/judge/c/{SLUG}/signin",
        body=urllib.parse.urlencode({"code": judge.code, "pin": "2468", "csrf_token": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": first},
    )
    r = conn.getresponse()
    r.read()
    if r.status not in (302, 303):
        raise SystemExit(f"judge {judge.code} could not sign in: {r.status}")
    judge.cookie = r.getheader("Set-Cookie").split(";", 1)[0]
    conn.close()


@dataclass
class Tally:
    """What one round saw, counted by the judges' threads."""

    acked: int = 0
    retried: int = 0
    replayed: int = 0  # a retried key the server already had: committed, its answer lost in the crash
    stored_on_retry: int = 0  # a retried key the server had not committed before the kill
    lock: threading.Lock = field(default_factory=threading.Lock)


def drive(port: int, judge: Judge, new_marks: int, tally: Tally) -> None:
    """The outbox first (same keys), then new marks, until done or the server is gone."""
    judge.outbox.extend(judge.new_mark() for _ in range(new_marks))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while judge.outbox:
        mark = judge.outbox[0]
        retry = mark.tries > 0
        mark.tries += 1
        try:
            conn.request(
                "POST", MARKS_PATH, body=mark.body, headers={"Content-Type": "application/json", "Cookie": judge.cookie}
            )
            resp = conn.getresponse()
            resp.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            return  # the server is gone: the mark stays in the outbox
        if resp.status == 401:  # asked to sign in again: the outbox keeps the mark
            try:
                sign_in(port, judge)
            except (OSError, http.client.HTTPException):
                return
            continue
        if resp.status >= 500:
            return
        judge.outbox.pop(0)
        if resp.status >= 300:
            judge.refused.append((mark.key, resp.status))
            continue
        judge.acked[mark.key] = resp.status
        with tally.lock:
            tally.acked += 1
            tally.retried += retry
            tally.replayed += retry and resp.status == 200
            tally.stored_on_retry += retry and resp.status == 201
    conn.close()


def check(db_url: str, acked: set[str]) -> dict:
    """Read the database directly (the server is dead or stopped): lost and duplicated marks."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(db_url, poolclass=NullPool)
    with engine.connect() as conn:
        keys = [k for (k,) in conn.execute(text("SELECT idempotency_key FROM mark WHERE idempotency_key LIKE 'B%'"))]
        cells = conn.execute(
            text(
                "SELECT COUNT(*) FROM (SELECT judge_id, contestant_id, aspect_id, round FROM mark "
                "WHERE idempotency_key LIKE 'B%' GROUP BY judge_id, contestant_id, aspect_id, round "
                "HAVING COUNT(*) > 1) AS doubled"
            )
        ).scalar_one()
    engine.dispose()
    stored = set(keys)
    return {"stored": len(stored), "lost": len(acked - stored), "duplicated": len(keys) - len(stored) + cells}


def run_database(kind: str, db_url: str, work: Path, rounds: int, marks: int, rng: random.Random) -> dict:
    print(f"[{kind}] building the competition ...", flush=True)
    codes, cells = build(db_url, JUDGES)
    judges = []
    for i, code in enumerate(codes):
        mine = cells[:]
        random.Random(i).shuffle(mine)
        judges.append(Judge(code, mine))
    if len(cells) < (rounds + 1) * marks:
        raise SystemExit(f"only {len(cells)} cells for {(rounds + 1) * marks} marks per judge: lower --marks")
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": db_url,
        "SCORING_INSTANCE": str(work / "instance"),
        "SCORING_SECRET_KEY": "crash-bench-secret",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SCORING_MESSAGE_QUEUE_URL", None)
    server = Server(env, free_port(), work / f"server-{kind}.log")
    result = {
        "rounds": 0,
        "acknowledged": 0,
        "lost": 0,
        "duplicated": 0,
        "refused": 0,
        "replayed": 0,
        "stored_on_retry": 0,
        "killed_mid_burst": 0,
    }
    try:
        server.start()
        for j in judges:
            sign_in(server.port, j)
        for rnd in range(1, rounds + 1):
            if server.proc is None:
                boot = server.start()
            else:
                boot = 0.0
            tally = Tally()
            planned = sum(len(j.outbox) for j in judges) + marks * len(judges)
            target = rng.randint(max(1, planned * 5 // 100), max(1, planned * 95 // 100))
            threads = [threading.Thread(target=drive, args=(server.port, j, marks, tally)) for j in judges]
            t0 = time.perf_counter()
            [t.start() for t in threads]
            while tally.acked < target and any(t.is_alive() for t in threads):
                time.sleep(0.0005)
            mid = any(t.is_alive() for t in threads)
            killed_at = time.perf_counter() - t0
            server.kill()
            [t.join() for t in threads]
            acked = {k for j in judges for k in j.acked}
            state = check(db_url, acked)
            in_doubt = sum(1 for j in judges for mk in j.outbox if mk.tries)
            unsent = sum(1 for j in judges for mk in j.outbox if not mk.tries)
            result.update(rounds=rnd, lost=state["lost"], duplicated=state["duplicated"])
            result["replayed"] += tally.replayed
            result["stored_on_retry"] += tally.stored_on_retry
            result["killed_mid_burst"] += mid
            print(
                f"[{kind}] round {rnd:2d}: kill -9 after {killed_at:5.2f} s{'' if mid else ' (burst over)'}"
                f"{f', restart {boot:4.1f} s' if boot else ''}; acknowledged {tally.acked:4d} "
                f"(retried {tally.retried}: {tally.replayed} already stored, {tally.stored_on_retry} stored now); "
                f"at the kill {in_doubt} sent without answer, {unsent:3d} waiting; stored {state['stored']}; "
                f"lost {state['lost']}; duplicated {state['duplicated']}",
                flush=True,
            )
        boot = server.start()
        tally = Tally()
        threads = [threading.Thread(target=drive, args=(server.port, j, 0, tally)) for j in judges]
        [t.start() for t in threads]
        [t.join() for t in threads]
        server.kill(signal.SIGTERM)
        acked = {k for j in judges for k in j.acked}
        state = check(db_url, acked)
        left = sum(len(j.outbox) for j in judges)
        result.update(
            acknowledged=len(acked),
            lost=state["lost"],
            duplicated=state["duplicated"],
            refused=sum(len(j.refused) for j in judges),
            unsent_at_end=left,
        )
        result["replayed"] += tally.replayed
        result["stored_on_retry"] += tally.stored_on_retry
        print(
            f"[{kind}] final: restart {boot:.1f} s, outboxes flushed ({tally.acked} marks: {tally.replayed} already "
            f"stored, {tally.stored_on_retry} stored now), left unsent {left}; acknowledged {len(acked)}, "
            f"stored {state['stored']}, lost {state['lost']}, duplicated {state['duplicated']}, "
            f"refused {result['refused']}",
            flush=True,
        )
    finally:
        server.kill()
        from scoring.db import dispose_all

        dispose_all()
    return result


def postgres_database() -> tuple[str, str] | str:
    """(admin URL, temporary database name), or the reason PostgreSQL cannot be used."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as admin:
            name = f"scoring_crash_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE DATABASE "{name}"')
        return PG_ADMIN, name
    except Exception as exc:  # noqa: BLE001 - any failure is a reason to skip, printed
        why = " ".join(str(exc).split())
        return f"PostgreSQL not reachable at {PG_ADMIN.split('@')[-1]}: {exc.__class__.__name__}: {why}"


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--rounds", type=int, default=15, help="kill -9 rounds per database (default 15)")
    ap.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--marks", type=int, default=30, help="new marks per judge per round (default 30)")
    ap.add_argument("--seed", type=int, default=None, help="random seed of the kill moments (default: random)")
    opts = ap.parse_args()
    seed = opts.seed if opts.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    print(
        f"crash durability: {JUDGES} judges, {opts.marks} new marks each per round, {opts.rounds} rounds, seed {seed}",
        flush=True,
    )
    started = time.perf_counter()
    results: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    if opts.database in ("sqlite", "both"):
        work = Path(tempfile.mkdtemp(prefix="bench-crash-sqlite-"))
        try:
            results["sqlite"] = run_database(
                "sqlite", f"sqlite:///{work / 'scoring.sqlite'}", work, opts.rounds, opts.marks, rng
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if opts.database in ("postgresql", "both"):
        made = postgres_database()
        if isinstance(made, str):
            skipped["postgresql"] = made
            print(f"[postgresql] skipped: {made}", flush=True)
        else:
            admin_url, name = made
            db_url = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
            work = Path(tempfile.mkdtemp(prefix="bench-crash-pg-"))
            try:
                results["postgresql"] = run_database("postgresql", db_url, work, opts.rounds, opts.marks, rng)
            finally:
                shutil.rmtree(work, ignore_errors=True)
                drop_postgres(admin_url, name)
    elapsed = time.perf_counter() - started
    total = {k: sum(r[k] for r in results.values()) for k in ("acknowledged", "lost", "duplicated", "refused")}
    print(
        f"summary: {sum(r['rounds'] for r in results.values())} kill -9 rounds in {elapsed:.0f} s; "
        f"acknowledged {total['acknowledged']}, lost {total['lost']}, duplicated {total['duplicated']}, "
        f"refused {total['refused']}" + "".join(f"; {k} skipped ({v})" for k, v in skipped.items())
    )
    print(
        json.dumps(
            {
                "rounds_sqlite": results.get("sqlite", {}).get("rounds", 0),
                "rounds_postgresql": results.get("postgresql", {}).get("rounds", 0),
                **total,
                "judges": JUDGES,
                "marks_per_round_per_judge": opts.marks,
                "seed": seed,
                "seconds": round(elapsed, 1),
                "skipped": skipped,
                "per_database": results,
            },
            ensure_ascii=False,
        )
    )
    sys.exit(1 if total["lost"] or total["duplicated"] else 0)


if __name__ == "__main__":
    main()
