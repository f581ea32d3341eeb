"""One error vocabulary for bad input, whatever door it came through (CLI, API, form, import).

Why: a rejected document, scheme, config or mark must say which field and why, in the
reader's language, and must change nothing. Code raises ``InvalidInput`` with every problem it
found (not just the first); the shell (CLI, blueprint) renders it, and renders at most
``SHOWN_PROBLEMS`` of them plus a count of the rest (``ProblemReport``): a hostile sheet with
100,000 bad rows must not turn into a 100 MB page, a JSON body or a terminal flood.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.i18n import N_, translate

SHOWN_PROBLEMS = 50  # enough to fix a sheet in one pass, small enough for any page


@dataclass(frozen=True)
class Problem:
    path: str  # e.g. "stages[1].weight" or "contestants.xlsx"
    msgid: str  # English message id, marked with N_ where it is written
    params: dict = field(default_factory=dict)
    row: int | None = None  # a spreadsheet row as the organizer counts it (shown "第3行" / "row 3")

    def message(self, locale: str | None = None) -> str:
        return translate(self.msgid, locale, **self.params)

    def where(self, locale: str | None = None) -> str:
        """The field, with the row in the reader's language when there is one."""
        if self.row is None:
            return self.path
        row = translate(N_("row %(row)s"), locale, row=self.row)
        return f"{self.path} {row}" if self.path else row

    def as_dict(self, locale: str | None = None) -> dict:
        return {"field": self.where(locale), "message": self.message(locale), "code": self.msgid}


class ProblemReport(list):
    """What a person is shown of the problems: the first ``limit`` as dicts (field, message, code),
    translated, and ``more``, how many were left out. A list, so pages iterate it as before."""

    def __init__(self, problems: list[Problem], locale: str | None = None, limit: int = SHOWN_PROBLEMS):
        super().__init__(p.as_dict(locale) for p in problems[:limit])
        self.more = max(0, len(problems) - limit)
        self.more_message = more_problems(self.more, locale)


def more_problems(count: int, locale: str | None = None) -> str:
    """The line that stands for the problems not listed ("" when none were left out)."""
    return translate(N_("… and %(count)s more problems not listed here."), locale, count=f"{count:,}") if count else ""


class InvalidInput(Exception):
    """Bad input, rejected as a whole. Carries every problem found (for counting and for code);
    whatever shows them to a person goes through ``report`` or ``messages``, which are bounded."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        shown = "; ".join(f"{p.where('en')}: {p.msgid}" for p in self.problems[:SHOWN_PROBLEMS])
        more = len(self.problems) - SHOWN_PROBLEMS
        super().__init__(shown + (f"; … and {more} more" if more > 0 else ""))

    def __reduce__(self):  # noqa: ANN204  (travels back from a child process whole: scoring.offload)
        return (InvalidInput, (self.problems,))

    def report(self, locale: str | None = None, limit: int = SHOWN_PROBLEMS) -> ProblemReport:
        return ProblemReport(self.problems, locale, limit)

    def messages(self, locale: str | None = None, limit: int = SHOWN_PROBLEMS) -> list[str]:
        """One line per problem for a terminal, at most ``limit`` and a line counting the rest."""
        lines = [
            f"{p.where(locale)}: {p.message(locale)}" if p.where(locale) else p.message(locale)
            for p in self.problems[:limit]
        ]
        rest = more_problems(max(0, len(self.problems) - limit), locale)
        return lines + ([rest] if rest else [])


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
