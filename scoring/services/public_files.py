"""The public exports of a big published version, made once by a job and served from files.

Why: a visitor's download of a published version (``public_results.public_export``) of a
competition of thousands of contestants is seconds of XLSX writing; on the serving loop that
stops every tablet and board of the process, and a public link can be clicked by hundreds. A
published version never changes, so its files are made once, in a job (``scoring.jobs``: a child
process), and every later request, on any process of the host, is a file read.

One job makes every file of a version in one format and one language: each group's public sheet
and each team standing (so a made version answers any name, a name it does not hold with 404,
and no visitor can start more than one job per version, format and language however many names
they try). The files live in ``instance/public/<competition>/v<number>-<hash>/<locale>/<fmt>/``
with an ``index.json`` written last: the version's files are complete once it exists. While the
job runs (``<that directory>.job`` holds its id) the request is told to come back
(``public_results``: 503 with ``Retry-After``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import jobs
from scoring import models as m
from scoring.db import make_engine, reading
from scoring.services import exports

INDEX = "index.json"


def head(engine: Engine, cid: int, number: int | None) -> tuple[int, str] | None:
    """(number, content hash) of the version ``number`` (None: the newest), without its content."""
    q = select(m.ResultVersion.number, m.ResultVersion.content_hash).where(m.ResultVersion.competition_id == cid)
    q = q.where(m.ResultVersion.number == number) if number is not None else q
    with reading(engine) as s:
        row = s.exec(q.order_by(m.ResultVersion.number.desc()).limit(1)).first()
    return (row[0], row[1]) if row is not None else None


def folder(root: Path, cid: int, number: int, content_hash: str, locale: str, fmt: str) -> Path:
    safe_locale = "en" if (locale or "").startswith("en") else "zh"
    return Path(root) / str(cid) / f"v{number}-{content_hash[:16]}" / safe_locale / fmt


def made(where: Path, key: str) -> Path | None | bool:
    """The file of ``key`` (``group:<code>`` or ``team:<code>``) if the version's files are made;
    ``False`` when they are made and hold no such name; ``None`` when they are not made yet."""
    try:
        index = json.loads((where / INDEX).read_text())
    except (OSError, ValueError):
        return None
    name = index.get(key)
    return where / name if name else False


def claim(where: Path, start) -> str:  # noqa: ANN001
    """The id of the job making ``where``: the running one, or one ``start()`` begins now (once per
    host: the claim file is created exclusively; a failed job's claim is taken over)."""
    marker = where.with_suffix(".job")
    marker.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            job_id = marker.read_text().strip()
            if job_id:  # written by a process that is starting it: wait for its answer
                return job_id
            continue
        job_id = start()
        with os.fdopen(fd, "w") as f:
            f.write(job_id)
        return job_id
    return ""


def release(where: Path) -> None:
    """Forget a failed job's claim: the next request starts a new one."""
    try:
        os.unlink(where.with_suffix(".job"))
    except OSError:
        pass


@jobs.target
def version_files(progress: jobs.Progress, url: str, cid: int, number: int, fmt: str, locale: str, where: str) -> dict:
    """Write every public file of version ``number`` in ``fmt`` and ``locale``, then its index."""
    with reading(make_engine(url)) as s:
        v = s.exec(
            select(m.ResultVersion).where(m.ResultVersion.competition_id == cid, m.ResultVersion.number == number)
        ).one()
        content, stamp = v.content, {"number": v.number, "hash": v.content_hash}
    out = Path(where)
    out.mkdir(parents=True, exist_ok=True)
    groups = [g["code"] for g in content.get("groups", [])]
    teams = [t["code"] for t in content.get("team_standings", [])]
    total = len(groups) + len(teams)
    index: dict[str, str] = {}
    for n, code in enumerate(groups):
        progress(n, total)
        if fmt == "csv":
            data = exports.group_csv(content, code, True, locale)
        else:
            data = exports.group_xlsx(content, code, True, stamp, locale)
        index[f"group:{code}"] = _write(out, f"g{n}.{fmt}", data)
    for n, code in enumerate(teams):
        progress(len(groups) + n, total)
        data = (
            exports.team_csv(content, code, locale) if fmt == "csv" else exports.team_xlsx(content, code, stamp, locale)
        )
        index[f"team:{code}"] = _write(out, f"t{n}.{fmt}", data)
    _write(out, INDEX, json.dumps(index, ensure_ascii=False).encode())
    return {}


def _write(out: Path, name: str, data: bytes) -> str:
    tmp = out / f".{name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, out / name)
    return name
