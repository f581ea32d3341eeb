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
from flask_socketio import emit, join_room, leave_room, rooms
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.extensions import socketio
from scoring.i18n import LOCALES, normalise_locale
from scoring.live_frames import NoDeflate, frame_pushes_once, send_shared
from scoring.live_relay import relay
from scoring.live_sockets import lean_sockets
from scoring.live_window import Window, latest_changes, parse_window, window_cut, window_message
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


def window_room(cid: int, cls: str, locale: str, win: Window) -> str:
    return f"w{cid}|{cls}|{locale}|{win.key}"


def tick_room(cid: int, cls: str, locale: str) -> str:
    """With a message queue: windowed boards hear here that a version exists (see ``Hub.push``)."""
    return f"t{cid}|{cls}|{locale}"


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
        # live_window: window rooms of this process -> (cid, class, audience, locale, window); the
        # last payload each (cid, class, locale) was pushed from (for the latest changes); and the
        # payload and window snapshots of the current version for boards that connect or turn a page
        self.windows: dict[str, tuple[int, str, Audience, str, Window]] = {}
        self.kinds: dict[tuple[int, str, str], dict] = {}
        self.visible: dict[tuple, tuple[int, dict, dict]] = {}
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
                    windows = self._windows(cid, cls, locale)
                    if not local:  # boards served by window in other processes: a tick (see tick_room)
                        rooms.append((None, ""))
                    if local:
                        # Without a message queue nobody else can be listening: skip empty rooms and
                        # forget what they last got (a later member gets a snapshot on connect, and the
                        # room's next push is a full snapshot).
                        for _group, room in rooms:
                            if not _has_members(room):
                                self.sent.pop(room, None)
                        rooms = [(g, r) for g, r in rooms if _has_members(r)]
                        if not rooms and not windows:
                            continue
                    payload = visible_standings(engine, cid, audience, locale)
                    if since is not None and payload["version"] < since:
                        continue  # nothing of this round is visible to this audience
                    self._push_windows(cid, cls, locale, windows, payload)
                    for group, room in rooms:
                        if not room:
                            socketio.emit("standings", {"kind": "tick", "version": payload["version"]},
                                          to=tick_room(cid, cls, locale))  # fmt: skip
                            continue
                        cut = cut_group(payload, group)
                        msg = make_message(self.sent.get(room), cut)
                        self.sent[room] = (cut["version"], cut)
                        if msg is not None:
                            # local: to this process's boards only (with a queue, the relay tells the others)
                            socketio.emit("standings", msg, to=room, ignore_queue=local)
        self.pushes += 1

    def _windows(self, cid: int, cls: str, locale: str) -> list[tuple[str, Window]]:
        """This process's window rooms of one kind that still have members (the others are forgotten)."""
        out = []
        for room, (c, k, _a, loc, win) in list(self.windows.items()):
            if c != cid or k != cls or loc != locale:
                continue
            if _has_members(room):
                out.append((room, win))
            else:
                self.windows.pop(room, None)
                self.sent.pop(room, None)
        return out

    def _push_windows(self, cid: int, cls: str, locale: str, windows: list, payload: dict) -> None:
        """Each window room's message, cut from the one payload of its kind (live_window)."""
        if not windows:
            self.kinds.pop((cid, cls, locale), None)
            return
        latest = latest_changes(self.kinds.get((cid, cls, locale)), payload)
        self.kinds[(cid, cls, locale)] = payload
        engine = self.app.extensions["scoring.engine"]
        self.visible[(id(engine), cid, cls, locale)] = (payload["version"], payload, {})  # for page turns
        memo: dict = {}
        for room, win in windows:
            cut = window_cut(payload, win, latest.get(win.group), memo)
            msg = window_message(self.sent.get(room), cut)
            self.sent[room] = (cut["version"], {**cut, "latest": []})
            if msg is not None:
                # as the group rooms: with the relay each process sends its own boards their deltas
                socketio.emit("standings", msg, to=room, ignore_queue=_local_only())

    def window_snapshot(self, engine, comp, audience: Audience, locale: str, win: Window) -> tuple[dict, dict]:  # noqa: ANN001
        """The snapshot of a window at the version ``audience`` knows, computed once per version,
        with the payload it was cut from."""
        from scoring.services.results import visible_standings, visible_version

        # by view class: the audiences of one class see the same (live.view_class, as the rooms do)
        key = (id(engine), comp.id, view_class(audience), locale)
        known = visible_version(comp, audience)
        hit = self.visible.get(key)
        if hit is None or hit[0] != known:
            payload = visible_standings(engine, comp.id, audience, locale)
            hit = (payload["version"], payload, {})
            if payload["version"] == known:
                self.visible[key] = hit
        msg = hit[2].get(win.key)
        if msg is None:
            msg = {"kind": "snapshot", "base": None, **window_cut(hit[1], win)}
            hit[2][win.key] = msg
        return msg, hit[1]

    def join_window(self, engine, comp, audience: Audience, locale: str, win: Window) -> None:  # noqa: ANN001
        """Put the asking client in its window's room and send it the window's snapshot."""
        cls = view_class(audience)
        if cls is None:
            return
        room = window_room(comp.id, cls, locale, win)
        msg, payload = self.window_snapshot(engine, comp, audience, locale, win)
        self.kinds.setdefault((comp.id, cls, locale), payload)  # the latest changes count from here
        join_room(room)
        if not _local_only():
            join_room(tick_room(comp.id, cls, locale))
        self.windows.setdefault(room, (comp.id, cls, audience, locale, win))
        self.sent.setdefault(room, (msg["version"], {k: v for k, v in msg.items() if k not in ("kind", "base")}))
        send_shared(msg)

    def screen_changed(self, cid: int, name: str, settings: dict) -> None:
        if self.app is not None:
            socketio.emit("screen", settings, to=screen_room(cid, name))


hub = Hub()


def init_live(app) -> None:
    """Bind the push layer to the app (one app per process, like the SocketIO object itself)."""
    hub.app = app
    hub.sent.clear()
    hub.snapshots.clear()
    hub.windows.clear()
    hub.kinds.clear()
    hub.visible.clear()
    relay.start(app.config, hub.changed, socketio.start_background_task)
    if not getattr(app.wsgi_app, "_scoring_no_deflate", False):
        app.wsgi_app = NoDeflate(app.wsgi_app)
    frame_pushes_once()
    lean_sockets(socketio.server)  # under gevent: two greenlets per board, not four (live_sockets)
    # Registered per app: SocketIO.init_app makes a new server each time, and a handler declared
    # after that only reaches the server that existed then.
    socketio.on_event("connect", _connect)
    socketio.on_event("window", _window)


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
    win = None
    if auth.get("window") is not None:  # live_window: a board or phone of a big group asks for its rows
        win = parse_window(auth["window"])
        if win is None:
            return False
    elif cls is not None:
        join_room(room_name(comp.id, cls, group, locale))
    screen = str(auth.get("screen") or "").strip()
    if screen:
        # Only a screen on the organizer's list is joined (web.board tells an unknown name so).
        settings = live_admin.open_screen(engine, comp.id, screen)
        if settings is not None:
            join_room(screen_room(comp.id, screen))
            emit("screen", settings)
    if win is not None:
        hub.join_window(engine, comp, audience, locale, win)
        return None
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
    send_shared(msg)
    return None


def _window(raw: object = None):
    """A windowed client turns its page (or follows another row): it leaves its window room, joins
    the new one and gets that window's snapshot; also how it catches up after a tick or a gap."""
    win = parse_window(raw)
    mine = [r for r in rooms() if r in hub.windows]
    if win is None or not mine:
        return None
    cid, _cls, audience, locale, _old = hub.windows[mine[0]]
    engine = hub.app.extensions["scoring.engine"]
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
    for room in mine:
        leave_room(room)
    if comp is not None:
        hub.join_window(engine, comp, audience, locale, win)
    return None
