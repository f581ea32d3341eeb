"""Read path for standings: computed once per version, cut to what an audience may see.

Why a "full" payload and a cut: the full payload (everything the organizer may see, minus
personal data) is built once per standings version and shared by every reader; the frozen
snapshot stores the same shape at freeze time. ``visible_standings`` then removes what the
visibility policy forbids. Pages, the API, the socket layer and exports all come through here.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.document.model import public_members
from scoring.document.report import decided_by_text
from scoring.document.team_report import localized, team_report
from scoring.i18n import LOCALES, N_, translate
from scoring.labels import joined, stage_label
from scoring.models.types import utcnow
from scoring.services import standings as standings_service
from scoring.services.withdrawals import OUT, out_row
from scoring.visibility import PUBLIC_AUDIENCES, Audience, View, shows_team_standings, view_for

STATE_LABELS = {
    "embargoed": N_("Embargoed: nothing is public yet"),
    "live": N_("Live (provisional)"),
    "frozen": N_("Frozen"),
    "published": N_("Final results"),
}

_full_cache: dict[tuple[int, int], tuple[int, dict]] = {}  # (engine, competition) -> (version, full)
_full_lock = threading.Lock()


def identities_revealed(engine: Engine, cid: int) -> bool:
    with reading(engine) as s:
        draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
    return draw is None or draw.revealed_at is not None


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def full_payload(engine: Engine, cid: int) -> tuple[int, dict] | None:
    """(version, everything an organizer may see) for the current version, built once per version."""
    computed = standings_service.computed(engine, cid)
    if computed is None:
        return None
    version, doc, standings = computed
    hit = _full_cache.get((id(engine), cid))
    if hit is not None and hit[0] == version:
        return hit
    full = build_full(doc, standings)
    with _full_lock:
        _full_cache[(id(engine), cid)] = (version, full)
    return version, full


def build_full(doc, standings) -> dict:
    percent = doc.rules.weight_kind.value == "percent"
    full: dict = {
        "computed_at": utcnow().isoformat(),
        "stages": [
            {
                "code": st.code,
                "name": st.name or st.code,
                "weight_label": f"{_fmt(st.weight)}%" if percent else f"×{_fmt(st.weight)}",
            }
            for st in doc.stages
        ],
        "groups": [],
        "flags": [
            {
                "kind": f.kind,
                "contestant": f.contestant,
                "aspect": f.aspect,
                "judge": f.judge,
                "reason": f.reason,
                "detail": dict(f.detail),
            }
            for f in standings.flags
        ],
    }
    # 团体总分: one language stored; ``localized`` gives the words of each reader's language
    full["team_standings"] = team_report(doc, standings.groups, LOCALES[0])
    people = {c.code: c for c in doc.contestants}
    scaled = doc.rules.standardisation is not None  # rules.standardise: the cross-group scale
    codes = {e.contestant: e.code for e in (doc.draw.entries if doc.draw else ())}
    seated = {e.contestant: e.session for e in (doc.draw.entries if doc.draw else ()) if e.session}
    texts: dict[str | None, dict[str, str]] = {}  # a deciding rule's words, made once per rule, not per row

    def decided(rule: str | None) -> dict[str, str]:
        if rule not in texts:
            texts[rule] = {loc: decided_by_text(doc, rule, loc) for loc in LOCALES}
        return texts[rule]

    for group in doc.groups:
        gs = standings.groups.get(group.code)
        if gs is None:
            continue
        rows = []
        for row in gs.rows:
            person = people.get(row.contestant)
            rows.append(
                {
                    "code": row.contestant,
                    "label": codes.get(row.contestant, row.contestant),
                    "rank": None if row.rank is None else _fmt(row.rank),
                    "total": _fmt(row.total),
                    **({"standardised": _fmt(row.standardised)} if scaled else {}),  # beside the total
                    "stages": {k: _fmt(v.value) for k, v in row.stages.items()},
                    "awards": list(row.awards),
                    "tied": row.tied,
                    "name": person.name if person else "",
                    "unit": person.unit if person else "",
                    "region": person.region if person else "",
                    **({"members": public_members(person)} if person and person.members else {}),
                    "decided_by": row.decided_by,
                    "decided_by_texts": decided(row.decided_by),
                    "session": seated.get(row.contestant),
                }
            )
        rows += [out_row(c, codes, seated) for c in doc.contestants if c.withdrawn and c.group == group.code]
        full["groups"].append({"code": group.code, "name": group.name, "rows": rows})
    return full


PUBLIC_ROW_KEYS = ("code", "label", "rank", "total", "stages", "awards", "tied")


def cut_row(row: dict, view: View, locale: str | None) -> dict:
    """One row as an audience may see it: names only when allowed, tie-break reasons only for officials."""
    out = {k: row.get(k) for k in PUBLIC_ROW_KEYS}
    if not view.names:
        # Before the draw map is revealed a contestant is their anonymous code, nothing else.
        out["code"] = row.get("label")
    else:
        out.update(name=row.get("name", ""), unit=row.get("unit", ""), region=row.get("region", ""))
        if row.get("members"):  # a team's members: named only where names are (never before the reveal)
            out["members"] = row["members"]
    if view.flags:
        out["decided_by"] = row.get("decided_by")
        texts = row.get("decided_by_texts") or {}
        out["decided_by_text"] = texts.get(locale or "zh_Hans_CN") or texts.get("zh_Hans_CN", "")
    for extra in (
        "standardised",
        "revealed",
        "pending",
        "current",
        "stage_ranks",
        "status",
        "reason",
        "out_stage",
        "session",
    ):
        if extra in row:
            out[extra] = row[extra]
    return out


def cut_teams(section: list[dict], view: View, locale: str | None) -> list[dict]:
    """Team standings as an audience may see them: in its language; the deciding rule only for
    officials (as for the individual rows)."""
    out = localized(section, locale)
    if not view.flags:
        out = [
            {
                **ts,
                "rows": [
                    {k: v for k, v in r.items() if k not in ("decided_by", "decided_by_text")} for r in ts["rows"]
                ],
            }
            for ts in out
        ]
    return out


def visible_version(comp: m.Competition, audience: Audience | str) -> int:
    """The standings version as ``audience`` knows it: the one version rule for the HTTP payload,
    the socket snapshot and the pushes.

    Why: a version that moved with every committed mark would tell an embargoed or frozen board
    (and anyone polling it) that marks are coming in. An audience that sees live standings knows
    every version; one that sees nothing (embargo) or the stored snapshot (freeze) knows only the
    version of the last change that was not just marks (``config_version``: services.standings.bump
    sets it to the version that change made). Visibility, the reveal steps and the draw reveal are
    such changes, so the version still moves forward whenever what that audience sees changes,
    and never goes back: it is always one of the competition's versions, at most the newest.
    """
    if view_for(audience, comp.visibility).source == "live":
        return comp.standings_version
    return min(comp.config_version, comp.standings_version)


def visible_standings(
    engine: Engine, cid: int, audience: Audience, locale: str | None = None, group: str | None = None
) -> dict:
    """The payload an audience may see now; ``group`` limits it to one group's rows."""
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        snapshot = None
        reveals: list[m.Reveal] = []
        if comp is not None and comp.visibility == "frozen":
            snapshot = s.exec(
                select(m.FrozenSnapshot)
                .where(m.FrozenSnapshot.competition_id == cid)
                .order_by(m.FrozenSnapshot.id.desc())
                .limit(1)
            ).first()
            reveals = list(s.exec(select(m.Reveal).where(m.Reveal.competition_id == cid, m.Reveal.active.is_(True))))
    view = view_for(audience, comp.visibility, identities_revealed(engine, cid))
    payload: dict = {
        "competition": {"slug": comp.slug, "name": comp.name, "organizer": comp.organizer},
        "version": visible_version(comp, audience),
        "state": comp.visibility,
        "state_label": translate(STATE_LABELS.get(comp.visibility, comp.visibility), locale),
        "final": view.final,
        "view": {**asdict(view), "source": view.source},
        "updated_at": None,
        "stages": [],
        "groups": [],
        "flags": [],
        "team_standings": [],
        "reveal": None,
    }
    # A stage publication in force (services.staged): the public's columns per visibility.stage_cut.
    layer: dict = {}
    if Audience(audience) in PUBLIC_AUDIENCES and comp.visibility != "published":
        from scoring.services import staged_read

        layer = staged_read.published_layer(engine, cid, lambda: draw_labels(engine, cid))
    full: dict | None = None
    if view.source == "frozen" and snapshot is not None:
        full = snapshot.payload
        payload["updated_at"] = snapshot.frozen_at.isoformat() if snapshot.frozen_at else None
        if view.reveal and reveals:
            full = _with_reveals(full, reveals, payload)
    elif view.source == "live":
        got = full_payload(engine, cid)
        if got is None:
            return payload
        version, full = got
        payload["version"] = max(payload["version"], version)
        payload["updated_at"] = full.get("computed_at")
    if layer:
        return _with_stage_publication(engine, cid, payload, full, layer, audience, comp.visibility, locale, group)
    if full is None:  # embargoed, or frozen without a stored snapshot: show nothing rather than guess
        return payload
    # stage names in the reader's language (boards and phones re-render from this payload)
    payload["stages"] = _stages_in(full, locale)
    for g in full.get("groups", []):
        if group and g["code"] != group:
            continue
        payload["groups"].append(
            {"code": g["code"], "name": g["name"], "rows": [cut_row(r, view, locale) for r in g["rows"]]}
        )
    if shows_team_standings(view, reveal_running=view.source == "frozen" and view.reveal and bool(reveals)):
        payload["team_standings"] = cut_teams(full.get("team_standings", []), view, locale)
    if view.flags:
        # Before the reveal a flag names its contestant by the anonymous code, like the rows do.
        shown = (lambda code: code) if view.names else _labels_of(full).get
        payload["flags"] = [
            {
                "kind": f["kind"],
                "contestant": shown(f["contestant"]) or "",
                "aspect": f["aspect"],
                "judge": f["judge"],
                "message": translate(f["reason"], locale, **f["detail"]),
            }
            for f in full.get("flags", [])
        ]
    return payload


def _stages_in(full: dict, locale: str | None, only: set[str] | None = None) -> list[dict]:
    return [
        {**st, "name": stage_label(st.get("name"), st["code"], locale)}
        for st in full.get("stages", [])
        if only is None or st["code"] in only
    ]


def _with_stage_publication(engine, cid, payload, full, layer, audience, state, locale, group) -> dict:  # noqa: ANN001
    """The public payload while a stage publication is in force: published stages as published,
    the rest as the state shows them, the totals only when every stage of a group is published.
    Flags never (the public never sees them)."""
    from scoring.services import staged_read

    got = full_payload(engine, cid)
    if got is None:
        return payload
    revealed = identities_revealed(engine, cid)
    view = View(True, True, revealed, False, False, False)
    payload["groups"] = staged_read.public_groups(
        full, got[1], layer, audience, state, group, lambda r: cut_row(r, view, locale)
    )
    shown = {st for g in payload["groups"] for r in g["rows"] for st in r["stages"]}
    shown |= {st for g in payload["groups"] for st in g["published_stages"]}
    payload["stages"] = _stages_in(got[1], locale, shown)
    published = {st for g in payload["groups"] for st in g["published_stages"]}
    for st in payload["stages"]:
        st["published"] = st["code"] in published
    names = {st["code"]: st["name"] for st in payload["stages"]}
    for g in payload["groups"]:
        g["ranked_by"] = {"code": g["ranked_by"], "name": names[g["ranked_by"]]} if g["ranked_by"] else None
    if published:
        which = joined([names[c] for c in names if c in published], locale)
        payload["state_label"] = (
            translate(N_("%(stages)s published; the rest is not public yet"), locale, stages=which)
            if state == "embargoed"
            else f"{translate(N_('%(stages)s published'), locale, stages=which)} · {payload['state_label']}"
        )
    payload["view"] = {**payload["view"], "standings": bool(payload["groups"]), "names": revealed}
    if payload["view"]["source"] == "none" or full is None:
        payload["view"]["source"] = "published"
    return payload


def _labels_of(full: dict) -> dict[str, str]:
    return {r["code"]: r.get("label") or r["code"] for g in full.get("groups", []) for r in g["rows"]}


def draw_labels(engine: Engine, cid: int) -> dict[str, str]:
    """Contestant code -> the anonymous code the draw gave them (the code itself without a draw)."""
    with reading(engine) as s:
        people = s.exec(
            select(m.Contestant.code, m.DrawEntry.code)
            .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Contestant.id, isouter=True)
            .where(m.Contestant.competition_id == cid)
        ).all()
    return {code: label or code for code, label in people}


def by_anonymous_code(rows: list[dict], labels: dict[str, str]) -> list[dict]:
    """Rows that name a contestant by ``code`` and ``name``, as the anonymous code alone: what
    the console shows an audience that may not see names yet (the chief judge before the reveal)."""
    return [
        {**{k: v for k, v in r.items() if k != "members"}, "code": labels.get(r["code"], r["code"]), "name": ""}
        for r in rows
    ]


def contestant_code(engine: Engine, cid: int, ref: str) -> str:
    """A contestant named by code or by anonymous code, as its code (unknown refs come back as given)."""
    labels = draw_labels(engine, cid)
    if ref in labels:
        return ref
    return next((code for code, label in labels.items() if label == ref), ref)


def _with_reveals(frozen: dict, reveals: list[m.Reveal], payload: dict) -> dict:
    """Frozen rows on top, final rows revealed from the bottom up (the ICPC resolver's order)."""
    by_group = {r.group_code: r for r in reveals}
    groups = []
    for g in frozen.get("groups", []):
        reveal = by_group.get(g["code"])
        if reveal is None:
            groups.append(g)
            continue
        final_rows = reveal.final.get("rows", [])
        step = max(0, min(reveal.step, len(final_rows)))
        shown = final_rows[len(final_rows) - step :] if step else []
        shown_codes = {r["code"] for r in shown}
        out = [r for r in g["rows"] if r.get("status") in OUT]  # 弃权/缺考: listed under, never revealed
        pending = [
            {**r, "pending": True, "awards": []}
            for r in g["rows"]
            if r["code"] not in shown_codes and r.get("status") not in OUT
        ]
        revealed = [{**r, "revealed": True} for r in shown]
        if revealed:
            revealed[0] = {**revealed[0], "current": True}
        groups.append({**g, "rows": pending + revealed + out})
        current = shown[0] if shown else None
        payload["reveal"] = {
            "group": g["code"],
            "step": step,
            "total": len(final_rows),
            "done": step >= len(final_rows),
            "current": current["label"] if current else None,
            "awards": list(current["awards"]) if current else [],
        }
    return {**frozen, "groups": groups}
