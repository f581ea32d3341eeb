"""Replacing a competition from the console: the upload waits on disk until the organizer confirms.

Why a staged file: the confirmation page must not ask for the file again, and a hidden form field
cannot carry a document of several megabytes through the input layer's field limits. The upload
is kept under ``instance/imports/`` by a random token, read back only with that token, removed
once used and swept after an hour; the confirmed import reads it through the same child-process
reader as any upload, so nothing unchecked is imported.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

KEEP_SECONDS = 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage(data: bytes) -> str:
    """Keep an upload until it is confirmed; returns its token (and sweeps stale uploads)."""
    folder = _folder()
    now = time.time()
    for old in folder.glob("*.upload"):
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.upload").write_bytes(data)
    return token


def staged(token: str) -> bytes | None:
    """The upload kept under ``token``, or None (unknown, malformed or expired)."""
    if not TOKEN.match(token or ""):
        return None
    path = _folder() / f"{token}.upload"
    if not path.exists() or time.time() - path.stat().st_mtime > KEEP_SECONDS:
        return None
    return path.read_bytes()


def drop(token: str) -> None:
    if TOKEN.match(token or ""):
        (_folder() / f"{token}.upload").unlink(missing_ok=True)
