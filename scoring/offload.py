"""Pure CPU work (reading an uploaded sheet or document) in a child process, with a time limit.

Why a process and not a thread: the production server is one gevent worker, and a reading
thread shares the interpreter lock with the loop that serves every tablet and board. Measured on
this machine, a 19,000-row sheet read on a real thread left a board without a push for the whole
1.9 s read (every socket write of the loop waits for the lock the parser holds). A child process
has its own interpreter: the loop only waits on a pipe. It can also be stopped: a read that
overruns its time limit is killed, not left running unobserved, and its memory is capped.

How: ``run`` pickles ``(target, args)`` to ``python -m scoring.offload`` on stdin and reads the
pickled ``(ok, value)`` back from stdout. Under gevent ``subprocess`` is gevent's cooperative
one, so the waiting request yields to the loop. Only functions named in ``TARGETS`` may be run,
and they must be pure (arguments and result picklable; ``InvalidInput`` travels back as itself).
A child costs one interpreter start (about 0.3 s with the sheet reader's imports), which is
small next to the reads it takes off the loop, and nothing is kept between uploads.
"""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys
from typing import Any

# What a child may run: "module:function" of pure reading steps.
TARGETS = frozenset(
    {
        "scoring.services.roster:read_contestants",
        "scoring.document.bounds:read_upload",
    }
)
MEMORY_LIMIT = 1 << 30  # bytes of address space a child may use (a bomb that passed the checks stops here)
_OUTPUT_LIMIT = 256 << 20


class OffloadFailed(RuntimeError):
    """The child died or answered nothing usable (killed for memory, crashed)."""


def run(target: str, *args: Any, seconds: float) -> Any:
    """``target(*args)`` in a child process; its result, or its exception raised here.
    ``TimeoutError`` when it is not done within ``seconds`` (the child is killed)."""
    if target not in TARGETS:
        raise ValueError(f"not an offload target: {target}")
    payload = pickle.dumps((target, args), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "scoring.offload"], input=payload, capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"not done within {seconds} s") from None
    if done.returncode != 0 or not done.stdout:
        raise OffloadFailed(f"exit {done.returncode}: {done.stderr[-500:].decode(errors='replace')}")
    ok, value = pickle.loads(done.stdout)  # our own child's answer
    if not ok:
        raise value
    return value


def _child() -> None:
    """The child's side: read the job, cap memory, run it, write the answer."""
    import resource

    target, args = pickle.loads(sys.stdin.buffer.read())
    if target not in TARGETS:
        sys.exit(2)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):  # pragma: no cover - a platform without the limit still runs the job
        pass
    module, name = target.split(":")
    try:
        answer = (True, getattr(importlib.import_module(module), name)(*args))
    except MemoryError:
        sys.exit(3)
    except Exception as exc:  # noqa: BLE001  (handed back to the waiting request)
        answer = (False, exc)
    out = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    if len(out) > _OUTPUT_LIMIT:
        sys.exit(4)
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _child()
