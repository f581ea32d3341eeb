"""Text from outside: what no stored text may contain, and how long each kind may be.

Why here and pure: a NUL is refused by a PostgreSQL text column (a 500 on one database and not
the other), a lone surrogate cannot be encoded as UTF-8 (a 500 when the answer is written), and
a 10 MB reason was stored in a mark and again in its audit event. The web layer refuses such
input before any view runs (``web.inputs``); the marks service checks a reason's length again
(``check_length``), since a mark can also arrive from the CLI or an appeal's correction.

The limits are per field name, as the forms and JSON bodies name them; any other field gets
``DEFAULT_LIMIT``, so a new form field is bounded without anyone remembering to bound it.
"""

from __future__ import annotations

import re

from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_

TOO_LONG = N_("This text is too long: at most %(limit)s characters.")
HOSTILE = re.compile("[\x00\ud800-\udfff]")  # NUL, or half of a surrogate pair

DEFAULT_LIMIT = 200  # names, codes, choices: any field not listed below
QUERY_LIMIT = 2000  # a query value (e.g. ``next``, which holds a whole path)
REASON_LIMIT = 500
LIMITS: dict[str, int] = {
    # free text kept in the audit log or shown to others
    "reason": REASON_LIMIT,
    "note": REASON_LIMIT,
    "decision": 2000,
    "text": 4000,
    "filed_by": 100,
    "contact": 100,
    # names and places on the console forms
    "name": 100,
    "display_name": 100,
    "unit": 100,
    "region": 100,
    "organizer": 200,
    "venue": 200,
    # identities, keys and codes
    "username": 80,
    "password": 200,
    "password2": 200,
    "pin": 40,
    "idempotency_key": 80,
    "client_id": 80,
    "code": 40,
    "contestant": 60,
    "aspect": 60,
    "judge": 60,
    "c_contestant": 60,
    "c_aspect": 60,
    "c_judge": 60,
    # a mark's value: the number parser reads at most a short prefix and names the aspect
    "value": 10_000,
}


def has_hostile(text: str) -> bool:
    return HOSTILE.search(text) is not None


def limit_of(field: str) -> int:
    return LIMITS.get(field, DEFAULT_LIMIT)


def check_length(value: object, field: str, limit: int | None = None) -> None:
    """InvalidInput naming ``field`` when ``value`` is a text longer than its limit."""
    limit = limit_of(field) if limit is None else limit
    if isinstance(value, str) and len(value) > limit:
        raise InvalidInput(Problem(field, TOO_LONG, {"limit": limit}))
