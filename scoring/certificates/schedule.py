"""The printed schedule (场次安排) as a PDF: one block per session, who competes at which station.

Why here: it is drawn like the results sheet (fpdf2, the embedded Chinese font of
``certificates.render``), from plain data (``services.timetable.schedule``), in the reader's
language; names appear only when the data carries them (after the draw is revealed).
"""

from __future__ import annotations

from scoring.certificates.render import _new_pdf
from scoring.i18n import N_, translate
from scoring.labels import stage_label, status_label

ROW = 6.0


def schedule_pdf(data: dict, locale: str | None = None) -> bytes:
    def t(msgid: str, **params: object) -> str:
        return translate(msgid, locale, **params)

    pdf = _new_pdf()
    comp = data["competition"]
    pdf.add_page()
    pdf.set_font("CJK", size=16)
    pdf.set_xy(10, 12)
    pdf.cell(pdf.w - 20, 9, t(N_("%(competition)s · schedule"), competition=comp["name"]), align="C")
    pdf.set_font("CJK", size=9)
    pdf.set_xy(10, 21)
    pdf.cell(pdf.w - 20, 5, f"{comp.get('organizer', '')}  {comp.get('venue', '')}", align="C")
    y = 30.0
    head = [t(N_("Station")), t(N_("Code")), t(N_("Group"))] + ([t(N_("Name")), t(N_("Unit"))] if data["names"] else [])
    widths = [22.0, 30.0, 40.0] + ([35.0, 0.0] if data["names"] else [])
    widths[-1] = widths[-1] or pdf.w - 20 - sum(widths[:-1])
    for s in data["sessions"]:
        if y > pdf.h - 40:
            pdf.add_page()
            y = 15.0
        pdf.set_font("CJK", size=12)
        pdf.set_xy(10, y)
        when = f"{s['date']} {s['start']}" + (f"–{s['end']}" if s["end"] else "")
        stage = stage_label(s["stage_name"], s["stage"], locale)
        pdf.cell(pdf.w - 20, 7, f"{s['name']} · {stage} · {when}")
        y += 8
        pdf.set_font("CJK", size=9)
        if not s["contestants"]:
            pdf.set_xy(10, y)
            pdf.cell(pdf.w - 20, ROW, t(N_("Seated by the draw.")))
            y += ROW + 4
            continue
        pdf.set_fill_color(240, 240, 240)
        _row(pdf, y, head, widths, fill=True)
        y += ROW
        for p in s["contestants"]:
            if y > pdf.h - 15:
                pdf.add_page()
                y = 15.0
            cells = [p["station"], p["code"], p["group"]]
            if data["names"]:
                out = f" ({status_label(p['status'], locale)})" if p.get("status") else ""
                cells += [p.get("name", "") + out, p.get("unit", "")]
            _row(pdf, y, cells, widths)
            y += ROW
        y += 5
    if not data["names"]:
        pdf.set_xy(10, pdf.h - 14)
        pdf.set_font("CJK", size=8)
        pdf.cell(0, 5, t(N_("Contestants are listed by anonymous code and station until the draw map is revealed.")))
    return bytes(pdf.output())


def _row(pdf, y: float, cells: list[str], widths: list[float], fill: bool = False) -> None:  # noqa: ANN001
    x = 10.0
    for text, wd in zip(cells, widths):
        pdf.set_xy(x, y)
        pdf.cell(wd, ROW, str(text)[:40], border=1, fill=fill)
        x += wd
