"""How far marking has come: the chief judge's live grid, the organizer's per-group progress
bars, and the tablets' heartbeats (who is online, how many marks wait unsent).

Why here and not in the pages: the grid is read over HTTP by the chief judge's screen after each
push, by the JSON API and by tests, and both views must count the same cells the same way: who
is expected on a cell and whether a judge's sheet is complete are ``rules.cells``' answers, read
with a fixed number of queries whatever the size of the competition.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring import signals
from scoring.db import reading, transaction
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.labels import stage_label
from scoring.rules.cells import sheet_status
from scoring.services.judge_sheet import draw_entries, open_rounds, panel_aspects, ref_of, station_order
from scoring.services.readside import current_marks, seating

ONLINE = timedelta(seconds=45)


def heartbeat(engine: Engine, competition_id: int, judge_id: int, client_id: str, unsent: object) -> None:
    """A tablet says it is alive and how many marks it holds unsent."""
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
    signals.grid_changed.send(competition_id, what="tablet")


def progress(engine: Engine, competition_id: int, locale: str | None = None) -> dict:
    """The chief judge's grid: per panel, contestant (code, station) x judge: missing, partial,
    submitted, signed, recused, re-mark; flags and confirmations; tablets and their unsent marks."""
    with reading(engine) as s:
        entries = draw_entries(s, competition_id)
        rounds = open_rounds(s, competition_id)
        seat = seating(s, competition_id)
        codes = {j.id: j.code for j in s.exec(select(m.Judge).where(m.Judge.competition_id == competition_id))}
        all_marks = s.exec(
            select(m.Mark).where(m.Mark.competition_id == competition_id).order_by(m.Mark.round, m.Mark.version)
        ).all()
        newest: dict[tuple[int, int, int], m.Mark] = {}
        for k in all_marks:
            newest[(k.contestant_id, k.aspect_id, k.judge_id)] = k
        confirmed = {
            (c.panel_id, c.contestant_id): c.confirmed_by
            for c in s.exec(
                select(m.SheetConfirmation).where(
                    m.SheetConfirmation.competition_id == competition_id, m.SheetConfirmation.revoked_at.is_(None)
                )
            )
        }
        flags = s.exec(
            select(m.SpreadFlag).where(
                m.SpreadFlag.competition_id == competition_id, m.SpreadFlag.state.in_(("open", "rescoring"))
            )
        ).all()
        acode = {a.id: a.code for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == competition_id))}
        seated = {p.id: p for p in seat.panels}
        panels_out = []
        for panel in s.exec(select(m.Panel).where(m.Panel.competition_id == competition_id).order_by(m.Panel.id)):
            group, stage = s.get(m.Group, panel.group_id), s.get(m.Stage, panel.stage_id)
            aspects = panel_aspects(s, panel)
            judges = sorted(seated[panel.id].judges, key=lambda j: codes.get(j, ""))
            trainees = sorted(seated[panel.id].trainees, key=lambda j: codes.get(j, ""))  # shown, never waited for
            contestants = s.exec(
                select(m.Contestant).where(m.Contestant.group_id == panel.group_id, m.Contestant.withdrawn.is_(False))
            ).all()
            contestants = [c for c in contestants if seat.sits_for(seated[panel.id], c.id)]  # 场次 panels
            staged = set(s.exec(select(m.StageSession.code).where(m.StageSession.stage_id == panel.stage_id)))
            rows = []
            for c in contestants:
                entry = entries.get(c.id)
                row_flags = [
                    {
                        "aspect": acode[f.aspect_id],
                        "round": f.round,
                        "state": f.state,
                        "spread": f.detail.get("spread"),
                        "allowed": f.detail.get("allowed"),
                    }
                    for f in flags
                    if f.contestant_id == c.id and f.aspect_id in {a.id for a in aspects}
                ]
                cells = {}
                for jid in judges + trainees:
                    if (jid, c.id) in seat.recused:
                        cells[codes[jid]] = "recused"
                        continue
                    cells[codes[jid]] = sheet_status(  # an element declared invalid is no part of the sheet
                        [
                            (newest.get((c.id, a.id, jid)), rounds.get((c.id, a.id), 1))
                            for a in aspects
                            if seat.markable(c.id, a.id)
                        ]
                    )
                rows.append(
                    {
                        "ref": ref_of(c, entry),
                        "station": entry.station if entry else "",
                        "cells": cells,
                        "flags": row_flags,
                        "confirmed_by": confirmed.get((panel.id, c.id)),
                    }
                )
                if entry is not None and entry.session in staged:  # 场次 of this stage: the grid filters by it
                    rows[-1]["session"] = entry.session
            rows.sort(key=station_order)
            panels_out.append(
                {
                    "id": panel.id,
                    "name": panel.name or f"{group.name} · {stage_label(stage.name, stage.code, locale)}",
                    "judges": [codes[j] for j in judges],
                    "trainees": [codes[j] for j in trainees],
                    "aspects": [a.code for a in aspects],
                    "session": panel.session,
                    "rows": rows,
                }
            )
        heartbeats = s.exec(
            select(m.TabletHeartbeat)
            .where(m.TabletHeartbeat.competition_id == competition_id)
            .order_by(m.TabletHeartbeat.last_seen)
        ).all()
        tablets = _latest_per_judge(heartbeats, codes, m.utcnow())
        version = s.exec(select(m.Competition.standings_version).where(m.Competition.id == competition_id)).one()
    return {"version": version, "panels": panels_out, "tablets": tablets}


def _latest_per_judge(heartbeats: list, codes: dict[int, str], now) -> list[dict]:  # noqa: ANN001
    """One line per judge: the state of the tablet (browser session) that reported last.

    Why: every new browser session (a cleared cache, another tablet, a private window) reports
    under a new client id, and the grid listed each of them for ever, so a judge working online
    also showed as "J02 · offline" once per old session. The chief judge asks "is J02's tablet
    up, and does it hold unsent marks?": the newest report answers that. ``sessions`` says how
    many sessions the judge has used, for the curious."""
    latest: dict[int, object] = {}
    sessions: dict[int, int] = {}
    for t in heartbeats:  # oldest first: the last one seen per judge wins
        latest[t.judge_id] = t
        sessions[t.judge_id] = sessions.get(t.judge_id, 0) + 1
    out = [
        {
            "client_id": t.client_id,
            "judge": codes.get(t.judge_id, ""),
            "unsent": t.unsent,
            "online": now - t.last_seen <= ONLINE,
            "last_seen": t.last_seen.isoformat(),
            "sessions": sessions[t.judge_id],
        }
        for t in latest.values()
    ]
    return sorted(out, key=lambda x: x["judge"])


def by_group(engine: Engine, competition_id: int, session: m.StageSession | None = None) -> list[dict]:
    """Per group: the marks expected (every cell's expected judges) and the marks given (counting).
    With a ``session`` (场次): only its stage's cells of the contestants the draw seated in it."""
    with reading(engine) as s:
        groups = list(
            s.exec(select(m.Group).where(m.Group.competition_id == competition_id).order_by(m.Group.position))
        )
        people = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == competition_id)))
        aspects = list(s.exec(select(m.Aspect).where(m.Aspect.competition_id == competition_id)))
        if session is not None:
            seated = set(s.exec(select(m.DrawEntry.contestant_id).where(m.DrawEntry.session == session.code)))
            people = [c for c in people if c.id in seated]
            aspects = [a for a in aspects if a.stage_id == session.stage_id]
        expected = seating(s, competition_id).expected_cells(people, aspects)
        given = {(k.contestant_id, k.aspect_id, k.judge_id) for k in current_marks(s, competition_id)}
    group_of = {c.id: c.group_id for c in people}
    out = []
    for g in groups:
        mine = [cell for cell in expected if group_of.get(cell[0]) == g.id]
        if session is not None and not mine:
            continue  # a group not in this session
        got = sum(1 for cell in mine if cell in given)
        out.append(
            {
                "code": g.code,
                "name": g.name,
                "expected": len(mine),
                "given": got,
                "percent": 0 if not mine else (got * 100) // len(mine),
            }
        )
    return out
