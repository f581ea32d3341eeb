"""Review (复核), lock, publication, public notice (公示) and appeals.

Why versions: a published result is a promise. Each publication is an immutable, numbered
``ResultVersion`` whose content (the public results report) is hashed, so anyone can tell
whether a printed sheet is the current one. An upheld appeal never edits a version: it
corrects marks through the one write path and publishes the next number, in one transaction; the diff between
consecutive versions is shown publicly, and certificates whose award changed are revoked and
reissued in the same transaction as the new version.

Content hash recipe: sha256 of ``json.dumps(content, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))`` in UTF-8, where ``content`` is the version's JSON (``/results/<slug>/v<n>.json``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.document.report import results_report
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services import standings
from scoring.services.audit import record
from scoring.services.marks import Entry, announce_recorded, record_marks
from scoring.services.readside import current_round, latest

DEFAULT_NOTICE_DAYS = 5


def content_hash(content: dict) -> str:
    data = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def current_report(engine: Engine, cid: int, locale: str = "zh_Hans_CN") -> dict:
    """The results report of the current standings (names, no private data)."""
    _version, doc, st = standings.computed(engine, cid)
    return results_report(doc, st, locale)


# --------------------------------------------------------------------------- review (复核)


def review_plan(engine: Engine, cid: int) -> list[dict]:
    """Per group: the contestants to re-check in full and the seeded sample, with findings so far."""
    from scoring.rules.review import needs_full_recheck
    from scoring.rules.review import review_plan as plan_for

    _version, doc, st = standings.computed(engine, cid)
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
        findings = {
            f.contestant: f for f in s.exec(select(m.ReviewFinding).where(m.ReviewFinding.competition_id == cid))
        }
    seed = f"{comp.slug}:{draw.seed if draw else ''}:review"
    people = {c.code: c for c in doc.contestants}
    out = []
    for g in doc.groups:
        gs = st.groups.get(g.code)
        if gs is None:
            continue
        plan = plan_for(gs.rows, doc.rules.review, seed)
        rows_by = {r.contestant: r for r in gs.rows}
        chosen = list(plan.full) + list(plan.sample)
        checked = [findings[c] for c in chosen if c in findings and findings[c].checked]
        errors = sum(1 for f in checked if f.error_found)
        everyone = needs_full_recheck(len(checked), errors, doc.rules.review)
        if everyone:
            chosen = chosen + sorted(r.contestant for r in gs.rows if r.contestant not in chosen)
        items = []
        for code in chosen:
            r, f = rows_by.get(code), findings.get(code)
            items.append(
                {
                    "code": code,
                    "name": people[code].name if code in people else "",
                    "why": "full" if code in plan.full else ("sample" if code in plan.sample else "recheck"),
                    "rank": None if r is None or r.rank is None else str(int(r.rank)),
                    "total": None if r is None or r.total is None else format(r.total, "f"),
                    "checked": bool(f and f.checked),
                    "error": bool(f and f.error_found),
                    "note": f.note if f else "",
                    "by": f.checked_by if f else "",
                }
            )
        out.append(
            {
                "group": g.code,
                "name": g.name,
                "items": items,
                "checked": len(checked),
                "errors": errors,
                "full_recheck": everyone,
                "done": all(i["checked"] for i in items),
            }
        )
    return out


def record_finding(engine: Engine, cid: int, contestant: str, error_found: bool, note: str, actor: str) -> None:
    with transaction(engine) as s:
        c = s.exec(
            select(m.Contestant, m.Group)
            .join(m.Group, m.Group.id == m.Contestant.group_id)
            .where(m.Contestant.competition_id == cid, m.Contestant.code == contestant)
        ).first()
        if c is None:
            raise NotFound(N_("Unknown contestant."))
        f = s.exec(
            select(m.ReviewFinding).where(
                m.ReviewFinding.competition_id == cid, m.ReviewFinding.contestant == contestant
            )
        ).first()
        f = f or m.ReviewFinding(competition_id=cid, contestant=contestant, group=c[1].code)
        f.checked, f.error_found, f.note, f.checked_by, f.checked_at = True, error_found, note[:500], actor, m.utcnow()
        s.add(f)
        record(s, cid, actor, "review.finding", contestant, {"error": error_found, "note": note[:500]})


# --------------------------------------------------------------------------- lock


def set_stage_state(engine: Engine, cid: int, stage_code: str, locked: bool, actor: str, reason: str = "") -> None:
    if not locked and not reason.strip():
        raise InvalidInput(Problem("reason", N_("Unlocking needs a reason.")))
    with transaction(engine) as s:
        st = s.exec(select(m.Stage).where(m.Stage.competition_id == cid, m.Stage.code == stage_code)).first()
        if st is None:
            raise NotFound(N_("Unknown stage."))
        st.state = "locked" if locked else "open"
        s.add(st)
        record(s, cid, actor, "stage.locked" if locked else "stage.unlocked", stage_code, {"reason": reason})
        version = standings.bump(s, cid)
    standings.announce(cid, version)


# --------------------------------------------------------------------------- publication


def versions(engine: Engine, cid: int) -> list[m.ResultVersion]:
    with reading(engine) as s:
        return list(
            s.exec(
                select(m.ResultVersion).where(m.ResultVersion.competition_id == cid).order_by(m.ResultVersion.number)
            )
        )


def latest_version(s: Session, cid: int) -> m.ResultVersion | None:
    return s.exec(
        select(m.ResultVersion)
        .where(m.ResultVersion.competition_id == cid)
        .order_by(m.ResultVersion.number.desc())
        .limit(1)
    ).first()


def _check_publishable(s: Session, cid: int, report: dict) -> None:
    from scoring.services.draw import all_stages_locked

    if not all_stages_locked(s, cid):
        raise Conflict(N_("Lock every stage before publishing."))
    draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
    if draw is not None and draw.revealed_at is None:
        raise Conflict(N_("Reveal the identities (解密) before publishing."))
    if not report["complete"]:
        raise Conflict(N_("Some results are incomplete; every contestant needs all marks before publishing."))


def _new_version(
    s: Session, cid: int, report: dict, actor: str, reason: str, notice_days: int | None, base_url: str
) -> m.ResultVersion:
    from scoring.certificates.service import reissue_for_version

    prev = latest_version(s, cid)
    number = (prev.number if prev else 0) + 1
    content = {"number": number, "reason": reason, **report}
    notice_until = prev.notice_until if prev else None
    if notice_days is not None:
        notice_until = m.utcnow() + timedelta(days=notice_days)
    row = m.ResultVersion(
        competition_id=cid,
        number=number,
        content_hash=content_hash(content),
        content=content,
        reason=reason,
        published_by=actor,
        notice_until=notice_until,
    )
    s.add(row)
    comp = s.get(m.Competition, cid)
    comp.visibility = "published"
    s.add(comp)
    s.flush()
    changed = reissue_for_version(s, cid, prev.content if prev else None, content, actor)
    record(
        s,
        cid,
        actor,
        "results.published",
        f"v{number}",
        {"hash": row.content_hash, "reason": reason, "certificates": changed},
    )
    return row


def publish(engine: Engine, cid: int, actor: str, notice_days: int = DEFAULT_NOTICE_DAYS, base_url: str = "") -> int:
    """Publish result version 1 (or the next, after a correction) and open the 公示 window."""
    if not 0 <= notice_days <= 60:
        raise InvalidInput(Problem("notice_days", N_("The notice period is 0 to 60 days.")))
    report = current_report(engine, cid)
    with transaction(engine) as s:
        _check_publishable(s, cid, report)
        prev = latest_version(s, cid)
        if prev is not None and prev.content_hash == content_hash(
            {"number": prev.number, "reason": prev.reason, **report}
        ):
            raise Conflict(N_("Nothing changed since version %(number)s."), number=prev.number)
        row = _new_version(
            s,
            cid,
            report,
            actor,
            "first publication" if prev is None else "republished",
            notice_days if prev is None else None,
            base_url,
        )
        version = standings.bump(s, cid)
        number = row.number
    standings.announce(cid, version)
    return number


def notice_open(v: m.ResultVersion | None) -> bool:
    return v is not None and v.notice_until is not None and m.utcnow() < v.notice_until


def _shown(v: object) -> object:
    """A diff cell as people read it: awards joined, nothing as a dash."""
    return "、".join(v) if isinstance(v, list) else (v if v is not None else "—")


def diff(old: dict | None, new: dict) -> list[dict]:
    """Pure: what changed for each contestant between two published contents."""
    if not old:
        return []
    out = []
    before = {(g["code"], r["code"]): r for g in old.get("groups", []) for r in g["rows"]}
    for g in new.get("groups", []):
        for r in g["rows"]:
            o = before.get((g["code"], r["code"]))
            if o is None:
                continue
            for key, label in (("rank", "rank"), ("total", "total"), ("awards", "awards")):
                if o.get(key) != r.get(key):
                    out.append(
                        {
                            "group": g["name"],
                            "code": r["code"],
                            "name": r.get("name", ""),
                            "field": label,
                            "before": _shown(o.get(key)),
                            "after": _shown(r.get(key)),
                        }
                    )
            for stage, val in r.get("stages", {}).items():
                ov = o.get("stages", {}).get(stage, {})
                if ov.get("score") != val.get("score"):
                    out.append(
                        {
                            "group": g["name"],
                            "code": r["code"],
                            "name": r.get("name", ""),
                            "field": stage,
                            "before": ov.get("score") or "—",
                            "after": val.get("score") or "—",
                        }
                    )
    return out


# --------------------------------------------------------------------------- appeals (申诉)


def file_appeal(engine: Engine, cid: int, contestant: str, filed_by: str, contact: str, text: str, actor: str) -> int:
    """An objection, accepted only while the 公示 window is open."""
    problems = []
    if not (filed_by or "").strip():
        problems.append(Problem("filed_by", N_("Please give your name.")))
    if len((text or "").strip()) < 5:
        problems.append(Problem("text", N_("Please describe the objection (at least 5 characters).")))
    if problems:
        raise InvalidInput(problems)
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
    """Deny, or uphold: the marks are corrected through the one write path (``marks.record_marks``),
    the next version is published with its diff and certificates revoked/reissued, and the
    decision is recorded, all in one transaction: a refused correction leaves nothing changed.
    Returns the new version number.

    Why the result is computed inside the transaction (``standings.computed_in``): the version
    must publish exactly the corrected marks, and nothing may be visible before all of it is
    committed. It holds the write lock for that computation; appeals come after marking, when
    no tablet is waiting for it."""
    if not (decision or "").strip():
        raise InvalidInput(Problem("decision", N_("Write the decision and its reason.")))
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
                _check_publishable(s, cid, report)
                row = _new_version(s, cid, report, actor, f"appeal {appeal_id} upheld", None, base_url)
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


def summary(engine: Engine, cid: int) -> dict:
    with reading(engine) as s:
        v = latest_version(s, cid)
        stages = list(s.exec(select(m.Stage).where(m.Stage.competition_id == cid).order_by(m.Stage.position)))
        open_appeals = s.exec(
            select(func.count(m.Appeal.id)).where(m.Appeal.competition_id == cid, m.Appeal.state == "filed")
        ).one()
    return {"latest": v, "notice_open": notice_open(v), "stages": stages, "open_appeals": open_appeals}
