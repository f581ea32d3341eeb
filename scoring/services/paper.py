"""Clerks' double-blind entry of paper score sheets (录分员), up to the judge's marks.

Why a service of its own: a clerk's entry is not a mark. It is stored as typed (``PaperEntry``);
when a second, different clerk's entry agrees (``rules.paper_entry``), the values become the
judge's marks through the one write path (``mark_batches.record_marks``, deterministic
idempotency keys), in the same transaction as the entry and its audit events; the standings and
the chief judge's grid hear of it after the commit. A mismatch, or a judge's tablet mark that
says otherwise, leaves the marks alone and puts the sheet in the reconciliation queue
(``services.paper_queue``), where the chief judge decides.

Which sheet a scanned code names: the competition, the judge and the contestant from the code
(``rules.paper``), the panel as the one of the judge's panels for the contestant whose printed
version (``rules.paper.version_of``) the code carries. A code of no current panel version was
printed before the scheme changed: refused, with the advice to reprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring import signals
from scoring.db import reading, transaction
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.labels import stage_label
from scoring.rules import paper_entry as rules
from scoring.rules.cells import WITHDRAWN, counts
from scoring.rules.paper import SheetRef, parse_sheet_token, sheet_token, version_of
from scoring.services import standings
from scoring.services.audit import record
from scoring.services.judge_sheet import aspect_form, draw_entries, panel_aspects, ref_of
from scoring.services.mark_batches import Entry, Recorded, announce_recorded, record_marks
from scoring.services.mark_config import STAGE_LOCKED
from scoring.services.marks import cell_state
from scoring.services.readside import contestant_by_ref, rule_aspect_cached, seating

NOT_A_SHEET = N_(
    "This is not the code of a score sheet. Scan the QR code again, or type the judge, the contestant "
    "and the 8 characters printed under the QR code."
)
OTHER_COMPETITION = N_("This sheet belongs to another competition.")
UNKNOWN_JUDGE = N_("The judge %(judge)s on this sheet is unknown.")
UNKNOWN_CONTESTANT = N_("The contestant %(contestant)s on this sheet is unknown.")
NO_PANEL = N_("The judge %(judge)s sits on no panel that marks the contestant %(contestant)s.")
STALE_SHEET = N_(
    "This sheet was printed for another version of the marking scheme (printed %(printed)s, now %(current)s): "
    "the scheme changed since printing. Reprint the sheet; nothing was entered."
)
RECUSED_SHEET = N_("The judge %(judge)s is recused from this contestant: the sheet takes no marks.")
ALREADY_ENTERED = N_(
    "You have already entered this sheet. The independent entry must be made by another clerk; nothing was changed."
)
NO_MORE_ENTRIES = N_("This sheet needs no further entry; nothing was changed.")


@dataclass(frozen=True)
class SheetView:
    """One printed sheet as the clerk's form shows it (codes and stations only, never names)."""

    token: str
    cid: int
    judge_id: int
    judge: str
    contestant_id: int
    contestant: str
    station: str
    panel_id: int
    panel: str
    version: str
    aspects: list[dict]  # services.judge_sheet.aspect_form of each aspect the sheet takes
    aspect_ids: dict[str, int]


@dataclass(frozen=True)
class Outcome:
    """What an entry did. The clerk's page shows none of it (double blind); tests and the queue do."""

    sheet_id: int
    ordinal: int
    state: str  # pending | matched | conflict | resolved
    conflict: str  # "" | entries | tablet
    written: int  # mark versions written


# --------------------------------------------------------------------------- which sheet


def read_code(slug: str, text: object) -> SheetRef:
    """The sheet a scanned or typed code names (in the competition ``slug``), or InvalidInput."""
    text = text if isinstance(text, str) else ""
    ref = parse_sheet_token(text)
    if ref is None:
        typed = rules.parse_typed(text)
        if typed is not None:
            ref = SheetRef(slug, *typed)
    if ref is None:
        raise InvalidInput(Problem("sheet", NOT_A_SHEET))
    if ref.slug != slug:
        raise InvalidInput(Problem("sheet", OTHER_COMPETITION))
    return ref


def locate(s: Session, cid: int, ref: SheetRef, locale: str | None = None) -> SheetView:
    """The sheet ``ref`` names, checked: the judge and contestant exist, the judge sits on a panel
    for the contestant whose current version is the printed one, no recusal, withdrawal or lock."""
    judge = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == ref.judge)).first()
    if judge is None:
        raise InvalidInput(Problem("sheet", UNKNOWN_JUDGE, {"judge": ref.judge[:40]}))
    contestant = contestant_by_ref(s, cid, ref.contestant)
    if contestant is None:
        raise InvalidInput(Problem("sheet", UNKNOWN_CONTESTANT, {"contestant": ref.contestant[:40]}))
    seat = seating(s, cid)
    mine = [p for p in seat.panels_of(judge.id) if p.group == contestant.group_id and seat.sits_for(p, contestant.id)]
    if not mine:
        raise InvalidInput(Problem("sheet", NO_PANEL, {"judge": judge.code, "contestant": ref.contestant[:40]}))
    versions = []
    for p in mine:
        panel = s.get(m.Panel, p.id)
        aspects = panel_aspects(s, panel)
        versions.append(version_of(aspects))
        if versions[-1] == ref.version:
            break
    else:
        raise Conflict(STALE_SHEET, printed=ref.version[:16], current=", ".join(versions))
    if (judge.id, contestant.id) in seat.recused:
        raise Conflict(RECUSED_SHEET, judge=judge.code)
    if contestant.withdrawn:
        raise Conflict(WITHDRAWN)
    stage = s.get(m.Stage, panel.stage_id)
    if stage.state == "locked":
        raise Conflict(STAGE_LOCKED)
    group = s.get(m.Group, panel.group_id)
    taken = [a for a in aspects if seat.markable(contestant.id, a.id)]  # an invalid element takes no mark
    entry = draw_entries(s, cid).get(contestant.id)
    return SheetView(
        token=sheet_token(SheetRef(ref.slug, judge.code, ref_of(contestant, entry), ref.version)),
        cid=cid,
        judge_id=judge.id,
        judge=judge.code,
        contestant_id=contestant.id,
        contestant=ref_of(contestant, entry),
        station=entry.station if entry else "",
        panel_id=panel.id,
        panel=panel.name or f"{group.name} · {stage_label(stage.name, stage.code, locale)}",
        version=ref.version,
        aspects=[aspect_form(s, a) for a in taken],
        aspect_ids={a.code: a.id for a in taken},
    )


def open_sheet(engine: Engine, cid: int, slug: str, text: object, locale: str | None = None) -> SheetView:
    ref = read_code(slug, text)
    with reading(engine) as s:
        return locate(s, cid, ref, locale)


def find_sheet(s: Session, view: SheetView) -> m.PaperSheet | None:
    return s.exec(
        select(m.PaperSheet).where(
            m.PaperSheet.competition_id == view.cid,
            m.PaperSheet.judge_id == view.judge_id,
            m.PaperSheet.contestant_id == view.contestant_id,
            m.PaperSheet.panel_id == view.panel_id,
            m.PaperSheet.version == view.version,
        )
    ).first()


def entries_of(s: Session, sheet_id: int) -> list[m.PaperEntry]:
    return list(s.exec(select(m.PaperEntry).where(m.PaperEntry.sheet_id == sheet_id).order_by(m.PaperEntry.ordinal)))


def closed_for(s: Session, view: SheetView, clerk: str) -> str | None:
    """Why this clerk may not enter the sheet (a message id), or None. Says nothing of another
    clerk's entry beyond "needs no further entry" (double blind)."""
    sheet = find_sheet(s, view)
    if sheet is None:
        return None
    entries = entries_of(s, sheet.id)
    if any(e.clerk == clerk for e in entries):
        return ALREADY_ENTERED
    if sheet.state != "pending" and not (sheet.state == "conflict" and sheet.conflict == "entries"):
        return NO_MORE_ENTRIES
    if len(entries) >= 3:
        return NO_MORE_ENTRIES
    return None


# --------------------------------------------------------------------------- an entry


def enter(engine: Engine, cid: int, slug: str, text: object, clerk: str, typed: dict[str, object]) -> Outcome:
    """One clerk's entry of one sheet; the second agreeing entry writes the judge's marks."""
    ref = read_code(slug, text)
    with reading(engine) as s:
        view = locate(s, cid, ref)
        aspects = [rule_aspect_cached(s, s.get(m.Aspect, i)) for i in view.aspect_ids.values()]
    values = rules.read_entry(aspects, typed)
    for attempt in (1, 2):
        try:
            return _enter(engine, view, clerk, values)
        except IntegrityError:  # another clerk took the sheet's row or this ordinal meanwhile
            if attempt == 2:
                raise Conflict(NO_MORE_ENTRIES) from None
    raise AssertionError("unreachable")


def _enter(engine: Engine, view: SheetView, clerk: str, values: dict[str, Decimal]) -> Outcome:
    cid = view.cid
    with transaction(engine) as s:
        why = closed_for(s, view, clerk)
        if why is not None:
            raise Conflict(why)
        sheet = find_sheet(s, view)
        if sheet is None:
            sheet = m.PaperSheet(
                competition_id=cid,
                judge_id=view.judge_id,
                contestant_id=view.contestant_id,
                panel_id=view.panel_id,
                version=view.version,
            )
            s.add(sheet)
            s.flush()
        earlier = entries_of(s, sheet.id)
        ordinal = len(earlier) + 1
        s.add(
            m.PaperEntry(
                competition_id=cid, sheet_id=sheet.id, clerk=clerk, ordinal=ordinal, values=rules.shown(values)
            )
        )
        s.flush()
        subject = f"{view.judge}/{view.contestant}"
        record(s, cid, clerk, "paper.entered", subject, {"sheet": sheet.id, "ordinal": ordinal})
        written: list[Recorded] = []
        version = None
        if ordinal >= 2:
            clerks = [e.clerk for e in earlier] + [clerk]
            agreed = rules.agreement(list(values), [rules.read_stored(e.values) for e in earlier] + [values])
            if agreed.complete:
                if ordinal == 2:
                    by = f"paper: entered by clerk {clerks[0]}, confirmed by clerk {clerks[1]}"
                else:
                    by = f"paper: entered by clerks {clerks[0]}, {clerks[1]}; decided by the third entry of {clerk}"
                version, written = promote(s, view, sheet, agreed.values, by, "paper sheet", force=False)
            else:
                sheet.state, sheet.conflict = "conflict", "entries"
                s.add(sheet)
                record(s, cid, clerk, "paper.mismatch", subject, {"sheet": sheet.id, "aspects": list(agreed.open)})
        outcome = Outcome(sheet.id, ordinal, sheet.state, sheet.conflict, len(written))
    announce(engine, cid, version, written)
    return outcome


def promote(
    s: Session,
    view: SheetView,
    sheet: m.PaperSheet,
    values: dict[str, Decimal],
    entered_by: str,
    reason: str,
    *,
    force: bool,
) -> tuple[int | None, list[Recorded]]:
    """Agreed (or decided) values against the judge's tablet marks, inside the caller's transaction.

    Without ``force`` (clerks agree): a tablet mark with another value stops the whole sheet (a
    tablet/paper conflict for the chief judge); same values are confirmed without a new version.
    With ``force`` (the chief judge decided against the paper, with a reason): every differing
    value is written as the judge's next version. Returns the standings version bumped (or None)
    and the marks written, for ``announce`` after the commit."""
    conn = s.connection()
    tablet: dict[str, Decimal | None] = {}
    bases: dict[str, int] = {}
    for code, aspect_id in view.aspect_ids.items():
        _rnd, prev = cell_state(conn, view.contestant_id, aspect_id, view.judge_id)
        bases[code] = prev.version if prev is not None else 0
        tablet[code] = prev.value if prev is not None and counts(prev) else None
    check = rules.against_tablet(values, tablet)
    subject = f"{view.judge}/{view.contestant}"
    if check.conflict and not force:
        sheet.state, sheet.conflict = "conflict", "tablet"
        s.add(sheet)
        record(
            s,
            view.cid,
            entered_by,
            "paper.tablet_conflict",
            subject,
            {"sheet": sheet.id, "aspects": list(check.conflict), "paper": rules.shown(values)},
        )
        return None, []
    codes = list(check.write) + (list(check.conflict) if force else [])
    entries = [
        Entry(
            view.judge_id,
            view.contestant_id,
            view.aspect_ids[code],
            format(values[code], "f"),
            idempotency_key=f"paper-{sheet.id}-{view.aspect_ids[code]}-{bases[code]}",
            based_on_version=bases[code],
            entered_by=entered_by,
            reason=reason,
        )
        for code in codes
    ]
    version = standings.bump(s, view.cid, marks_only=True) if entries else None  # before any mark row
    written = record_marks(s, view.cid, entries, version) if entries else []
    sheet.state = "matched" if not force else "resolved"
    sheet.values = rules.shown(values)
    s.add(sheet)
    record(
        s,
        view.cid,
        entered_by,
        "paper.matched" if not force else "paper.resolved",
        subject,
        {"sheet": sheet.id, "written": codes, "confirmed": list(check.same), "reason": reason},
    )
    return version, written


def announce(engine: Engine, cid: int, version: int | None, written: list[Recorded]) -> None:
    """After the commit: the standings, the spread rule and the chief judge's grid hear of it."""
    if version is not None:
        standings.announce(cid, version)
    announce_recorded(engine, cid, written)
    signals.grid_changed.send(cid, what="paper")


def own_entries(engine: Engine, cid: int, clerk: str, limit: int = 20) -> list[dict]:
    """The clerk's own latest entries (judge, contestant code, time, values as typed)."""
    with reading(engine) as s:
        rows = s.exec(
            select(m.PaperEntry, m.PaperSheet)
            .join(m.PaperSheet, m.PaperSheet.id == m.PaperEntry.sheet_id)
            .where(m.PaperEntry.competition_id == cid, m.PaperEntry.clerk == clerk)
            .order_by(m.PaperEntry.id.desc())
            .limit(limit)
        ).all()
        judges = {j.id: j.code for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        entries = draw_entries(s, cid)
        out = []
        for e, sheet in rows:
            c = s.get(m.Contestant, sheet.contestant_id)
            out.append(
                {
                    "judge": judges.get(sheet.judge_id, ""),
                    "contestant": ref_of(c, entries.get(c.id)) if c else "",
                    "at": e.entered_at,
                    "values": e.values,
                }
            )
        return out


def sheet_or_404(s: Session, cid: int, sheet_id: int) -> m.PaperSheet:
    sheet = s.get(m.PaperSheet, sheet_id)
    if sheet is None or sheet.competition_id != cid:
        raise NotFound(N_("Unknown score sheet."))
    return sheet


def closed_message(engine: Engine, view: SheetView, clerk: str) -> str | None:
    """``closed_for`` in a read of its own (the clerk's form, before any typing)."""
    with reading(engine) as s:
        return closed_for(s, view, clerk)
