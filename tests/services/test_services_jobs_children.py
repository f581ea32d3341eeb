"""A job's child process never outlives what started it: ``jobs.stop_all`` ends this process's
running jobs (the tests' teardown), and a child whose server is gone ends itself (PR_SET_PDEATHSIG)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from scoring import jobs


def test_a_job_child_ends_when_the_process_that_started_it_is_killed(tmp_path):
    """A server killed mid-job (kill -9, a restart) leaves no job child running on."""
    starter = textwrap.dedent(
        """
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-m", "scoring.jobs"], stdin=subprocess.PIPE)
        print(child.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", starter], stdout=subprocess.PIPE, text=True)
    pid = int(parent.stdout.readline())
    time.sleep(0.5)  # the child has asked to die with its parent before it reads its work
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split()[2] == "Z":  # reaped by init soon; already dead
                    break
        except FileNotFoundError:
            break
        time.sleep(0.1)
    else:
        subprocess.run(["kill", "-9", str(pid)], check=False)
        raise AssertionError("the job child outlived the server that started it")


def test_stop_all_kills_the_running_job_children(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    jobs._running.add(child)
    try:
        assert jobs.stop_all() == 1
        assert child.wait(timeout=10) != 0
    finally:
        jobs._running.discard(child)
