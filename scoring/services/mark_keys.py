"""What a submitted mark must carry, and what a reused idempotency key may give back.

Why a key is compared with its body: a key's receipt answers *that* submission. A retry (the
same judge, contestant, aspect, value, state and base version) gets its original receipt back;
any other use of the key (another judge's tablet, another cell, value or state) is refused with
409 and stores nothing, so no judge ever receives another judge's mark. Keys stay unique per
competition (no migration): a key another judge already used is refused, never shared. The
comparison runs only when the key is already known (the hot path's head query says so), so a
normal submission pays nothing for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.errors import Conflict, InvalidInput, Problem
from scoring.i18n import N_
from scoring.rules.numbers import MAX_ID, parse_decimal
from scoring.rules.text import REASON_LIMIT, check_length

MAX_KEY = 80  # the column's width

KEY_REUSED = N_(
    "This idempotency key was already used for a different mark; nothing was stored. "
    "Send the mark again with a new key."
)


def check_submission(idempotency_key: object, based_on_version: object, state: str, reason: object = "") -> None:
    """The envelope of a submission, before anything is looked up."""
    if not isinstance(idempotency_key, str) or not idempotency_key or len(idempotency_key) > MAX_KEY:
        raise InvalidInput(
            Problem("idempotency_key", N_("Every submission needs an idempotency key of 1 to 80 characters."))
        )
    if (
        isinstance(based_on_version, bool)
        or not isinstance(based_on_version, int)
        or not 0 <= based_on_version <= MAX_ID
    ):
        raise InvalidInput(Problem("based_on_version", N_("The version the mark is based on must be a whole number.")))
    if state not in ("submitted", "void"):
        raise InvalidInput(Problem("state", N_("Unknown state %(state)s."), {"state": str(state)[:16]}))
    check_reason(reason)


def check_reason(reason: object) -> None:
    """A reason is stored in the mark and in its audit event: a sentence, never megabytes."""
    check_length(reason if isinstance(reason, str) else str(reason), "reason", REASON_LIMIT)


@dataclass(frozen=True)
class Submission:
    """Who submitted what under a key: compared with the row the key already names."""

    judge_id: int
    contestant_id: int
    aspect_id: int
    state: str
    value: object  # as sent (the row holds it parsed)
    based_on_version: int

    def value_read(self) -> Decimal | None:
        if self.state == "void":
            return None
        try:
            return parse_decimal(self.value, "value")
        except InvalidInput:
            return None


def refuse_unless_retry(row, sub: Submission) -> None:  # noqa: ANN001 (a Mark row)
    """Nothing if ``sub`` repeats the submission that made ``row``; else the 409."""
    same = (
        row.judge_id == sub.judge_id
        and row.contestant_id == sub.contestant_id
        and row.aspect_id == sub.aspect_id
        and row.state == sub.state
        and row.based_on_version == sub.based_on_version
    )
    if same:
        value = sub.value_read()
        same = (row.value is None and value is None and sub.state == "void") or (
            row.value is not None and value is not None and row.value == value
        )
    if not same:
        raise Conflict(KEY_REUSED)
