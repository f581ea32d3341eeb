"""Giving contestants their lookup codes (成绩查询, printed on the admission ticket).

Why given when a contestant is created (an import, a sheet of contestants) and never again: the
code is printed on paper and must name the same person forever. A replace of the competition
(``services.transfer``) hands each contestant the code the replaced competition gave the same
person (the same ID number, or without one the same contestant code and name); a code the document
itself carries is kept, but may neither change an issued code nor take one issued to someone else.
New codes are drawn at random (``secrets``) from ``rules.lookup.ALPHABET`` and never repeat one
of the competition's, the replaced one's included. Rows from before codes existed get theirs at
the first ``ensure_codes`` (tickets printed, or a lookup by name).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.rules.lookup import ALPHABET, LENGTH, plain_name

CODE_CHANGED = N_("%(code)s already has another lookup code (printed on the admission ticket); it cannot change.")
CODE_TAKEN = N_("This lookup code was given to another contestant; give %(code)s its own or none.")


def new_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def same_person(a: m.Contestant, b: m.Contestant) -> bool:
    """The same contestant across a replace: the same ID number, else the same code and name."""
    if a.id_number and b.id_number:
        return a.id_number == b.id_number
    return a.code == b.code and plain_name(a.name) == plain_name(b.name)


def give_codes(rows: Sequence[m.Contestant], previous: Iterable[m.Contestant] = (), where: str = "contestants") -> None:
    """Give every row of ``rows`` (new, not yet flushed) its code: its own (checked against
    ``previous``, the codes given before), the same person's earlier one, or a new one."""
    before = [p for p in previous if p.lookup_code]
    owner = {p.lookup_code: p for p in before}
    taken = set(owner)
    problems = []
    handed: set[str] = {r.lookup_code for r in rows if r.lookup_code}  # the document's own (unique: checks)
    for i, row in enumerate(rows):
        row.lookup_code = row.lookup_code or None
        earlier = next((p for p in before if same_person(p, row)), None)
        if row.lookup_code is None:
            # the same person's earlier code, unless another row (the same ID number twice) has it
            keep = earlier is not None and earlier.lookup_code not in handed
            row.lookup_code = earlier.lookup_code if keep else None
            if row.lookup_code:
                handed.add(row.lookup_code)
        elif earlier is not None and earlier.lookup_code != row.lookup_code:
            problems.append(Problem(f"{where}[{i}].lookup_code", CODE_CHANGED, {"code": row.code}))
        elif row.lookup_code in owner and not same_person(owner[row.lookup_code], row):
            problems.append(Problem(f"{where}[{i}].lookup_code", CODE_TAKEN, {"code": row.code}))
        if row.lookup_code:
            taken.add(row.lookup_code)
    if problems:
        raise InvalidInput(problems)
    for row in rows:
        if row.lookup_code is None:
            row.lookup_code = new_code(taken)


def ensure_codes(engine: Engine, cid: int) -> int:
    """Give a code to each contestant of ``cid`` without one (from before codes existed); returns
    how many were given. Reads first: the write (and its lock) only when some are missing."""
    with reading(engine) as s:
        missing = s.exec(
            select(m.Contestant.id).where(m.Contestant.competition_id == cid, m.Contestant.lookup_code.is_(None))
        ).first()
    if missing is None:
        return 0
    with transaction(engine) as s:
        return ensure_in(s, cid)


def ensure_in(s: Session, cid: int) -> int:
    rows = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)))
    taken = {r.lookup_code for r in rows if r.lookup_code}
    missing = [r for r in rows if not r.lookup_code]
    for row in missing:
        row.lookup_code = new_code(taken)
        s.add(row)
    s.flush()
    return len(missing)
