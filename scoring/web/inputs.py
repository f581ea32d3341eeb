"""One input layer for every request: odd input is a 4xx by construction, never a 500.

Why app-wide rather than per route: the 500s a probe found (an id beyond the database integer,
``int("²")``, a NUL on PostgreSQL, a lone surrogate, a JSON array where an object was expected,
``1e-300000000`` as a mark) each came from one route trusting one value; a new route would
bring them back. So, before any view runs:

- JSON bodies are read without floats (``parse_float=json_number``: the number parser decides),
  without ``NaN``/``Infinity``, and a nesting too deep for the parser is a 400, not a crash;
- route ids are 1 to 10 ASCII digits up to ``MAX_ID`` (the ``int`` converter), and every other
  route part is at most ``SEGMENT_LIMIT`` characters: beyond either, no route matches (404);
- NUL and lone surrogates anywhere in the path, query, form (names, values, file names) or JSON
  (keys and strings) are refused with 400;
- form fields and JSON strings longer than their field's limit (``rules.text``) are refused with
  422 naming the field; query values longer than ``QUERY_LIMIT`` too.

Views then read ids and numbers with ``form_id``/``whole``/``rules.numbers`` and JSON with
``json_object``/``json_or_form``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, UnicodeConverter

from scoring.errors import InvalidInput, Problem
from scoring.rules.numbers import MAX_ID, JsonNumber, json_number, parse_integer, plain_id
from scoring.rules.text import QUERY_LIMIT, TOO_LONG, has_hostile, limit_of
from scoring.web.responses import error_response

SEGMENT_LIMIT = 200  # slugs are at most 80 characters, codes 40, serials 60


class BadInput(BadRequest):
    """A 400 with a translated message and the API's error code."""

    def __init__(self, message: str, code: str = "bad_request") -> None:
        super().__init__()
        self.scoring_message = message
        self.scoring_code = code


class ScoringJSON(DefaultJSONProvider):
    """Flask's JSON, minus floats: a fraction or exponent arrives as ``JsonNumber`` (its text), so
    ``1e-300000000`` is refused by the number parser instead of becoming 0 or a 300 MB answer."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_float", json_number)
        kwargs.setdefault("parse_constant", _no_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, JsonNumber):
            return o.text
        return DefaultJSONProvider.default(o)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


class IdConverter(IntegerConverter):
    """``<int:…>``: an id as the database holds it; a longer or larger number matches no route."""

    regex = r"[0-9]{1,10}"

    def __init__(
        self,
        map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,  # noqa: A002,ANN001
        signed: bool = False,
    ) -> None:
        super().__init__(
            map,
            fixed_digits,
            0 if min is None else min,
            MAX_ID if max is None else max if max < MAX_ID else MAX_ID,
            False,
        )


class SegmentConverter(UnicodeConverter):
    """``<name>``: one path segment of at most ``SEGMENT_LIMIT`` characters (so no message that
    repeats a route part can grow with it)."""

    def __init__(
        self,
        map,
        minlength: int = 1,
        maxlength: int | None = None,  # noqa: ANN001
        length: int | None = None,
    ) -> None:
        super().__init__(map, minlength, min(maxlength or SEGMENT_LIMIT, SEGMENT_LIMIT), length)


def install(app: Flask) -> None:
    """Wire the layer into an app; before any blueprint, so every rule uses these converters."""
    app.json = ScoringJSON(app)
    app.url_map.converters.update({"int": IdConverter, "default": SegmentConverter, "string": SegmentConverter})
    app.before_request(refuse_odd_input)
    app.register_error_handler(BadInput, _bad_input)


def _bad_input(exc: BadInput):
    return error_response(400, exc.scoring_message, code=exc.scoring_code)


# --------------------------------------------------------------------------- the check before every view


def refuse_odd_input() -> None:
    """Raise for hostile characters (400) or over-long fields (422); nothing for normal input."""
    problems: list[Problem] = []
    texts = [request.path]
    for key, value in request.args.items(multi=True):
        texts += (key, value)
        if len(value) > QUERY_LIMIT:
            problems.append(Problem(key[:40], TOO_LONG, {"limit": QUERY_LIMIT}))
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _fields(request.form, texts, problems)
        for key, upload in request.files.items(multi=True):
            key = key or ""
            texts += (key, upload.filename or "")
            if len(upload.filename or "") > limit_of("filename"):
                problems.append(Problem(key[:40], TOO_LONG, {"limit": limit_of("filename")}))
    if request.is_json:
        _json_texts(request.get_json(silent=True), texts, problems)
    if any(has_hostile(t) for t in texts):
        raise BadInput(
            _(
                "The request contains a character that is not allowed (NUL or an unpaired surrogate); "
                "nothing was changed."
            )
        )
    if problems:
        raise InvalidInput(problems[:20])


def _fields(form: MultiDict, texts: list[str], problems: list[Problem]) -> None:
    for key, value in form.items(multi=True):
        key, value = key or "", value or ""  # a malformed multipart part can come without a name
        texts += (key, value)
        if len(value) > limit_of(key):
            problems.append(Problem(key[:40], TOO_LONG, {"limit": limit_of(key)}))


def _json_texts(body: Any, texts: list[str], problems: list[Problem]) -> None:
    """Every key and string of a JSON body, each string checked against its key's limit.
    Iterative: a deep body cannot exhaust the stack here."""
    stack: list[tuple[str, Any]] = [("", body)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, str):
            texts.append(value)
            if len(value) > limit_of(key):
                problems.append(Problem(key[:40] or "body", TOO_LONG, {"limit": limit_of(key)}))
        elif isinstance(value, dict):
            for k, v in value.items():
                texts.append(k)
                stack.append((k, v))
        elif isinstance(value, list):
            stack.extend((key, v) for v in value)


# --------------------------------------------------------------------------- helpers for views


def json_object() -> dict:
    """The request's JSON body, which must be an object; else 400 (a list, a number, bad JSON)."""
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        raise BadInput(_("Send the data as a JSON object."))
    return body


def json_or_form():  # noqa: ANN201 (a dict or the form's MultiDict)
    """A JSON object when JSON was sent, else the form."""
    return json_object() if request.is_json else request.form


def form_id(name: str, source: Any = None) -> int:
    """An id from a form field (or ``source``): ASCII digits up to ``MAX_ID``, else 422 naming it."""
    return parse_integer((request.form if source is None else source).get(name), name, minimum=0, maximum=MAX_ID)


def whole(text: str) -> int:
    """For ``request.args.get(name, type=whole)``: a plain id, else ValueError (the default is used)."""
    value = plain_id(text)
    if value is None:
        raise ValueError(text[:16])
    return value


def confirmed() -> bool:
    """Did the form carry the confirmation of an irreversible step (``confirm=1``)? Anything else
    is "not yet": the step then shows what it would do and changes nothing."""
    return request.form.get("confirm") == "1"


def form_whole(name: str, default: int, minimum: int, maximum: int) -> int:
    """A whole number from a form field (``default`` when it is absent or blank), else 422 naming it."""
    raw = request.form.get(name, "")
    return default if raw == "" else parse_integer(raw, name, minimum=minimum, maximum=maximum)
