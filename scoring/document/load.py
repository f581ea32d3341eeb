"""Reading and validating the portable competition document.

Why in three steps: an organizer fixing a spreadsheet export wants every problem at once, each
naming its field (``contestants[7].group``) and the reason in their language. So the raw JSON is
first read against the declaration (``declaration``: types, required fields, bounds; a broken
entry does not stop the rest, see ``tolerant``), then the cross-field checks run on what was read
(``checks``: codes, references, sums, marks), and ``load_document`` raises one ``InvalidInput``
with everything found. Only a document without problems becomes a typed ``Document``
(``typed``), which the engine's own configuration check sees last.

Numbers are read by ``scoring.rules.numbers``: strings and integers as written, JSON fractions by
their exact text (``parse_json`` keeps them as ``JsonNumber``); a float never enters a computation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scoring.document.bounds import check_nesting, too_deep
from scoring.document.checks import cross_checks, id_check_digit
from scoring.document.convert import to_engine_input, uniform_scheme
from scoring.document.fields import fmt_decimal
from scoring.document.model import Document
from scoring.document.problems import declared
from scoring.document.typed import document_of
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.rules.engine import gc_paused
from scoring.rules.numbers import json_number
from scoring.rules.text import has_hostile
from scoring.rules.validation import validate_config

__all__ = ["engine_problems", "fmt_decimal", "id_check_digit", "load_document", "parse_json", "read_document"]


def load_document(raw: Any, *, strict: bool = True) -> Document:
    """Validate a parsed document (a dict from JSON) and return it typed.

    Raises ``InvalidInput`` carrying every problem found, each with the field path.
    ``strict=False`` accepts marks by a judge who is (now) recused from the contestant or not
    (any more) on the panel for the aspect, as an archive of a real database may hold them after
    a late recusal or a panel change; the engine ignores such marks and flags them.
    """
    with gc_paused():
        decl, problems = declared(raw, {"broken": []})
        if decl is not None:
            problems += cross_checks(decl, strict)
        if problems or decl is None:
            raise InvalidInput(problems)
        doc = document_of(decl)
        del decl  # freed before collection resumes: the collector never walks it
    problems = engine_problems(doc)
    if problems:
        raise InvalidInput(problems)
    return doc


def engine_problems(doc: Document) -> list[Problem]:
    """The engine's configuration check on the document's rules, scheme and panels.

    Run per group when groups are marked on different aspects (the engine checks one scheme at
    a time: a shared practical stage would otherwise "add up" to the sum of every group's
    aspects). Identical problems from several groups are reported once.
    """
    if uniform_scheme(doc):
        inputs = [to_engine_input(doc)]
    else:
        inputs = [to_engine_input(doc, g.code) for g in doc.groups]
    out: dict[tuple[str, str, tuple[tuple[str, object], ...]], Problem] = {}
    for inp in inputs:
        for p in validate_config(inp):
            out.setdefault((p.path, p.msgid, tuple(sorted(p.params.items()))), p)
    return list(out.values())


def parse_json(text: str, source: str = "") -> Any:
    """JSON text to Python with exact numbers; syntax errors and duplicate keys become problems."""
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    def constant(name: str) -> Any:
        raise ValueError(name)

    try:
        data = json.loads(text, parse_float=json_number, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            Problem(
                source,
                N_("invalid JSON at line %(line)s, column %(column)s: %(reason)s"),
                {"line": str(exc.lineno), "column": str(exc.colno), "reason": exc.msg},
            )
        ) from None
    except ValueError as exc:
        raise InvalidInput(
            Problem(source, N_("invalid JSON: %(reason)s is not a number"), {"reason": str(exc)})
        ) from None
    except RecursionError:
        raise too_deep(source) from None
    if duplicates:
        raise InvalidInput(
            [
                Problem(source, N_("the key %(key)s appears twice in one object"), {"key": k})
                for k in dict.fromkeys(duplicates)
            ]
        )
    check_nesting(data, source)
    if _has_hostile_text(data):
        raise InvalidInput(Problem(source, N_("a text contains NUL or an unpaired surrogate, which no text may hold")))
    return data


def _has_hostile_text(data: Any) -> bool:
    """A NUL (refused by PostgreSQL) or a lone surrogate (not UTF-8) in any key or string (iterative)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if has_hostile(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def read_document(path: str | Path, *, strict: bool = True) -> Document:
    """Read, parse and validate a document file (UTF-8, an optional BOM is accepted)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(
            Problem(str(path), N_("cannot read the file: %(reason)s"), {"reason": exc.strerror or str(exc)})
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(Problem(str(path), N_("the file is not UTF-8 text"))) from None
    return load_document(parse_json(text, path.name), strict=strict)
