"""Double-blind entry of paper score sheets (pure): what a clerk's entry is, when entries agree,
and how agreed values meet the judge's tablet marks.

Why pure and in one place: the clerks' form, the chief judge's reconciliation and the tests must
agree on every rule, and the rules are what an auditor asks about.

Conventions:

- An **entry** is every aspect of the sheet, each read by the same strict rules as a tablet's mark
  (``rules.marks.read_mark_value``: plain ASCII decimals, range, step); a blank box is refused
  (blank is not zero: a judge who left a box empty is asked about it, not guessed).
- Two entries by **different clerks** agree when every aspect has the same value (as numbers:
  ``7.5`` and ``7.50`` agree). Anything else is a mismatch for the chief judge.
- A **third entry** (after a mismatch) decides each aspect on which it agrees with either earlier
  entry (two of three); an aspect where all three differ stays for the chief judge.
- Agreed values meet the judge's **tablet**: an aspect without a counting mark is written; one with
  the same value is confirmed (no new version); one with a different value is a conflict, and then
  nothing of the sheet is written: paper and tablet never overwrite each other silently.
- A code typed by hand instead of scanned is the judge, the contestant and the sheet version (the
  eight hex digits printed under the QR code), separated by spaces or slashes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.errors import InvalidInput, Problem
from scoring.rules.marks import read_mark_value
from scoring.rules.numbers import REQUIRED
from scoring.rules.types import Aspect

_VERSION = re.compile(r"[0-9a-f]{8}")


def parse_typed(text: str) -> tuple[str, str, str] | None:
    """(judge, contestant ref, version) from a code typed by hand, or None."""
    parts = [p for p in re.split(r"[\s/]+", (text or "").strip()) if p]
    if len(parts) != 3 or any(len(p) > 60 for p in parts):
        return None
    judge, contestant, version = parts
    version = version.lower()
    return (judge, contestant, version) if _VERSION.fullmatch(version) else None


def read_entry(aspects: Sequence[Aspect], raw: Mapping[str, object]) -> dict[str, Decimal]:
    """Every aspect's value from what the clerk typed (by aspect code), or InvalidInput naming each
    box that is blank or not acceptable (all of them at once, in the sheet's order)."""
    values: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for aspect in aspects:
        typed = raw.get(aspect.code)
        if typed is None or (isinstance(typed, str) and not typed.strip()):
            problems.append(Problem(aspect.code, REQUIRED))
            continue
        try:
            values[aspect.code] = read_mark_value(aspect, typed)  # " 7 " is refused, as on a tablet
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return values


def differing(first: Mapping[str, Decimal], second: Mapping[str, Decimal]) -> list[str]:
    """The aspect codes whose values differ (or are in one entry only), in ``first``'s order."""
    codes = list(first) + [c for c in second if c not in first]
    return [c for c in codes if first.get(c) != second.get(c)]


@dataclass(frozen=True)
class Agreement:
    """What the entries decide: the agreed value per aspect, and the aspects still open."""

    values: dict[str, Decimal]
    open: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.open


def agreement(codes: Sequence[str], entries: Sequence[Mapping[str, Decimal]]) -> Agreement:
    """Per aspect, a value at least two entries share (two entries: both; three: two of three)."""
    values: dict[str, Decimal] = {}
    still: list[str] = []
    for code in codes:
        seen = [e[code] for e in entries if e.get(code) is not None]
        found = next((v for i, v in enumerate(seen) if v in seen[i + 1 :]), None)
        if found is None:
            still.append(code)
        else:
            values[code] = found
    return Agreement(values, tuple(still))


@dataclass(frozen=True)
class AgainstTablet:
    """Agreed values against the judge's counting tablet marks (aspect codes in each list)."""

    write: tuple[str, ...]  # no counting mark yet: the paper value becomes the mark
    same: tuple[str, ...]  # the tablet holds the same value: confirmed, nothing written
    conflict: tuple[str, ...]  # the tablet holds another value: nothing of the sheet is written


def against_tablet(values: Mapping[str, Decimal], tablet: Mapping[str, Decimal | None]) -> AgainstTablet:
    write: list[str] = []
    same: list[str] = []
    conflict: list[str] = []
    for code, value in values.items():
        held = tablet.get(code)
        (write if held is None else same if held == value else conflict).append(code)
    return AgainstTablet(tuple(write), tuple(same), tuple(conflict))


def shown(values: Mapping[str, Decimal]) -> dict[str, str]:
    """Values as stored and shown: plain decimal text, exactly as read."""
    return {code: format(v, "f") for code, v in values.items()}


def read_stored(values: Mapping[str, object]) -> dict[str, Decimal]:
    """Stored values (written by ``shown``) back as numbers."""
    return {code: Decimal(str(v)) for code, v in values.items()}
