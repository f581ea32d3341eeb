"""Under gevent (the production server) a certificate batch must render on a real OS thread:
as a greenlet it would stop every tablet and board on the process until it finished."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from scoring.config import ROOT

_HARNESS = """
from gevent import monkey; monkey.patch_all()
import threading, time, gevent
from scoring.background import run_in_background

loop_thread = threading.get_native_id()
out, done = {}, threading.Event()

def work():
    out["thread"] = threading.get_native_id()
    out["ok"] = job()
    done.set()

ticks = []
def ticker():
    while not done.is_set():
        ticks.append(time.perf_counter())
        gevent.sleep(0.01)

t = gevent.spawn(ticker)
run_in_background(work, "probe")
t.join(60)
gaps = [b - a for a, b in zip(ticks, ticks[1:])]
print(out["thread"] != loop_thread and out["ok"], len(ticks), round(max(gaps, default=99.0), 3))
"""


def _under_gevent(job_source: str) -> tuple[bool, int, float]:
    """Run ``job()`` (defined by the source) through run_in_background in a gevent-patched process,
    with a greenlet ticking every 10 ms meanwhile: (own OS thread and job ok, ticks, worst gap)."""
    code = textwrap.dedent(job_source) + _HARNESS
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=str(ROOT))
    assert out.returncode == 0, out.stderr
    ok, ticks, gap = out.stdout.split()
    return ok == "True", int(ticks), float(gap)


def test_background_work_runs_on_its_own_os_thread_under_gevent_and_the_loop_keeps_ticking():
    ok, ticks, worst_gap = _under_gevent("""
        import time

        def job():                       # about a second of pure CPU, like rendering PDFs
            end = time.perf_counter() + 1.0
            while time.perf_counter() < end:
                sum(range(1000))
            return True
    """)
    assert ok
    # the event loop kept running while the work ran (as a greenlet it would tick once, after a second)
    assert ticks > 10 and worst_gap < 0.5


def test_a_real_certificate_batch_renders_on_the_pool_under_gevent():
    """The same with the real renderer (fpdf2 and its embedded Chinese font) instead of a busy loop."""
    ok, ticks, worst_gap = _under_gevent("""
        from scoring.certificates.render import CertificateData, certificates_pdf

        def job():
            items = [CertificateData(serial=f"T-{i:03d}", name="张三丰", award="一等奖", competition="托育职业技能竞赛",
                                     group_name="托育", verify_url=f"http://127.0.0.1/verify/T-{i:03d}",
                                     issuer="市总工会", date_text="2025年5月", signatory="张主任") for i in range(40)]
            pdf = certificates_pdf(items)
            return pdf[:5] == b"%PDF-" and b"/FontFile" in pdf
    """)
    assert ok
    assert ticks > 5 and worst_gap < 0.5
