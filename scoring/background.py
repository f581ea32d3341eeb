"""Long CPU-bound work (a batch of certificates) off the request path, without freezing the server.

Why not just ``threading.Thread``: in production (``scoring serve``, gevent) the threading module
is monkey-patched, so a "thread" is a greenlet on the event loop, and five seconds of PDF
rendering would stop every tablet's mark and every board's push for five seconds. Under gevent
the work goes to the hub's pool of real OS threads instead; the loop keeps running between the
interpreter's thread switches. Without gevent a plain daemon thread does the same.

``run_and_wait`` is the same idea for work a request must wait for (reading an uploaded sheet
or document): the request's greenlet waits cooperatively, so other requests and pushes go on,
and gives up after a time limit. A thread cannot be stopped, so the work itself must be bounded
(services/sheets.py checks a file before parsing it); at most ``WAITED_SLOTS`` such jobs run at
once, so a burst of uploads cannot crowd the loop out of the interpreter.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
WAITED_SLOTS = 2
_slots: threading.BoundedSemaphore | None = None


def _gevent_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency, but keep the fallback honest
        return False
    return monkey.is_module_patched("threading")


def run_in_background(work: Callable[[], None], name: str) -> None:
    if _gevent_patched():
        import gevent

        gevent.get_hub().threadpool.spawn(work)
        return
    threading.Thread(target=work, daemon=True, name=name).start()


def _slot_semaphore() -> threading.BoundedSemaphore:
    """Made on first use, after gevent has patched ``threading`` (then it is a greenlet semaphore)."""
    global _slots
    if _slots is None:
        _slots = threading.BoundedSemaphore(WAITED_SLOTS)
    return _slots


def run_and_wait(work: Callable[[], T], seconds: float) -> T:
    """``work()`` on a real OS thread; its result or its exception here, or ``TimeoutError`` when
    no slot is free or the work is not done within ``seconds`` (it then finishes unobserved)."""
    deadline = time.monotonic() + seconds
    slots = _slot_semaphore()
    if not slots.acquire(timeout=seconds):
        raise TimeoutError(f"no free slot within {seconds} s")

    def captured() -> tuple[bool, object]:
        # the exception travels back as a value: gevent's pool would print a traceback for it
        try:
            return True, work()
        except BaseException as exc:  # noqa: BLE001  (handed to the waiting request)
            return False, exc

    if _gevent_patched():
        import gevent

        try:
            pending = gevent.get_hub().threadpool.spawn(captured)
        except BaseException:
            slots.release()
            raise
        pending.rawlink(lambda _done: slots.release())  # runs on the loop when the thread is done
        try:
            ok, value = pending.get(timeout=max(0.0, deadline - time.monotonic()))
        except gevent.Timeout:
            raise TimeoutError(f"not done within {seconds} s") from None
    else:
        box: list = []
        done = threading.Event()

        def run() -> None:
            box.append(captured())
            slots.release()
            done.set()

        threading.Thread(target=run, daemon=True, name="waited-work").start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            raise TimeoutError(f"not done within {seconds} s")
        ok, value = box[0]
    if not ok:
        raise value
    return value


def on_os_thread(work: Callable[[], T]) -> T:
    """``work()`` on one of the hub's real OS threads under gevent, the calling greenlet waiting
    cooperatively (the loop serves everyone meanwhile); inline without gevent. For short work that
    may *wait* in C (a database lock, an fsync): waiting there on the loop would stop every
    tablet and board of the process. Its result, or its exception raised here."""
    if not _gevent_patched():
        return work()
    import gevent

    _short_switches()
    return gevent.get_hub().threadpool.apply(work)


def _short_switches() -> None:
    """Under gevent, the process's switch interval at most ``CPU_SWITCH_INTERVAL`` (once; never
    raised back). Why for short work too: the thread gives the interpreter lock up in every C call
    (each SQLite statement, the commit's fsync) and must get it back from a loop that is busy
    parsing requests, waiting a whole interval each time: at Python's default 5 ms a group commit
    of six statements waited up to 30 ms for the lock alone (holding SQLite's write lock meanwhile)."""
    if sys.getswitchinterval() > CPU_SWITCH_INTERVAL:
        sys.setswitchinterval(CPU_SWITCH_INTERVAL)


def cooperative_waits(engine_url) -> bool:  # noqa: ANN001  (sqlalchemy URL)
    """True when a database call on this engine would wait through gevent's loop anyway (psycopg
    after ``gunicorn_conf.cooperative_psycopg``), so it needs no OS thread to keep the loop going.
    False without gevent (nothing to keep going), for SQLite (its calls block in C) and for a
    psycopg that still waits with its C ``poll``."""
    if not _gevent_patched() or engine_url.get_backend_name() != "postgresql":
        return False
    waiting = sys.modules.get("psycopg.waiting")
    return waiting is not None and getattr(waiting, "wait", None) is not getattr(waiting, "wait_c", None)


CPU_SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005


def cpu_on_os_thread(work: Callable[[], T]) -> T:
    """``on_os_thread`` for pure-Python CPU work that must share this process (it cannot be
    pickled to a child: the live standings' engines). The thread holds the interpreter lock between
    switches, and the loop waits up to one switch interval each time it wants it back (after every
    socket or database call): measured, the default 5 ms stretched a mark's acknowledgement several
    fold while the standings were rebuilt; at 1 ms the loop gets the lock back five times as fast
    (the thread's work costs a little more). So under gevent the process's interval is set to
    ``CPU_SWITCH_INTERVAL`` the first time (never raised back: other threads may be running); the
    production worker sets it at start already (``gunicorn_conf.tune_gevent_worker``)."""
    if _gevent_patched():
        _short_switches()
    return on_os_thread(work)


def native_lock() -> threading.Lock:
    """A real OS lock even when gevent has patched ``threading`` (for code that runs on OS threads)."""
    if _gevent_patched():
        from gevent import monkey

        return monkey.get_original("threading", "Lock")()
    return threading.Lock()
