"""Imports as jobs (``scoring.jobs``): a big contestant sheet written by a child process.

Why: writing thousands of contestants is a second of work; under the gevent server it would stop
every tablet and board of the process. The sheet is read (and a bad one refused) in the request's
own child process as before (``web.uploads.read_off_loop``); a sheet of more than
``JOB_INLINE_ROWS`` rows is then written by this job (``web.admin.jobs``), whose page shows how
many contestants were imported, or the problems only the database could find (unknown group,
a duplicate ID number), exactly as the form would have. A whole document of more than
``JOB_INLINE_ROWS`` contestants and marks (``POST /admin/import``) is written the same way, all or
nothing as ever (one transaction in ``transfer.import_document``).
"""

from __future__ import annotations

from scoring import jobs
from scoring.db import make_engine, reading
from scoring.i18n import N_
from scoring.services.setup import import_contestants


@jobs.target
def contestants_file(
    progress: jobs.Progress, url: str, cid: int, filename: str, read: tuple[list, list], actor: str
) -> dict:
    """Write the rows of a sheet already read (``roster.read_contestants``, in the request's child)."""
    progress(0, 1)
    n = import_contestants(make_engine(url), cid, filename, b"", actor, run=lambda *_: read)
    return {"msgid": N_("%(n)s contestants were imported."), "params": {"n": n}}


@jobs.target
def document_file(progress: jobs.Progress, url: str, raw: dict, actor: str, replace: bool, keep_history: bool) -> dict:
    """Write a whole document already read and checked (``document.bounds.read_upload``, in the
    request's child) as a new or replacing competition; what the form would have said."""
    from scoring import models as m
    from scoring.services.transfer import import_document

    progress(0, 1)
    engine = make_engine(url)
    cid = import_document(engine, raw, actor=actor, replace=replace, keep_history=keep_history)
    with reading(engine) as s:
        name = s.get(m.Competition, cid).name
    if replace:
        return {
            "msgid": N_("The competition %(name)s was replaced by the imported document."),
            "params": {"name": name},
        }
    return {"msgid": N_("The competition %(name)s was imported."), "params": {"name": name}}
