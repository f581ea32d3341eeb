"""Socket.IO: rooms per competition, audience and group; a snapshot on connect; versioned pushes.

How a mark reaches a board: the write path commits, bumps the standings version and
announces it (services.standings sends ``signals.standings_changed``; ``scoring.wiring`` connects
``standings_changed`` below). This layer's listener only marks the competition dirty; a
background task then builds each room's payload ONCE from the shared per-version standings
and emits it to the room, at most once per ``MIN_INTERVAL`` per competition, always ending
with the latest state (bursts of marks coalesce into one push).

A room hears a push only when its audience can see a change of this round: its version
(services.results.visible_version) reached the first version announced in the round. An
embargoed or frozen public room thus hears nothing while marks come in, not even "something
changed". A push is a delta against the version this process last pushed to the room (``base``): the
changed rows plus the full order. A client whose version is older than ``base`` has missed a
push and re-fetches the snapshot over HTTP. A client that connects gets the full snapshot with
its version. With several processes (a Redis message queue), each process pushes to its own
boards only, told of the others' versions through Redis (``scoring.live_relay`` says why).
"""

from __future__ import annotations

import threading
import time

from flask import request
from flask_socketio import emit, join_room
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.extensions import socketio
from scoring.i18n import LOCALES, normalise_locale
from scoring.live_frames import frame_pushes_once
from scoring.live_relay import relay
from scoring.visibility import Audience

MIN_INTERVAL = 0.1  # seconds between two pushes for one competition
VIEW_CLASSES = (("public", Audience.PUBLIC), ("chief", Audience.CHIEF), ("organizer", Audience.ORGANIZER))
_HEADER_SKIP = ("version", "updated_at", "groups", "team_standings")


def view_class(audience: Audience) -> str | None:
    if audience in (Audience.PUBLIC, Audience.AUDIENCE):
        return "public"
    if audience in (Audience.CHIEF, Audience.ORGANIZER):
        return audience.value
    return None  # judges see no standings: no room


def room_name(cid: int, cls: str, group: str | None, locale: str) -> str:
    return f"c{cid}|{cls}|{group or '*'}|{locale}"


def screen_room(cid: int, name: str) -> str:
    return f"s{cid}|{name}"


def cut_group(payload: dict, group: str | None) -> dict:
    if not group:
        return payload
    return {**payload, "groups": [g for g in payload["groups"] if g["code"] == group]}


def _header(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k not in _HEADER_SKIP}


def make_message(last: tuple[int, dict] | None, payload: dict) -> dict | None:
    """The push for a room whose previous push was ``last``: None if nothing visible changed,
    a full snapshot if the frame changed (state, columns, reveal), else a delta of changed rows.

    Rows and headers are compared as plain values (dict equality), which is what the JSON
    digests compared before, at a fraction of the cost."""
    if last is None:
        return {"kind": "snapshot", "base": None, **payload}
    base_version, prev = last
    header, prev_header = _header(payload), _header(prev)
    teams = payload.get("team_standings", [])
    teams_changed = prev.get("team_standings", []) != teams
    if prev_header == header and prev["groups"] == payload["groups"] and not teams_changed:
        return None
    if prev_header != header or [g["code"] for g in prev["groups"]] != [g["code"] for g in payload["groups"]]:
        return {"kind": "snapshot", "base": base_version, **payload}
    groups = []
    for old, new in zip(prev["groups"], payload["groups"]):
        if old is new or old == new:
            continue
        before = {r["code"]: r for r in old["rows"]}
        changed = [r for r in new["rows"] if before.get(r["code"]) != r]
        order = [r["code"] for r in new["rows"]]
        if changed or order != [r["code"] for r in old["rows"]]:
            groups.append({"code": new["code"], "order": order, "rows": changed})
    delta = {
        "kind": "delta",
        "base": base_version,
        "version": payload["version"],
        "updated_at": payload.get("updated_at"),
        "groups": groups,
    }
    if teams_changed:  # 团体总分: a few rows per standing, sent whole when any of them moved
        delta["team_standings"] = teams
    return delta


def _local_only() -> bool:
    """True when this process pushes to its own boards only: no message queue, or the relay tells
    every process of each version (``scoring.live_relay``). A room with no local member then needs
    no message at all."""
    from socketio import PubSubManager

    server = getattr(socketio, "server", None)
    return server is not None and (relay.active or not isinstance(server.manager, PubSubManager))


def _has_members(room: str) -> bool:
    return bool(socketio.server.manager.rooms.get("/", {}).get(room))


class Hub:
    """Per-process push state: which competitions are dirty and what each room last received."""

    def __init__(self) -> None:
        self.app = None
        self.lock = threading.Lock()
        self.dirty: set[int] = set()
        self.since: dict[int, int] = {}  # the first version announced since the last push round
        self.scheduled: set[int] = set()
        self.last_push: dict[int, float] = {}
        self.sent: dict[str, tuple[int, dict]] = {}
        self.snapshots: dict[tuple, tuple[int, dict]] = {}  # (cid, audience, locale, group) -> (version, message)
        self.pushes = 0  # for tests and the benchmark: how many push rounds ran

    def changed(self, cid: int, version: int) -> None:
        """Called after a commit that moved the standings version: never blocks the request."""
        if self.app is None:
            return
        with self.lock:
            self.dirty.add(cid)
            self.since[cid] = min(self.since.get(cid, version), version)
            if cid in self.scheduled:
                return
            self.scheduled.add(cid)
        socketio.start_background_task(self._run, cid)

    def _run(self, cid: int) -> None:
        try:
            while True:
                wait = self.last_push.get(cid, 0) + MIN_INTERVAL - time.monotonic()
                if wait > 0:
                    socketio.sleep(wait)
                with self.lock:
                    if cid not in self.dirty:
                        self.scheduled.discard(cid)
                        return
                    self.dirty.discard(cid)
                    since = self.since.pop(cid, None)
                self.last_push[cid] = time.monotonic()
                try:
                    self.push(cid, since)
                except Exception:  # noqa: BLE001  (a failed push must not stop later ones)
                    self.app.logger.exception("live push failed for competition %s", cid)
        finally:
            with self.lock:
                if cid in self.scheduled and cid not in self.dirty:
                    self.scheduled.discard(cid)

    def push(self, cid: int, since: int | None = None) -> None:
        """Build each room's payload once and send what changed; ``since``: the first version
        announced in this round (rooms whose audience sees none of the round's changes get nothing)."""
        from scoring.services.results import visible_standings

        app = self.app
        engine = app.extensions["scoring.engine"]
        local = _local_only()
        with app.app_context():
            with reading(engine) as s:
                groups = list(s.exec(select(m.Group.code).where(m.Group.competition_id == cid)))
            for cls, audience in VIEW_CLASSES:
                for locale in LOCALES:
                    rooms = [(group, room_name(cid, cls, group, locale)) for group in [None, *groups]]
                    if local:
                        # Without a message queue nobody else can be listening: skip empty rooms and
                        # forget what they last got (a later member gets a snapshot on connect, and the
                        # room's next push is a full snapshot).
                        for _group, room in rooms:
                            if not _has_members(room):
                                self.sent.pop(room, None)
                        rooms = [(g, r) for g, r in rooms if _has_members(r)]
                        if not rooms:
                            continue
                    payload = visible_standings(engine, cid, audience, locale)
                    if since is not None and payload["version"] < since:
                        continue  # nothing of this round is visible to this audience
                    for group, room in rooms:
                        cut = cut_group(payload, group)
                        msg = make_message(self.sent.get(room), cut)
                        self.sent[room] = (cut["version"], cut)
                        if msg is not None:
                            # local: to this process's boards only (with a queue, the relay tells the others)
                            socketio.emit("standings", msg, to=room, ignore_queue=local)
        self.pushes += 1

    def screen_changed(self, cid: int, name: str, settings: dict) -> None:
        if self.app is not None:
            socketio.emit("screen", settings, to=screen_room(cid, name))


hub = Hub()


def init_live(app) -> None:
    """Bind the push layer to the app (one app per process, like the SocketIO object itself)."""
    hub.app = app
    hub.sent.clear()
    hub.snapshots.clear()
    relay.start(app.config, hub.changed, socketio.start_background_task)
    if not getattr(app.wsgi_app, "_scoring_no_deflate", False):
        app.wsgi_app = _NoDeflate(app.wsgi_app)
    frame_pushes_once()
    # Registered per app: SocketIO.init_app makes a new server each time, and a handler declared
    # after that only reaches the server that existed then.
    socketio.on_event("connect", _connect)


class _NoDeflate:
    """Refuse permessage-deflate on the socket endpoint.

    Why: simple-websocket accepts every deflate offer, and each accepted connection then keeps its
    own zlib compressor and decompressor (about 300 KB per board, measured with tracemalloc) and
    compresses every push once per board. Pushes are small deltas; memory and CPU matter more.
    The handshake is rebuilt from the ``HTTP_*`` keys, so removing the offer here disables it.
    """

    _scoring_no_deflate = True

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if "HTTP_SEC_WEBSOCKET_EXTENSIONS" in environ and environ.get("PATH_INFO", "").startswith("/socket.io"):
            del environ["HTTP_SEC_WEBSOCKET_EXTENSIONS"]
        return self.wsgi_app(environ, start_response)


def standings_changed(cid: int, *, version: int, **_: object) -> None:
    """The listener of ``signals.standings_changed`` (connected by ``scoring.wiring``)."""
    hub.changed(cid, version)
    relay.announce(cid, version)  # the other processes push it to their boards


def screen_changed(cid: int, *, name: str, settings: dict, **_: object) -> None:
    """The listener of ``signals.screen_changed`` (connected by ``scoring.wiring``)."""
    hub.screen_changed(cid, name, settings)


def _connect(auth: dict | None = None):
    """Join the rooms the client may watch and send it the full snapshot with its version."""
    from scoring.services import live_admin
    from scoring.services.results import visible_standings, visible_version
    from scoring.web import access

    auth = auth if isinstance(auth, dict) else {}
    slug = str(auth.get("competition") or request.args.get("competition") or "")
    try:
        audience = Audience(str(auth.get("audience") or request.args.get("audience") or "public"))
    except ValueError:
        return False
    group = str(auth.get("group") or "") or None
    locale = normalise_locale(str(auth.get("lang") or "zh_Hans_CN"))
    engine = hub.app.extensions["scoring.engine"]
    with reading(engine) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == slug)).first()
    if comp is None or not access.may_watch(audience, comp.id):
        return False
    cls = view_class(audience)
    if cls is not None:
        join_room(room_name(comp.id, cls, group, locale))
    screen = str(auth.get("screen") or "").strip()
    if screen:
        # Only a screen on the organizer's list is joined (web.board tells an unknown name so).
        settings = live_admin.open_screen(engine, comp.id, screen)
        if settings is not None:
            join_room(screen_room(comp.id, screen))
            emit("screen", settings)
    key = (id(engine), comp.id, audience, locale, group)
    known = visible_version(comp, audience)
    hit = hub.snapshots.get(key)
    if hit is not None and hit[0] == known:
        msg = hit[1]
    else:
        payload = cut_group(visible_standings(engine, comp.id, audience, locale), group)
        msg = {"kind": "snapshot", "base": None, **payload}
        if payload["version"] == known:
            # Every change an audience can see moves its version (services.results.visible_version),
            # so the snapshot of one version is shared by every board that connects while it is current.
            hub.snapshots[key] = (known, msg)
    emit("standings", msg)
    return None
