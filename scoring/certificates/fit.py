"""Fitting a certificate's text into its box: wrap, then shrink, never past the frame.

Why our own line breaking rather than fpdf2's ``multi_cell``: Chinese has no spaces, so a line may
break between any two hanzi, but not inside a Latin word or number ("2025", "WorldSkills") nor
before closing punctuation (，。、）》); and the whole block must be measured first (at each size)
to choose the largest size at which every line fits the box. Pure layout on fpdf2's measurements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

PT = 25.4 / 72  # one point in mm
LEADING = 1.3  # line height as a multiple of the font size
# a Latin word or number stays whole; a hanzi (with the punctuation that may not start a line) is a token
_TOKENS = re.compile(r"\s+|[A-Za-z0-9@#&'’.\-_/:+%]+[，。、；：！？）》」』,.;:!?)]*|.[，。、；：！？）》」』,.;:!?)]*")


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in mm."""

    x: float
    y: float
    w: float
    h: float


def _split_long(pdf: FPDF, token: str, width: float) -> list[str]:
    """A token wider than the line (a very long word) broken by characters."""
    out, line, used = [], "", 0.0
    for ch in token:
        w = pdf.get_string_width(ch)
        if line and used + w > width:
            out.append(line)
            line, used = "", 0.0
        line, used = line + ch, used + w
    return out + ([line] if line else [])


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy lines of ``text`` at the current font, each no wider than ``width`` mm (widths add
    up token by token: the certificate font is drawn without kerning)."""
    lines: list[str] = []
    line, used, pending = "", 0.0, ""  # pending: a space kept only if a word follows on the line
    for token in _TOKENS.findall(text.strip()):
        if token.isspace():
            pending = token if line else ""
            continue
        w = pdf.get_string_width(token)
        gap = pdf.get_string_width(pending) if pending else 0.0
        if line and used + gap + w > width:
            lines.append(line)
            line, used = "", 0.0
            gap, pending = 0.0, ""
        if not line and w > width:
            parts = _split_long(pdf, token, width)
            lines.extend(parts[:-1])
            token, w = parts[-1], pdf.get_string_width(parts[-1])
        line, used, pending = line + pending + token, used + gap + w, ""
    if line:
        lines.append(line)
    return lines or [""]


def balanced(pdf: FPDF, text: str, width: float) -> list[str]:
    """As few lines as ``wrap`` gives, but of even length: the narrowest width that still needs no
    more lines (so a title never leaves one character alone on its last line)."""
    lines = wrap(pdf, text, width)
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    for _ in range(10):
        mid = (low + high) / 2
        if len(wrap(pdf, text, mid)) > len(lines):
            low = mid
        else:
            high = mid
    return wrap(pdf, text, high)


def _ellipsize(pdf: FPDF, line: str, width: float) -> str:
    while line and pdf.get_string_width(line + "…") > width:
        line = line[:-1]
    return line + "…"


def layout(pdf: FPDF, paragraphs: list[str], box: Box, size: float, min_size: float) -> tuple[float, list[str]]:
    """The largest size (from ``size`` down to ``min_size``, in half points) at which the wrapped
    paragraphs fit the box, and their lines; at the minimum size the lines that do not fit are cut
    with an ellipsis, so nothing is ever drawn outside the box. Leaves the font at that size.

    Remembered per document: a batch lays out the same labels on every page (a score sheet's
    aspects, 500 times), and measuring text is most of the drawing time."""
    key = (pdf.font_family, pdf.font_style, tuple(paragraphs), box.w, box.h, size, min_size, pdf.c_margin)
    cache = pdf.__dict__.setdefault("_fit_layouts", {})
    if key not in cache:
        cache[key] = _layout(pdf, paragraphs, box, size, min_size)
    size, lines = cache[key]
    pdf.set_font_size(size)
    return size, list(lines)


def _layout(pdf: FPDF, paragraphs: list[str], box: Box, size: float, min_size: float) -> tuple[float, list[str]]:
    width = box.w - 2 * pdf.c_margin
    while True:
        pdf.set_font_size(size)
        count = sum(len(wrap(pdf, p, width)) for p in paragraphs if p)
        if count * size * PT * LEADING <= box.h + 1e-6 or size <= min_size:
            break
        size = max(min_size, size - 0.5)
    lines = [line for p in paragraphs if p for line in balanced(pdf, p, width)]
    room = max(1, int((box.h + 1e-6) // (size * PT * LEADING)))
    if len(lines) > room:
        lines = lines[: room - 1] + [_ellipsize(pdf, lines[room - 1], width)]
    return size, lines


def draw(
    pdf: FPDF,
    text: str | list[str],
    box: Box,
    size: float,
    min_size: float,
    align: str = "C",
    color: tuple[int, int, int] = (0, 0, 0),
) -> float:
    """Draw ``text`` (one paragraph, or several kept on lines of their own) fitted into ``box``,
    centred vertically; returns the font size used."""
    paragraphs = [text] if isinstance(text, str) else list(text)
    pdf.set_font("CJK", size=size)
    pdf.set_text_color(*color)
    size, lines = layout(pdf, paragraphs, box, size, min_size)
    line_h = size * PT * LEADING
    y = box.y + (box.h - len(lines) * line_h) / 2
    for line in lines:
        pdf.set_xy(box.x, y)
        pdf.cell(box.w, line_h, line, align=align)
        y += line_h
    return size
