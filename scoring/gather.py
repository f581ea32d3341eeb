"""Callers that arrive together served as one batch by the first of them.

Why: on PostgreSQL a statement costs a round trip, and with fifty tablets marking at once most of a
server process's time went to sending one small statement per request and waiting for its answer.
The first caller to arrive leads: it yields once, so the requests that are ready reach the queue
too, takes the whole queue and handles it in one go (one transaction, one read), then wakes
everyone. Callers that arrive while a batch is being handled queue for the next one, so a batch
never waits longer than the one before it took. Used by ``db.group_commit`` (writes) and
``services.mark_cell`` (the marks path's reads on PostgreSQL). Works with OS threads and, monkey-patched, with
gevent's greenlets alike (``threading.Condition``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class Waiter:
    """One caller's part of a batch: what it brought (``work``) and what it takes away."""

    __slots__ = ("work", "result", "error", "finished")

    def __init__(self, work: Any) -> None:
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished = False


class LeaderStopped(RuntimeError):
    """The caller that was handling this caller's batch stopped before answering it (killed)."""


class Gathering:
    """One queue of callers (one per kind of work and database, e.g. the marks of one competition)."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.queue: list[Waiter] = []
        self.busy = False

    def run(self, work: Any, handle: Callable[[list[Waiter]], None]) -> Any:
        """``handle(batch)`` sets each waiter's ``result`` or ``error``; it runs once per batch, in
        the leader. Returns this caller's result or raises its error."""
        me = Waiter(work)
        with self.cond:
            self.queue.append(me)
            while not me.finished and self.busy:
                self.cond.wait()
            lead = not me.finished
            if lead:
                self.busy = True
        if lead:
            batch: list[Waiter] = []
            try:
                # Under gevent nobody else runs while this greenlet works, so nobody could join the
                # batch: yield once and let the requests that are ready reach this queue first
                # (with threads this costs next to nothing).
                time.sleep(0)
                with self.cond:
                    batch, self.queue = self.queue, []
                handle(batch)
            except BaseException:
                for w in batch:  # killed mid-batch: nobody is told "nothing" as if it were an answer
                    if w is not me and w.error is None and w.result is None:
                        w.error = LeaderStopped()
                raise
            finally:  # also when this leader is killed: the next caller in the queue leads
                with self.cond:
                    for w in batch:
                        w.finished = True
                    self.busy = False
                    self.cond.notify_all()
        if me.error is not None:
            raise me.error
        return me.result


_gatherings: dict[tuple, Gathering] = {}
_lock = threading.Lock()


def gathering(slot: tuple) -> Gathering:
    """The queue of ``slot`` (made on first use). Tests make many engines: past 1,000 slots the
    table starts again; a caller holding an old queue still gets its batch handled."""
    found = _gatherings.get(slot)
    if found is None:
        with _lock:
            if len(_gatherings) > 1000:
                _gatherings.clear()
            found = _gatherings.setdefault(slot, Gathering())
    return found
