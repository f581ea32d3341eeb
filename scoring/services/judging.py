"""The judges' workflows around the one mark write path: what a judge sees, the spread rule and
re-score rounds, confirmation by the chief judge, the progress grid and tablet heartbeats
(PINs, login cards and sign-in are in ``services.credentials``, named here for older callers).

Why here and not in the blueprints: the same rules hold for the page, the JSON API and tests;
every change is one transaction, audited, and the chief judge's screen is told only after the
commit (``notify``).
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services import marks as marks_service
from scoring.services.audit import record
from scoring.services.credentials import (  # noqa: F401
    PIN_HASH, JudgeIdentity, card_token, cards, panel_names, set_pin, set_pins, sign_in_pin, sign_in_token,
)

NAMESPACE = "/judging"


# --------------------------------------------------------------------------- what a judge sees


def _panels_of(s: Session, judge_id: int) -> list[m.Panel]:
    return list(s.exec(select(m.Panel).join(m.PanelJudge, m.PanelJudge.panel_id == m.Panel.id)
                       .where(m.PanelJudge.judge_id == judge_id).order_by(m.Panel.id)))


def panel_aspects(s: Session, panel: m.Panel) -> list[m.Aspect]:
    limited = set(s.exec(select(m.PanelAspect.aspect_id).where(m.PanelAspect.panel_id == panel.id)).all())
    rows = s.exec(select(m.Aspect).where(m.Aspect.competition_id == panel.competition_id,
                                         m.Aspect.stage_id == panel.stage_id)
                  .order_by(m.Aspect.position, m.Aspect.id)).all()
    return [a for a in rows if not limited or a.id in limited]


def _entries(s: Session, competition_id: int) -> dict[int, m.DrawEntry]:
    return {e.contestant_id: e for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == competition_id))}


def ref_of(contestant: m.Contestant, entry: m.DrawEntry | None) -> str:
    return entry.code if entry is not None else f"#{contestant.id}"


def _order(row: dict):
    """Rows by station number (numerically), then by code."""
    st = row["station"]
    return (0, int(st), row["ref"]) if st.isascii() and st.isdigit() else (1, st, row["ref"])


def _fmt(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def aspect_form(s: Session, a: m.Aspect) -> dict:
    """How a tablet asks for this aspect: the input kind, its range and step, the level descriptors."""
    from scoring.rules.marks import highest_value

    rule = marks_service.rule_aspect_cached(s, a)
    top = highest_value(rule)
    crit = s.get(m.Criterion, a.criterion_id) if a.criterion_id else None
    return {"code": a.code, "name": a.name, "type": a.type, "criterion": crit.name if crit else "",
            "min": _fmt(rule.min_value), "max": _fmt(top), "step": _fmt(rule.step),
            "scale_max": _fmt(rule.scale_max), "descriptors": list(rule.descriptors), "max_mark": _fmt(a.max_mark)}


def _own_marks(s: Session, judge_id: int, contestant_ids: list[int]) -> dict[tuple[int, int], m.Mark]:
    """The judge's newest version per (contestant, aspect), newest round first."""
    out: dict[tuple[int, int], m.Mark] = {}
    if not contestant_ids:
        return out
    rows = s.exec(select(m.Mark).where(m.Mark.judge_id == judge_id, m.Mark.contestant_id.in_(contestant_ids))
                  .order_by(m.Mark.round, m.Mark.version)).all()
    for row in rows:
        out[(row.contestant_id, row.aspect_id)] = row
    return out


def _open_rounds(s: Session, competition_id: int) -> dict[tuple[int, int], int]:
    rows = s.exec(select(m.MarkingRound).where(m.MarkingRound.competition_id == competition_id)).all()
    out: dict[tuple[int, int], int] = {}
    for r in rows:
        key = (r.contestant_id, r.aspect_id)
        out[key] = max(out.get(key, 1), r.round)
    return out


def judge_sheet(engine: Engine, competition_id: int, judge_id: int) -> dict:
    """Everything one judge's tablet needs: their panels' contestants (codes and stations only),
    the aspects with their inputs, and the judge's own marks. Never names, units, other judges'
    marks or ranks."""
    with reading(engine) as s:
        judge = s.get(m.Judge, judge_id)
        if judge is None or judge.competition_id != competition_id:
            raise NotFound(N_("Unknown judge."))
        entries = _entries(s, competition_id)
        recused = set(s.exec(select(m.Recusal.contestant_id).where(m.Recusal.judge_id == judge_id)).all())
        rounds = _open_rounds(s, competition_id)
        confirmed = {(c.panel_id, c.contestant_id) for c in s.exec(
            select(m.SheetConfirmation).where(m.SheetConfirmation.competition_id == competition_id,
                                              m.SheetConfirmation.revoked_at.is_(None)))}
        panels_out, people = [], []
        for panel in _panels_of(s, judge_id):
            group, stage = s.get(m.Group, panel.group_id), s.get(m.Stage, panel.stage_id)
            aspects = panel_aspects(s, panel)
            contestants = s.exec(select(m.Contestant).where(m.Contestant.group_id == panel.group_id,
                                                            m.Contestant.withdrawn == False)).all()  # noqa: E712
            contestants = [c for c in contestants if c.id not in recused]
            own = _own_marks(s, judge_id, [c.id for c in contestants])
            panels_out.append({"id": panel.id, "name": panel.name or f"{group.name} · {stage.name}",
                               "group": group.name, "stage": stage.name,
                               "aspects": [aspect_form(s, a) for a in aspects]})
            rows = []
            for c in contestants:
                entry = entries.get(c.id)
                cells, done, signed = {}, 0, 0
                for a in aspects:
                    mark = own.get((c.id, a.id))
                    rnd = rounds.get((c.id, a.id), 1)
                    if mark is not None and mark.round < rnd:
                        cells[a.code] = {"value": None, "version": 0, "state": "remark", "round": rnd}
                        continue
                    if mark is None:
                        cells[a.code] = {"value": None, "version": 0, "state": "missing", "round": rnd}
                        continue
                    cells[a.code] = {"value": _fmt(mark.value), "version": mark.version, "state": mark.state,
                                     "round": mark.round}
                    if mark.state in ("submitted", "signed") and mark.value is not None:
                        done += 1
                    if mark.state == "signed":
                        signed += 1
                status = ("signed" if aspects and signed == len(aspects) else
                          "remark" if any(v["state"] == "remark" for v in cells.values()) else
                          "submitted" if aspects and done == len(aspects) else
                          "partial" if done else "missing")
                rows.append({"ref": ref_of(c, entry), "station": entry.station if entry else "",
                             "panel_id": panel.id, "status": status,
                             "confirmed": (panel.id, c.id) in confirmed, "marks": cells})
            rows.sort(key=_order)
            people.extend(rows)
        return {"judge": {"code": judge.code, "name": judge.name, "role": judge.role},
                "panels": panels_out, "contestants": people}


def sign_for_judge(engine: Engine, competition_id: int, judge_id: int, ref: str) -> marks_service.SheetChange:
    """A judge signs off their marks of one contestant (every aspect of their panels)."""
    with reading(engine) as s:
        contestant = marks_service.contestant_by_ref(s, competition_id, ref)
        if contestant is None:
            raise NotFound(N_("Unknown contestant."))
        if s.exec(select(m.Recusal.id).where(m.Recusal.judge_id == judge_id,
                                             m.Recusal.contestant_id == contestant.id)).first() is not None:
            raise Forbidden(N_("You are recused from marking this contestant (回避)."))
        aspect_ids = []
        for panel in _panels_of(s, judge_id):
            if panel.group_id == contestant.group_id:
                aspect_ids.extend(a.id for a in panel_aspects(s, panel))
        if not aspect_ids:
            raise Forbidden(N_("You do not sit on the panel that marks this aspect for this contestant."))
    change = marks_service.sign_sheet(engine, competition_id, judge_id, contestant.id, aspect_ids)
    notify(competition_id, "signed")
    return change


# --------------------------------------------------------------------------- spread rule and re-score rounds


def expected_judges(s: Session, contestant: m.Contestant, aspect: m.Aspect) -> list[m.Judge]:
    """The judges who must mark this cell: the panels' judges for it, minus recusals."""
    panels = s.exec(select(m.Panel).where(m.Panel.group_id == contestant.group_id,
                                          m.Panel.stage_id == aspect.stage_id)).all()
    recused = set(s.exec(select(m.Recusal.judge_id).where(m.Recusal.contestant_id == contestant.id)).all())
    out: dict[int, m.Judge] = {}
    for panel in panels:
        limited = set(s.exec(select(m.PanelAspect.aspect_id).where(m.PanelAspect.panel_id == panel.id)).all())
        if limited and aspect.id not in limited:
            continue
        for judge in s.exec(select(m.Judge).join(m.PanelJudge, m.PanelJudge.judge_id == m.Judge.id)
                            .where(m.PanelJudge.panel_id == panel.id)):
            if judge.id not in recused:
                out[judge.id] = judge
    return sorted(out.values(), key=lambda j: j.code)


def check_spread(engine: Engine, competition_id: int, contestant_id: int, aspect_id: int, rnd: int) -> None:
    """After a mark's commit: when every expected mark of this round is in, apply the spread rule.
    A violation raises a flag at once; a corrected or re-marked set resolves it."""
    from scoring.rules.aggregate import aggregate
    from scoring.rules.types import AggregationMethod, AspectStatus

    with reading(engine) as s:
        aspect = s.get(m.Aspect, aspect_id)
        rule = marks_service.rule_aspect_cached(s, aspect)
        if rule.aggregation.method != AggregationMethod.WORLDSKILLS or rule.aggregation.spread is None:
            return
        contestant = s.get(m.Contestant, contestant_id)
        judges = expected_judges(s, contestant, aspect)
        newest: dict[int, m.Mark] = {}
        for mark in s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant_id, m.Mark.aspect_id == aspect_id,
                                                m.Mark.round == rnd).order_by(m.Mark.version)):
            newest[mark.judge_id] = mark   # one query for the whole panel; the last version wins
        values: dict[str, Decimal] = {}
        for judge in judges:
            mark = newest.get(judge.id)
            if mark is not None and mark.state in marks_service.COUNTING_STATES and mark.value is not None:
                values[judge.code] = mark.value
        if not judges or len(values) < len(judges):
            return
        result = aggregate(rule, values, [j.code for j in judges])
        violated = result.status == AspectStatus.REJECTED
    changed = False
    try:
        with transaction(engine) as s:
            flag = s.exec(select(m.SpreadFlag).where(m.SpreadFlag.contestant_id == contestant_id,
                                                     m.SpreadFlag.aspect_id == aspect_id,
                                                     m.SpreadFlag.round == rnd)).first()
            detail = {"marks": {k: format(v, "f") for k, v in values.items()},
                      "spread": format(max(values.values()) - min(values.values()), "f"),
                      "allowed": format(rule.aggregation.spread, "f")}
            if violated and flag is None:
                s.add(m.SpreadFlag(competition_id=competition_id, contestant_id=contestant_id, aspect_id=aspect_id,
                                   round=rnd, detail=detail))
                record(s, competition_id, "system", "spread.flagged", f"{contestant.code}/{aspect.code}",
                       {"round": rnd, **detail})
                changed = True
            elif violated and flag.state == "resolved":
                flag.state, flag.detail = "open", detail
                s.add(flag)
                record(s, competition_id, "system", "spread.flagged", f"{contestant.code}/{aspect.code}",
                       {"round": rnd, **detail})
                changed = True
            elif not violated:
                if flag is not None and flag.state == "open":
                    flag.state = "resolved"
                    s.add(flag)
                    changed = True
                if rnd > 1:
                    for old in s.exec(select(m.SpreadFlag).where(m.SpreadFlag.contestant_id == contestant_id,
                                                                 m.SpreadFlag.aspect_id == aspect_id,
                                                                 m.SpreadFlag.round < rnd,
                                                                 m.SpreadFlag.state == "rescoring")):
                        old.state = "resolved"
                        s.add(old)
                        changed = True
                if changed:
                    record(s, competition_id, "system", "spread.resolved", f"{contestant.code}/{aspect.code}",
                           {"round": rnd, **detail})
    except IntegrityError:
        pass  # a concurrent check raised the same flag
    if changed:
        notify(competition_id, "flag")


def open_rescore(engine: Engine, competition_id: int, contestant_ref: str, aspect_code: str, actor: str,
                 reason: str = "") -> int:
    """The chief judge opens the next round for a flagged aspect; returns the new round number.
    The judges see only that they must re-mark; round 1 stays in the marks and the audit log."""
    try:
        with transaction(engine) as s:
            contestant = marks_service.contestant_by_ref(s, competition_id, contestant_ref)
            aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == competition_id,
                                                   m.Aspect.code == aspect_code)).first()
            if contestant is None or aspect is None:
                raise NotFound(N_("Unknown contestant or aspect."))
            rnd = marks_service.current_round(s, contestant.id, aspect.id)
            flag = s.exec(select(m.SpreadFlag).where(m.SpreadFlag.contestant_id == contestant.id,
                                                     m.SpreadFlag.aspect_id == aspect.id,
                                                     m.SpreadFlag.round == rnd)).first()
            if flag is None or flag.state != "open":
                raise Conflict(N_("This aspect has no open spread flag in its current round."))
            flag.state = "rescoring"
            s.add(flag)
            s.add(m.MarkingRound(competition_id=competition_id, contestant_id=contestant.id, aspect_id=aspect.id,
                                 round=rnd + 1, opened_by=actor, reason=reason))
            record(s, competition_id, actor, "round.opened", f"{contestant.code}/{aspect.code}",
                   {"round": rnd + 1, "reason": reason, "previous": flag.detail})
    except IntegrityError:
        raise Conflict(N_("This re-score round was already opened."))
    notify(competition_id, "round")
    return rnd + 1


# --------------------------------------------------------------------------- confirmation and unlock


def confirm_sheet(engine: Engine, competition_id: int, panel_id: int, contestant_ref: str, chief: m.Judge) -> None:
    """The chief judge confirms a panel's sheet for one contestant once every judge has signed.
    The confirmer never entered any of its marks."""
    with transaction(engine) as s:
        panel = s.get(m.Panel, panel_id)
        contestant = marks_service.contestant_by_ref(s, competition_id, contestant_ref)
        if panel is None or panel.competition_id != competition_id or contestant is None \
                or contestant.group_id != panel.group_id:
            raise NotFound(N_("Unknown contestant."))
        aspects = panel_aspects(s, panel)
        ids = [a.id for a in aspects]
        marks = s.exec(select(m.Mark).where(m.Mark.contestant_id == contestant.id, m.Mark.aspect_id.in_(ids))).all()
        # an unlock is a lock change, not a mark: only values entered by the chief disqualify them
        if any(k.judge_id == chief.id or (k.entered_by == chief.code and not k.idempotency_key.startswith(("unlock-", "sign-")))
               for k in marks):
            raise Forbidden(N_("You entered marks on this sheet; another chief judge must confirm it."))
        judges = [j for j in s.exec(select(m.Judge).join(m.PanelJudge, m.PanelJudge.judge_id == m.Judge.id)
                                    .where(m.PanelJudge.panel_id == panel.id))]
        recused = set(s.exec(select(m.Recusal.judge_id).where(m.Recusal.contestant_id == contestant.id)).all())
        newest: dict[tuple[int, int], m.Mark] = {}
        for k in sorted(marks, key=lambda k: (k.round, k.version)):
            newest[(k.judge_id, k.aspect_id)] = k
        rounds = _open_rounds(s, competition_id)
        unsigned = [j.code for j in judges if j.id not in recused and any(
            (k := newest.get((j.id, a.id))) is None or k.state != "signed" or k.round < rounds.get((contestant.id, a.id), 1)
            for a in aspects)]
        if unsigned:
            raise Conflict(N_("Not every judge has signed this sheet yet: %(judges)s."), judges=", ".join(unsigned))
        open_flags = s.exec(select(m.SpreadFlag).where(m.SpreadFlag.contestant_id == contestant.id,
                                                       m.SpreadFlag.aspect_id.in_(ids),
                                                       m.SpreadFlag.state.in_(("open", "rescoring")))).first()
        if open_flags is not None:
            raise Conflict(N_("A spread flag on this sheet is still open."))
        done = s.exec(select(m.SheetConfirmation).where(m.SheetConfirmation.panel_id == panel.id,
                                                        m.SheetConfirmation.contestant_id == contestant.id,
                                                        m.SheetConfirmation.revoked_at.is_(None))).first()
        if done is not None:
            return
        s.add(m.SheetConfirmation(competition_id=competition_id, panel_id=panel.id, contestant_id=contestant.id,
                                  confirmed_by=chief.code))
        record(s, competition_id, chief.code, "sheet.confirmed", f"{contestant.code}/{panel.id}", {})
    notify(competition_id, "confirmed")


def unlock_for_chief(engine: Engine, competition_id: int, judge_code: str, contestant_ref: str, chief: m.Judge,
                     reason: str) -> marks_service.SheetChange:
    with reading(engine) as s:
        contestant = marks_service.contestant_by_ref(s, competition_id, contestant_ref)
        judge = s.exec(select(m.Judge).where(m.Judge.competition_id == competition_id,
                                             m.Judge.code == judge_code)).first()
        if contestant is None or judge is None:
            raise NotFound(N_("Unknown contestant."))
    change = marks_service.unlock_sheet(engine, competition_id, judge.id, contestant.id, chief.code, reason)
    notify(competition_id, "unlocked")
    return change


# --------------------------------------------------------------------------- tablets and the progress grid

ONLINE = timedelta(seconds=45)


def heartbeat(engine: Engine, competition_id: int, judge_id: int, client_id: str, unsent: object) -> None:
    client_id = (client_id or "").strip()[:80]
    if not client_id:
        raise InvalidInput(Problem("client_id", N_("A tablet id is required.")))
    if isinstance(unsent, bool) or not isinstance(unsent, int) or not 0 <= unsent <= 100000:
        raise InvalidInput(Problem("unsent", N_("The number of unsent marks must be a whole number.")))
    with transaction(engine) as s:
        row = s.get(m.TabletHeartbeat, client_id)
        if row is None:
            row = m.TabletHeartbeat(client_id=client_id, competition_id=competition_id, judge_id=judge_id)
        row.competition_id, row.judge_id, row.unsent, row.last_seen = competition_id, judge_id, unsent, m.utcnow()
        s.add(row)
    notify(competition_id, "tablet")


def progress(engine: Engine, competition_id: int) -> dict:
    """The chief judge's grid: per panel, contestant (code, station) x judge: missing, partial,
    submitted, signed, recused, re-mark; flags and confirmations; tablets and their unsent marks."""
    with reading(engine) as s:
        entries = _entries(s, competition_id)
        rounds = _open_rounds(s, competition_id)
        codes = {j.id: j.code for j in s.exec(select(m.Judge).where(m.Judge.competition_id == competition_id))}
        all_marks = s.exec(select(m.Mark).where(m.Mark.competition_id == competition_id)
                           .order_by(m.Mark.round, m.Mark.version)).all()
        newest: dict[tuple[int, int, int], m.Mark] = {}
        for k in all_marks:
            newest[(k.contestant_id, k.aspect_id, k.judge_id)] = k
        recusals = {(r.judge_id, r.contestant_id) for r in s.exec(
            select(m.Recusal).where(m.Recusal.competition_id == competition_id))}
        confirmed = {(c.panel_id, c.contestant_id): c.confirmed_by for c in s.exec(
            select(m.SheetConfirmation).where(m.SheetConfirmation.competition_id == competition_id,
                                              m.SheetConfirmation.revoked_at.is_(None)))}
        flags = s.exec(select(m.SpreadFlag).where(m.SpreadFlag.competition_id == competition_id,
                                                  m.SpreadFlag.state.in_(("open", "rescoring")))).all()
        acode = {a.id: a.code for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == competition_id))}
        panels_out = []
        for panel in s.exec(select(m.Panel).where(m.Panel.competition_id == competition_id).order_by(m.Panel.id)):
            group, stage = s.get(m.Group, panel.group_id), s.get(m.Stage, panel.stage_id)
            aspects = panel_aspects(s, panel)
            judges = sorted(s.exec(select(m.PanelJudge.judge_id).where(m.PanelJudge.panel_id == panel.id)).all(),
                            key=lambda j: codes.get(j, ""))
            contestants = s.exec(select(m.Contestant).where(m.Contestant.group_id == panel.group_id,
                                                            m.Contestant.withdrawn == False)).all()  # noqa: E712
            rows = []
            for c in contestants:
                entry = entries.get(c.id)
                row_flags = [{"aspect": acode[f.aspect_id], "round": f.round, "state": f.state,
                              "spread": f.detail.get("spread"), "allowed": f.detail.get("allowed")}
                             for f in flags if f.contestant_id == c.id and f.aspect_id in {a.id for a in aspects}]
                cells = {}
                for jid in judges:
                    if (jid, c.id) in recusals:
                        cells[codes[jid]] = "recused"
                        continue
                    done = signed = remark = 0
                    for a in aspects:
                        k = newest.get((c.id, a.id, jid))
                        if k is not None and k.round < rounds.get((c.id, a.id), 1):
                            remark += 1
                        elif k is not None and k.state in ("submitted", "signed") and k.value is not None:
                            done += 1
                            signed += k.state == "signed"
                    n = len(aspects)
                    cells[codes[jid]] = ("remark" if remark else "signed" if n and signed == n else
                                         "submitted" if n and done == n else "partial" if done else "missing")
                rows.append({"ref": ref_of(c, entry), "station": entry.station if entry else "",
                             "cells": cells, "flags": row_flags,
                             "confirmed_by": confirmed.get((panel.id, c.id))})
            rows.sort(key=_order)
            panels_out.append({"id": panel.id, "name": panel.name or f"{group.name} · {stage.name}",
                               "judges": [codes[j] for j in judges], "aspects": [a.code for a in aspects],
                               "rows": rows})
        now = m.utcnow()
        tablets = [{"client_id": t.client_id, "judge": codes.get(t.judge_id, ""), "unsent": t.unsent,
                    "online": now - t.last_seen <= ONLINE, "last_seen": t.last_seen.isoformat()}
                   for t in s.exec(select(m.TabletHeartbeat).where(m.TabletHeartbeat.competition_id == competition_id)
                                   .order_by(m.TabletHeartbeat.judge_id))]
        version = s.exec(select(m.Competition.standings_version).where(m.Competition.id == competition_id)).one()
    return {"version": version, "panels": panels_out, "tablets": tablets}


# --------------------------------------------------------------------------- live push to the chief judge


def room(competition_id: int) -> str:
    return f"chief-{competition_id}"


def notify(competition_id: int, what: str) -> None:
    """After commit: tell the chief judges' screens that the grid changed (they re-fetch it)."""
    from scoring.extensions import socketio

    if getattr(socketio, "server", None) is None:
        return
    try:
        socketio.emit("progress", {"competition": competition_id, "what": what}, namespace=NAMESPACE,
                      to=room(competition_id))
    except Exception:  # noqa: BLE001  (a push failure never undoes a durable write)
        pass


def _round_marks_statement():
    from sqlalchemy import bindparam
    from sqlalchemy import select as sa_select

    mk = m.Mark.__table__.c
    return (sa_select(mk.judge_id, mk.state, mk.value)
            .where(mk.contestant_id == bindparam("c"), mk.aspect_id == bindparam("a"), mk.round == bindparam("r"))
            .order_by(mk.version))


_ROUND_MARKS = _round_marks_statement()


def _spread_may_apply(engine: Engine, competition_id: int, contestant_id: int, aspect: m.Aspect, rnd: int) -> bool:
    """Cheap pre-check for ``check_spread``: False only when it would surely do nothing (the aspect
    has no spread rule, or not every expected judge has a counting mark in this round yet)."""
    from scoring.rules.types import AggregationMethod

    cfg = marks_service.hook_config.get()   # the config this very mark was checked against
    if cfg is None or cfg.key[:2] != (id(engine), competition_id):
        cfg = marks_service.config_now(engine, competition_id)
        if cfg is None:
            return False
    rule = cfg.rules.get(aspect.id)
    contestant = cfg.contestants.get(contestant_id)
    if rule is None or contestant is None:
        return True   # not what the cache knows: let the full check decide
    if rule.aggregation.method != AggregationMethod.WORLDSKILLS or rule.aggregation.spread is None:
        return False
    judges = cfg.expected_judges(contestant, cfg.aspects.get(aspect.code, aspect))
    if not judges:
        return False
    newest: dict[int, tuple] = {}
    with engine.connect() as conn:
        for jid, state, value in conn.execute(_ROUND_MARKS, {"c": contestant_id, "a": aspect.id, "r": rnd}):
            newest[jid] = (state, value)
    for judge in judges:
        got = newest.get(judge.id)
        if got is None or got[0] not in marks_service.COUNTING_STATES or got[1] is None:
            return False
    return True


def _after_mark(engine: Engine, competition_id: int, contestant_id: int, aspect: m.Aspect, rnd: int) -> None:
    # only a panel-scale aspect with a spread rule needs the check (no extra query for the others)
    if (aspect.aggregation or {}).get("method") == "worldskills" or aspect.type == "judgement":
        if _spread_may_apply(engine, competition_id, contestant_id, aspect, rnd):
            check_spread(engine, competition_id, contestant_id, aspect.id, rnd)
    notify(competition_id, "mark")


if _after_mark not in marks_service.after_mark:
    marks_service.after_mark.append(_after_mark)
