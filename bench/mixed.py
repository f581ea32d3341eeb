"""Mixed load: marks and boards while the organizer does heavy work (issue 14).

One real server (gunicorn, one gevent worker: the production mode, ``scoring/gunicorn_conf.py``) on a
fresh SQLite file holding three competitions:
- the venue (the demo's childcare competition, fully marked, its practical aspects shared out among
  ten panels of five bench judges, a panel's mean counting): 50 judges correct marks through the API at a venue's pace (one mark each
  every ``MIXED_PACE`` s) with a burst (every judge 5 marks back to back) in each phase, each
  correction moving a total visibly (so each mark is a push); 500 boards watch it over WebSocket
  (lean raw Socket.IO clients in a few processes, as in bench/fanout.py);
- a national final of 10,000 contestants, published, 500 certificates issued;
- an empty competition a 5,000-row contestant sheet is imported into.

Phase "idle": marks and boards only. Phase "heavy": the same, and at once the organizer changes a
stage weight of the venue (a full recompute, pushed to every board), starts a batch PDF of the 500
certificates, exports the 10,000 rows as XLSX and imports the 5,000-row sheet; the phase lasts until
all of them are done. Reported per phase: p50/p99 of a mark's acknowledgement, p95 of mark -> last
board (the time until every board has a version at least the mark's), and their ratios; acknowledged
marks not in the database afterwards (``lost``) and boards without the final version (``missing``): at the
end the organizer sets the weight back, a change every board must show. Mark -> last board is the time until
every board has a version at least the mark's; a correction the aspect's rule does not let move any total
(the other judges' marks decide) makes no push of its own and counts until the next push.

Run: .venv/bin/python bench/mixed.py   (about 3-4 minutes). The last line is one JSON object.
Knobs (environment): MIXED_BOARDS (500), MIXED_JUDGES (50), MIXED_PACE (2.0 s), MIXED_IDLE (40 s),
MIXED_CLIENT_PROCS (2).
"""

from __future__ import annotations

import bisect
import http.client
import io
import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # tests/competitions.py: the smallest valid document

BOARDS = int(os.environ.get("MIXED_BOARDS", "500"))
JUDGES = int(os.environ.get("MIXED_JUDGES", "50"))
PACE = float(os.environ.get("MIXED_PACE", "2.0"))
IDLE = float(os.environ.get("MIXED_IDLE", "40"))
PROCS = int(os.environ.get("MIXED_CLIENT_PROCS", "2"))
WARM = 5.0  # seconds of marking before the idle phase is measured
BIG, IMPORT_INTO = "national-final-2025", "import-2025"
VENUE = "yulin-childcare-2025"
ORGANIZER = ("bench-organizer", "bench-password-1")
BIG_ROWS, CERTS, SHEET_ROWS = 10_000, 500, 5_000


# ----------------------------------------------------------------------------- the database


def build_big(engine) -> int:
    """10,000 contestants in one group, every mark in, published: 500 certificates (5% first prize)."""
    from competitions import small_document

    from scoring.services import publication
    from scoring.services.transfer import import_document

    raw = small_document(BIG)
    raw["rules"]["awards"][0]["tiers"] = [{"name": "一等奖", "percent": "5"}]
    raw["contestants"] = [
        {"code": f"N{i:05d}", "name": f"选手{i:05d}", "gender": "女", "unit": f"单位{i % 300}", "region": f"县{i % 12}"}
        | {"group": "childcare"}
        for i in range(BIG_ROWS)
    ]
    # 10,000 distinct values: the 5% quota lands on exactly 500 people
    raw["scheme"][0]["aspects"][0]["step"] = "0.01"
    raw["marks"] = [
        {"contestant": f"N{i:05d}", "aspect": "T1", "judge": "J01", "value": f"{(i * 7919) % BIG_ROWS / 100:.2f}"}
        for i in range(BIG_ROWS)
    ]
    cid = import_document(engine, raw, actor="bench")
    publication.set_stage_state(engine, cid, "theory", True, "bench")
    publication.publish(engine, cid, "bench")
    return cid


PANEL = 5  # judges per panel: the venue's practical aspects are shared out among panels of five


def swing(aspect: dict) -> tuple[str, str] | None:
    """The two values a judge alternates between on an aspect: far apart, so that one judge's
    correction moves the (mean of five) total visibly and every mark is a push to every board."""
    step, top = aspect.get("step") or "1", aspect["max_mark"]
    if aspect["type"] == "measurement":
        return step, str(Decimal(top) - Decimal(step))
    if aspect["type"] == "judgement":  # the 0-3 judgement scale, weighted to the max mark
        return "0", "3"
    return None


def build_venue(engine) -> tuple[list[str], dict[str, list[tuple[str, str, str]]], dict]:
    """The demo's childcare competition fully marked, its practical aspects shared out among panels
    of ``PANEL`` bench judges (``JUDGES`` in all, each with the marks the old panel gave, PIN 2468),
    the mean of a panel counting, the public board live."""
    from scoring.demo_data import childcare_document
    from scoring.services import live_admin
    from scoring.services.judging import set_pins
    from scoring.services.transfer import import_document

    raw = childcare_document(marks="all")
    codes = [f"B{i:02d}" for i in range(JUDGES)]
    raw["judges"] += [{"code": c, "name": f"测试裁判{c}", "role": "judge"} for c in codes]
    old = next(p for p in raw["panels"] if p["group"] == "childcare" and p["stage"] == "practical")
    kinds = {}
    todo = list(raw["scheme"])
    while todo:  # criteria -> sub-criteria -> aspects
        node = todo.pop()
        todo += node.get("children", [])
        kinds.update({a["code"]: a for a in node.get("aspects", [])})
    benches = [codes[i : i + PANEL] for i in range(0, len(codes), PANEL)]
    panels = [
        {"group": "childcare", "stage": "practical", "judges": judges, "aspects": old["aspects"][k :: len(benches)]}
        for k, judges in enumerate(benches)
    ]
    raw["panels"] = [p for p in raw["panels"] if p is not old] + panels
    for st in raw["stages"]:
        if st["code"] == "practical":
            st["aggregation"] = None  # each aspect: the mean of its panel (rules.aggregate)
    cells = {(mk["contestant"], mk["aspect"]): mk["value"] for mk in raw["marks"] if mk["judge"] in old["judges"]}
    panel_of = {a: p for p in panels for a in p["aspects"]}
    raw["marks"] = [mk for mk in raw["marks"] if mk["judge"] not in old["judges"]] + [
        {"contestant": c, "aspect": a, "judge": j, "value": v}
        for (c, a), v in cells.items()
        for j in panel_of[a]["judges"]
    ]
    raw["recusals"] = []
    cid = import_document(engine, raw, actor="bench")
    set_pins(engine, cid, {c: "2468" for c in codes}, actor="bench")
    live_admin.set_visibility(engine, cid, "live", "bench")
    refs = {e["contestant"]: e["code"] for e in raw["draw"]["entries"]}
    swings = {a: swing(kinds[a]) for a in kinds}
    work = {
        j: [
            (refs[c], a, cells[(c, a)])
            for (c, a) in sorted(cells)
            if c in refs and swings.get(a) and j in panel_of[a]["judges"]
        ]
        for j in codes
    }
    return codes, work, swings


def build(db: Path):
    from sqlmodel import func, select

    from scoring import models as m
    from scoring.db import make_engine, reading
    from scoring.migrate import upgrade
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    url = f"sqlite:///{db}"
    upgrade(url)
    engine = make_engine(url)
    judges, cells, swings = build_venue(engine)
    build_big(engine)
    from competitions import small_document

    import_document(engine, small_document(IMPORT_INTO), actor="bench")
    create_user(engine, *ORGANIZER, role="organizer")
    with reading(engine) as s:
        certs = s.exec(select(func.count()).select_from(m.Certificate)).one()
    print(f"built: venue, {BIG_ROWS} contestants published with {certs} certificates, an empty import target")
    engine.dispose()
    return judges, cells, swings


def sheet() -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(["姓名", "性别", "单位", "县区", "组别"])
    for i in range(SHEET_ROWS):
        ws.append([f"导入{i:05d}", "女", f"单位{i % 97}", f"县{i % 12}", "托育"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ----------------------------------------------------------------------------- the server


def start_server(db: Path, port: int, instance: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": f"sqlite:///{db}",
        "SCORING_ASYNC_MODE": "gevent",
        "SCORING_INSTANCE": str(instance),
        "SCORING_SECRET_KEY": "bench",
        "SCORING_UPLOAD_SECONDS": "60",  # a shared machine reads a 5,000-row sheet slowly
    }
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        os.environ.get("MIXED_GUNICORN_CONF") or str(ROOT / "scoring" / "gunicorn_conf.py"),
        "-k",
        "gevent",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "scoring:create_app()",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", f"/api/v1/competitions/{VENUE}/standings")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


# ----------------------------------------------------------------------------- boards (child processes)


def board_proc(url: str, n: int, ready, stop, marks_q, results) -> None:
    import asyncio

    asyncio.run(_boards(url, n, ready, stop, marks_q, results))


async def _boards(url, n, ready, stop, marks_q, results):
    import asyncio

    import websockets
    from fanout import _version_of

    seen: list[tuple[list[int], list[float]]] = []  # per board: versions and arrival times
    connected = 0

    async def one():
        nonlocal connected
        versions, times = [], []
        seen.append((versions, times))
        first = True
        async with websockets.connect(url, max_size=None, open_timeout=120, ping_interval=None) as ws:
            await ws.recv()  # engine.io open
            await ws.send("40" + json.dumps({"competition": VENUE, "audience": "public", "group": "childcare"}))
            async for raw in ws:
                if raw == "2":
                    await ws.send("3")
                    continue
                if not raw.startswith('42["standings"'):
                    continue
                v = _version_of(raw)
                if not versions or v > versions[-1]:
                    versions.append(v)
                    times.append(time.time())
                if first:
                    first = False
                    connected += 1

    tasks = []
    for _ in range(n):
        tasks.append(asyncio.create_task(one()))
        if len(tasks) % 25 == 0:
            await asyncio.sleep(0.05)
    t0 = time.time()
    while connected < n and time.time() - t0 < 180:
        await asyncio.sleep(0.1)
    ready.put(connected)
    while not stop.is_set():
        await asyncio.sleep(0.1)
    await asyncio.sleep(0)
    for t in tasks:
        t.cancel()
    marks = marks_q.get()
    out = []
    for version in marks:  # per mark: when the last of this process's boards had it (None: one never did)
        last = 0.0
        for versions, times in seen:
            i = bisect.bisect_left(versions, version)
            if i == len(versions):
                last = None
                break
            last = max(last, times[i])
        out.append(last)
    final = max((v[-1] for v, _t in seen if v), default=0)
    results.put((out, [v[-1] if v else 0 for v, _t in seen], final))


# ----------------------------------------------------------------------------- judges (threads)


class Judges:
    """``JUDGES`` threads, one keep-alive connection each, marking at a venue's pace."""

    def __init__(self, port: int, codes: list[str], cells: dict[str, list[tuple[str, str, str]]], swings: dict):
        self.port, self.codes, self.cells, self.swings = port, codes, cells, swings
        self.records: list[tuple[float, float, int, int, str]] = []  # (sent, ack ms, status, version, key)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.burst_at: list[float] = []
        self.refusals: list = []
        self.sessions: dict[str, str] = {}  # judge -> session cookie  # the first refused mark, for the debug output
        self.versions: dict[str, dict] = {}  # judge -> (ref, aspect) -> (version, value) of their newest mark
        self.threads = [threading.Thread(target=self.run, args=(i, c), daemon=True) for i, c in enumerate(codes)]
        self.signed = threading.Barrier(len(codes) + 1)

    def start(self) -> None:
        for t in self.threads:
            t.start()
        self.signed.wait(timeout=120)

    def signin(self, code: str) -> tuple[http.client.HTTPConnection, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request("GET", f"/judge/c/{VENUE}")
        r = conn.getresponse()
        page = r.read().decode()
        first = r.getheader("Set-Cookie").split(";", 1)[0]
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        body = urllib.parse.urlencode({"code": code, "pin": "2468", "csrf_token": token})
        conn.request(
            "POST",
            f"/judge/c/{VENUE}/signin",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": first},
        )
        r = conn.getresponse()
        r.read()
        return conn, r.getheader("Set-Cookie").split(";", 1)[0]

    def run(self, idx: int, code: str) -> None:
        conn, cookie = self.signin(code)
        self.sessions[code] = cookie
        self.signed.wait(timeout=120)
        n = 0
        next_at = time.time() + PACE * idx / len(self.codes)  # spread over the pace
        bursts_done: set[float] = set()
        while not self.stop.is_set():
            now = time.time()
            burst = next((b for b in self.burst_at if b <= now and b not in bursts_done), None)
            if burst is None and now < next_at:
                time.sleep(min(0.05, next_at - now))
                continue
            count = 1
            if burst is not None:  # every judge at once, five marks back to back
                bursts_done.add(burst)
                count = 5
            for _ in range(count):
                conn = self.mark(conn, cookie, code, idx, n)
                n += 1
            next_at = max(next_at + PACE, time.time())

    def mark(self, conn, cookie: str, code: str, idx: int, n: int):
        """One correction of this judge's mark of a cell (between the two swing values)."""
        mine_cells = self.cells[code]
        ref, aspect, first = mine_cells[(idx * 7 + n) % len(mine_cells)]
        mine = self.versions.setdefault(code, {})
        version, value = mine.get((ref, aspect), (1, first))
        lo, hi = self.swings[aspect]
        new = hi if value == lo else lo
        key = f"{code}-{uuid.uuid4().hex[:16]}"
        body = json.dumps(
            {"contestant": ref, "aspect": aspect, "value": new, "idempotency_key": key, "based_on_version": version}
        )
        sent = time.time()
        t0 = time.perf_counter()
        status, version = 0, 0
        for _attempt in range(5):
            try:
                conn.request(
                    "POST",
                    f"/api/v1/judging/{VENUE}/marks",
                    body=body,
                    headers={"Content-Type": "application/json", "Cookie": cookie},
                )
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                if status not in (200, 201) and not self.refusals:
                    self.refusals.append((aspect, new, version, data[:300]))
                if status in (200, 201):
                    answer = json.loads(data)
                    version = answer.get("standings_version", 0)
                    mine[(ref, aspect)] = (answer["version"], new)
                break
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        with self.lock:
            self.records.append((sent, (time.perf_counter() - t0) * 1000, status, version, key))
        return conn


# ----------------------------------------------------------------------------- the organizer


class Organizer:
    def __init__(self, port: int):
        self.port = port
        self.cookie = ""
        conn = self.conn()
        conn.request("GET", "/login")
        r = conn.getresponse()
        page = r.read().decode()
        self.cookie = r.getheader("Set-Cookie").split(";", 1)[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        r = self.request("POST", "/login", {"username": ORGANIZER[0], "password": ORGANIZER[1], "csrf_token": token})
        assert r.status in (302, 303), r.status
        page = self.request("GET", "/admin/").read().decode()
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method: str, path: str, form: dict | None = None, files: dict | None = None):
        conn = self.conn()
        headers = {"Cookie": self.cookie, "Accept": "text/html"}
        body = None
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for k, v in (form or {}).items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
            for k, (name, data) in files.items():
                head = f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        r.read_body = r.read()
        r.read = lambda: r.read_body
        set_cookie = r.getheader("Set-Cookie")
        if set_cookie and set_cookie.startswith("session="):
            self.cookie = set_cookie.split(";", 1)[0]
        return r

    def job(self, r) -> dict:
        """Follow a job's page until it is done: its last status and how long it took."""
        assert r.status in (302, 303), (r.status, r.read()[:300])
        where = urllib.parse.urlsplit(r.getheader("Location")).path
        t0 = time.time()
        while time.time() - t0 < 600:
            status = json.loads(self.request("GET", where + "?format=json").read())
            if status["state"] in ("done", "failed"):
                size = 0
                if status.get("download"):
                    size = len(self.request("GET", status["download"]).read())
                return {**status, "bytes": size, "seconds": round(time.time() - t0, 1)}
            time.sleep(0.5)
        raise SystemExit(f"a job did not finish: {where}")

    def weight_change(self, theory: str = "25", practical: str = "75") -> dict:
        t0 = time.time()
        form = {
            "what": "competition",
            "name": "榆林市2025年托育职业技能竞赛",
            "organizer": "榆林市总工会",
            "date": "2025-05-23",
            "venue": "榆林职业技术学院",
            "weight_theory": theory,
            "weight_practical": practical,
            "csrf_token": self.token,
        }
        r = self.request("POST", f"/admin/c/{VENUE}/setup", form)
        return {"status": r.status, "seconds": round(time.time() - t0, 2)}

    def certificates(self) -> dict:
        return self.job(self.request("POST", f"/admin/c/{BIG}/certificates/batch", {"csrf_token": self.token}))

    def export(self) -> dict:
        return self.job(self.request("GET", f"/admin/c/{BIG}/export/childcare.xlsx"))

    def import_sheet(self, data: bytes) -> dict:
        r = self.request(
            "POST", f"/admin/c/{IMPORT_INTO}/contestants", {"csrf_token": self.token}, {"sheet": ("名单.xlsx", data)}
        )
        return self.job(r)


# ----------------------------------------------------------------------------- figures


def pct(values: list[float], q: float) -> float | None:
    values = sorted(values)
    if not values:
        return None
    return values[max(0, min(len(values) - 1, int(round(q / 100 * (len(values) - 1)))))]


def ms(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def public_version(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/api/v1/competitions/{VENUE}/standings")
    return json.loads(conn.getresponse().read())["version"]


def acknowledged_in_db(db: Path, keys: list[str]) -> int:
    import sqlite3

    con = sqlite3.connect(str(db))
    have = {row[0] for row in con.execute("SELECT idempotency_key FROM mark WHERE idempotency_key IS NOT NULL")}
    con.close()
    return sum(1 for k in keys if k in have)


def main() -> None:
    started = time.time()
    work = Path(tempfile.mkdtemp(prefix="mixed-"))
    db = work / "scoring.sqlite"
    codes, cells, swings = build(db)
    data = sheet()
    port = __import__("fanout").free_port()
    server = start_server(db, port, work / "instance")
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores, shared)", flush=True)
    ctx = mp.get_context("fork")
    ready, stop, marks_q, results = ctx.Queue(), ctx.Event(), ctx.Queue(), ctx.Queue()
    url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
    per = [BOARDS // PROCS + (1 if i < BOARDS % PROCS else 0) for i in range(PROCS)]
    procs = [ctx.Process(target=board_proc, args=(url, k, ready, stop, marks_q, results)) for k in per if k]
    try:
        for p in procs:
            p.start()
        connected = sum(ready.get(timeout=240) for _ in procs)
        print(f"{connected} boards connected", flush=True)
        organizer = Organizer(port)
        judges = Judges(port, codes, cells, swings)
        judges.start()
        t_idle = time.time() + WARM  # the judges' sign-ins each rebuilt the live standings: not measured
        judges.burst_at.append(t_idle + IDLE / 2)
        time.sleep(WARM + IDLE)
        t_heavy = time.time()
        heavy: dict[str, dict] = {}

        def run(name, fn, *args):
            heavy[name] = fn(*args)

        jobs = [
            threading.Thread(target=run, args=("weight_change", organizer.weight_change)),
            threading.Thread(target=run, args=("certificates_500", organizer.certificates)),
            threading.Thread(target=run, args=("export_xlsx_10000", organizer.export)),
            threading.Thread(target=run, args=("import_5000", organizer.import_sheet, data)),
        ]
        for t in jobs if not os.environ.get("MIXED_NO_HEAVY") else []:
            t.start()
        judges.burst_at.append(t_heavy + 10)
        for t in jobs if not os.environ.get("MIXED_NO_HEAVY") else []:
            t.join(timeout=400)
        t_end = max(time.time(), t_heavy + IDLE / 2)
        while time.time() < t_end:
            time.sleep(0.1)
        t_end = time.time()
        judges.stop.set()
        for t in judges.threads:
            t.join(timeout=60)
        # The last change every board must show: the weight back (it moves every total). A mark may not
        # move what a board shows (the aspect's rule may keep its value), so a mark cannot be this check.
        heavy["weight_back"] = organizer.weight_change("30", "70")
        final = public_version(port)
        time.sleep(float(os.environ.get("MIXED_SETTLE", "3")))  # the last pushes
        if os.environ.get("MIXED_DEBUG"):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", f"/api/v1/competitions/{VENUE}/standings")
            print(
                "DEBUG last mark",
                judges.records[-1][1:4],
                "public version",
                json.loads(c.getresponse().read())["version"],
            )
        stop.set()
        records = sorted(judges.records)
        ok = [r for r in records if r[2] in (200, 201)]
        for _ in procs:
            marks_q.put([r[3] for r in ok])
        per_proc = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=30)
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
        for p in procs:
            if p.is_alive():
                p.kill()
    # mark -> last board: the latest over the processes; None anywhere means a board never had it
    lasts = []
    for i in range(len(ok)):
        got = [pp[0][i] for pp in per_proc]
        lasts.append(None if any(g is None for g in got) else max(got))
    missing = sum(1 for pp in per_proc for v in pp[1] if v < final)
    lost = len(ok) - acknowledged_in_db(db, [r[4] for r in ok])
    failed = len(records) - len(ok)
    statuses: dict[int, int] = {}
    for r in records:
        if r[2] not in (200, 201):
            statuses[r[2]] = statuses.get(r[2], 0) + 1

    def phase(lo, hi):
        picked = [(r, last) for r, last in zip(ok, lasts) if lo <= r[0] < hi]
        acks = [r[1] for r, _l in picked]
        boards = [(last - r[0]) * 1000 for r, last in picked if last is not None]
        # outside the burst (every judge's five marks at once): the venue's steady pace alone
        steady = [r[1] for r, _l in picked if not any(b <= r[0] < b + PACE for b in judges.burst_at)]
        return {
            "marks": len(picked),
            "ack_p50": pct(acks, 50),
            "ack_p99": pct(acks, 99),
            "ack_p99_steady": pct(steady, 99),
            "board_p95": pct(boards, 95),
            "board_p50": pct(boards, 50),
        }

    idle, hv = phase(t_idle, t_heavy), phase(t_heavy, t_end)
    if os.environ.get("MIXED_DEBUG"):
        print("DEBUG refused", judges.refusals)
        unseen: dict[str, int] = {}
        for r, last in zip(ok, lasts):
            if last is None:
                unseen[r[4][:3]] = unseen.get(r[4][:3], 0) + 1
        print("DEBUG unseen by judge", unseen, "of", len(ok))
        print("DEBUG final", final, "boards' last versions", sorted({v for pp in per_proc for v in pp[1]}))
        for r, last in zip(ok, lasts):
            if r[1] > 300 or last is None or (last - r[0]) > 1:
                board = None if last is None else round((last - r[0]) * 1000)
                print(f"DEBUG t={r[0] - t_heavy:+.2f}s ack {r[1]:.0f} ms v{r[3]} board {board} ms")
    for name, f in (("idle", idle), ("heavy", hv)):
        print(
            f"{name:5}: {f['marks']:5} marks  ack p50 {ms(f['ack_p50'])} ms  p99 {ms(f['ack_p99'])} ms  "
            f"mark -> last of {connected} boards p50 {ms(f['board_p50'])} ms  p95 {ms(f['board_p95'])} ms"
            f"  (ack p99 outside the burst {ms(f['ack_p99_steady'])} ms)"
        )
    for name, h in heavy.items():
        shown = {k: h.get(k) for k in ("status", "state", "seconds", "done", "total", "bytes", "message") if k in h}
        print(f"  {name}: {shown}")
    ack_ratio = hv["ack_p99"] / idle["ack_p99"] if idle["ack_p99"] and hv["ack_p99"] else None
    board_ratio = hv["board_p95"] / idle["board_p95"] if idle["board_p95"] and hv["board_p95"] else None
    print(
        f"ratios heavy/idle: ack p99 {ack_ratio and round(ack_ratio, 2)}  board p95 {board_ratio and round(board_ratio, 2)}"
    )
    print(
        f"lost {lost}, missing {missing}, refused marks {failed} {statuses or ''}, heavy phase {t_end - t_heavy:.0f} s"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}; wall {time.time() - started:.0f} s")
    jobs_ok = all(h.get("state", "done") == "done" for h in heavy.values()) and heavy.get("weight_change", {}).get(
        "status"
    ) in (302, 303)
    met = bool(
        hv["ack_p99"] is not None
        and hv["ack_p99"] <= 150
        and ack_ratio is not None
        and ack_ratio <= 2
        and board_ratio is not None
        and board_ratio <= 2
        and lost == 0
        and missing == 0
        and jobs_ok
    )
    shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "boards": connected,
                "judges": len(codes),
                "marks_idle": idle["marks"],
                "marks_heavy": hv["marks"],
                "ack_p50_idle_ms": ms(idle["ack_p50"]),
                "ack_p99_idle_ms": ms(idle["ack_p99"]),
                "ack_p50_heavy_ms": ms(hv["ack_p50"]),
                "ack_p99_heavy_ms": ms(hv["ack_p99"]),
                "ack_p99_idle_steady_ms": ms(idle["ack_p99_steady"]),
                "ack_p99_heavy_steady_ms": ms(hv["ack_p99_steady"]),
                "board_p95_idle_ms": ms(idle["board_p95"]),
                "board_p95_heavy_ms": ms(hv["board_p95"]),
                "ack_p99_ratio": ack_ratio and round(ack_ratio, 2),
                "board_p95_ratio": board_ratio and round(board_ratio, 2),
                "lost": lost,
                "missing": missing,
                "refused": failed,
                "jobs_done": jobs_ok,
                "targets_met": met,
            }
        )
    )


if __name__ == "__main__":
    main()
