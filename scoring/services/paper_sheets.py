"""What is printed on the paper score sheets (评分表): for each judge, the contestants they mark
and the aspects they mark them on, exactly as the scheme and the seating say.

Why a service of its own: the sheets are the legal record where tablets fail, so they must ask
what the tablet asks (``services.judge_sheet``: the panel's aspects in the scheme's order, their
ranges, steps and level descriptors) of exactly the contestants the judge marks (``rules.cells``'
seating: panels, sessions, recusals, withdrawals, invalid elements), and name a contestant only
as the tablet does (station number and draw code, never a name, unit or ID number). The QR code
of each sheet is ``rules.paper``'s token, read back by the clerks' entry form.

A selection narrows by judge (code), session (场次 code) and panel (id or name); an empty
selection, or a value that names nothing, is refused with the field named. Sheets come in the
order they are handed out: judge, panel, session, station.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import jobs
from scoring import models as m
from scoring.db import make_engine, reading
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.labels import plain, stage_label
from scoring.rules import cells
from scoring.rules.paper import SheetRef, sheet_token, version_of
from scoring.services.judge_sheet import aspect_form, draw_entries, panel_aspects, ref_of, station_order
from scoring.services.readside import seating

#: A panel of at most this many aspects may print as a grid (rows: contestants, columns: aspects);
#: seven boxes of a number each still leave the grid's code, station and QR columns room on A4.
GRID_MAX = 6
LAYOUTS = ("sheet", "grid")

UNKNOWN_JUDGE = N_("No judge with the code %(value)s.")
UNKNOWN_SESSION = N_("No session with the code %(value)s.")
UNKNOWN_PANEL = N_("No panel with the number or name %(value)s.")
UNKNOWN_LAYOUT = N_("Choose the layout sheet (one per contestant) or grid (one per session).")
NOTHING_TO_PRINT = N_("No score sheets match this selection: nobody on it marks anyone in it.")
TOO_MANY = N_(
    "This selection holds %(count)s score sheets, more than the %(max)s one download may hold: choose a judge "
    "or a session, or print them all on the server with the command scoring sheets."
)


@dataclass(frozen=True)
class PrintedAspect:
    """One aspect as a sheet asks for it; numbers as plain text (``labels.plain``)."""

    code: str
    name: str
    type: str  # measurement | judgement | deduction | time
    criteria: tuple[tuple[str, str], ...]  # (code, name) from the top criterion down
    min: str
    max: str
    step: str
    max_mark: str
    descriptors: tuple[str, ...] = ()
    time_target: str = ""
    time_limit: str = ""


@dataclass(frozen=True)
class SheetPanel:
    id: int
    name: str
    group: str
    stage: str
    aspects: tuple[PrintedAspect, ...]
    version: str  # rules.paper.version_of the panel's aspects

    @property
    def small(self) -> bool:
        return len(self.aspects) <= GRID_MAX


@dataclass(frozen=True)
class PaperSheet:
    """One judge's sheet for one contestant."""

    panel: SheetPanel
    judge: str  # code
    judge_name: str
    ref: str  # the draw code (``#<id>`` before the draw), as the tablet shows it
    station: str
    session: str  # the contestant's session (场次) as printed: its name, else its code; "" when none
    token: str
    url: str
    invalid: frozenset[str] = frozenset()  # aspect codes declared invalid for this contestant


@dataclass(frozen=True)
class SheetSet:
    competition: str
    slug: str
    sheets: tuple[PaperSheet, ...]


def clerk_url(base_url: str, slug: str, token: str) -> str:
    """The address a sheet's QR code holds: the clerks' entry form opened on this sheet."""
    return f"{base_url.rstrip('/')}/clerk/c/{quote(slug, safe='')}?sheet={quote(token, safe='')}"


def _refuse(field: str, msgid: str, value: str = "") -> InvalidInput:
    return InvalidInput(Problem(field, msgid, {"value": value[:40]}))


def check_layout(layout: str | None) -> str:
    """``sheet`` (default) or ``grid``; anything else is refused naming the field."""
    if not layout:
        return "sheet"
    if layout not in LAYOUTS:
        raise _refuse("layout", UNKNOWN_LAYOUT)
    return layout


def _criteria(s: Session, cid: int) -> dict[int, tuple[tuple[str, str], ...]]:
    """Each criterion's path from the top, as (code, name) pairs."""
    rows = {c.id: c for c in s.exec(select(m.Criterion).where(m.Criterion.competition_id == cid))}
    out: dict[int, tuple[tuple[str, str], ...]] = {}

    def path(cid_: int, depth: int = 0) -> tuple[tuple[str, str], ...]:
        if cid_ in out:
            return out[cid_]
        c = rows[cid_]
        up = path(c.parent_id, depth + 1) if c.parent_id in rows and depth < 20 else ()
        out[cid_] = (*up, (c.code, c.name))
        return out[cid_]

    for key in rows:
        path(key)
    return out


def _printed(s: Session, a: m.Aspect, criteria: dict[int, tuple[tuple[str, str], ...]]) -> PrintedAspect:
    form = aspect_form(s, a)
    return PrintedAspect(
        code=a.code,
        name=a.name,
        type=a.type,
        criteria=criteria.get(a.criterion_id or 0, ()),
        min=plain(form["min"]),
        max=plain(form["max"]),
        step=plain(form["step"]),
        max_mark=plain(a.max_mark),
        descriptors=tuple(form["descriptors"]),
        time_target=plain(a.time_target) if a.type == "time" else "",
        time_limit=plain(a.time_limit) if a.type == "time" else "",
    )


def _panel(
    s: Session, p: m.Panel, groups: dict, stages: dict, criteria: dict, locale: str | None
) -> tuple[SheetPanel, list[m.Aspect]]:
    """The panel as its sheets print it, and its aspects' rows (what the seating is asked about)."""
    aspects = panel_aspects(s, p)
    group, stage = groups[p.group_id], stages[p.stage_id]
    label = stage_label(stage.name, stage.code, locale)
    printed = SheetPanel(
        id=p.id,
        name=p.name or f"{group.name} · {label}",
        group=group.name,
        stage=label,
        aspects=tuple(_printed(s, a, criteria) for a in aspects),
        version=version_of(aspects),
    )
    return printed, aspects


def _pick_panels(s: Session, cid: int, panel: str | None) -> list[m.Panel]:
    rows = list(s.exec(select(m.Panel).where(m.Panel.competition_id == cid).order_by(m.Panel.id)))
    if not panel:
        return rows
    chosen = [p for p in rows if str(p.id) == panel.strip() or (p.name and p.name == panel.strip())]
    if not chosen:
        raise _refuse("panel", UNKNOWN_PANEL, panel)
    return chosen


def paper_sheets(
    engine: Engine,
    cid: int,
    base_url: str,
    judge: str | None = None,
    session: str | None = None,
    panel: str | None = None,
    locale: str | None = None,
) -> SheetSet:
    """Every sheet of the selection (see the module's note), in handing-out order; stage labels
    (and the panel names made of them) in ``locale``, the language the sheets are drawn in."""
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        judges = {j.id: j for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        if judge and not any(j.code == judge for j in judges.values()):
            raise _refuse("judge", UNKNOWN_JUDGE, judge)
        sessions = {r.code: r for r in s.exec(select(m.StageSession).where(m.StageSession.competition_id == cid))}
        if session and session not in sessions:
            raise _refuse("session", UNKNOWN_SESSION, session)
        panels = _pick_panels(s, cid, panel)
        groups = {g.id: g for g in s.exec(select(m.Group).where(m.Group.competition_id == cid))}
        stages = {st.id: st for st in s.exec(select(m.Stage).where(m.Stage.competition_id == cid))}
        criteria = _criteria(s, cid)
        seats = seating(s, cid)
        rules = {p.id: p for p in seats.panels}
        entries = draw_entries(s, cid)
        people = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)))
        out: list[tuple[tuple, PaperSheet]] = []
        for p in panels:
            if session and (p.stage_id != sessions[session].stage_id or p.session not in (None, session)):
                continue
            rule = rules[p.id]
            sheet_panel, aspects = _panel(s, p, groups, stages, criteria, locale)
            seated = [
                c
                for c in people
                if c.group_id == p.group_id
                and seats.sits_for(rule, c.id)
                and (not session or getattr(entries.get(c.id), "session", None) == session)
            ]
            for jid in rule.judges:
                j = judges[jid]
                if judge and j.code != judge:
                    continue
                for c in seated:
                    # the write path's own question, aspect by aspect: recused, withdrawn, invalid element
                    reasons = [seats.refusal(j.id, c, a) for a in aspects]
                    if None not in reasons:  # marks none of them: no sheet
                        continue
                    invalid = frozenset(a.code for a, why in zip(aspects, reasons) if why == cells.INVALID_ELEMENT)
                    sheet = _sheet(comp.slug, base_url, sheet_panel, j, c, entries.get(c.id), invalid)
                    sess = sessions.get(getattr(entries.get(c.id), "session", None) or "")
                    when = ("", "", "")
                    if sess is not None and sess.stage_id == p.stage_id:  # 场次 of this very stage
                        sheet = replace(sheet, session=sess.name or sess.code)
                        when = (sess.date, sess.start, sess.code)
                    row = {"station": sheet.station, "ref": sheet.ref}
                    out.append(((j.code, p.id, when, station_order(row)), sheet))
    if not out:
        raise InvalidInput(Problem("", NOTHING_TO_PRINT))
    out.sort(key=lambda pair: pair[0])
    return SheetSet(competition=comp.name, slug=comp.slug, sheets=tuple(sheet for _, sheet in out))


def _sheet(
    slug: str,
    base_url: str,
    panel: SheetPanel,
    judge: m.Judge,
    contestant: m.Contestant,
    entry: m.DrawEntry | None,
    invalid: frozenset[str],
) -> PaperSheet:
    """The judge's sheet for the contestant (``invalid``: the aspects struck out)."""
    ref = ref_of(contestant, entry)
    token = sheet_token(SheetRef(slug, judge.code, ref, panel.version))
    return PaperSheet(
        panel=panel,
        judge=judge.code,
        judge_name=judge.name,
        ref=ref,
        station=entry.station if entry else "",
        session="",
        token=token,
        url=clerk_url(base_url, slug, token),
        invalid=invalid,
    )


@jobs.target
def sheets_file(
    progress: jobs.Progress,
    url: str,
    cid: int,
    base_url: str,
    selection: dict[str, str | None],
    layout: str,
    locale: str | None,
    most: int,
) -> bytes:
    """The job behind a big selection of sheets (``admin.paper_sheets``): read it and draw it in a
    child process; more than ``most`` sheets are refused as the request would refuse them."""
    from scoring.certificates.score_sheets import score_sheets_pdf

    progress(0, 1)
    data = paper_sheets(make_engine(url), cid, base_url, locale=locale, **selection)
    if len(data.sheets) > most:
        raise InvalidInput(Problem("", TOO_MANY, {"count": len(data.sheets), "max": most}))
    return score_sheets_pdf(data, layout, locale, progress)


def selection_choices(engine: Engine, cid: int, locale: str | None = None) -> dict:
    """What the console's print form offers: judges (code, name), sessions (code, name) and
    panels (id, name), each in their usual order."""
    with reading(engine) as s:
        judges = [(j.code, j.name) for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))]
        rows = list(s.exec(select(m.StageSession).where(m.StageSession.competition_id == cid)))
        rows.sort(key=lambda r: (r.date, r.start, r.code))
        groups = {g.id: g.name for g in s.exec(select(m.Group).where(m.Group.competition_id == cid))}
        stages = {st.id: st for st in s.exec(select(m.Stage).where(m.Stage.competition_id == cid))}
        panels = [
            (
                p.id,
                p.name
                or f"{groups[p.group_id]} · {stage_label(stages[p.stage_id].name, stages[p.stage_id].code, locale)}",
            )
            for p in s.exec(select(m.Panel).where(m.Panel.competition_id == cid).order_by(m.Panel.id))
        ]
    return {
        "judges": sorted(judges),
        "sessions": [(r.code, r.name or r.code) for r in rows],
        "panels": panels,
        "grid_max": GRID_MAX,
    }
