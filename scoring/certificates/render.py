"""Drawing certificates and the results sheet with fpdf2 (no database, no Flask).

Why fpdf2 with Noto Serif SC from PyPI: the font is embedded as a subset, so Chinese renders
on any viewer, printer or phone (a non-embedded STSong does not), and the package ships the
font so a venue laptop needs no system font. The QR code is drawn as vector squares: it stays
sharp when printed, and a batch of 500 needs no image decoding.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scoring.certificates import fit
from scoring.certificates.fit import Box
from scoring.models.console import DEFAULT_BODY, DEFAULT_TITLE, DEFAULT_WORDING

if TYPE_CHECKING:
    from fpdf import FPDF

DEFAULT_LAYOUT = {
    "orientation": "L",  # L (A4 landscape) or P
    "color": "#b71c1c",  # title, award and border colour
    "border": True,
    "title_size": 48,
    "name_size": 26,
    "award_size": 34,
    "seal_x": 200,
    "seal_y": 140,
    "seal_w": 40,  # mm, landscape
}


def font_path() -> str:
    try:
        from pylopdf_fonts_zh_cn import serif_path

        return str(serif_path())
    except ImportError:  # the Debian font works too
        return "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"


@dataclass
class CertificateData:
    serial: str
    name: str
    award: str
    competition: str
    group_name: str
    verify_url: str
    title: str = DEFAULT_TITLE
    wording: str = DEFAULT_WORDING
    body: str = DEFAULT_BODY
    issuer: str = ""
    date_text: str = ""
    signatory: str = ""
    layout: dict = field(default_factory=dict)
    seal_png: bytes | None = None
    revoked: bool = False
    team: str = ""  # a team entry's name: the holder is one of its members
    standing: str = ""  # a team standing's code: the holder is a delegation, group_name the standing


TEAM_WORDING = "作为{team}队员，"


def team_body(body: str, team: str) -> str:
    """The body of a team member's certificate names the team: where the template says ``{team}``,
    else before the body ("作为榆阳区育婴一队队员，在……比赛中荣获"); an individual's is unchanged."""
    if not team:
        return body.replace("{team}", "")
    return body.replace("{team}", team) if "{team}" in body else TEAM_WORDING.replace("{team}", team) + body


def delegation_body(body: str) -> str:
    """A delegation's certificate names the team standing, not a group: "{group}组" reads
    "县区团体总分组", so the 组 after it goes ("在{competition}县区团体总分比赛中荣获")."""
    return body.replace("{group}组", "{group}")


def _rgb(hexcolor: str) -> tuple[int, int, int]:
    h = (hexcolor or "#b71c1c").lstrip("#")
    try:
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    except (ValueError, IndexError):
        return 183, 28, 28


def _new_pdf() -> FPDF:
    # imported here: fpdf2 and fontTools are ~20 MB resident, and a live server holding
    # thousands of boards should not carry them until someone prints
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    path = font_path()
    if path.endswith(".ttc"):
        pdf.add_font("CJK", fname=path, collection_font_number=2)
    else:
        pdf.add_font("CJK", fname=path)
    pdf.set_creator("scoring")
    return pdf


def _qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    import segno

    qr = segno.make(text, error="m", micro=False)
    rows = list(qr.matrix)
    n = len(rows)
    quiet = 2
    cell = size / (n + 2 * quiet)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < n:  # one rectangle per horizontal run of dark modules
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                pdf.rect(
                    x + (quiet + start) * cell,
                    y + (quiet + r) * cell,
                    (c - start) * cell + 0.01,
                    cell + 0.01,
                    style="F",
                )
            else:
                c += 1


# for the other printed papers (admission tickets, score reports): the same font and QR drawing
new_pdf = _new_pdf
draw_qr = _qr


def boxes(w: float, h: float) -> dict[str, Box]:
    """Where each field of a certificate goes on a page of ``w`` x ``h`` mm (either orientation),
    inside the inner frame (12 mm from the edge) and clear of the QR code (bottom left)."""
    inner = Box(24, 0, w - 48, 0)
    return {
        "title": Box(inner.x, h * 0.09, inner.w, h * 0.17),
        "wording": Box(30, h * 0.28, w - 60, h * 0.06),
        "name": Box(inner.x, h * 0.35, inner.w, h * 0.11),
        "body": Box(inner.x, h * 0.47, inner.w, h * 0.11),
        "award": Box(inner.x, h * 0.59, inner.w, h * 0.12),
        "signature": Box(w - 112, h - 54, 94, 36),
        "scan": Box(22, h - 22, 40, 5),
        "stamp": Box(inner.x, h * 0.72, inner.w, 16),
    }


def draw_certificate(pdf: FPDF, c: CertificateData) -> None:
    """One page; every field is fitted into its box (wrapped, then shrunk to a minimum size)."""
    lay = {**DEFAULT_LAYOUT, **(c.layout or {})}
    pdf.add_page(orientation=lay["orientation"])
    w, h = pdf.w, pdf.h
    at = boxes(w, h)
    accent = _rgb(lay["color"])
    if lay.get("border", True):
        pdf.set_draw_color(*accent)
        pdf.set_line_width(2.2)
        pdf.rect(8, 8, w - 16, h - 16)
        pdf.set_line_width(0.4)
        pdf.rect(12, 12, w - 24, h - 24)
    fit.draw(pdf, c.title, at["title"], lay["title_size"], 20, color=accent)
    fit.draw(pdf, c.wording, at["wording"], 16, 10, align="L")
    fit.draw(pdf, c.name if c.standing else f"{c.name} 同志", at["name"], lay["name_size"], 14)
    body = team_body(c.body, c.team)
    if c.standing:
        body = delegation_body(body)
    body = body.replace("{competition}", c.competition).replace("{group}", c.group_name)
    fit.draw(pdf, body, at["body"], 17, 10)
    fit.draw(pdf, c.award, at["award"], lay["award_size"], 16, color=accent)
    if c.seal_png:
        try:
            pdf.image(io.BytesIO(c.seal_png), x=lay["seal_x"], y=lay["seal_y"], w=lay["seal_w"])
        except Exception:  # noqa: BLE001  (a broken seal image must not stop a batch)
            pass
    lines = [x for x in (c.issuer, c.signatory and f"签发人：{c.signatory}", c.date_text) if x]
    fit.draw(pdf, [*lines, f"证书编号：{c.serial}"], at["signature"], 11, 7, align="L")
    _qr(pdf, c.verify_url, 24, h - 58, 36)
    fit.draw(pdf, "扫码验证 Scan to verify", at["scan"], 7, 6, align="L")
    if c.revoked:
        fit.draw(pdf, "已撤销 REVOKED", at["stamp"], 40, 20, color=(200, 0, 0))


def certificates_pdf(
    items: Iterable[CertificateData], progress: Callable[[int], None] | None = None, created: datetime | None = None
) -> bytes:
    """The certificates as one PDF; with ``created`` (an issued certificate's issue time) the
    same data gives the same bytes every time."""
    pdf = _new_pdf()
    if created is not None:
        pdf.set_creation_date(created if created.tzinfo else created.replace(tzinfo=UTC))
    n = 0
    for n, c in enumerate(items, start=1):
        draw_certificate(pdf, c)
        if progress and n % 10 == 0:
            progress(n)
    if n == 0:
        pdf.add_page()
    if progress:
        progress(n)
    return bytes(pdf.output())


def results_sheet_pdf(
    report: dict, version: dict | None, judges: list[str], chief: str, locale: str | None = None
) -> bytes:
    """A printable results sheet per group with signature lines for the judges and the chief judge,
    in the reader's language (its words from the catalog; names as stored)."""
    from scoring.i18n import N_, normalise_locale, translate
    from scoring.labels import joined, plain, stage_label, status_label

    def t(msgid: str, **params: object) -> str:
        return translate(msgid, locale, **params)

    colon = ":" if normalise_locale(locale) == "en" else "："
    pdf = _new_pdf()
    comp = report["competition"]
    for g in report["groups"]:
        pdf.add_page(orientation="L")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("CJK", size=16)
        pdf.set_xy(10, 10)
        pdf.cell(
            pdf.w - 20,
            9,
            t(N_("%(competition)s · %(group)s results sheet"), competition=comp["name"], group=g["name"]),
            align="C",
        )
        pdf.set_font("CJK", size=9)
        pdf.set_xy(10, 19)
        meta = f"{comp.get('organizer', '')}  {comp.get('date', '')}  {comp.get('venue', '')}"
        if version:
            meta += f"  {t(N_('result version %(number)s'), number=version['number'])}  SHA-256 {version['hash'][:16]}…"
        pdf.cell(pdf.w - 20, 5, meta, align="C")
        stages = g["stages"]
        scaled = "scale" in g  # a declared standardisation: its column beside the raw total
        head = (
            [t(N_("Rank")), t(N_("Code")), t(N_("Name")), t(N_("Unit")), t(N_("Region"))]
            + [f"{stage_label(s['name'], s['code'], locale)} ({plain(s['weight'])}%)" for s in stages]
            + [t(N_("Total"))]
            + ([t(N_("Standardised"))] if scaled else [])
            + [t(N_("Award")), t(N_("Decided by"))]
        )
        widths = [12, 18, 20, 52, 18] + [20] * len(stages) + [20] * (1 + scaled) + [30, 0]
        widths[-1] = pdf.w - 20 - sum(widths[:-1])
        y = 27
        pdf.set_font("CJK", size=9)
        pdf.set_fill_color(240, 240, 240)
        x = 10
        for text, wd in zip(head, widths):
            pdf.set_xy(x, y)
            pdf.cell(wd, 6, text, border=1, fill=True)
            x += wd
        y += 6
        for r in g["rows"]:
            if y > pdf.h - 40:
                pdf.add_page(orientation="L")
                y = 12
            cells = [r["rank"] or "—", r["code"], r["name"], r["unit"], r["region"]]
            cells += [r["stages"].get(s["code"], {}).get("score") or "—" for s in stages]
            out = status_label(r["status"], locale) if r.get("status") in ("withdrawn", "absent") else ""  # 弃权/缺考
            cells += [r["total"] or out or "—"] + ([r.get("standardised") or "—"] if scaled else [])
            cells += [joined(r["awards"], locale), r.get("decided_by_text") or r.get("reason", "")]
            x = 10
            for text, wd in zip(cells, widths):
                pdf.set_xy(x, y)
                pdf.cell(wd, 5.5, str(text)[:40], border=1)
                x += wd
            y += 5.5
        y = max(y + 8, pdf.h - 34)
        if y > pdf.h - 20:
            pdf.add_page(orientation="L")
            y = 20
        pdf.set_font("CJK", size=10)
        x = 10
        for label in [f"{t(N_('Judge'))} {j}" for j in judges][:8] + [f"{t(N_('Chief judge'))} {chief}"]:
            pdf.set_xy(x, y)
            pdf.cell(30, 6, f"{label}{colon}")
            pdf.line(x, y + 12, x + 30, y + 12)
            x += 34
            if x > pdf.w - 40:
                x, y = 10, y + 16
        pdf.set_xy(10, pdf.h - 14)
        pdf.set_font("CJK", size=8)
        pdf.cell(0, 5, t(N_("Signature · Date ____________")))
    if not report["groups"]:
        pdf.add_page()
    return bytes(pdf.output())
