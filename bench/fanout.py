"""Fan-out benchmark: a mark's POST -> the LAST of N boards receiving the new standings version.

N = 100, 1000, 2000 boards connect over WebSocket (lean raw Engine.IO/Socket.IO clients spread
over a few processes, not python-socketio clients, so the clients do not dominate the two cores).
The server is the real app under gunicorn with the gevent worker (the production mode, see
README "Production setup") on a fresh SQLite copy of the demo competition (98 contestants).
Marks are POSTed through the judges' JSON API. Next to it, in the same run, a bare `websockets`
server broadcasts a payload of the same size to the same N clients: the Python floor.

Reported per N: p50/p95 of POST -> last board (ms), p50/p95 of push -> last board, the bare
broadcast's p50/p95, the server's resident memory (and its growth per connected board), and boards
that missed the last version.

Then the national group (issue 14): a fresh copy of ``scoring.demo_national`` (10,000 contestants
in one group), FANOUT_NATIONAL boards (default 2,000) each asking for a window of 20 rows spread
over the first pages, phones among them following one row each; marks move contestants by
thousands of places (a value of 100 or 40). Reported: the bytes of every push a board received
(``push_bytes_10k``: the largest; the mean beside it), the POST -> last board latency there, and
boards that missed the last version.
Run: .venv/bin/python bench/fanout.py   (about 3-4 minutes). The last line is one JSON object with
``targets_met``: ratio <= 2.0, rss_mb <= 250, missing 0 (both phases), push_bytes_10k <= 8192.
Knobs (environment): FANOUT_SIZES, FANOUT_MARKS, FANOUT_SPACING, FANOUT_PAYLOAD, FANOUT_CLIENT_PROCS,
FANOUT_NATIONAL (0: skip the national phase), FANOUT_NATIONAL_MARKS, and
FANOUT_WORKER (a gunicorn worker class instead of gevent, e.g. gevent-websocket's, if installed).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [int(x) for x in os.environ.get("FANOUT_SIZES", "100,1000,2000").split(",")]
MARKS = int(os.environ.get("FANOUT_MARKS", "40"))
PROCS = int(os.environ.get("FANOUT_CLIENT_PROCS", "3"))
NATIONAL = int(os.environ.get("FANOUT_NATIONAL", "2000"))
NATIONAL_MARKS = int(os.environ.get("FANOUT_NATIONAL_MARKS", "20"))
SLUG = "yulin-childcare-2025"
TARGETS = {"ratio": 2.0, "rss_mb": 250, "push_bytes_10k": 8192}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn master + worker)."""
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
        pids += [int(x) for x in out.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


# ----------------------------------------------------------------------------- clients (child processes)


def _version_of(raw: str) -> int:
    """The top-level version of a ``42["standings", {...}]`` frame without parsing all of it.

    The server writes ``kind``, ``base`` and ``competition`` (slug, name, organizer) before
    ``version``; inside JSON strings a quote is escaped, so the first ``"version":`` is the
    top-level key. Falls back to a full parse. Lean like the bare clients' ``split``."""
    i = raw.find('"version":')
    if i >= 0:
        j = i + 10
        k = j
        while k < len(raw) and raw[k].isdigit():
            k += 1
        if k > j:
            return int(raw[j:k])
    return int(json.loads(raw[2:])[1]["version"])


def client_proc(kind: str, url: str, n: int, ready, go, results, stop, offset: int = 0) -> None:
    asyncio.run(_clients(kind, url, n, ready, go, results, stop, offset))


def _auth(kind: str, i: int) -> dict:
    """What board ``i`` asks for: the demo group whole ("sio"), or in the national group ("window")
    a page of 20 rows (one of the first 50 pages), every tenth board a phone following one row."""
    if kind == "sio":
        return {"competition": SLUG, "audience": "public", "group": "childcare"}
    from scoring.demo_national import SLUG as NATIONAL_SLUG

    if i % 10 == 9:
        window = {"group": "childcare", "follow": f"NA-{(i * 37) % 10_000 + 1:05d}"}
        return {"competition": NATIONAL_SLUG, "audience": "audience", "window": window}
    window = {"group": "childcare", "start": (i % 50) * 20, "size": 20}
    return {"competition": NATIONAL_SLUG, "audience": "public", "window": window}


async def _clients(kind, url, n, ready, go, results, stop, offset=0):
    import websockets

    seen: dict[int, list[float]] = {}
    sent_times: dict[int, float] = {}
    sizes: list[int] = []  # bytes of every push after the connect snapshot
    connected = 0

    async def one(i):
        nonlocal connected
        async with websockets.connect(url, max_size=None, open_timeout=60, ping_interval=None) as ws:
            if kind != "ws":
                await ws.recv()  # engine.io open
                await ws.send("40" + json.dumps(_auth(kind, offset + i)))
            else:
                connected += 1
            counted = kind == "ws"
            async for raw in ws:
                now = time.time()
                if kind != "ws":
                    if raw == "2":
                        await ws.send("3")
                        continue
                    if not raw.startswith("42"):
                        continue
                    version = _version_of(raw)
                    if not counted:  # ready only once the connect snapshot has arrived
                        counted = True
                        connected += 1
                    else:
                        sizes.append(len(raw.encode()) - 2)  # the JSON after the "42" packet type
                else:
                    seq, sent_at, _rest = raw.split("|", 2)
                    version = int(seq)
                    sent_times[version] = float(sent_at)
                seen.setdefault(version, []).append(now)

    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(one(i)))
        if len(tasks) % 50 == 0:
            await asyncio.sleep(0.02)
    t0 = time.time()
    while connected < n and time.time() - t0 < 120:
        await asyncio.sleep(0.05)
    ready.put(connected)
    while not stop.is_set():
        await asyncio.sleep(0.05)
    for t in tasks:
        t.cancel()
    results.put(
        (
            {v: (len(ts), max(ts), sent_times.get(v)) for v, ts in seen.items()},
            (max(sizes, default=0), sum(sizes), len(sizes)),
        )
    )


def run_clients(kind: str, url: str, n: int, seconds: float, trigger):
    """Start the client processes, wait until all N are connected, run ``trigger``, collect receipts."""
    ctx = mp.get_context("fork")
    ready, results, go, stop = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Event()
    per = [n // PROCS + (1 if i < n % PROCS else 0) for i in range(PROCS)]
    offsets = [sum(per[:i]) for i in range(PROCS)]
    procs = [
        ctx.Process(target=client_proc, args=(kind, url, k, ready, go, results, stop, off))
        for k, off in zip(per, offsets)
        if k
    ]
    for p in procs:
        p.start()
    connected = sum(ready.get(timeout=180) for _ in procs)
    time.sleep(
        float(os.environ.get("FANOUT_SETTLE", "1"))
    )  # every board already has its snapshot: let the server settle
    go.set()
    sent = trigger()
    time.sleep(seconds)
    stop.set()
    merged: dict[int, list] = {}
    sizes = [0, 0, 0]  # largest push, bytes in all, pushes
    for _ in procs:
        got, (largest, total, count) = results.get(timeout=seconds + 120)
        sizes = [max(sizes[0], largest), sizes[1] + total, sizes[2] + count]
        for v, (count, last, sent_at) in got.items():
            c, latest, _s = merged.get(v, (0, 0.0, None))
            merged[v] = (c + count, max(latest, last), sent_at)
    for p in procs:
        p.join(timeout=30)
    run_clients.sizes = sizes
    return connected, sent, merged


# ----------------------------------------------------------------------------- the app server


def seed(path: Path, national: bool = False) -> None:
    from scoring.db import make_engine
    from scoring.demo_data import childcare_document
    from scoring.demo_national import national_document
    from scoring.migrate import upgrade
    from scoring.services import judging, live_admin
    from scoring.services.transfer import import_document

    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    doc = national_document() if national else childcare_document(marks="all")
    cid = import_document(engine, doc, actor="bench")
    live_admin.set_visibility(engine, cid, "live", "bench")
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(engine) as s:
        for judge in s.exec(select(m.Judge).where(m.Judge.competition_id == cid)):
            judging.set_pin(engine, judge.id, "2468", actor="bench")
    engine.dispose()


def start_app(db: Path, port: int, instance: Path, slug: str = SLUG) -> subprocess.Popen:
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": f"sqlite:///{db}",
        "SCORING_ASYNC_MODE": "gevent",
        "SCORING_INSTANCE": str(instance),
        "SCORING_SECRET_KEY": "bench",
    }
    worker = os.environ.get("FANOUT_WORKER", "gevent")  # another gunicorn worker class, to compare
    # the production settings and start-up hooks (scoring/gunicorn_conf.py), by file so that the
    # master does not import the app (as `scoring serve` does not load it before forking either)
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(ROOT / "scoring" / "gunicorn_conf.py"),
        "-k",
        worker,
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "scoring:create_app()",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    import requests

    for _ in range(300):
        try:
            # the first standings (of 10,000 in the national phase) are computed here, before the clock runs
            if requests.get(f"http://127.0.0.1:{port}/api/v1/competitions/{slug}/standings", timeout=60).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit("the app server did not start")


def theory_cells(db: Path):
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import make_engine, reading

    engine = make_engine(f"sqlite:///{db}")
    with reading(engine) as s:
        aspect = s.exec(select(m.Aspect).where(m.Aspect.code == "T1")).one()
        codes = {e.contestant_id: e.code for e in s.exec(select(m.DrawEntry))}
        groups = {c.id: c.group_id for c in s.exec(select(m.Contestant))}
        judges = {j.id: j.code for j in s.exec(select(m.Judge))}
        first_group = min(groups.values())
        cells = {}
        for mk in s.exec(select(m.Mark).where(m.Mark.aspect_id == aspect.id).order_by(m.Mark.version)):
            if groups[mk.contestant_id] == first_group:
                cells[mk.contestant_id] = (codes[mk.contestant_id], judges[mk.judge_id], mk.value, mk.version)
    engine.dispose()
    return list(cells.values())


def pct(values, q):
    values = sorted(values)
    if not values:
        return None
    k = max(0, min(len(values) - 1, int(round(q / 100 * (len(values) - 1)))))
    return values[k]


def bench_app(n: int, port: int, cells, state, slug: str = SLUG, kind: str = "sio", marks: int = MARKS) -> dict:
    import requests

    base = f"http://127.0.0.1:{port}"
    judge = cells[0][1]
    http = requests.Session()
    import re

    page = http.get(f"{base}/judge/c/{slug}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    r = http.post(
        f"{base}/judge/c/{slug}/signin",
        allow_redirects=False,
        data={"code": judge, "pin": "2468", "csrf_token": token.group(1) if token else ""},
    )
    assert r.status_code in (302, 303), r.status_code

    def trigger():
        sent = []
        for i in range(marks):
            if kind == "window":  # the national group: a contestant moves by thousands of places
                label, _j, value, version = cells[(i * 797) % len(cells)]
                cur = state.setdefault(label, (value, version))
                new = Decimal(40) if cur[0] >= 70 else Decimal(100)
            else:
                label, _j, value, version = cells[i % len(cells)]
                cur = state.setdefault(label, (value, version))
                new = cur[0] - Decimal("0.5") if cur[0] >= 1 else cur[0] + Decimal("0.5")
            t0 = time.time()
            r = http.post(
                f"{base}/api/v1/judging/{slug}/marks",
                headers={"Connection": "close"},
                json={
                    "contestant": label,
                    "aspect": "T1",
                    "value": str(new),
                    "idempotency_key": uuid.uuid4().hex,
                    "based_on_version": cur[1],
                },
            )
            assert r.status_code == 201, r.text
            body = r.json()
            state[label] = (new, body["version"])
            sent.append((t0, body["standings_version"]))
            # marks far enough apart that each is its own push (a push to 2,000 boards is done in ~0.1 s)
            time.sleep(float(os.environ.get("FANOUT_SPACING", "0.6")))
        return sent

    url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
    connected, sent, merged = run_clients(kind, url, n, 3.0, trigger)
    if os.environ.get("FANOUT_DEBUG"):
        print("DEBUG", connected, sent, {v: (c, t) for v, (c, t, _s) in merged.items()}, flush=True)
    lat, missing = [], 0
    for t0, version in sent:
        got = [(c, last) for v, (c, last, _s) in merged.items() if v >= version]
        if not got:
            missing += n
            continue
        lat.append((min(last for _c, last in got) - t0) * 1000)
    final_version = sent[-1][1]
    missing = n - sum(c for v, (c, _l, _s) in merged.items() if v == final_version)
    largest, total, count = run_clients.sizes
    return {"connected": connected, "lat": lat, "missing": missing, "push_bytes_max": largest,
            "push_bytes_mean": round(total / count) if count else None}  # fmt: skip


# ----------------------------------------------------------------------------- the bare baseline


def bare_server(port: int, payload_size: int, ready, rounds: int, go) -> None:
    import websockets

    clients = set()

    async def handler(ws):
        clients.add(ws)
        try:
            await ws.wait_closed()
        finally:
            clients.discard(ws)

    async def main():
        async with websockets.serve(handler, "127.0.0.1", port, max_size=None, ping_interval=None, compression=None):
            ready.set()
            while not go.is_set():
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)
            for i in range(1, rounds + 1):
                msg = f"{i}|{time.time():.6f}|".ljust(payload_size, "x")
                websockets.broadcast(clients, msg)
                await asyncio.sleep(0.25)
            await asyncio.sleep(2)

    asyncio.run(main())


def bench_bare(n: int, payload_size: int) -> dict:
    ctx = mp.get_context("fork")
    port = free_port()
    ready, go = ctx.Event(), ctx.Event()
    rounds = MARKS
    server = ctx.Process(target=bare_server, args=(port, payload_size, ready, rounds, go))
    server.start()
    ready.wait(30)

    def trigger():
        go.set()
        return []

    connected, _sent, merged = run_clients("ws", f"ws://127.0.0.1:{port}", n, 1.0 + rounds * 0.25 + 2, trigger)
    server.join(timeout=30)
    lat = [(last - sent_at) * 1000 for v, (count, last, sent_at) in merged.items() if sent_at and count == n]
    return {"connected": connected, "lat": lat, "missing": sum(n - c for c, _l, _s in merged.values())}


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="fanout-"))
    db = tmp / "bench.sqlite"
    print("seeding the demo competition ...", flush=True)
    seed(db)
    cells = theory_cells(db)
    rows = []
    state: dict = {}
    for n in SIZES:
        run_db = tmp / f"run-{n}.sqlite"
        shutil.copy(db, run_db)
        port = free_port()
        server = start_app(run_db, port, tmp / f"inst-{n}")
        try:
            rss_idle = rss_mb(server.pid)
            state.clear()
            app = bench_app(n, port, cells, state)
            rss = rss_mb(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        payload = int(os.environ.get("FANOUT_PAYLOAD", "2048"))
        bare = bench_bare(n, payload)
        rows.append((n, app, bare, rss, rss_idle))
        print_row(n, app, bare, rss, rss_idle)
    n, app, bare, rss, rss_idle = rows[-1]
    out = summary(n, app, bare, rss, rss_idle)
    if NATIONAL:
        out.update(bench_national(tmp))
    met = (
        out["ratio"] is not None
        and out["ratio"] <= TARGETS["ratio"]
        and out["rss_mb"] <= TARGETS["rss_mb"]
        and out["missing"] == 0
        and (not NATIONAL or (out["missing_10k"] == 0 and out["push_bytes_10k"] <= TARGETS["push_bytes_10k"]))
    )
    out["load_avg"] = round(os.getloadavg()[0], 2)  # the machine may be shared: say how busy it was
    out["targets_met"] = bool(met)
    print(json.dumps(out))


def bench_national(tmp: Path) -> dict:
    """The national group: NATIONAL windowed boards and phones of a group of 10,000."""
    from scoring.demo_national import SLUG as NATIONAL_SLUG

    db = tmp / "national.sqlite"
    print(f"seeding the national group (10,000 contestants) for {NATIONAL} boards ...", flush=True)
    seed(db, national=True)
    cells = theory_cells(db)
    port = free_port()
    server = start_app(db, port, tmp / "inst-national", slug=NATIONAL_SLUG)
    try:
        rss_idle = rss_mb(server.pid)
        app = bench_app(NATIONAL, port, cells, {}, slug=NATIONAL_SLUG, kind="window", marks=NATIONAL_MARKS)
        rss = rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    res = {
        "n_10k": NATIONAL,
        "p50_ms_10k": round(pct(app["lat"], 50)) if app["lat"] else None,
        "p95_ms_10k": round(pct(app["lat"], 95)) if app["lat"] else None,
        "push_bytes_10k": app["push_bytes_max"],
        "push_bytes_mean_10k": app["push_bytes_mean"],
        "rss_mb_10k": rss,
        "rss_per_board_kb_10k": round((rss - rss_idle) * 1024 / NATIONAL, 1),
        "missing_10k": app["missing"],
        "connected_10k": app["connected"],
    }
    print(
        f"national group of 10,000, N={NATIONAL} windowed boards/phones: POST->last board p50 {res['p50_ms_10k']} ms, "
        f"p95 {res['p95_ms_10k']} ms  |  push bytes max {res['push_bytes_10k']}, mean {res['push_bytes_mean_10k']}  |  "
        f"server RSS {rss} MB (idle {rss_idle}, {res['rss_per_board_kb_10k']} KB per board)  |  "
        f"connected {app['connected']}/{NATIONAL}, missing the last version {app['missing']}",
        flush=True,
    )
    return res


def summary(n, app, bare, rss, rss_idle=None) -> dict:
    p50, p95 = pct(app["lat"], 50), pct(app["lat"], 95)
    bare_lat = bare["lat"]
    b95 = pct(bare_lat, 95)
    return {
        "n": n,
        "p50_ms": round(p50),
        "p95_ms": round(p95),
        "bare_p50_ms": round(pct(bare_lat, 50)),
        "bare_p95_ms": round(b95),
        "ratio": round(p95 / b95, 1) if b95 else None,
        "rss_mb": rss,
        "rss_per_board_kb": round((rss - rss_idle) * 1024 / n, 1) if rss_idle is not None else None,
        "missing": app["missing"],
        "connected": app["connected"],
        "bare_connected": bare["connected"],
    }


def print_row(n, app, bare, rss, rss_idle) -> None:
    s = summary(n, app, bare, rss, rss_idle)
    print(
        f"N={n:5d}  app POST->last board p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms  |  bare broadcast "
        f"p50 {s['bare_p50_ms']} ms, p95 {s['bare_p95_ms']} ms  |  ratio {s['ratio']}  |  server RSS {rss} MB "
        f"(idle {rss_idle}, {s['rss_per_board_kb']} KB per board)  |  connected {s['connected']}/{n}, missing the last version {s['missing']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
