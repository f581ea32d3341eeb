"""psycopg's wait for PostgreSQL on gevent's loop itself: one io watcher per wait.

Why not psycopg's own ``wait_poll`` under gevent: it waits through gevent's emulation of
``select.poll``, which builds a poll object, a result object, watchers and a ``Timeout`` per call;
py-spy put that bookkeeping at several per cent of a worker's time on the marks API on PostgreSQL,
where every mark costs a few round trips. Here a wait is what gevent does for its own sockets: an io
watcher on the connection's descriptor and a timer for psycopg's check interval, both started on
the loop and stopped when one fires. No library offers this for psycopg 3 (psycopg documents the
``wait`` contract and ships waits for select, poll, epoll and selectors, none of them gevent's).

The contract is psycopg's (``psycopg.waiting.wait``): drive the generator, send it which of read and
write are ready (``Ready``; none when ``interval`` passed without either), and raise psycopg's wait
timeout once ``timeout`` has passed. psycopg's ``Wait``/``Ready`` values are the selector events
(read 1, write 2), the same bits as gevent's loop uses for io watchers.
"""

from __future__ import annotations

from time import monotonic
from typing import Any


def wait_gevent(gen: Any, fileno: int, interval: float = 0.0, timeout: float | None = None) -> Any:
    """``psycopg.waiting.wait`` through gevent's loop (see the module)."""
    from gevent import get_hub
    from gevent.hub import Waiter
    from psycopg import errors
    from psycopg.waiting import READY_NONE

    if interval is None:
        raise ValueError("indefinite wait not supported")
    hub = get_hub()
    loop = hub.loop
    deadline = monotonic() + timeout if timeout is not None else None
    try:
        wanted = next(gen)
        while True:
            wait = interval if deadline is None else max(0.0, min(interval, deadline - monotonic()))
            waiter = Waiter(hub)
            watcher = loop.io(fileno, int(wanted))
            timer = loop.timer(max(wait, 0.0))
            watcher.start(waiter.switch, pass_events=True)
            timer.start(waiter.switch, 0)
            try:
                ready = waiter.get()
            finally:
                watcher.stop()
                timer.stop()
                watcher.close()
                timer.close()
            if ready:
                wanted = gen.send(int(ready) & 3)
            else:
                gen.send(READY_NONE)
            if deadline is not None and monotonic() >= deadline:
                raise errors._WaitTimeout("wait timeout expired")
    except StopIteration as ex:
        return ex.value
