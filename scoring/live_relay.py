"""Standings pushes across server processes: each process pushes to its own boards, told by Redis.

Why not send the pushes themselves through the Socket.IO message queue: a push is a delta against
what the process last sent to the room (``live.Hub.sent``). Through the queue every process's
pushes reach every board, so a board's state would be the interleaving of several processes'
deltas, each computed against that process's own history: a row that changed and changed back
between two pushes of one process would stay wrong on the boards that saw the other process's
push in between (a delta carries only the rows that differ from its base). So a process announces
only "competition C is at version V" on a Redis channel of the installation; every process (the
announcer directly, without waiting for Redis) computes the push from the database (the standings
are version-checked against it, ``services.standings.computed``) and emits it to its own boards
only (``ignore_queue``). Each room's deltas are then computed against exactly what its boards
received, as with one process. Other emits (a screen's settings, the chief judge's grid) carry no
history and go through the Socket.IO queue as before.

Why a channel per installation: Redis publishes across its numbered databases, so two
installations (or two test runs) on one Redis would hear each other; the channel names the
database the processes share.

If Redis is unreachable a process still pushes its own changes to its own boards; the listener
reconnects, and a board that missed a version gets it with the next push (its ``base`` gap makes
it re-fetch the snapshot) or on reconnect.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

#: this process, so that its own announcements are not acted on twice
ORIGIN = uuid.uuid4().hex[:12]


def channel(config) -> str:  # noqa: ANN001  (the app's config mapping)
    """The installation's channel prefix: the name of the database every process shares."""
    try:
        name = make_url(config["DATABASE_URL"]).database or "default"
    except Exception:  # noqa: BLE001  (an odd URL: still one channel per URL)
        name = str(config.get("DATABASE_URL", "default"))
    return "scoring:" + os.path.basename(name)[:100]


def redis_url(config) -> str | None:  # noqa: ANN001
    url = config.get("MESSAGE_QUEUE_URL") or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


class Relay:
    """Publishes this process's standings versions; hears the other processes' (one listener)."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.topic = ""
        self.client = None
        self.running = False
        self.heard = 0  # announcements acted on (tests)
        self.announced: dict[int, int] = {}  # competition -> the highest version this process announced

    @property
    def active(self) -> bool:
        return self.url is not None

    def start(self, config, on_version: Callable[[int, int], None], spawn: Callable) -> None:  # noqa: ANN001
        """Listen on the installation's channel (when the message queue is Redis)."""
        url = redis_url(config)
        if url is None:
            self.url = None
            return
        import redis

        self.url, self.topic = url, channel(config) + ":standings"
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        if not self.running:
            self.running = True
            spawn(self._listen, on_version)

    def announce(self, cid: int, version: int) -> None:
        """After a commit in this process: tell the others (never raises; local boards do not wait)."""
        if self.client is None:
            return
        # The marks of one group commit share its version (one bump for the batch): announce it once.
        if version <= self.announced.get(cid, -1):
            return
        if len(self.announced) > 10_000:
            self.announced.clear()
        self.announced[cid] = version
        try:
            self.client.publish(self.topic, f"{ORIGIN} {int(cid)} {int(version)}")
        except Exception:  # noqa: BLE001
            self.announced.pop(cid, None)  # the next mark of this competition tries again
            log.warning("could not announce standings version %s of competition %s to Redis", version, cid)

    def _listen(self, on_version: Callable[[int, int], None]) -> None:
        import redis

        while self.running and self.url is not None:
            try:
                listener = redis.Redis.from_url(self.url, socket_connect_timeout=5)
                pubsub = listener.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.topic)
                for message in pubsub.listen():
                    parsed = parse(message.get("data"))
                    if parsed is not None and parsed[0] != ORIGIN:
                        self.heard += 1
                        on_version(parsed[1], parsed[2])
            except Exception:  # noqa: BLE001  (Redis restarted or unreachable: listen again)
                log.warning("standings relay: Redis listener lost; reconnecting", exc_info=True)
                time.sleep(1.0)


def parse(data) -> tuple[str, int, int] | None:  # noqa: ANN001
    """(origin, competition id, version) from an announcement, or None for anything else."""
    if isinstance(data, bytes):
        data = data.decode("ascii", "replace")
    parts = str(data or "").split()
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit() or len(data) > 100:
        return None
    return parts[0], int(parts[1]), int(parts[2])


relay = Relay()
