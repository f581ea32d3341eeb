"""One error vocabulary for bad input, whatever door it came through (CLI, API, form, import).

Why: a rejected document, scheme, config or mark must say which field and why, in the
reader's language, and must change nothing. Code raises ``InvalidInput`` with every problem it
found (not just the first); the shell (CLI, blueprint) renders it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from scoring.i18n import translate


@dataclass(frozen=True)
class Problem:
    path: str                      # e.g. "stages[1].weight" or "contestants.xlsx row 7, 姓名"
    msgid: str                     # English message id, marked with N_ where it is written
    params: dict = field(default_factory=dict)

    def message(self, locale: str | None = None) -> str:
        return translate(self.msgid, locale, **self.params)

    def as_dict(self, locale: str | None = None) -> dict:
        return {"field": self.path, "message": self.message(locale), "code": self.msgid}


class InvalidInput(Exception):
    """Bad input, rejected as a whole. Carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path}: {p.msgid}" for p in self.problems))

    def messages(self, locale: str | None = None) -> list[str]:
        return [f"{p.path}: {p.message(locale)}" if p.path else p.message(locale) for p in self.problems]


class Refused(Exception):
    """A well-formed request the rules refuse: 403 (not yours to do), 409 (stale or locked), 404."""

    status = 400

    def __init__(self, msgid: str, **params: object):
        self.msgid = msgid
        self.params = params
        super().__init__(msgid % {k: str(v) for k, v in params.items()} if params else msgid)

    def message(self, locale: str | None = None) -> str:
        return translate(self.msgid, locale, **self.params)


class Forbidden(Refused):
    status = 403


class Conflict(Refused):
    status = 409


class NotFound(Refused):
    status = 404


class NotSignedIn(Refused):
    status = 401
