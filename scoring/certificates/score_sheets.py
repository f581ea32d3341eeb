"""Drawing the paper score sheets (评分表) as one A4 portrait PDF (fpdf2, no database, no Flask).

Why here: drawn like the certificates (``render``: the embedded Chinese font, vector QR codes;
``fit``: every text wrapped, then shrunk, never past its box) from plain data
(``services.paper_sheets``), with the labels in the reader's language and the scheme's own words
as stored.

Two layouts:

- **sheet**: one sheet per (judge, contestant): the header (competition, group, stage, panel,
  session; station, anonymous code, judge) with the QR code and, under it, the sheet version and
  the code to type; a table of the criteria and their aspects (type, range and step, level
  descriptors, time target and limit) with a box per aspect; a total box, the judge's signature
  and date. A sheet too long for one page goes on over more, each page with the same header and
  QR code, the total and signature on the last.
- **grid**: for a panel of at most ``GRID_MAX`` aspects, one page per (judge, panel, session):
  the aspects with their descriptors above, then a row per contestant (station, code, a box per
  aspect, total) ending with that contestant's own QR code, so a clerk scans the row. Sheets of
  larger panels in the same batch are drawn as single sheets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from scoring.certificates import fit
from scoring.certificates.fit import Box
from scoring.certificates.render import _new_pdf, _qr
from scoring.i18n import N_, normalise_locale, translate

if TYPE_CHECKING:
    from fpdf import FPDF

    from scoring.services.paper_sheets import PaperSheet, PrintedAspect, SheetSet

M = 12.0  # page margin, mm
QR = 30.0  # the sheet's QR code, mm
ROW_QR = 17.0  # a grid row's QR code, mm
COLS = (18.0, 80.0, 20.0, 34.0, 34.0)  # code, aspect, type, range, mark box (186 mm: A4 less the margins)
HEAD_H = 7.0
CRITERION_H = 6.0
NAME_PT, SMALL_PT = 9.0, 7.0
TYPE_LABELS = {
    "measurement": N_("Measurement"),
    "judgement": N_("Judgement"),
    "deduction": N_("Deduction"),
    "time": N_("Time"),
}

T = Callable[..., str]


def score_sheets_pdf(
    data: SheetSet, layout: str = "sheet", locale: str | None = None, progress: Callable[[int, int], None] | None = None
) -> bytes:
    """The sheets of ``data`` as one PDF; ``layout`` "grid" draws small panels as grids;
    ``progress(done, total)`` after each sheet (a job's progress bar)."""

    def t(msgid: str, **params: object) -> str:
        return translate(msgid, locale, **params)

    colon = ": " if normalise_locale(locale) == "en" else "："
    pdf = _new_pdf()
    pdf.set_title(t(N_("%(competition)s · score sheet"), competition=data.competition))
    pdf.set_margins(M, M, M)
    batch: list[PaperSheet] = []
    for n, sheet in enumerate(data.sheets):
        if progress:
            progress(n, len(data.sheets))
        if layout == "grid" and sheet.panel.small:
            if batch and _grid_key(batch[0]) != _grid_key(sheet):
                _grid(pdf, data.competition, batch, t, colon)
                batch = []
            batch.append(sheet)
            continue
        if batch:
            _grid(pdf, data.competition, batch, t, colon)
            batch = []
        _sheet(pdf, data.competition, sheet, t, colon)
    if batch:
        _grid(pdf, data.competition, batch, t, colon)
    if pdf.page == 0:
        pdf.add_page()
    return bytes(pdf.output())


def _grid_key(sheet: PaperSheet) -> tuple[str, int, str]:
    return (sheet.judge, sheet.panel.id, sheet.session)


# --------------------------------------------------------------------------- shared pieces


def _height(pdf: FPDF, paragraphs: Sequence[str], width: float, size: float) -> float:
    """The height of ``paragraphs`` wrapped to ``width`` at ``size`` (as ``fit.draw`` lays them);
    remembered per document, like ``fit.layout``."""
    key = (tuple(paragraphs), width, size)
    cache = pdf.__dict__.setdefault("_sheet_heights", {})
    if key not in cache:
        pdf.set_font("CJK", size=size)
        inner = width - 2 * pdf.c_margin
        lines = sum(len(fit.wrap(pdf, p, inner)) for p in paragraphs if p)
        cache[key] = lines * size * fit.PT * fit.LEADING
    return cache[key]


def _cell(pdf: FPDF, box: Box, fill: tuple[int, int, int] | None = None) -> None:
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    if fill:
        pdf.set_fill_color(*fill)
    pdf.rect(box.x, box.y, box.w, box.h, style="DF" if fill else "D")


def _range(a: PrintedAspect, t: T) -> list[str]:
    """The range column: what may be written (range, step) and what the aspect is worth."""
    span = f"{a.min}–{a.max}" if a.max else f"≥ {a.min}"
    if a.type == "deduction":
        lines = [t(N_("deduct %(span)s"), span=span)]
    elif a.type == "time":
        lines = [t(N_("%(span)s seconds"), span=span)]
    else:
        lines = [span]
    lines.append(t(N_("step %(step)s"), step=a.step))
    if a.type in ("judgement", "time"):
        lines.append(t(N_("max mark %(max)s"), max=a.max_mark))
    return lines


def _notes(a: PrintedAspect, t: T) -> list[str]:
    """Below an aspect's name: its level descriptors, its time target and limit."""
    notes = list(a.descriptors)
    if a.type == "time" and (a.time_target or a.time_limit):
        notes.append(t(N_("target %(target)s s, limit %(limit)s s"), target=a.time_target, limit=a.time_limit))
    return notes


def _qr_block(pdf: FPDF, sheet: PaperSheet, x: float, y: float, size: float, small: float, t: T) -> None:
    """The sheet's QR code with its version and the code to type under it."""
    _qr(pdf, sheet.url, x, y, size)
    lines = [t(N_("Sheet version %(version)s"), version=sheet.panel.version), sheet.token]
    fit.draw(pdf, lines, Box(x - 4, y + size, size + 8, 3 * small * fit.PT * fit.LEADING + 0.5), small, 4.5)


def _header(pdf: FPDF, title: str, sheet: PaperSheet, t: T, colon: str, with_contestant: bool) -> float:
    """The top of a page: title, what the sheet is for, who marks whom; returns where it ends."""
    width = pdf.w - 2 * M - (QR + 8 if with_contestant else 0)
    fit.draw(pdf, title, Box(M, M, width, 10), 15, 9, align="L")
    panel = sheet.panel
    facts = [
        f"{t(N_('Group'))}{colon}{panel.group}",
        f"{t(N_('Stage'))}{colon}{panel.stage}",
        f"{t(N_('Panel'))}{colon}{panel.name}",
    ]
    if sheet.session:
        facts.append(f"{t(N_('Session'))}{colon}{sheet.session}")
    if not with_contestant:
        facts.append(t(N_("Sheet version %(version)s"), version=panel.version))
    fit.draw(pdf, "  ".join(facts), Box(M, M + 10, width, 10), 9, 6.5, align="L")
    y = M + 22
    fields = [(t(N_("Judge")), f"{sheet.judge} {sheet.judge_name}")]
    if with_contestant:
        fields = [(t(N_("Station")), sheet.station or "—"), (t(N_("Anonymous code")), sheet.ref), *fields]
    x, w = M, width / len(fields)
    for label, value in fields:
        _cell(pdf, Box(x, y, w, 11))
        fit.draw(pdf, label, Box(x + 1, y + 0.5, w - 2, 4), 7, 5.5, align="L")
        fit.draw(pdf, value, Box(x + 1, y + 4, w - 2, 7), 14, 8, align="L")
        x += w
    return y + 11


def _signature(pdf: FPDF, y: float, t: T, colon: str) -> None:
    fit.draw(pdf, f"{t(N_('Judge signature'))}{colon}", Box(M, y, 34, 8), 10, 7, align="L")
    pdf.line(M + 34, y + 7, M + 104, y + 7)
    fit.draw(pdf, f"{t(N_('Date'))}{colon}", Box(M + 110, y, 20, 8), 10, 7, align="L")
    pdf.line(M + 130, y + 7, pdf.w - M, y + 7)


def _footer(pdf: FPDF, page: int, pages: int, t: T) -> None:
    note = t(
        N_(
            "Write each mark in its box. To correct one, strike it through, write the new mark beside it and initial it."
        )
    )
    fit.draw(pdf, note, Box(M, pdf.h - M - 8, pdf.w - 2 * M - 30, 8), 7, 5.5, align="L")
    if pages > 1:
        fit.draw(
            pdf,
            t(N_("Page %(page)s of %(pages)s"), page=page, pages=pages),
            Box(pdf.w - M - 30, pdf.h - M - 8, 30, 8),
            8,
            6,
            align="R",
        )


# --------------------------------------------------------------------------- one sheet per contestant


def _sheet(pdf: FPDF, competition: str, sheet: PaperSheet, t: T, colon: str) -> None:
    rows = _rows(pdf, sheet, t)
    closing = 12.0 + 16.0  # the total row and the signature line
    top = M + 22 + 11 + 6  # below the header
    bottom = pdf.h - M - 10
    pages: list[list[tuple[float, Callable[[float], None]]]] = [[]]
    y = top + HEAD_H
    for h, draw in rows:
        if y + h > bottom and pages[-1]:
            pages.append([])
            y = top + HEAD_H
        pages[-1].append((h, draw))
        y += h
    if y + closing > bottom:
        pages.append([])
    title = t(N_("%(competition)s · score sheet"), competition=competition)
    for n, page in enumerate(pages, start=1):
        pdf.add_page()
        _header(pdf, title, sheet, t, colon, with_contestant=True)
        _qr_block(pdf, sheet, pdf.w - M - QR, M, QR, 5.5, t)
        y = top
        if page or n == 1:
            y = _table_head(pdf, y, t)
        for h, draw in page:
            draw(y)
            y += h
        if n == len(pages):
            _total(pdf, y + 2, COLS, t)
            _signature(pdf, y + 18, t, colon)
        _footer(pdf, n, len(pages), t)


def _table_head(pdf: FPDF, y: float, t: T) -> float:
    heads = [t(N_("Code")), t(N_("Criteria and aspects")), t(N_("Type")), t(N_("Marks")), t(N_("Mark"))]
    x = M
    for text, w in zip(heads, COLS):
        _cell(pdf, Box(x, y, w, HEAD_H), fill=(235, 235, 235))
        fit.draw(pdf, text, Box(x, y, w, HEAD_H), 9, 6)
        x += w
    return y + HEAD_H


def _rows(pdf: FPDF, sheet: PaperSheet, t: T) -> list[tuple[float, Callable[[float], None]]]:
    """(height, draw at y) per table row: a heading row where the criterion changes, then the aspect."""
    rows: list[tuple[float, Callable[[float], None]]] = []
    shown: tuple[tuple[str, str], ...] = ()
    name_w = COLS[1]
    for a in sheet.panel.aspects:
        for depth, crit in enumerate(a.criteria):
            if shown[: depth + 1] != a.criteria[: depth + 1]:
                rows.append((CRITERION_H, _criterion_row(pdf, crit, depth)))
        shown = a.criteria
        name_h = _height(pdf, [f"{a.name}"], name_w, NAME_PT)
        notes = _notes(a, t)
        notes_h = _height(pdf, notes, name_w, SMALL_PT) if notes else 0.0
        range_h = _height(pdf, _range(a, t), COLS[3], SMALL_PT)
        h = max(11.0, name_h + notes_h + 2.5, range_h + 2)
        rows.append((h, _aspect_row(pdf, a, sheet, h, name_h, notes, t)))
    return rows


def _criterion_row(pdf: FPDF, crit: tuple[str, str], depth: int) -> Callable[[float], None]:
    def draw(y: float) -> None:
        _cell(pdf, Box(M, y, sum(COLS), CRITERION_H), fill=(246, 246, 246) if depth else (228, 228, 228))
        indent = 2 + 4 * depth
        fit.draw(pdf, f"{crit[0]}  {crit[1]}", Box(M + indent, y, sum(COLS) - indent, CRITERION_H), 9, 6, align="L")

    return draw


def _aspect_row(
    pdf: FPDF, a: PrintedAspect, sheet: PaperSheet, h: float, name_h: float, notes: list[str], t: T
) -> Callable[[float], None]:
    def draw(y: float) -> None:
        x = M
        for w in COLS:
            _cell(pdf, Box(x, y, w, h))
            x += w
        fit.draw(pdf, a.code, Box(M, y, COLS[0], h), 9, 6)
        x = M + COLS[0]
        name_box = Box(x, y + 1, COLS[1], name_h) if notes else Box(x, y, COLS[1], h)
        fit.draw(pdf, a.name, name_box, NAME_PT, 6.5, align="L")
        if notes:
            fit.draw(pdf, notes, Box(x, y + 1 + name_h, COLS[1], h - name_h - 1.5), SMALL_PT, 5, align="L")
        x += COLS[1]
        kind = t(TYPE_LABELS.get(a.type, a.type))  # one line: shrunk rather than broken inside a word
        fit.draw(pdf, kind, Box(x, y + (h - 4) / 2, COLS[2], 4), 8, 5)
        x += COLS[2]
        fit.draw(pdf, _range(a, t), Box(x, y, COLS[3], h), SMALL_PT, 5, align="L")
        x += COLS[3]
        _mark_box(pdf, Box(x + 3, y + (h - 9) / 2, COLS[4] - 6, 9), a.code in sheet.invalid, t)

    return draw


def _mark_box(pdf: FPDF, box: Box, invalid: bool, t: T) -> None:
    pdf.set_line_width(0.4)
    pdf.rect(box.x, box.y, box.w, box.h)
    if invalid:  # the technical panel declared the element invalid: no mark is taken
        pdf.line(box.x, box.y + box.h, box.x + box.w, box.y)
        fit.draw(pdf, t(N_("Declared invalid")), box, 7, 5, color=(120, 120, 120))
    pdf.set_line_width(0.2)


def _total(pdf: FPDF, y: float, cols: Sequence[float], t: T) -> None:
    label_w = sum(cols[:-1])
    fit.draw(pdf, t(N_("Sheet total")), Box(M, y, label_w - 3, 10), 11, 7, align="R")
    _mark_box(pdf, Box(M + label_w + 3, y + 0.5, cols[-1] - 6, 9), False, t)


# --------------------------------------------------------------------------- a grid per session


def _grid(pdf: FPDF, competition: str, sheets: list[PaperSheet], t: T, colon: str) -> None:
    """One judge's contestants of one panel and session as rows, a box per aspect, a QR per row."""
    first = sheets[0]
    aspects = first.panel.aspects
    fixed = (14.0, 24.0, 20.0, ROW_QR + 8)  # station, code, total, QR
    box_w = (pdf.w - 2 * M - sum(fixed)) / max(1, len(aspects))
    cols = [fixed[0], fixed[1], *([box_w] * len(aspects)), fixed[2], fixed[3]]
    row_h = ROW_QR + 6.0
    title = t(N_("%(competition)s · score sheet by session"), competition=competition)
    legend = [
        f"{a.code} {a.name} · {t(TYPE_LABELS.get(a.type, a.type))} · {'; '.join(_range(a, t))}"
        + (f" · {' / '.join(_notes(a, t))}" if _notes(a, t) else "")
        for a in aspects
    ]
    bottom = pdf.h - M - 10 - 14  # the signature line on every page
    legend_h = min(_height(pdf, legend, pdf.w - 2 * M, SMALL_PT), 70.0)
    table_y = M + 33 + 3 + legend_h + 2
    per_page = max(1, int((bottom - table_y - 9) // row_h))
    pages = max(1, -(-len(sheets) // per_page))
    heads = [t(N_("Station")), t(N_("Anonymous code")), *[f"{a.code}\n{_span(a)}" for a in aspects]]
    heads += [t(N_("Sheet total")), "QR"]
    for n in range(pages):
        pdf.add_page()
        _header(pdf, title, first, t, colon, with_contestant=False)
        fit.draw(pdf, legend, Box(M, M + 36, pdf.w - 2 * M, legend_h), SMALL_PT, 5, align="L")
        y, x = table_y, M
        for text, w in zip(heads, cols):
            _cell(pdf, Box(x, y, w, 9), fill=(235, 235, 235))
            lines = text.split("\n")  # one line per paragraph: shrunk rather than broken inside a word
            fit.draw(pdf, lines, Box(x, y + 4.5 - 1.9 * len(lines), w, 3.8 * len(lines)), 8, 5)
            x += w
        y += 9
        for sheet in sheets[n * per_page : (n + 1) * per_page]:
            _grid_row(pdf, sheet, y, cols, row_h, t)
            y += row_h
        _signature(pdf, y + 4, t, colon)
        _footer(pdf, n + 1, pages, t)


def _span(a: PrintedAspect) -> str:
    return f"{a.min}–{a.max}" if a.max else f"≥ {a.min}"


def _grid_row(pdf: FPDF, sheet: PaperSheet, y: float, cols: list[float], h: float, t: T) -> None:
    x = M
    for w in cols:
        _cell(pdf, Box(x, y, w, h))
        x += w
    fit.draw(pdf, sheet.station or "—", Box(M, y, cols[0], h), 12, 7)
    fit.draw(pdf, sheet.ref, Box(M + cols[0], y, cols[1], h), 12, 7)
    x = M + cols[0] + cols[1]
    for a, w in zip(sheet.panel.aspects, cols[2:]):
        _mark_box(pdf, Box(x + 2, y + (h - 9) / 2, w - 4, 9), a.code in sheet.invalid, t)
        x += w
    _mark_box(pdf, Box(x + 2, y + (h - 9) / 2, cols[-2] - 4, 9), False, t)
    x += cols[-2]
    _qr(pdf, sheet.url, x + (cols[-1] - ROW_QR) / 2, y + 0.5, ROW_QR)
    fit.draw(pdf, sheet.token, Box(x + 0.5, y + ROW_QR + 0.5, cols[-1] - 1, h - ROW_QR - 1), 4.5, 3.5)
