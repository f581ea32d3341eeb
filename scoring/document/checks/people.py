"""Cross-field checks of the people and what they do: contestants, judges, panels, recusals, the
draw and the marks (references resolve, nothing is listed twice, each mark in range and on step,
by a judge on the panel and not recused)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from scoring.document import declaration as d
from scoring.document.checks.index import Index, PanelAt, entries, sound_entries
from scoring.document.checks.scheme import UNKNOWN_ASPECT, UNKNOWN_STAGE
from scoring.document.fields import fmt_decimal
from scoring.document.tolerant import Broken, field_of, sound
from scoring.i18n import N_
from scoring.rules.marks import highest_value
from scoring.rules.technical import GOE_BASIS, GOE_STEP, INVALID

UNKNOWN_GROUP = N_("unknown group %(code)s")
UNKNOWN_JUDGE = N_("unknown judge %(code)s")
UNKNOWN_CONTESTANT = N_("unknown contestant %(code)s")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The check character of a mainland resident ID number (GB 11643)."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def _id_number(entry: Any, p: str, ix: Index) -> None:
    id_number = field_of(entry, "id_number")
    if id_number and id_check_digit(id_number[:17]) != id_number[17]:
        ix.add(f"{p}.id_number", N_("the ID number's check digit is wrong"))


def _technical(values: dict[str, Decimal], p: str, ix: Index) -> None:
    """The reserved parameters of the technical panel (``scoring.rules.technical``)."""
    flag = values.get(INVALID)
    if flag is not None and flag not in (0, 1):
        ix.add(f"{p}.{INVALID}", N_("must be 1 (declared invalid) or 0"))
    for name in (GOE_BASIS, GOE_STEP):
        value = values.get(name)
        if value is not None and value <= 0:
            ix.add(f"{p}.{name}", N_("must be greater than 0"))


def check_people(doc: d.Document, ix: Index) -> None:
    codes: dict[str, int] = {}
    for i, entry in enumerate(entries(doc.contestants)):
        p = f"contestants[{i}]"
        code = field_of(entry, "lookup_code")
        if code and code in codes:
            ix.add(f"{p}.lookup_code", N_("the same lookup code as contestants[%(index)s]"), index=codes[code])
        elif code:
            codes[code] = i
        ix.resolves(ix.groups, field_of(entry, "group"), f"{p}.group", UNKNOWN_GROUP)
        _id_number(entry, p, ix)
        for aspect, values in (field_of(entry, "params") or {}).items():
            ix.resolves(ix.aspects, aspect, f"{p}.params.{aspect}", UNKNOWN_ASPECT)
            _technical(values, f"{p}.params.{aspect}", ix)
    for i, entry in enumerate(entries(doc.judges)):
        _id_number(entry, f"judges[{i}]", ix)


def check_panels(doc: d.Document, ix: Index) -> None:
    """Resolves the panels into ``ix.panels`` (None when one is broken: who marks what is unknown)."""
    covered: dict[tuple[str, str | None, str], str] = {}  # a session's own panel (场次) is its own cover
    resolved: list[PanelAt] = []
    for i, entry in enumerate(entries(doc.panels)):
        x = sound(entry)
        if x is None:
            ix.panels = None
            continue
        p = f"panels[{i}]"
        group = x.group if ix.resolves(ix.groups, x.group, f"{p}.group", UNKNOWN_GROUP) else None
        stage = x.stage if ix.resolves(ix.stages, x.stage, f"{p}.stage", UNKNOWN_STAGE) else None
        judges: list[str] = []
        for k, code in enumerate(x.judges):
            if not ix.resolves(ix.judges, code, f"{p}.judges[{k}]", UNKNOWN_JUDGE):
                continue
            if code in judges:
                ix.add(f"{p}.judges[{k}]", N_("judge %(code)s is listed twice"), code=code)
            else:
                judges.append(code)
        trainees = _trainees(x.trainees, judges, p, ix)
        aspects: list[str] = []
        for k, code in enumerate(x.aspects):
            if not ix.resolves(ix.aspects, code, f"{p}.aspects[{k}]", UNKNOWN_ASPECT):
                continue
            at = ix.aspects.get(code) if ix.aspects is not None else None
            if code in aspects:
                ix.add(f"{p}.aspects[{k}]", N_("aspect %(code)s is listed twice"), code=code)
                continue
            if at is not None and at.decl is not None and stage is not None and at.stage != stage:
                ix.add(
                    f"{p}.aspects[{k}]",
                    N_("aspect %(code)s belongs to stage %(aspect_stage)s, not %(stage)s"),
                    code=code,
                    aspect_stage=at.stage,
                    stage=stage,
                )
            aspects.append(code)
        if group is None or stage is None:
            continue
        if x.aspects:
            codes = aspects
        else:
            codes = [a.code for a in (ix.aspects or {}).values() if a.decl is not None and a.stage == stage]
        for code in codes:
            if (group, x.session, code) in covered:
                ix.add(
                    p,
                    N_("aspect %(code)s of group %(group)s is already marked by the panel at %(first)s"),
                    code=code,
                    group=group,
                    first=covered[(group, x.session, code)],
                )
            else:
                covered[(group, x.session, code)] = p
        resolved.append(PanelAt(group, stage, tuple(judges), tuple(aspects), tuple(trainees)))
    if ix.panels is not None and not isinstance(doc.panels, Broken):
        ix.panels = resolved
    else:
        ix.panels = None


def _trainees(codes: list[str], judges: list[str], p: str, ix: Index) -> list[str]:
    """A panel's trainees (见习裁判): known judges, each once, none also a counting judge of it."""
    out: list[str] = []
    for k, code in enumerate(codes):
        if not ix.resolves(ix.judges, code, f"{p}.trainees[{k}]", UNKNOWN_JUDGE):
            continue
        if code in out:
            ix.add(f"{p}.trainees[{k}]", N_("judge %(code)s is listed twice"), code=code)
        elif code in judges:
            ix.add(f"{p}.trainees[{k}]", N_("judge %(code)s is on this panel already, not as a trainee"), code=code)
        else:
            out.append(code)
    return out


def check_recusals(doc: d.Document, ix: Index) -> set[tuple[str, str]]:
    """The recusals as (judge, contestant) pairs, duplicates and unknown people reported."""
    seen: dict[tuple[str, str], str] = {}
    for p, r in sound_entries(doc.recusals, "recusals"):
        judge = ix.resolves(ix.judges, r.judge, f"{p}.judge", UNKNOWN_JUDGE)
        contestant = ix.resolves(ix.contestants, r.contestant, f"{p}.contestant", UNKNOWN_CONTESTANT)
        if not (judge and contestant):
            continue
        if (r.judge, r.contestant) in seen:
            ix.add(p, N_("this recusal is already listed at %(first)s"), first=seen[(r.judge, r.contestant)])
        else:
            seen[(r.judge, r.contestant)] = p
    return set(seen)


def check_draw(doc: d.Document, ix: Index) -> None:
    draw = doc.draw.repaired if isinstance(doc.draw, Broken) else doc.draw
    if draw is None:
        return
    group_of = groups_of(doc)
    drawn: dict[str, str] = {}
    codes: dict[str, str] = {}
    stations: dict[tuple[str, str, str], str] = {}
    for p, e in sound_entries(draw.entries, "draw.entries"):
        if ix.resolves(ix.contestants, e.contestant, f"{p}.contestant", UNKNOWN_CONTESTANT):
            if e.contestant in drawn:
                ix.add(
                    f"{p}.contestant",
                    N_("contestant %(code)s is already drawn at %(first)s"),
                    code=e.contestant,
                    first=drawn[e.contestant],
                )
            else:
                drawn[e.contestant] = f"{p}.contestant"
            key = (group_of.get(e.contestant, ""), e.session or "", e.station)  # a station per session
            if e.station and key in stations:
                ix.add(
                    f"{p}.station",
                    N_("station %(station)s is already drawn at %(first)s"),
                    station=e.station,
                    first=stations[key],
                )
            elif e.station:
                stations[key] = f"{p}.station"
        ix.unique(codes, e.code, f"{p}.code")


def groups_of(doc: d.Document) -> dict[str, str]:
    """Contestant code -> group code, for the contestants whose group is known."""
    out: dict[str, str] = {}
    for entry in entries(doc.contestants):
        code, group = field_of(entry, "code"), field_of(entry, "group")
        if code is not None and group is not None:
            out.setdefault(code, group)
    return out


def check_marks(doc: d.Document, ix: Index, recused: set[tuple[str, str]], strict: bool) -> None:
    """Every mark: its references, its value against its aspect's range and step, no duplicate,
    and (``strict``) by a judge on the panel for the aspect and not recused from the contestant."""
    group_of = groups_of(doc)
    limits = {
        code: (at.decl.min_value, highest_value(at.decl), at.decl.step)  # type: ignore[arg-type]
        for code, at in (ix.aspects or {}).items()
        if at.decl is not None
    }
    markers: dict[tuple[str, str], set[str]] | None = None
    if strict and ix.panels is not None:
        markers = defaultdict(set)
        for panel in ix.panels:
            codes = panel.aspects or [
                a.code for a in (ix.aspects or {}).values() if a.decl is not None and a.stage == panel.stage
            ]
            for code in codes:
                markers[(panel.group, code)].update(panel.judges + panel.trainees)
    contestants, aspects, judges = ix.contestants, ix.aspects, ix.judges
    seen: dict[tuple[str, str, str], int] = {}
    for i, m in enumerate(entries(doc.marks)):
        if type(m) is Broken:
            continue
        ok = True
        if contestants is not None and m.contestant not in contestants:
            ix.add(f"marks[{i}].contestant", UNKNOWN_CONTESTANT, code=m.contestant)
            ok = False
        if aspects is not None and m.aspect not in aspects:
            ix.add(f"marks[{i}].aspect", UNKNOWN_ASPECT, code=m.aspect)
            ok = False
        if judges is not None and m.judge not in judges:
            ix.add(f"marks[{i}].judge", UNKNOWN_JUDGE, code=m.judge)
            ok = False
        limit = limits.get(m.aspect)
        if limit is not None:
            _value(m.value, *limit, f"marks[{i}].value", ix)
        if not ok:
            continue
        key = (m.contestant, m.aspect, m.judge)
        if key in seen:
            ix.add(
                f"marks[{i}]",
                N_("duplicate mark: this contestant, aspect and judge are already marked at %(first)s"),
                first=f"marks[{seen[key]}]",
            )
            continue
        seen[key] = i
        group = group_of.get(m.contestant)
        if markers is not None and group and limit is not None and m.judge not in markers.get((group, m.aspect), ()):
            ix.add(
                f"marks[{i}].judge",
                N_("judge %(judge)s is not on a panel marking aspect %(aspect)s for group %(group)s"),
                judge=m.judge,
                aspect=m.aspect,
                group=group,
            )
        if strict and (m.judge, m.contestant) in recused:
            ix.add(
                f"marks[{i}].judge",
                N_("judge %(judge)s is recused from contestant %(contestant)s"),
                judge=m.judge,
                contestant=m.contestant,
            )


def _value(value: Decimal, low: Decimal, high: Decimal | None, step: Decimal, p: str, ix: Index) -> None:
    """One entry against its aspect: ``min_value + k × step`` up to the highest value (the same
    rule as ``scoring.rules.marks.check_mark_value``, which the tablets' API uses)."""
    if value < low or (high is not None and value > high):
        ix.add(
            p,
            N_("%(value)s is outside the allowed range %(min)s to %(max)s"),
            value=fmt_decimal(value),
            min=fmt_decimal(low),
            max=fmt_decimal(high) if high is not None else "∞",
        )
    elif (value - low) % step != 0:
        ix.add(
            p, N_("%(value)s is not a multiple of the step %(step)s"), value=fmt_decimal(value), step=fmt_decimal(step)
        )
