"""The judge simulator: the demo's panels mark every contestant still missing, over a minute or
two, through the real marks API, so the boards move live and the demo can be locked and published.

Why real HTTP and not a direct call: the point is to show the product working. Each simulated
judge signs in with their login card's QR link (``/judge/card/<token>``, as a tablet does),
reads their own sheet (``GET /api/v1/judging/<slug>/sheet``) and posts each mark with an
idempotency key (``POST /api/v1/judging/<slug>/marks``), so every mark goes through the one
write path, its audit event, the spread rule and the boards' pushes. The keys are deterministic
(``scoring.demo_marks``): a retried request, or a second run, never counts a mark twice; a
second run finds nothing left to send.

Why only the demo: it writes marks in the name of judges. ``start`` refuses any competition
but ``DEMO_SLUG`` and refuses a second run of the same competition while one is going.

Sign-offs are not simulated: publication does not need them (services.publication), and a
signed mark refuses the appeal correction the README tour ends with.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.demo_marks import PlannedMark, interleave, plan_for_sheet

DEMO_SLUG = "yulin-childcare-2025"
DEFAULT_SECONDS = 90
DEFAULT_SEED = "2025"


class SimulationError(RuntimeError):
    """The simulation could not go on (the server refused a sign-in or a mark)."""


# --------------------------------------------------------------------------- one tablet


class Tablet:
    """A judge's tablet over HTTP: one kept-alive connection and the session cookie."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        self.prefix = parts.path.rstrip("/")
        make = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self._connect = lambda: make(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
        self.conn = self._connect()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Accept": "application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, self.prefix + path, body=data, headers=headers)
                resp = self.conn.getresponse()
                payload = resp.read()
                break
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                self.conn.close()
                self.conn = self._connect()  # a closed keep-alive connection: the same request again
                if attempt == 2:
                    raise
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return resp.status, payload

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------- progress


@dataclass
class Simulation:
    """One run: what it has sent, what is left, and how it ended. Read by the console's progress."""

    slug: str
    seconds: float
    state: str = "starting"  # starting, running, done, failed
    total: int = 0
    sent: int = 0
    replayed: int = 0
    error: str = ""
    judges: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.sent)

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "total": self.total,
            "sent": self.sent,
            "remaining": self.remaining,
            "replayed": self.replayed,
            "error": self.error,
            "judges": list(self.judges),
            "seconds": self.seconds,
        }


_runs: dict[tuple[str, str], Simulation] = {}  # by (database, slug): one process may serve several apps
_runs_lock = threading.Lock()


def _key(engine: Engine, slug: str) -> tuple[str, str]:
    return engine.url.render_as_string(hide_password=True), slug


def current(engine: Engine, slug: str) -> Simulation | None:
    return _runs.get(_key(engine, slug))


def claim(engine: Engine, slug: str, seconds: float) -> Simulation | None:
    """A new run for ``slug``, or None while one is going (never two at once)."""
    with _runs_lock:
        run = _runs.get(_key(engine, slug))
        if run is not None and run.state in ("starting", "running"):
            return None
        run = _runs[_key(engine, slug)] = Simulation(slug=slug, seconds=seconds)
        return run


# --------------------------------------------------------------------------- the run


def typical_values(engine: Engine, cid: int) -> dict[str, Decimal]:
    """Per aspect code, the median of the marks given so far (what the simulated judges aim near)."""
    with reading(engine) as s:
        codes = dict(s.exec(select(m.Aspect.id, m.Aspect.code).where(m.Aspect.competition_id == cid)).all())
        rows = s.exec(
            select(m.Mark.contestant_id, m.Mark.aspect_id, m.Mark.judge_id, m.Mark.value, m.Mark.state)
            .where(m.Mark.competition_id == cid)
            .order_by(m.Mark.round, m.Mark.version)
        ).all()
    newest: dict[tuple[int, int, int], tuple[Decimal | None, str]] = {}
    for c, a, j, value, state in rows:
        newest[(c, a, j)] = (value, state)
    by_aspect: dict[str, list[Decimal]] = {}
    for (_c, a, _j), (value, state) in newest.items():
        if value is not None and state != "void" and a in codes:
            by_aspect.setdefault(codes[a], []).append(value)
    return {code: sorted(vals)[len(vals) // 2] for code, vals in by_aspect.items()}


def card_links(engine: Engine, cid: int, secret: str) -> dict[str, str]:
    """Each panel judge's login-card path (judges without a card cannot be simulated)."""
    from scoring.services.credentials import card_token

    with reading(engine) as s:
        rows = s.exec(
            select(m.Judge.code, m.Judge.id, m.JudgeCard.serial, m.JudgeCard.pin)
            .join(m.JudgeCard, m.JudgeCard.judge_id == m.Judge.id)
            .join(m.PanelJudge, m.PanelJudge.judge_id == m.Judge.id)
            .where(m.Judge.competition_id == cid)
            .order_by(m.Judge.code)
        ).all()
    return {code: f"/judge/card/{card_token(secret, jid, serial)}" for code, jid, serial, pin in rows if pin}


def sign_in_tablet(base_url: str, slug: str, judge: str, link: str) -> tuple[Tablet, dict]:
    tablet = Tablet(base_url)
    status, _ = tablet.request("GET", link)
    if status not in (200, 302, 303):
        raise SimulationError(f"{judge}: card sign-in answered {status}")
    status, body = tablet.request("GET", f"/api/v1/judging/{slug}/sheet")
    if status != 200:
        raise SimulationError(f"{judge}: sheet answered {status}")
    return tablet, json.loads(body)


def run(
    engine: Engine,
    slug: str,
    base_url: str,
    secret: str,
    seconds: float = DEFAULT_SECONDS,
    seed: str = DEFAULT_SEED,
    sim: Simulation | None = None,
    report: Callable[[Simulation], None] | None = None,
) -> Simulation:
    """Sign every panel judge in, plan what each still owes and post it, spread over ``seconds``
    (0: as fast as the server answers). ``report`` is called now and then with the progress."""
    sim = sim or Simulation(slug=slug, seconds=seconds)
    tablets: dict[str, Tablet] = {}
    try:
        with reading(engine) as s:
            cid = s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).one()
        typical = typical_values(engine, cid)
        plans = []
        for judge, link in card_links(engine, cid, secret).items():
            tablets[judge], sheet = sign_in_tablet(base_url, slug, judge, link)
            plans.append(plan_for_sheet(judge, sheet, typical, seed))
        marks = interleave(plans)
        sim.judges, sim.total, sim.state = sorted(tablets), len(marks), "running"
        _send(sim, tablets, slug, marks, report)
        sim.state = "done"
    except Exception as exc:  # noqa: BLE001  (shown on the console and printed by the CLI)
        sim.state, sim.error = "failed", str(exc)[:300]
    finally:
        for tablet in tablets.values():
            tablet.close()
    if report:
        report(sim)
    return sim


def _send(
    sim: Simulation,
    tablets: dict[str, Tablet],
    slug: str,
    marks: list[PlannedMark],
    report: Callable[[Simulation], None] | None,
) -> None:
    gap = sim.seconds / len(marks) if marks else 0
    start = last_report = time.monotonic()
    for i, p in enumerate(marks):
        wait = start + i * gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        body = {
            "contestant": p.ref,
            "aspect": p.aspect,
            "value": p.value,
            "idempotency_key": p.key,
            "based_on_version": p.based_on_version,
            "client_id": f"simulator-{p.judge}",
        }
        status, answer = tablets[p.judge].request("POST", f"/api/v1/judging/{slug}/marks", body)
        if status not in (200, 201):
            raise SimulationError(f"{p.judge} {p.ref} {p.aspect}={p.value}: {status} {answer[:200]!r}")
        sim.replayed += status == 200
        sim.sent = i + 1
        if report and time.monotonic() - last_report >= 5:
            last_report = time.monotonic()
            report(sim)
