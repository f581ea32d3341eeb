"""The reconciliation queue of paper score sheets (chief judge / organizer), and the counts the
console's progress shows.

Why apart from the clerks' entry (``services.paper``): this side sees both entries and the
judge's tablet marks side by side, which a clerk never does (double blind). A decision is made
against the paper, with a reason, and goes through the same ``paper.promote`` (the one write
path, audited in the same transaction). A tablet mark that arrives after the paper's marks is a
new version by the judge and counts, as any correction does; the queue lists every sheet whose
values no longer equal the judge's counting marks ("changed since paper entry"), so the
difference is visible instead of silent.
"""

from __future__ import annotations

import io
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import Conflict, InvalidInput, Problem
from scoring.i18n import N_
from scoring.rules import paper_entry as rules
from scoring.rules.cells import counts
from scoring.rules.paper import SheetRef
from scoring.rules.text import REASON_LIMIT, check_length
from scoring.services.audit import record
from scoring.services.judge_sheet import draw_entries, ref_of
from scoring.services.marks import cell_state
from scoring.services.paper import SheetView, announce, entries_of, locate, promote, sheet_or_404
from scoring.services.readside import current_marks, rule_aspect_cached

REASON_REQUIRED = N_("Write the reason for the decision (what the paper sheet shows).")
NOT_IN_CONFLICT = N_("This sheet is not waiting for a decision.")
NOT_AN_IMAGE = N_("The sheet's image must be a PNG or JPEG photo or scan.")
IMAGE_TOO_BIG = N_("The image is larger than %(max)s million pixels; a photo of a sheet needs far fewer.")
IMAGE_PIXELS = 40_000_000
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def counts_of(engine: Engine, cid: int, stage_code: str | None = None) -> dict[str, int]:
    """Sheets per state: pending (waiting for the independent entry), conflict, matched, resolved;
    with ``stage_code``, only the sheets of that stage's panels (what locking it would leave open)."""
    q = select(m.PaperSheet.state, func.count()).where(m.PaperSheet.competition_id == cid)
    if stage_code is not None:
        q = (
            q.join(m.Panel, m.Panel.id == m.PaperSheet.panel_id)
            .join(m.Stage, m.Stage.id == m.Panel.stage_id)
            .where(m.Stage.code == stage_code)
        )
    with reading(engine) as s:
        rows = s.exec(q.group_by(m.PaperSheet.state)).all()
    out = {"pending": 0, "conflict": 0, "matched": 0, "resolved": 0}
    out.update(dict(rows))
    return out


def _view(s: Session, sheet: m.PaperSheet, slug: str, locale: str | None = None) -> SheetView:
    """The sheet as its code names it (the checks of the clerk's form, minus the version's)."""
    judge = s.get(m.Judge, sheet.judge_id)
    c = s.get(m.Contestant, sheet.contestant_id)
    ref = SheetRef(slug, judge.code, ref_of(c, draw_entries(s, sheet.competition_id).get(c.id)), sheet.version)
    return locate(s, sheet.competition_id, ref, locale)


def _tablet(s: Session, view: SheetView) -> dict[str, str | None]:
    """The judge's counting mark per aspect, as text (None: no counting mark)."""
    conn = s.connection()
    out: dict[str, str | None] = {}
    for code, aspect_id in view.aspect_ids.items():
        _rnd, prev = cell_state(conn, view.contestant_id, aspect_id, view.judge_id)
        out[code] = format(prev.value, "f") if prev is not None and counts(prev) else None
    return out


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and Decimal(a) == Decimal(b)


def queue(engine: Engine, cid: int, slug: str, locale: str | None = None, limit: int = 50) -> dict:
    """Every sheet in conflict (both entries, the tablet's marks, the differing aspects), the
    sheets waiting for their independent entry, and those changed since their paper entry (the
    first ``limit`` of each). A fixed number of reads for the settled sheets, however many."""
    with reading(engine) as s:
        sheets = list(s.exec(select(m.PaperSheet).where(m.PaperSheet.competition_id == cid).order_by(m.PaperSheet.id)))
        images = set(s.exec(select(m.PaperImage.sheet_id).where(m.PaperImage.competition_id == cid)))
        judges = {j.id: j.code for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        entries = draw_entries(s, cid)
        people = {c.id: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}

        def ref(contestant_id: int) -> str:
            c = people.get(contestant_id)
            return ref_of(c, entries.get(contestant_id)) if c is not None else ""

        conflicts, pending, changed, stale = [], [], [], 0
        current: dict[tuple, str | None] | None = None
        aspect_ids: dict[str, int] = {}
        for sheet in sheets:
            if sheet.state == "pending":
                if len(pending) < limit:
                    pending.append(_pending_row(s, sheet, judges.get(sheet.judge_id, ""), ref(sheet.contestant_id)))
            elif sheet.state == "conflict":
                if len(conflicts) >= limit:
                    continue
                try:
                    view = _view(s, sheet, slug, locale)
                except (InvalidInput, Conflict):  # reprinted since, recused, withdrawn or locked
                    stale += 1
                    continue
                conflicts.append(_conflict_row(s, sheet, view, _tablet(s, view), sheet.id in images))
            elif len(changed) < limit:  # matched or resolved: do the judge's counting marks still say so?
                if current is None:
                    current = {
                        (k.contestant_id, k.aspect_id, k.judge_id): format(k.value, "f") for k in current_marks(s, cid)
                    }
                    aspect_ids = {a.code: a.id for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
                tablet = {
                    code: current.get((sheet.contestant_id, aspect_ids.get(code), sheet.judge_id))
                    for code in sheet.values
                }
                if any(not _same(v, tablet.get(code)) for code, v in sheet.values.items()):
                    judge, who = judges.get(sheet.judge_id, ""), ref(sheet.contestant_id)
                    changed.append({"id": sheet.id, "judge": judge, "contestant": who, **_diff(sheet.values, tablet)})
    return {
        "conflicts": conflicts,
        "pending": pending,
        "changed": changed,
        "stale": stale,
        "counts": counts_of(engine, cid),
    }


def _diff(paper: dict, tablet: dict) -> dict:
    codes = [c for c, v in paper.items() if not _same(v, tablet.get(c))]
    return {"aspects": [{"code": c, "paper": paper[c], "tablet": tablet.get(c)} for c in codes]}


def _conflict_row(s: Session, sheet: m.PaperSheet, view: SheetView, tablet: dict, image: bool) -> dict:
    entries = entries_of(s, sheet.id)
    aspects = []
    for a in view.aspects:
        typed = [e.values.get(a["code"]) for e in entries]
        known = [v for v in typed if v is not None]
        differs = any(not _same(known[0], v) for v in known[1:]) if known else False
        held = tablet.get(a["code"])
        paper_vs_tablet = (
            sheet.conflict == "tablet" and held is not None and not _same(known[0] if known else None, held)
        )
        aspects.append({**a, "entries": typed, "tablet": tablet.get(a["code"]), "differs": differs or paper_vs_tablet})
    return {
        "id": sheet.id,
        "kind": sheet.conflict,
        "judge": view.judge,
        "contestant": view.contestant,
        "station": view.station,
        "panel": view.panel,
        "clerks": [e.clerk for e in entries],
        "aspects": aspects,
        "image": image,
    }


def _pending_row(s: Session, sheet: m.PaperSheet, judge: str, contestant: str) -> dict:
    first = entries_of(s, sheet.id)
    return {
        "id": sheet.id,
        "judge": judge,
        "contestant": contestant,
        "clerk": first[0].clerk if first else "",
        "at": first[0].entered_at if first else sheet.created_at,
    }


def decide(engine: Engine, cid: int, slug: str, sheet_id: int, typed: dict[str, object], reason: str, actor: str):  # noqa: ANN201
    """The chief judge's decision on a sheet in conflict, against the paper: every aspect's value
    (read as strictly as a tablet's) and a reason; the values become the judge's marks through the
    one write path, overriding a differing tablet mark with a new, audited version."""
    reason = (reason or "").strip()
    problems = []
    if not reason:
        problems.append(Problem("reason", REASON_REQUIRED))
    else:
        check_length(reason, "reason", REASON_LIMIT)
    with reading(engine) as s:
        sheet = sheet_or_404(s, cid, sheet_id)
        if sheet.state != "conflict":
            raise Conflict(NOT_IN_CONFLICT)
        view = _view(s, sheet, slug)
        aspects = [rule_aspect_cached(s, s.get(m.Aspect, i)) for i in view.aspect_ids.values()]
    try:
        values = rules.read_entry(aspects, typed)
    except InvalidInput as exc:
        raise InvalidInput(problems + exc.problems) from None
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as s:
        sheet = sheet_or_404(s, cid, sheet_id)
        if sheet.state != "conflict":  # decided meanwhile (a double click): nothing more
            raise Conflict(NOT_IN_CONFLICT)
        by = f"paper: decided by {actor} against the paper"
        version, written = promote(s, view, sheet, values, by, reason, force=True)
        sheet.decided_by, sheet.decided_at, sheet.reason = actor[:80], m.utcnow(), reason
        s.add(sheet)
    announce(engine, cid, version, written)
    return len(written)


def attach_image(engine: Engine, cid: int, sheet_id: int, data: bytes | None, actor: str) -> None:
    """Store a photo or scan of the paper sheet (PNG or JPEG, checked by content, bounded pixels)."""
    media = next((t for magic, t in IMAGE_TYPES.items() if data and data.startswith(magic)), None)
    if media is None:
        raise InvalidInput(Problem("image", NOT_AN_IMAGE))
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:  # the header only
            width, height = im.size
    except Image.DecompressionBombError:
        width = height = IMAGE_PIXELS
    except Exception:  # noqa: BLE001  (a broken file)
        raise InvalidInput(Problem("image", NOT_AN_IMAGE)) from None
    if width * height > IMAGE_PIXELS:
        raise InvalidInput(Problem("image", IMAGE_TOO_BIG, {"max": str(IMAGE_PIXELS // 1_000_000)}))
    with transaction(engine) as s:
        sheet = sheet_or_404(s, cid, sheet_id)
        row = s.get(m.PaperImage, sheet.id) or m.PaperImage(sheet_id=sheet.id, competition_id=cid, media_type=media)
        row.media_type, row.data, row.uploaded_by, row.uploaded_at = media, data, actor[:80], m.utcnow()
        s.add(row)
        record(s, cid, actor, "paper.image", f"sheet {sheet.id}", {"bytes": len(data), "type": media})


def image_of(engine: Engine, cid: int, sheet_id: int) -> tuple[bytes, str]:
    with reading(engine) as s:
        sheet_or_404(s, cid, sheet_id)
        row = s.get(m.PaperImage, sheet_id)
    if row is None:
        from scoring.errors import NotFound

        raise NotFound(N_("This sheet has no image."))
    return row.data, row.media_type
