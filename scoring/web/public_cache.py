"""Public downloads of a big published version, from files made once (``services.public_files``).

Why not the console's job page: a visitor has no console, and a published version never changes.
So the first request for a version's CSV or XLSX (in one language) starts the one job that makes
all of that version's files, and answers 503 with ``Retry-After`` and a translated "being
prepared" message (a browser's page reloads itself after those seconds: ``Refresh``); once the
files exist, every request is a file read, on any process of the host (``instance/`` is shared).
A competition of at most ``JOB_INLINE_ROWS`` contestants is answered directly, as before.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, request, send_file
from flask_babel import gettext as _

from scoring import jobs
from scoring import models as m
from scoring.services import public_files
from scoring.spreadsheet import attachment
from scoring.web.admin.jobs import database_url, directory, is_big  # noqa: F401  (is_big: public_results asks)
from scoring.web.common import engine
from scoring.web.inputs import whole
from scoring.web.locale import select_locale
from scoring.web.responses import error_response

RETRY_SECONDS = 5
MIMETYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def root() -> Path:
    return Path(current_app.instance_path) / "public"


def sheet(comp: m.Competition, fmt: str, what: str):  # noqa: ANN201
    """The file of ``what`` (a group code, or ``teams-<code>``) of the asked version, or 503 while
    the version's files are being made."""
    found = public_files.head(engine(), comp.id, request.args.get("v", type=whole))
    if found is None:
        abort(404)
    number, content_hash = found
    locale = select_locale()
    where = public_files.folder(root(), comp.id, number, content_hash, locale, fmt)
    key = f"team:{what[len('teams-') :]}" if what.startswith("teams-") else f"group:{what}"
    path = public_files.made(where, key)
    if path is False:
        abort(404)
    if path is None:
        return _making(comp, number, fmt, locale, where)
    answer = send_file(path, mimetype=MIMETYPES[fmt], as_attachment=True, max_age=3600)
    answer.headers.update(attachment(f"{comp.slug}-{what}-v{number}.{fmt}"))
    return answer


def _making(comp: m.Competition, number: int, fmt: str, locale: str, where: Path):  # noqa: ANN202
    def start() -> str:
        args = (database_url(), comp.id, number, fmt, locale, str(where))
        seconds = current_app.config.get("JOB_SECONDS", jobs.SECONDS)
        made = jobs.run_job(
            "public", public_files.version_files, *args, competition_id=comp.id, directory=directory(), seconds=seconds
        )
        return made.id

    job_id = public_files.claim(where, start)
    state = jobs.job(directory(), job_id) if job_id else None
    if job_id and _gone(state):  # failed, forgotten, or its process died: start again
        public_files.release(where)
        public_files.claim(where, start)
    answer = error_response(503, _("The file is being prepared; it is ready in a few seconds."), code="preparing")
    answer = answer if isinstance(answer, tuple) else (answer, 503)
    return answer[0], 503, {"Retry-After": str(RETRY_SECONDS), "Refresh": str(RETRY_SECONDS)}


def _gone(state: jobs.Job | None) -> bool:
    """Failed (a time limit, a restart of its process: ``jobs.job``), forgotten, or done yet its
    files are not there: a new job is started."""
    return state is None or state.state in ("failed", "done")
