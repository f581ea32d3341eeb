"""A judge's debrief as a PDF (A4, the embedded Chinese font): their marks against the panel's.

Why here: drawn like the schedule and the results sheet (fpdf2, ``certificates.render``), from
the plain data of ``services.debrief.judge_debrief``, in the reader's language. Contestants are
named as the data names them (anonymous codes before the reveal).
"""

from __future__ import annotations

from scoring.certificates.render import _new_pdf
from scoring.certificates.schedule import ROW, _row
from scoring.i18n import N_, translate


def debrief_pdf(data: dict, competition: str, locale: str | None = None) -> bytes:
    def t(msgid: str, **params: object) -> str:
        return translate(msgid, locale, **params)

    pdf = _new_pdf()
    pdf.add_page()
    judge = data["judge"]
    pdf.set_font("CJK", size=15)
    pdf.set_xy(10, 12)
    pdf.cell(pdf.w - 20, 9, t(N_("%(competition)s · judge debrief"), competition=competition), align="C")
    pdf.set_font("CJK", size=11)
    pdf.set_xy(10, 22)
    who = f"{judge['name']} ({judge['code']})"
    if data["trainee"]:
        who += " · " + t(N_("Trainee"))
    pdf.cell(pdf.w - 20, 6, who, align="C")
    pdf.set_font("CJK", size=9)
    y = 30.0
    for p in data["panels"]:
        pdf.set_xy(10, y)
        pdf.cell(pdf.w - 20, 5, p["name"] + (" · " + t(N_("Trainee")) if p["trainee"] else ""))
        y += 5
    pdf.set_xy(10, y + 1)
    pdf.multi_cell(pdf.w - 20, 4.5, t(_REFERENCE_TRAINEE if data["trainee"] else _REFERENCE))
    y = pdf.get_y() + 3
    sm = data["summary"]
    for label, value in (
        (N_("Marks compared"), f"{sm['compared']} / {sm['items']}"),
        (N_("Mean difference"), sm["mean_difference"]),
        (N_("Mean absolute difference"), sm["mean_absolute"]),
        (N_("Mean z-score"), sm["mean_z"]),
        (N_("Outlier flags"), str(sm["outliers"])),
        (N_("Correlation with the panel"), sm["correlation"]),
    ):
        _row(pdf, y, [t(label), value], [70.0, 40.0])
        y += ROW
    y += 4
    head = [t(N_("Contestant")), t(N_("Aspect")), t(N_("Mark")), t(N_("Panel mean")), t(N_("Panel median"))]
    head += [t(N_("Difference")), t(N_("z-score")), t(N_("Outlier"))]
    widths = [28.0, 44.0, 16.0, 20.0, 20.0, 20.0, 16.0, 0.0]
    widths[-1] = pdf.w - 20 - sum(widths[:-1])
    pdf.set_fill_color(240, 240, 240)
    _row(pdf, y, head, widths, fill=True)
    y += ROW
    for r in data["rows"]:
        if y > pdf.h - 15:
            pdf.add_page()
            y = 15.0
        ref = f"{r['ref']} {r['name']}".strip()
        cells = [ref, f"{r['aspect']} {r['aspect_name']}", r["value"], r["mean"], r["median"], r["difference"], r["z"]]
        _row(pdf, y, [*cells, t(N_("yes")) if r["outlier"] else ""], widths)
        y += ROW
    if not data["rows"]:
        pdf.set_xy(10, y)
        pdf.cell(pdf.w - 20, ROW, t(N_("This judge has not marked yet.")))
    return bytes(pdf.output())


_REFERENCE = N_(
    "The panel: every counting mark of the same contestant and aspect, this judge's included. "
    "Marks are compared as entered; a z-score of 0 means the panel agreed exactly."
)
_REFERENCE_TRAINEE = N_(
    "The panel: the counting judges' marks of the same contestant and aspect (a trainee's marks never count). "
    "Marks are compared as entered; a z-score of 0 means the panel agreed exactly."
)
