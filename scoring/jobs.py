"""Heavy work off the serving loop: a bounded pool of child processes, with progress, fetched by poll.

Why: the production server is a gevent worker; every synchronous step blocks every tablet and
board on the process, and a real thread does not help for pure-Python work (it holds the
interpreter lock the loop needs: measured, a 10,000-row XLSX written on a thread stretched a
mark's acknowledgement tenfold). A child process has its own interpreter; the loop only waits on
a pipe, cooperatively. So a heavy request (a results export, a document dump, a certificate
batch, a big import) starts a *job* and answers at once with where to watch it.

How to use it (from a view)::

    job = jobs.run_job("export", exports.group_file, db_url, cid, ..., competition_id=cid,
                       filename="x.xlsx", mimetype=XLSX, directory=instance / "jobs")

``fn`` is a module-level function marked ``@jobs.target``; the child imports it by name and calls
``fn(progress, *args)`` with ``progress(done, total)`` to report how far it is. It returns the
file as ``bytes`` (downloadable when the job is done) or a ``dict`` (``{"msgid", "params"}``: a
message for the organizer, e.g. how many rows were imported). ``InvalidInput`` raised there is
shown as the job's problems. Arguments and results must be picklable; a child opens its own
database engine from the URL it is given. Signals the child sends (``scoring.signals``, e.g. the
standings moved after an import) are recorded there and sent again here after the child exits,
so boards hear of the change as if the request had made it.

Where the state lives: one small JSON file per job (``<directory>/<id>.json``) and the result next
to it, written atomically. Any server process on the machine (``--workers N``) can therefore
answer the poll, whichever process started the job. At most ``SLOTS`` children run at once per
server process; more jobs wait as ``queued``. A child that overruns ``seconds`` is killed, and
its memory is capped (``MEMORY_LIMIT``). Files older than ``KEEP_SECONDS`` are removed when a new
job starts. Without gevent (tests, the development server) the waiting is a plain thread.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import pickle
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SLOTS = 2  # children at once per server process (the machine has few cores; the loop needs one)
SECONDS = 600.0  # a job not done by then is killed
KEEP_SECONDS = 24 * 3600
MEMORY_LIMIT = 2 << 30
NICE = 10  # a job's child runs at a lower CPU priority than the server
_PROGRESS_EVERY = 0.2  # seconds between two progress writes of a child

Progress = Callable[[int, int], None]
_log = logging.getLogger(__name__)
#: the job children this process started and that still run (``stop_all``)
_running: set[subprocess.Popen] = set()


@dataclass
class Job:
    id: str
    kind: str  # export | document | certificates | import | ... (what the page calls it)
    competition_id: int
    filename: str = ""
    mimetype: str = ""
    state: str = "queued"  # queued | running | done | failed
    done: int = 0
    total: int = 0
    message: dict = field(default_factory=dict)  # {"msgid", "params"} when a job answers with words
    problems: list = field(default_factory=list)  # [{"path", "msgid", "params", "row"}] of an InvalidInput
    error: str = ""  # a failure that is not bad input (crash, time limit): the operator's words
    created: float = 0.0
    finished: float = 0.0
    # when a job not done must have ended (its time limit and a minute): past it, a job still
    # "queued" or "running" lost its server process (a restart) and reads as failed
    deadline: float = 0.0

    @property
    def has_file(self) -> bool:
        return self.state == "done" and bool(self.filename)


def target(fn: Callable) -> Callable:
    """Mark a module-level function as runnable in a job child (nothing else may be run there)."""
    fn._scoring_job = True  # type: ignore[attr-defined]
    return fn


def _status_path(directory: Path, job_id: str) -> Path:
    return Path(directory) / f"{job_id}.json"


def result_path(directory: Path, job: Job) -> Path:
    return Path(directory) / f"{job.id}.out"


def _write(directory: Path, job: Job) -> None:
    path = _status_path(directory, job.id)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(asdict(job), ensure_ascii=False))
    os.replace(tmp, path)


def job(directory: Path, job_id: str) -> Job | None:
    """The job's last written state, or None (unknown id, or not an id at all)."""
    if not (isinstance(job_id, str) and len(job_id) == 32 and all(c in "0123456789abcdef" for c in job_id)):
        return None
    try:
        data = json.loads(_status_path(directory, job_id).read_text())
    except (OSError, ValueError):
        return None
    found = Job(**data)
    if found.state in ("queued", "running") and found.deadline and time.time() > found.deadline:
        found.state, found.error = "failed", "not finished by its deadline: its server process stopped"
    return found


_slots: threading.BoundedSemaphore | None = None


def _slot_semaphore() -> threading.BoundedSemaphore:
    """Made on first use, after gevent has patched ``threading`` (then a greenlet semaphore)."""
    global _slots
    if _slots is None:
        _slots = threading.BoundedSemaphore(SLOTS)
    return _slots


def run_job(
    kind: str,
    fn: Callable,
    *args: Any,
    competition_id: int,
    directory: Path,
    filename: str = "",
    mimetype: str = "",
    seconds: float = SECONDS,
) -> Job:
    """Start ``fn(progress, *args)`` in a child process; return the job at once (state ``queued``)."""
    if not getattr(fn, "_scoring_job", False):
        raise ValueError(f"not a job target: {fn!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    now = time.time()
    new = Job(uuid.uuid4().hex, kind, competition_id, filename, mimetype, created=now, deadline=now + seconds + 60)
    _write(directory, new)
    payload = pickle.dumps(
        (fn.__module__, fn.__qualname__, args, str(directory), new.id), protocol=pickle.HIGHEST_PROTOCOL
    )
    # Under gevent ``threading`` is patched: this "thread" is a greenlet that waits on the child's
    # pipe cooperatively; without gevent it is a real thread that mostly sleeps in ``communicate``.
    threading.Thread(target=_supervise, args=(directory, new, payload, seconds), daemon=True).start()
    return new


def _supervise(directory: Path, new: Job, payload: bytes, seconds: float) -> None:
    slots = _slot_semaphore()
    with slots:
        child = subprocess.Popen(
            [sys.executable, "-m", "scoring.jobs"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        _running.add(child)
        try:
            out, err = child.communicate(payload, timeout=seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            out, err = b"", f"not done within {seconds:g} s".encode()
        finally:
            _running.discard(child)
    final = job(directory, new.id) or new
    final.finished = time.time()
    sent: list = []
    try:
        ok, value, sent = pickle.loads(out) if out else (False, RuntimeError(err[-500:].decode(errors="replace")), [])
    except Exception as exc:  # noqa: BLE001  (a broken answer is a failed job, not a crashed server)
        ok, value = False, exc
    if ok:
        final.state = "done"
        if isinstance(value, dict):
            final.message = value
        final.done = max(final.done, final.total)
    else:
        from scoring.errors import InvalidInput, Refused

        final.state = "failed"
        if isinstance(value, InvalidInput):
            final.problems = [
                {"path": p.path, "msgid": p.msgid, "params": p.params, "row": p.row} for p in value.problems
            ]
        elif isinstance(value, Refused):
            final.problems = [
                {"path": "", "msgid": value.msgid, "params": {k: str(v) for k, v in value.params.items()}}
            ]
        else:  # the operator's words, for the log; the page says that it failed, in the reader's language
            final.error = str(value)[:500] or type(value).__name__
            _log.warning("job %s (%s) failed: %s", new.id, new.kind, final.error)
    _write(directory, final)
    _replay(sent)


def _replay(sent: list) -> None:
    """Send here the signals the child sent (its listeners are not connected; ours are)."""
    from scoring import signals

    for name, sender, kwargs in sent:
        sig = getattr(signals, name, None)
        if sig is not None:
            try:
                sig.send(sender, **kwargs)
            except Exception:  # noqa: BLE001, S110  (a listener must not raise; a push never undoes a job)
                pass


def _sweep(directory: Path) -> None:
    """Remove the files of jobs older than ``KEEP_SECONDS`` (results are for downloading soon)."""
    cutoff = time.time() - KEEP_SECONDS
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
        except OSError:
            pass


# --------------------------------------------------------------------------- the child's side

_SIGNALS = ("mark_recorded", "standings_changed", "screen_changed", "grid_changed")


def _record_signals() -> list:
    """Listen to every signal in the child, keeping what can be sent again in the parent."""
    from scoring import signals

    sent: list = []
    for name in _SIGNALS:

        def hear(sender: object, _name: str = name, **kwargs: object) -> None:
            kept = {k: v for k, v in kwargs.items() if _picklable(v)}
            if len(kept) == len(kwargs):
                sent.append((_name, sender, kept))

        getattr(signals, name).connect(hear, weak=False)
    return sent


def _picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001
        return False
    return True


def stop_all() -> int:
    """Kill the job children this process started that still run (their jobs read as failed);
    the number killed. For a process that drops an app with work still running (the tests)."""
    killed = 0
    for child in list(_running):
        if child.poll() is None:
            child.kill()
            killed += 1
    return killed


def _die_with_parent() -> None:
    """Ask Linux to end this child when the server that started it ends (``PR_SET_PDEATHSIG``):
    a killed or restarted server's job is lost anyway (its page reads it as failed), and a child
    left running would take CPU from the next server for nothing."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (AttributeError, OSError):  # pragma: no cover - not Linux: the time limit still ends it
        return
    if os.getppid() == 1:  # the parent ended before the request took effect
        os._exit(1)


def _child() -> None:
    import resource

    _die_with_parent()
    module, name, args, directory, job_id = pickle.loads(sys.stdin.buffer.read())
    try:
        os.nice(NICE)  # the serving processes first: a job may take longer, a mark may not
    except OSError:  # pragma: no cover
        pass
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):  # pragma: no cover - a platform without the limit still runs the job
        pass
    fn: Any = importlib.import_module(module)
    for part in name.split("."):
        fn = getattr(fn, part)
    if not getattr(fn, "_scoring_job", False):
        sys.exit(2)
    directory = Path(directory)
    state = job(directory, job_id)
    state.state = "running"
    _write(directory, state)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < _PROGRESS_EVERY and done < total:
            return
        last[0] = now
        state.done, state.total = done, total
        _write(directory, state)

    sent = _record_signals()
    try:
        value = fn(progress, *args)
        if isinstance(value, bytes | bytearray):
            tmp = directory / f"{job_id}.part"
            tmp.write_bytes(value)
            os.replace(tmp, result_path(directory, state))
            value = None
        answer = (True, value, sent)
    except MemoryError:
        sys.exit(3)
    except Exception as exc:  # noqa: BLE001  (handed back to the supervising greenlet)
        answer = (False, exc, sent)
    try:
        out = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001
        out = pickle.dumps((False, RuntimeError(f"unpicklable answer: {exc}"), []))
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _child()
