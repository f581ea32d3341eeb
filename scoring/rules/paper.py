"""What the QR code of a printed score sheet (评分表) says, and how a scanned code is read back.

Why pure and in one place: the sheet printer writes the code and the clerks' entry form reads it
(from a USB scanner typing into a field, or a phone camera opening the printed address), and both
must agree on every character. The code names the competition, the judge, the contestant as the
judge knows them (the draw code, or ``#<id>`` before the draw: never a name) and the sheet version:
a fingerprint of what the sheet asks for (its aspects, their ranges and steps). A sheet printed
before the scheme changed therefore no longer matches, and the clerk is told so instead of typing
old boxes into new aspects.

Format: ``SCS1/<slug>/<judge>/<contestant>/<version>``, each part percent-encoded; the printed QR
holds the clerk form's address with the code as its ``sheet`` query value, so either form reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit

PREFIX = "SCS1"
#: A scanned text longer than this is not one of our codes (and is never echoed back whole).
MAX_TOKEN = 400


@dataclass(frozen=True)
class SheetRef:
    """One printed sheet: whose marks (judge) for whom (contestant ref) on which version."""

    slug: str
    judge: str
    contestant: str
    version: str


class SheetAspect(Protocol):
    """What of an aspect a printed sheet asks for (``models.Aspect`` has these fields)."""

    @property
    def code(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def min_value(self) -> Decimal: ...
    @property
    def max_value(self) -> Decimal | None: ...
    @property
    def max_mark(self) -> Decimal: ...
    @property
    def step(self) -> Decimal: ...


def version_of(aspects: Iterable[SheetAspect]) -> str:
    """The version of a sheet asking for these aspects (in the order printed): the sheet printer
    and the clerks' entry both call this, with ``services.judge_sheet.panel_aspects`` of the panel."""
    return sheet_version(
        (a.code, a.type, a.min_value, a.max_mark if a.max_value is None else a.max_value, a.step) for a in aspects
    )


def sheet_version(aspects: Iterable[tuple[object, ...]]) -> str:
    """The fingerprint of a sheet's content: one tuple per aspect in order (code, type, range, step).

    Eight hex digits: enough to tell two schemes of one competition apart, short enough to print
    under the QR code for a clerk to read out.
    """
    text = "\n".join("|".join(str(part) for part in row) for row in aspects)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def sheet_token(ref: SheetRef) -> str:
    parts = (ref.slug, ref.judge, ref.contestant, ref.version)
    return "/".join([PREFIX, *(quote(p, safe="") for p in parts)])


def parse_sheet_token(text: str) -> SheetRef | None:
    """The sheet a scanned text names, or None when it is not one of our codes.

    Accepts the bare code or any address whose ``sheet`` query value is the code (what a camera
    or a scanner reads off the printed QR), with surrounding white space.
    """
    text = (text or "").strip()
    if not text or len(text) > MAX_TOKEN:
        return None
    if not text.startswith(PREFIX + "/"):
        try:
            values = parse_qs(urlsplit(text).query).get("sheet")
        except ValueError:
            return None
        if not values:
            return None
        text = values[0].strip()
    parts = text.split("/")
    if len(parts) != 5 or parts[0] != PREFIX:
        return None
    slug, judge, contestant, version = (unquote(p) for p in parts[1:])
    if not all((slug, judge, contestant, version)):
        return None
    return SheetRef(slug, judge, contestant, version)
