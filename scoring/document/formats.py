"""Numbers, places and terminal columns as the reports write them.

Why one place: the same value must read the same on a terminal, in JSON, on a page and in a PDF
(the declared places, never a float), and CJK text takes two terminal columns.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from scoring.document.fields import fmt_decimal
from scoring.rules.rounding import quantize
from scoring.rules.types import Rounding


def format_number(value: Decimal | None, rounding: Rounding | None = None) -> str | None:
    """``value`` as text with the declared places (``None`` stays ``None``: missing is not zero)."""
    if value is None:
        return None
    if rounding is None or rounding.places is None:
        return fmt_decimal(value.normalize())
    return fmt_decimal(quantize(value, rounding))  # the engine's one rounding step (never "-0.00")


def format_rank(rank: Decimal | None) -> str | None:
    if rank is None:
        return None
    return str(int(rank)) if rank == rank.to_integral_value() else fmt_decimal(rank.normalize())


def text_width(text: str) -> int:
    """Columns a string takes on a terminal: CJK (wide and fullwidth) characters take two."""
    return sum(
        2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1 for ch in text
    )


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - text_width(text))
    return gap + text if right else text + gap


def aligned(table: list[list[str]], numeric: list[bool]) -> list[str]:
    """A table's lines for a terminal: the first row is the head, underlined; numeric columns
    are right-aligned below it; columns fit their widest cell (CJK counted as two)."""
    widths = [max(text_width(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for n, row in enumerate(table):
        cells = [pad(c, widths[i], right=numeric[i] and n > 0) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
