"""Reading raw JSON into the declaration, and pydantic's errors as the document's ``Problem``s.

Why a mapping and not pydantic's messages: every problem names its field the way the organizer
sees it (``contestants[7].group``, ``scheme[1].children[0].aspects[2].max_mark``) and carries an
English message id with a Chinese translation (``scoring/errors.py``). An error's location becomes
that path; its type becomes the message id (the field types in ``fields`` raise theirs directly).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from scoring.document import declaration as d
from scoring.document.fields import PATTERN_MESSAGES
from scoring.document.tolerant import Broken, broken_entries
from scoring.errors import Problem
from scoring.i18n import N_

NOT_A_DOCUMENT = N_("the document must be a JSON object")
CHOICES = N_("must be one of: %(choices)s")
INVALID = N_("is not valid")
REQUIRED = N_("is required")
MESSAGES = {
    "missing": REQUIRED,
    "extra_forbidden": N_("unknown field"),
    "model_type": N_("must be an object"),
    "model_attributes_type": N_("must be an object"),
    "dict_type": N_("must be an object"),
    "list_type": N_("must be a list"),
    "string_type": N_("must be a string"),
    "string_too_short": N_("must not be empty"),
    "too_short": N_("must not be empty"),
    "bool_type": N_("must be true or false"),
}
#: Type errors a null gets where a value is needed: null means absent, so the field is missing.
NULL_IS_MISSING = {
    "string_type",
    "model_type",
    "model_attributes_type",
    "dict_type",
    "list_type",
    "bool_type",
    "enum",
    "literal_error",
}
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def path_of(loc: tuple[int | str, ...], prefix: str = "") -> str:
    """A pydantic location as a document path: ``("marks", 3, "value")`` -> ``marks[3].value``."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "[key]":  # a dict key that failed: the path already names it
            out = f"{out}.{part}" if out else str(part)
    return out


def problem_of(error: ErrorDetails, prefix: str = "") -> Problem:
    """One pydantic error as a ``Problem``."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    path = path_of(error["loc"], prefix)
    if kind == "scoring":
        return Problem(path, ctx["msgid"], {k: v for k, v in ctx.items() if k != "msgid"})
    if kind in NULL_IS_MISSING and error.get("input", 0) is None and error["loc"] and isinstance(error["loc"][-1], str):
        return Problem(path, REQUIRED)
    if kind in MESSAGES:
        return Problem(path, MESSAGES[kind])
    if kind == "string_too_long":
        return Problem(path, N_("must be at most %(max)s characters long"), {"max": str(ctx.get("max_length"))})
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_MESSAGES:
        return Problem(path, PATTERN_MESSAGES[ctx["pattern"]])
    if kind in ("enum", "literal_error"):
        choices = [c if c else '""' for c in _QUOTED.findall(str(ctx.get("expected", "")))]
        return Problem(path, CHOICES, {"choices": ", ".join(choices)})
    return Problem(path, INVALID)


def declared(raw: Any, reading: dict[str, Any]) -> tuple[d.Document | None, list[Problem]]:
    """``raw`` validated against the declaration, and every problem pydantic found in it.

    The document comes back even when some entries are broken (see ``tolerant``); it is None
    only when it is not an object at all, or not a competition document (format, version).
    ``reading`` is the validation context: ``{"broken": []}`` (plus ``"trusted": True`` for values
    the service produced itself)."""
    if not isinstance(raw, dict):
        return None, [Problem("", NOT_A_DOCUMENT)]
    problems: list[Problem] = []
    try:
        doc = d.Document.model_validate(raw, context=reading)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        header = [problem_of(e) for e in errors if e["loc"][:1] in (("format",), ("version",))]
        if header:
            return None, header
        problems = [problem_of(e) for e in errors]
        doc = d.Document.model_validate(_without(raw, errors), context=reading)
    if reading["broken"]:
        for path, broken in broken_entries(doc):
            problems.extend(problem_of(e, path) for e in broken.errors)
    return doc, problems


def _without(raw: dict[str, Any], errors: list[ErrorDetails]) -> dict[str, Any]:
    """The top level without what failed there: unknown keys dropped, a section that is missing
    or of the wrong shape replaced by a ``Broken`` marker (its problem is already reported)."""
    out: dict[Any, Any] = dict(raw)  # (raw JSON: any key an error names is dropped or replaced)
    for e in errors:
        key = e["loc"][0]
        if e["type"] == "extra_forbidden" or key not in d.Document.model_fields:
            out.pop(key, None)
        elif key == "meta":
            out.pop(key, None)
        else:
            out[key] = Broken([], raw.get(key))
    return out
