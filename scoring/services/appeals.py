"""Appeals (申诉): filed during the public notice, decided by the organizer, upheld ones corrected.

Why apart from publication: an appeal is its own workflow with its own audience (anyone may file
one during 公示), and deciding one is a single transaction that writes the corrections through the
one mark write path, a new result version and the certificates it changes
(``publication.new_version``), and the decision itself.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.document.report import results_report
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services import staged, standings
from scoring.services.audit import record
from scoring.services.mark_batches import Entry, announce_recorded, record_marks
from scoring.services.publication import check_publishable, latest_version, new_version, notice_open
from scoring.services.readside import current_round, latest
from scoring.services.results import contestant_code, draw_labels


def file_appeal(engine: Engine, cid: int, contestant: str, filed_by: str, contact: str, text: str, actor: str) -> int:
    """An objection, accepted only while the 公示 window is open."""
    problems = []
    if not (filed_by or "").strip():
        problems.append(Problem("filed_by", N_("Please give your name.")))
    if len((text or "").strip()) < 5:
        problems.append(Problem("text", N_("Please describe the objection (at least 5 characters).")))
    if problems:
        raise InvalidInput(problems)
    # by code or by anonymous code: a stage publication made before the reveal shows only the latter
    contestant = contestant_code(engine, cid, (contestant or "").strip()) if contestant else ""
    with transaction(engine) as s:
        if not notice_open(latest_version(s, cid)):
            raise Conflict(N_("Objections are accepted only during the public notice period."))
        if (
            contestant
            and s.exec(
                select(m.Contestant).where(m.Contestant.competition_id == cid, m.Contestant.code == contestant)
            ).first()
            is None
        ):
            raise InvalidInput(Problem("contestant", N_("Unknown contestant.")))
        a = m.Appeal(
            competition_id=cid,
            contestant=contestant or "",
            filed_by=filed_by.strip()[:100],
            contact=(contact or "").strip()[:100],
            text=text.strip()[:4000],
        )
        s.add(a)
        s.flush()
        record(s, cid, actor, "appeal.filed", f"appeal {a.id}", {"contestant": contestant})
        return a.id


def appeals(engine: Engine, cid: int) -> list[m.Appeal]:
    with reading(engine) as s:
        return list(s.exec(select(m.Appeal).where(m.Appeal.competition_id == cid).order_by(m.Appeal.id)))


def decide_appeal(
    engine: Engine,
    cid: int,
    appeal_id: int,
    upheld: bool,
    decision: str,
    actor: str,
    corrections: list[tuple[str, str, str, str]] = (),
    base_url: str = "",
) -> int | None:
    """Deny, or uphold: the marks are corrected through the one write path (``mark_batches.record_marks``),
    the next version is published with its diff and certificates revoked/reissued, and the
    decision is recorded, all in one transaction: a refused correction leaves nothing changed.
    Returns the new version number.

    Why the result is computed inside the transaction (``standings.computed_in``): the version
    must publish exactly the corrected marks, and nothing may be visible before all of it is
    committed. It holds the write lock for that computation; appeals come after marking, when
    no tablet is waiting for it."""
    if not (decision or "").strip():
        raise InvalidInput(Problem("decision", N_("Write the decision and its reason.")))
    labels = draw_labels(engine, cid)  # a stage publication made before the reveal shows anonymous codes
    try:
        with transaction(engine) as s:
            a = s.get(m.Appeal, appeal_id)
            if a is None or a.competition_id != cid:
                raise NotFound(N_("Unknown appeal."))
            if a.state != "filed":
                raise Conflict(N_("This appeal was already decided."))
            entries = _correction_entries(s, cid, appeal_id, corrections, actor)
            version = None
            if upheld or entries:  # before any mark row (standings.bump)
                version = standings.bump(s, cid, marks_only=not upheld)
            recorded = record_marks(s, cid, entries, version) if entries else []
            a.state, a.decision, a.decided_by, a.decided_at = (
                ("upheld" if upheld else "denied"),
                decision.strip(),
                actor,
                m.utcnow(),
            )
            number = None
            if upheld:
                s.flush()
                report = results_report(*standings.computed_in(s, cid), "zh_Hans_CN")
                reason = f"appeal {appeal_id} upheld"
                # while only stages are published (services.staged), the correction republishes that scope
                row = staged.correct_in(s, cid, report, actor, reason, labels)
                if row is None:
                    check_publishable(s, cid, report)
                    row = new_version(s, cid, report, actor, reason, None, base_url)
                a.result_version = number = row.number
            s.add(a)
            record(
                s, cid, actor, f"appeal.{a.state}", f"appeal {appeal_id}", {"decision": a.decision, "version": number}
            )
    except IntegrityError:
        raise Conflict(N_("This appeal was already decided.")) from None
    if version is not None:
        standings.announce(cid, version)
    announce_recorded(engine, cid, recorded)
    return number


def _correction_entries(s: Session, cid: int, appeal_id: int, corrections, actor: str) -> list[Entry]:  # noqa: ANN001
    """The corrections as write-path entries on top of each cell's newest version; every unknown
    code is named before anything is written."""
    entries, problems = [], []
    for i, (contestant, aspect, judge, value) in enumerate(corrections):
        c = s.exec(
            select(m.Contestant).where(m.Contestant.competition_id == cid, m.Contestant.code == contestant)
        ).first()
        asp = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == aspect)).first()
        j = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == judge)).first()
        if c is None or asp is None or j is None:
            problems.append(Problem(f"correction {i + 1}", N_("Unknown contestant, aspect or judge code.")))
            continue
        prev = latest(s, c.id, asp.id, j.id, current_round(s, c.id, asp.id))
        base = prev.version if prev else 0
        entries.append(
            Entry(
                j.id,
                c.id,
                asp.id,
                value,
                idempotency_key=f"appeal-{appeal_id}-{i}-{base}",
                based_on_version=base,
                entered_by=actor,
                reason=f"appeal {appeal_id}",
            )
        )
    if problems:
        raise InvalidInput(problems)
    return entries
