"""Uploads at the edge: how large a request may be, per route, and reading a file off the loop.

Why a declared limit per route: ``MAX_CONTENT_LENGTH`` caps every request of the app; a route
that takes a file of a known kind declares a smaller cap with ``@uploads.limit(CONFIG_KEY)``, so
a 50 MB "sheet" is a 413 before a byte of it is parsed. The cap must be set before anything
reads the body (Flask-WTF's CSRF check reads the form in a before-request hook), so the hook
that applies it is put first.

Why off the loop: under the production server (one gevent worker) a synchronous parse stops
every tablet and board on the process, and even a real thread holds the interpreter lock the
loop needs. ``read_off_loop`` runs the pure reading step in a child process (``scoring.offload``)
and refuses the file when it takes longer than ``UPLOAD_SECONDS`` (the child is killed).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from werkzeug.datastructures import FileStorage

from scoring import offload
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.services.sheets import SheetLimits

T = TypeVar("T")
_KEY = "scoring_upload_limit"
IMAGE_PIXELS = 16_000_000  # 4,000 x 4,000: a seal printed 4 cm wide needs a tiny fraction of it


def limit(config_key: str) -> Callable:
    """Declare a route's request-size cap by the name of its configuration value (bytes)."""

    def mark(view: Callable) -> Callable:
        setattr(view, _KEY, config_key)
        return view

    return mark


def _apply_route_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    key = getattr(view, _KEY, None)
    if key:
        ceiling = current_app.config.get("MAX_CONTENT_LENGTH")
        own = current_app.config[key]
        request.max_content_length = min(own, ceiling) if ceiling else own


def install(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _apply_route_limit)


def filename(upload: FileStorage) -> str:
    """The uploaded file's name as problems repeat it: at most 80 characters, the end (and its
    extension, which decides how the file is read) kept."""
    name = upload.filename or ""
    return name if len(name) <= 80 else "…" + name[-79:]


def sheet_limits() -> SheetLimits:
    return SheetLimits(rows=current_app.config.get("MAX_SHEET_ROWS", SheetLimits.rows))


def read_off_loop(target: str, *args: object) -> T:
    """``target(*args)`` (a pure reading step named in ``offload.TARGETS``) in a child process;
    too slow, or too big for the child's memory, is bad input, not a stall."""
    seconds = current_app.config.get("UPLOAD_SECONDS", 10)
    try:
        return offload.run(target, *args, seconds=seconds)
    except TimeoutError:
        raise InvalidInput(
            Problem(
                "",
                N_(
                    "Reading the file did not finish within %(seconds)s seconds; "
                    "remove unused rows and columns or split the file, and try again."
                ),
                {"seconds": f"{seconds:g}"},
            )
        ) from None
    except offload.OffloadFailed:
        current_app.logger.warning("reading an upload failed in its child process", exc_info=True)
        raise InvalidInput(
            Problem(
                "",
                N_(
                    "The file could not be read: it needs more memory than a sheet "
                    "or document may use. Remove unused rows and columns or split it."
                ),
            )
        ) from None


def too_large_message(translate: Callable[..., str]) -> str:
    """The 413 text with the cap that applied to this request, in megabytes."""
    cap = request.max_content_length
    if not cap:
        return translate(N_("The upload is too large."))
    return translate(
        N_("The upload is too large (at most %(size)s MB); nothing was changed."), size=f"{cap / (1 << 20):g}"
    )


def image(upload: FileStorage | None) -> bytes | None:
    """An uploaded image (a seal or logo), refused when its header declares more pixels than any
    print needs: a small PNG can unpack to gigabytes when every certificate is rendered."""
    if upload is None or not upload.filename:
        return None
    data = upload.read()
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:  # reads the header only
            width, height = im.size
    except Image.DecompressionBombError:
        width = height = IMAGE_PIXELS
    except Exception:  # noqa: BLE001  (not an image: the certificate service says so)
        return data
    if width * height >= IMAGE_PIXELS:
        raise InvalidInput(
            Problem(
                "seal",
                N_("The image is larger than %(max)s million pixels; a seal or logo needs far fewer."),
                {"max": str(IMAGE_PIXELS // 1_000_000)},
            )
        )
    return data
