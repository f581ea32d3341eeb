"""Long CPU-bound work (a batch of certificates) off the request path, without freezing the server.

Why not just ``threading.Thread``: in production (``scoring serve``, gevent) the threading module
is monkey-patched, so a "thread" is a greenlet on the event loop, and five seconds of PDF
rendering would stop every tablet's mark and every board's push for five seconds. Under gevent
the work goes to the hub's pool of real OS threads instead; the loop keeps running between the
interpreter's thread switches. Without gevent a plain daemon thread does the same.
"""
from __future__ import annotations

import threading
from typing import Callable


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
