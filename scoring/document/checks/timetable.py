"""Cross-field checks of the timetable: sessions (场次) and withdrawals (弃权/缺考).

Sessions: codes unique, each of a declared stage and groups, and a drawn session names one of
them, of a group it admits. Withdrawals: the kind, reason and stage of a withdrawal say something
only about a withdrawn contestant (a reason on a contestant who competes is a typing slip that
would otherwise be kept silently and printed nowhere), and the stage must be declared."""

from __future__ import annotations

from scoring.document import declaration as d
from scoring.document.checks.index import Index, entries, sound_entries
from scoring.document.checks.people import UNKNOWN_GROUP, groups_of
from scoring.document.checks.scheme import UNKNOWN_STAGE
from scoring.document.tolerant import Broken, field_of
from scoring.i18n import N_

ONLY_WHEN_WITHDRAWN = N_("only for a withdrawn contestant (withdrawn: true)")


def check_withdrawals(doc: d.Document, ix: Index) -> None:
    for i, entry in enumerate(entries(doc.contestants)):
        p = f"contestants[{i}]"
        stage = field_of(entry, "withdrawn_stage")
        if not field_of(entry, "withdrawn"):
            for name in ("withdrawn_reason", "withdrawn_stage"):
                if field_of(entry, name):
                    ix.add(f"{p}.{name}", ONLY_WHEN_WITHDRAWN)
            if field_of(entry, "withdrawn_as") == "absent":
                ix.add(f"{p}.withdrawn_as", ONLY_WHEN_WITHDRAWN)
            continue
        ix.resolves(ix.stages, stage, f"{p}.withdrawn_stage", UNKNOWN_STAGE)


UNKNOWN_SESSION = N_("unknown session %(code)s")


def check_sessions(doc: d.Document, ix: Index) -> None:
    known = ix.codes(doc.sessions, "sessions")
    admits: dict[str, set[str]] = {}
    for p, sess in sound_entries(doc.sessions, "sessions"):
        ix.resolves(ix.stages, sess.stage, f"{p}.stage", UNKNOWN_STAGE)
        for i, g in enumerate(sess.groups):
            ix.resolves(ix.groups, g, f"{p}.groups[{i}]", UNKNOWN_GROUP)
        if sess.end is not None and sess.end <= sess.start:
            ix.add(f"{p}.end", N_("must be later than the start"))
        if len(set(sess.stations)) != len(sess.stations):
            ix.add(f"{p}.stations", N_("a station is listed twice"))
        admits[sess.code] = set(sess.groups)
    stage_of = {sess.code: sess.stage for _, sess in sound_entries(doc.sessions, "sessions")}
    for p, panel in sound_entries(doc.panels, "panels"):
        if panel.session is not None and ix.resolves(known, panel.session, f"{p}.session", UNKNOWN_SESSION):
            if stage_of.get(panel.session, panel.stage) != panel.stage:
                ix.add(
                    f"{p}.session",
                    N_("session %(code)s is not of stage %(stage)s"),
                    code=panel.session,
                    stage=panel.stage,
                )
    draw = doc.draw.repaired if isinstance(doc.draw, Broken) else doc.draw
    if draw is None:
        return
    group_of = groups_of(doc)
    for p, e in sound_entries(draw.entries, "draw.entries"):
        if e.session is None:
            continue
        if ix.resolves(known, e.session, f"{p}.session", UNKNOWN_SESSION):
            group = group_of.get(e.contestant)
            if admits.get(e.session) and group and group not in admits[e.session]:
                ix.add(f"{p}.session", N_("session %(code)s is not for group %(group)s"), code=e.session, group=group)
