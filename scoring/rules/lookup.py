"""Result lookup (成绩查询) by a contestant: the lookup code printed on the admission ticket, and
the name + ID-number tail a contestant may type instead. Pure: no Flask, no database, no clock.

Conventions:

- A lookup code is ``LENGTH`` characters from ``ALPHABET``: digits and capitals without 0/O and
  1/I, so a code read off paper cannot be mistyped into another one. 32 symbols x 10 places is
  2^50 codes: under the lookup brakes (a few dozen attempts per address per 10 minutes) a guess
  succeeds about once in 10^13 tries per contestant. The service draws codes at random
  (``secrets``); ``code_from`` makes a fixed one from a seed (the demo's, so the README can name one).
- What a person types is read leniently (spaces, hyphens and lower case allowed: the ticket prints
  ``ABCDE-FGHJK``) and then strictly: any other character, or the wrong length, is no code.
- A name matches when it is the same after removing whitespace (a typed "张 伟" is 张伟); an ID
  tail matches the last six characters of the ID number, upper case (a final x is X), compared
  in constant time. An empty ID number never matches.
- On paper an ID number is masked to its last four characters.
"""

from __future__ import annotations

import hashlib
import hmac
import re

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10
TAIL = 6  # the characters of the ID number a contestant types
SHOWN_TAIL = 4  # the characters of the ID number a ticket prints
_SEPARATORS = re.compile(r"[\s\-_]+")
_WHITESPACE = re.compile(r"\s+")


def code_from(seed: str) -> str:
    """A fixed lookup code from ``seed`` (SHA-256 read in base 32 over ``ALPHABET``)."""
    number = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")
    out = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def is_code(text: str) -> bool:
    """Whether ``text`` is a lookup code as stored (canonical form)."""
    return len(text) == LENGTH and all(ch in ALPHABET for ch in text)


def read_code(typed: str) -> str | None:
    """The canonical code a person typed (spaces, hyphens and case forgiven), or None."""
    text = _SEPARATORS.sub("", typed or "").upper()
    return text if is_code(text) else None


def shown_code(code: str) -> str:
    """The code as printed: two halves joined by a hyphen (ABCDE-FGHJK)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if code else ""


def plain_name(name: str) -> str:
    return _WHITESPACE.sub("", name or "")


def read_tail(typed: str) -> str | None:
    """The ID-number tail a person typed (upper case, no spaces), or None if it is not six
    characters of digits with a possible final X."""
    text = _WHITESPACE.sub("", typed or "").upper()
    return text if re.fullmatch(r"[0-9]{5}[0-9X]", text) else None


def tail_matches(id_number: str, tail: str) -> bool:
    """Whether ``tail`` (from ``read_tail``) is the last six characters of ``id_number``."""
    id_number = (id_number or "").strip().upper()
    if len(id_number) < TAIL or not tail:
        return False
    return hmac.compare_digest(id_number[-TAIL:].encode(), tail.encode())


def person_matches(name: str, id_number: str, typed_name: str, tail: str) -> bool:
    """A person (a contestant, or a team's member) is the one a name + ID tail describes."""
    same_name = bool(plain_name(typed_name)) and plain_name(name) == plain_name(typed_name)
    return tail_matches(id_number, tail) and same_name


def masked_id(id_number: str) -> str:
    """The ID number as a ticket prints it: every character but the last four hidden."""
    id_number = (id_number or "").strip()
    if not id_number:
        return ""
    keep = id_number[-SHOWN_TAIL:]
    return "*" * max(0, len(id_number) - SHOWN_TAIL) + keep
