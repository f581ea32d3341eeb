"""Under gevent (the production server) a certificate batch must render on a real OS thread:
as a greenlet it would stop every tablet and board on the process until it finished."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from scoring.config import ROOT


def test_background_work_runs_on_its_own_os_thread_under_gevent_and_the_loop_keeps_ticking():
    code = textwrap.dedent("""
        from gevent import monkey; monkey.patch_all()
        import threading, time, gevent
        from scoring.background import run_in_background

        loop_thread = threading.get_native_id()
        seen, done = {}, threading.Event()

        def work():                      # about a second of pure CPU, like rendering PDFs
            seen["thread"] = threading.get_native_id()
            end = time.perf_counter() + 1.0
            while time.perf_counter() < end:
                sum(range(1000))
            done.set()

        ticks = []
        def ticker():
            while not done.is_set():
                ticks.append(time.perf_counter())
                gevent.sleep(0.01)

        t = gevent.spawn(ticker)
        run_in_background(work, "probe")
        t.join(10)
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        print(seen["thread"] != loop_thread, len(ticks), round(max(gaps, default=99.0), 3))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=str(ROOT))
    assert out.returncode == 0, out.stderr
    own_thread, ticks, worst_gap = out.stdout.split()
    assert own_thread == "True"
    # the event loop kept running while the work ran (as a greenlet it would tick once, after a second)
    assert int(ticks) > 10 and float(worst_gap) < 0.5
