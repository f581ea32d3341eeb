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
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.document.report import results_report
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services import standings
from scoring.services.audit import record
from scoring.services.version_diff import covers as covers
from scoring.services.version_diff import diff as diff

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


def set_stage_state(
    engine: Engine,
    cid: int,
    stage_code: str,
    locked: bool,
    actor: str,
    reason: str = "",
    allow_incomplete: bool = False,
) -> str:
    """Lock or unlock a stage; returns its name. Unlocking needs a reason (audited).

    Locking a stage with marks still missing is allowed only when the caller says so
    (``allow_incomplete``: the organizer confirmed the counts): the chief judge may have to stop
    marking for the day, and the audited unlock is the way back. The counts are recorded with
    the lock. Publication stays refused while any mark is missing (missing is not zero)."""
    from scoring.services.blockers import find

    if not locked and not reason.strip():
        raise InvalidInput(Problem("reason", N_("Unlocking needs a reason.")))
    with transaction(engine) as s:
        st = s.exec(select(m.Stage).where(m.Stage.competition_id == cid, m.Stage.code == stage_code)).first()
        if st is None:
            raise NotFound(N_("Unknown stage."))
        payload: dict = {"reason": reason}
        if locked:
            b = find(s, cid, stage_code).blockers
            if b.missing_panels and not allow_incomplete:
                raise Conflict(
                    N_("Groups without a panel for this stage: %(n)s; confirm to lock anyway."), n=len(b.missing_panels)
                )
            if not b.clear and not allow_incomplete:
                raise Conflict(
                    N_(
                        "%(contestants)s contestants are still incomplete (%(marks)s marks missing); "
                        "confirm to lock anyway."
                    ),
                    contestants=b.contestants_incomplete,
                    marks=b.marks_missing,
                )
            payload.update(
                contestants_incomplete=b.contestants_incomplete,
                marks_missing=b.marks_missing,
                groups_without_panel=len(b.missing_panels),
            )
        st.state = "locked" if locked else "open"
        s.add(st)
        record(s, cid, actor, "stage.locked" if locked else "stage.unlocked", stage_code, payload)
        version = standings.bump(s, cid)
        name = st.name or st.code
    standings.announce(cid, version)
    return name


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


def check_publishable(s: Session, cid: int, report: dict) -> None:
    """Refuse publication with the first reason an organizer can act on (the publish page lists
    every blocker: ``services.blockers``)."""
    from scoring.services.blockers import find

    b = find(s, cid, need_locked=True).blockers
    if b.missing_panels:
        raise Conflict(N_("A group has no panel for a stage; add the panel before publishing."))
    if b.open_stages:
        raise Conflict(N_("Lock every stage before publishing."))
    draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
    if draw is not None and draw.revealed_at is None:
        raise Conflict(N_("Reveal the identities before publishing."))
    if b.contestants or not report["complete"]:
        raise Conflict(
            N_(
                "Some results are incomplete: %(contestants)s contestants still incomplete, "
                "%(marks)s marks missing. Every contestant needs all marks before publishing."
            ),
            contestants=b.contestants_incomplete,
            marks=b.marks_missing,
        )


def latest_full_version(s: Session, cid: int) -> m.ResultVersion | None:
    """The newest publication of everything (not a stage publication): what certificates follow."""
    return s.exec(
        select(m.ResultVersion)
        .where(m.ResultVersion.competition_id == cid, m.ResultVersion.scope.is_(None))
        .order_by(m.ResultVersion.number.desc())
        .limit(1)
    ).first()


def new_version(
    s: Session,
    cid: int,
    report: dict,
    actor: str,
    reason: str,
    notice_days: int | None,
    base_url: str,
    scope: dict | None = None,
) -> m.ResultVersion:
    """The next version number, whatever the scope: numbers are never reused across scopes. A
    stage publication (``scope``) leaves the competition's state and the certificates alone."""
    from scoring.certificates.service import reissue_for_version

    prev = latest_version(s, cid)
    number = (prev.number if prev else 0) + 1
    content = {"number": number, "reason": reason, **({"scope": scope} if scope is not None else {}), **report}
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
        scope=scope,
    )
    changed: dict = {}
    if scope is None:
        full = latest_full_version(s, cid)
        s.add(row)
        comp = s.get(m.Competition, cid)
        comp.visibility = "published"
        s.add(comp)
        s.flush()
        changed = reissue_for_version(s, cid, full.content if full else None, content, actor)
    else:
        s.add(row)
        s.flush()
    record(
        s,
        cid,
        actor,
        "results.published",
        f"v{number}",
        {"hash": row.content_hash, "reason": reason, "certificates": changed, "scope": scope},
    )
    return row


def publish(engine: Engine, cid: int, actor: str, notice_days: int = DEFAULT_NOTICE_DAYS, base_url: str = "") -> int:
    """Publish result version 1 (or the next, after a correction) and open the 公示 window."""
    if not 0 <= notice_days <= 60:
        raise InvalidInput(Problem("notice_days", N_("The notice period is 0 to 60 days.")))
    report = current_report(engine, cid)
    with transaction(engine) as s:
        check_publishable(s, cid, report)
        prev = latest_full_version(s, cid)
        if prev is not None and prev.content_hash == content_hash(
            {"number": prev.number, "reason": prev.reason, **report}
        ):
            raise Conflict(N_("Nothing changed since version %(number)s."), number=prev.number)
        row = new_version(
            s,
            cid,
            report,
            actor,
            "first publication" if prev is None else "republished",
            notice_days if prev is None else None,  # the first full publication opens its own 公示
            base_url,
        )
        version = standings.bump(s, cid)
        number = row.number
    standings.announce(cid, version)
    return number


def preview(engine: Engine, cid: int) -> dict:
    """What ``publish`` would do now, refused exactly as it would be (nothing is written): the
    version number, the people and awards it makes public, and, for a later version, how many
    rows change against the current one."""
    report = current_report(engine, cid)
    with reading(engine) as s:
        check_publishable(s, cid, report)
        prev = latest_version(s, cid)
    if prev is not None and prev.content_hash == content_hash({"number": prev.number, "reason": prev.reason, **report}):
        raise Conflict(N_("Nothing changed since version %(number)s."), number=prev.number)
    rows = [r for g in report["groups"] for r in g["rows"]]
    changes = diff(prev.content, {**report, "number": (prev.number + 1)}) if prev else []
    return {
        "number": (prev.number if prev else 0) + 1,
        "first": prev is None,
        "groups": len(report["groups"]),
        "contestants": len(rows),
        "awards": sum(len(r.get("awards") or []) for r in rows),
        "changes": len(changes),
        "changed_contestants": len({(c["group"], c["code"]) for c in changes}),
    }


def notice_open(v: m.ResultVersion | None) -> bool:
    return v is not None and v.notice_until is not None and m.utcnow() < v.notice_until


def summary(engine: Engine, cid: int) -> dict:
    with reading(engine) as s:
        v = latest_version(s, cid)
        full = latest_full_version(s, cid)
        stages = list(s.exec(select(m.Stage).where(m.Stage.competition_id == cid).order_by(m.Stage.position)))
        open_appeals = s.exec(
            select(func.count(m.Appeal.id)).where(m.Appeal.competition_id == cid, m.Appeal.state == "filed")
        ).one()
    return {
        "latest": v,
        "full": full,  # the newest publication of everything (None while only stages are published)
        "notice_open": notice_open(v),
        "stages": stages,
        "open_appeals": open_appeals,
    }
