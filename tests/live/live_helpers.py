"""Helpers for the live-board tests (a uniquely named module: several test areas have a conftest)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid

import socketio
from sqlmodel import select

from scoring import models as m
from scoring.db import reading, transaction

SLUG = "yulin-childcare-2025"


def engine_of(app):
    return app.extensions["scoring.engine"]


def import_competition(engine, visibility: str = "live", marks: str = "all") -> int:
    from scoring.demo_data import childcare_document
    from scoring.services import live_admin
    from scoring.services.transfer import import_document

    cid = import_document(engine, childcare_document(marks=marks), actor="test")
    if visibility != "embargoed":
        live_admin.set_visibility(engine, cid, visibility, "test")
    return cid


def theory_marks(engine, cid: int) -> list[m.Mark]:
    """The single-judge theory marks (T1), one per contestant: changing one moves that contestant."""
    with reading(engine) as s:
        aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == "T1")).one()
        rows = s.exec(
            select(m.Mark)
            .where(m.Mark.competition_id == cid, m.Mark.aspect_id == aspect.id)
            .order_by(m.Mark.contestant_id, m.Mark.version)
        ).all()
    latest: dict[int, m.Mark] = {}
    for row in rows:
        latest[row.contestant_id] = row
    return list(latest.values())


def correct_theory(engine, cid: int, contestant_id: int, value: str):
    """Commit a corrected theory mark through the one write path (services.marks.submit_mark)."""
    from scoring.services.marks import submit_mark

    mark = next(mk for mk in theory_marks(engine, cid) if mk.contestant_id == contestant_id)
    return submit_mark(
        engine,
        competition_id=cid,
        judge_id=mark.judge_id,
        contestant_id=contestant_id,
        aspect_id=mark.aspect_id,
        value=value,
        idempotency_key=uuid.uuid4().hex,
        based_on_version=mark.version,
        entered_by="test",
    )


def draw_code(engine, cid: int, contestant_id: int) -> str:
    with reading(engine) as s:
        return s.exec(
            select(m.DrawEntry.code).where(
                m.DrawEntry.competition_id == cid, m.DrawEntry.contestant_id == contestant_id
            )
        ).one()


def reveal_draw(engine, cid: int) -> None:
    from scoring.models.types import utcnow

    with transaction(engine) as s:
        draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).one()
        draw.revealed_at = utcnow()
        draw.revealed_by = "test"
        s.add(draw)


def private_values(engine, cid: int) -> set[str]:
    """ID numbers and phone numbers: must never appear in any standings payload."""
    with reading(engine) as s:
        people = s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)).all()
    return {p.id_number for p in people if p.id_number} | {p.phone for p in people if p.phone}


def names(engine, cid: int) -> set[str]:
    with reading(engine) as s:
        return {p.name for p in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}


def login(client, username: str) -> None:
    r = client.post("/login", data={"username": username, "password": "correct-horse-1"})
    assert r.status_code in (302, 303), r.status_code


class BoardClient:
    """A real python-socketio client that records every standings message it gets."""

    def __init__(
        self,
        url: str,
        slug: str = SLUG,
        audience: str = "public",
        group: str = "",
        lang: str = "zh_Hans_CN",
        screen: str = "",
        headers: dict | None = None,
        reconnect: bool = False,
        transports: list[str] | None = None,
        window: dict | None = None,
    ):
        self.messages: list[dict] = []
        self.screens: list[dict] = []
        self.cond = threading.Condition()
        self.sio = socketio.Client(reconnection=reconnect, reconnection_delay=0.2, reconnection_delay_max=0.5)
        self.sio.on("standings", self._standings)
        self.sio.on("screen", self._screen)
        auth = {"competition": slug, "audience": audience, "group": group, "lang": lang, "screen": screen}
        if window is not None:  # live_window: a board or phone of a big group asks for its rows
            auth["window"] = window
        self.sio.connect(
            url,
            auth=auth,
            headers=dict(headers or {}),  # a copy: the engine.io client takes the Cookie out of the dict
            wait_timeout=10,
            transports=transports,  # ["websocket"]: no long-polling first
        )

    def _standings(self, msg):
        with self.cond:
            self.messages.append(msg)
            self.cond.notify_all()

    def _screen(self, msg):
        with self.cond:
            self.screens.append(msg)
            self.cond.notify_all()

    def wait(self, predicate, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; got {[(x.get('kind'), x.get('version')) for x in self.messages]}")
                self.cond.wait(left)

    @property
    def version(self) -> int:
        return max((msg["version"] for msg in self.messages), default=-1)

    def close(self):
        """Disconnect without waiting for the WebSocket close handshake (the client library waits
        up to 3 s for the development server's close frame); the test goes on meanwhile."""
        done = threading.Thread(target=self.sio.disconnect, daemon=True)
        done.start()
        done.join(0.5)


def session_cookie_header(client) -> dict:
    """The signed-in Flask test client's session cookie, for a socket or requests client."""
    cookie = client.get_cookie("session")
    return {"Cookie": f"session={cookie.value}"} if cookie else {}


def raw_connect(lang: str = "zh_Hans_CN", group: str = "childcare") -> str:
    """A raw WebSocket board's Socket.IO connect packet (public audience of the demo)."""
    return "40" + json.dumps({"competition": SLUG, "audience": "public", "group": group, "lang": lang})


async def raw_receive(ws) -> dict | None:
    """One frame of a raw WebSocket board within 0.2 s: an Engine.IO ping is answered, a
    standings message returned (anything else: None)."""
    try:
        raw = await asyncio.wait_for(ws.recv(), 0.2)
    except TimeoutError:
        return None
    if raw == "2":
        await ws.send("3")
    elif raw.startswith("42"):
        return json.loads(raw[2:])[1]
    return None


def pushes_settled(timeout: float = 5.0, in_transit: float = 0.3) -> None:
    """Wait until the live hub has no push round scheduled (``live.hub``), then ``in_transit`` for
    what it emitted to reach the boards. Why: a change made just before a board connects has its push
    round still to come (up to 100 ms later, more on a busy machine), and the round sends the new
    board's room a message of the same version; a test that counts what a board hears after some
    later change must let that arrive first."""
    from scoring import live

    deadline = time.monotonic() + timeout
    while live.hub.scheduled and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(in_transit)
