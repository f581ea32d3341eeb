"""The contestant's papers: admission tickets (准考证) and the personal score report (成绩单).

Why beside the certificates: they are drawn with the same embedded CJK font, the same vector QR
code and the same fitting of text into boxes (``render``, ``fit``), so Chinese prints on any
printer and a long unit name never runs off its box. No database, no Flask: the services hand
over plain data, the words come from the catalog in the reader's language.

Tickets: A4 portrait, four per page (2 x 2, each A6 with a cut line between them), so a print
shop can cut them; each carries the lookup code and a QR code of the lookup page with the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from scoring.certificates import fit
from scoring.certificates.fit import Box
from scoring.certificates.render import draw_qr, new_pdf
from scoring.i18n import N_, normalise_locale, translate

ACCENT = (183, 28, 28)


@dataclass
class Ticket:
    competition: str
    name: str
    masked_id: str
    group: str
    unit: str
    region: str
    code: str  # the contestant code
    lookup_code: str  # as printed (ABCDE-FGHJK)
    lookup_url: str  # the QR code's address
    session: str = ""  # "第一场 · 2025-05-24 08:30–11:30 · 实操"; "" before the draw
    station: str = ""
    team: str = ""
    venue: str = ""


def _words(locale: str | None) -> Callable[..., str]:
    return lambda msgid, **params: translate(msgid, locale, **params)


def tickets_pdf(
    items: Iterable[Ticket], locale: str | None = None, progress: Callable[[int], None] | None = None
) -> bytes:
    t = _words(locale)
    colon = ": " if normalise_locale(locale) == "en" else "："
    pdf = new_pdf()
    w, h = 105.0, 148.5
    n = 0
    for n, item in enumerate(items):
        if n % 4 == 0:
            pdf.add_page(orientation="P")
            pdf.set_draw_color(160, 160, 160)
            pdf.set_line_width(0.2)
            pdf.set_dash_pattern(dash=2, gap=2)
            pdf.line(w, 0, w, 2 * h)
            pdf.line(0, h, 2 * w, h)
            pdf.set_dash_pattern()
        x0, y0 = (n % 2) * w, ((n % 4) // 2) * h
        _ticket(pdf, item, x0, y0, w, h, t, colon)
        if progress and (n + 1) % 20 == 0:
            progress(n + 1)
    if pdf.page == 0:
        pdf.add_page()
    return bytes(pdf.output())


def _ticket(pdf, item: Ticket, x0: float, y0: float, w: float, h: float, t, colon: str) -> None:  # noqa: ANN001
    pad = 7.0
    inner = w - 2 * pad
    fit.draw(pdf, item.competition, Box(x0 + pad, y0 + 6, inner, 13), 12, 8)
    fit.draw(pdf, t(N_("Admission ticket")), Box(x0 + pad, y0 + 19, inner, 11), 22, 14, color=ACCENT)
    pending = t(N_("announced after the draw"))
    lines = [
        (N_("Name"), item.name),
        (N_("Team"), item.team),
        (N_("ID number"), item.masked_id),
        (N_("Contestant code"), item.code),
        (N_("Group"), item.group),
        (N_("Unit"), item.unit),
        (N_("Region"), item.region),
        (N_("Session"), item.session or pending),
        (N_("Station"), item.station or pending),
        (N_("Venue"), item.venue),
    ]
    y = y0 + 33
    for label, value in lines:
        if not value:
            continue
        fit.draw(pdf, f"{t(label)}{colon}{value}", Box(x0 + pad, y, inner, 7.2), 10.5, 7, align="L")
        y += 7.2
    qr = 30.0
    qy = y0 + h - pad - qr - 3
    draw_qr(pdf, item.lookup_url, x0 + w - pad - qr, qy, qr)
    box = Box(x0 + pad, qy + 2, inner - qr - 2, 9)
    fit.draw(pdf, t(N_("Result lookup code")), box, 9, 7, align="L")
    fit.draw(pdf, item.lookup_code, Box(x0 + pad, qy + 10, inner - qr - 2, 10), 16, 10, align="L", color=ACCENT)
    fit.draw(
        pdf,
        t(N_("Scan or enter the code on the results page to see your own scores after publication.")),
        Box(x0 + pad, qy + 20, inner - qr - 2, 12),
        7.5,
        6,
        align="L",
    )


def report_pdf(data: dict, lookup_url: str, issued: datetime, date_text: str, locale: str | None = None) -> bytes:
    """A contestant's score report (成绩单): what ``services.lookup.personal`` shows, on one A4 page."""
    from scoring.labels import joined, stage_label

    t = _words(locale)
    colon = ": " if normalise_locale(locale) == "en" else "："
    pdf = new_pdf()
    pdf.set_creation_date(issued if issued.tzinfo else issued.replace(tzinfo=UTC))
    pdf.add_page(orientation="P")
    w = pdf.w
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.rect(10, 10, w - 20, pdf.h - 20)
    fit.draw(pdf, data["competition"], Box(18, 16, w - 36, 14), 16, 10)
    fit.draw(pdf, t(N_("Score report")), Box(18, 30, w - 36, 14), 24, 14, color=ACCENT)
    me = data["me"]
    facts = [
        (N_("Name"), me["name"]),
        (N_("Team"), me.get("team") or joined(me.get("members") or [], locale)),
        (N_("Contestant code"), me["code"]),
        (N_("Group"), me["group"]),
        (N_("Unit"), me["unit"]),
        (N_("Region"), me["region"]),
    ]
    y = 50.0
    for label, value in facts:
        if value:
            fit.draw(pdf, f"{t(label)}{colon}{value}", Box(22, y, w - 44, 7), 11, 8, align="L")
            y += 7
    y += 3
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    ranked = any(st.get("rank") for st in data["stages"])
    widths = (80.0, 25.0, 30.0, 31.0) if ranked else (90.0, 36.0, 40.0)
    head = (t(N_("Stage")), t(N_("Weight")), t(N_("Score")), t(N_("Stage rank")))[: len(widths)]
    y = _row(pdf, head, widths, 22, y, fill=True)
    for st in data["stages"]:
        label = stage_label(st["name"], st["code"], locale)
        cells = (label, f"{st.get('weight') or ''}%", st["score"] or "—", st.get("rank") or "—")
        y = _row(pdf, cells[: len(widths)], widths, 22, y)
        for c in st.get("criteria", []):
            y = _row(pdf, (f"  · {c['name']}", "", f"{c['score']} / {c['max']}", ""), widths, 22, y, size=8.5)
    if not data["stages"]:
        y = _row(pdf, (t(N_("No results are published yet.")), "", "", ""), widths, 22, y)
    y += 4
    summary = []
    if data.get("total"):
        summary.append((N_("Total"), data["total"]))
    if data.get("rank"):
        summary.append((N_("Rank"), t(N_("%(rank)s of %(count)s"), rank=data["rank"], count=data.get("ranked") or "—")))
    if data.get("awards"):
        summary.append((N_("Award"), joined(data["awards"], locale)))
    if data.get("status") in ("withdrawn", "absent"):
        from scoring.labels import status_label

        summary.append((N_("Status"), f"{status_label(data['status'], locale)} {data.get('reason') or ''}".strip()))
    for ts in data.get("teams", []):
        summary.append(
            (
                N_("Team standing"),
                f"{ts['name']} · {ts['delegation']} · {t(N_('%(rank)s of %(count)s'), rank=ts['rank'] or '—', count=ts['of'])} {joined(ts['awards'], locale)}".strip(),
            )
        )
    for label, value in summary:
        fit.draw(pdf, f"{t(label)}{colon}{value}", Box(22, y, w - 44, 8), 13, 8, align="L")
        y += 8
    v = data.get("version")
    bottom = pdf.h - 62
    if v:
        lines = [
            t(N_("result version %(number)s"), number=v["number"]) + f" · SHA-256 {v['hash']}",
            f"{t(N_('Date of issue'))}{colon}{date_text}",
        ]
        fit.draw(pdf, lines, Box(22, bottom, w - 44 - 42, 14), 8, 6, align="L")
    draw_qr(pdf, lookup_url, w - 22 - 36, bottom - 4, 36)
    fit.draw(
        pdf,
        t(
            N_(
                "Only published results are shown. Check this report against the published result version on the results page."
            )
        ),
        Box(22, bottom + 16, w - 44 - 42, 14),
        8,
        6,
        align="L",
    )
    return bytes(pdf.output())


def _row(pdf, cells, widths, x: float, y: float, fill: bool = False, size: float = 10) -> float:  # noqa: ANN001
    pdf.set_font("CJK", size=size)
    pdf.set_text_color(0, 0, 0)
    pdf.set_fill_color(240, 240, 240)
    for text, wd in zip(cells, widths):
        pdf.set_xy(x, y)
        pdf.cell(wd, 7, str(text)[:60], border=1, fill=fill)
        x += wd
    return y + 7
