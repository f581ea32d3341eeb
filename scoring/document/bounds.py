"""Bounds on a document before it is validated: its size, its text encoding, its nesting.

Why: the validator, the converter and the importer walk a document recursively (criteria nest),
and ``json.loads`` itself recurses; a file of ``[[[[…]]]]`` must be a clear refusal, not a
RecursionError and a 500. A real document is about 9 levels deep (criteria add two per level),
so ``MAX_DEPTH`` leaves room for deep schemes and none for abuse. The checks are iterative.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_

MAX_DEPTH = 32
FILE_BYTES = 64 << 20  # a document file given to the command line (a 500-contestant archive is ~4 MB)
TOO_DEEP = N_("the document is nested more than %(depth)s levels deep")


def check_nesting(data: Any, source: str = "", limit: int = MAX_DEPTH) -> None:
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                raise InvalidInput(Problem(source, TOO_DEEP, {"depth": str(limit)}))
            stack.extend((v, depth + 1) for v in (node.values() if isinstance(node, dict) else node))


def too_deep(source: str = "") -> InvalidInput:
    """What ``json.loads`` hitting the interpreter's recursion limit becomes."""
    return InvalidInput(Problem(source, TOO_DEEP, {"depth": str(MAX_DEPTH)}))


def document_text(data: bytes, source: str = "") -> str:
    """UTF-8 text (a BOM is accepted), strictly: a wrong encoding is refused, never replaced."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(Problem(source, N_("the file is not UTF-8 text"))) from None


def document_file(path: str | Path, limit: int = FILE_BYTES) -> bytes:
    """A document file's bytes, refused before reading when it is absurdly large."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput(
                Problem(str(path), N_("the file is larger than %(size)s MB"), {"size": str(limit >> 20)})
            )
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            Problem(str(path), N_("cannot read the file: %(reason)s"), {"reason": exc.strerror or str(exc)})
        ) from None


def read_upload(data: bytes, name: str) -> Any:
    """An uploaded document's parsed JSON, refused whole (``InvalidInput``) unless it is a valid
    document: the pure step ``POST /admin/import`` runs in a child process (``scoring.offload``),
    so however many problems a hostile document has, finding them never holds the server."""
    from scoring.document.load import load_document, parse_json

    raw = parse_json(document_text(data, name), source=name)
    load_document(raw)
    return raw
