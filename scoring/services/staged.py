"""Staged publication: one stage's results (e.g. theory) made public for one or every group
while the other stages are still being marked.

Why a result version like any other: a stage publication is a promise too. It gets the next
number (numbers are never reused across scopes), a content hash and its own public notice period
(公示); its content is cumulative (everything stage-published so far, so the newest version is
always the whole published truth and the diff between consecutive versions is meaningful). The
content carries the stage scores and the stage ranks of what it covers, never a total, an
overall rank, an award or a flag unless every stage of a group is covered. Before the draw map is
revealed (解密) it names contestants by their anonymous codes only: a name beside a published
score could be matched to the anonymous rows of a live board. The public read path
(``services.results``) asks ``visibility.stage_cut`` what to take from here.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import Conflict, InvalidInput, NotFound, Problem
from scoring.i18n import N_
from scoring.services import publication, staged_read, standings

_TOTAL_KEYS = ("rank", "total", "partial_total", "decided_by", "decided_by_text", "tied", "awards")


def stage_ranks(scores: dict[str, str | None]) -> dict[str, str]:
    """Pure: rank by one stage's score, higher first, ties share the best place (1, 1, 3)."""
    values = sorted((Decimal(v) for v in scores.values() if v is not None), reverse=True)
    first = {}
    for i, v in enumerate(values):
        first.setdefault(v, i + 1)
    return {code: str(first[Decimal(v)]) for code, v in scores.items() if v is not None}


def scoped_report(report: dict, covers: dict[str, list[str]], names: bool) -> dict:
    """Pure: the results report cut to ``covers`` (group -> stage codes); ``names`` False before the
    reveal (rows by anonymous code, no name, unit, region, station or team members)."""
    groups = []
    for g in report["groups"]:
        stages = covers.get(g["code"])
        if not stages:
            continue
        every = {st["code"] for st in g["stages"]} <= set(stages)
        ranks = {st: stage_ranks({r["code"]: r["stages"].get(st, {}).get("score") for r in g["rows"]}) for st in stages}
        rows = []
        for r in g["rows"]:
            row = {**r, "stages": {st: r["stages"].get(st, {"score": None, "weighted": None}) for st in stages}}
            row["stage_ranks"] = {st: ranks[st].get(r["code"]) for st in stages}
            if not every:
                row.update(rank=None, total=None, partial_total=None, decided_by=None, decided_by_text="")
                row.update(tied=False, awards=[], missing=[], rejected=[])
                row.pop("standardised", None)  # a scale over the totals tells of the other stages
                if row["status"] != "withdrawn":
                    done = all(v["score"] is not None for v in row["stages"].values())
                    row["status"] = "ranked" if done else "incomplete"
            if not names:
                row.update(code=r.get("label") or r["code"], name="", unit="", region="", station="")
                if "members" in row:  # a team entry's members are names too
                    row["members"] = []
            row.pop("label", None)
            rows.append(row)
        if not every:  # the order of the totals is not published: by the first covered stage
            first = stages[0]
            rows.sort(key=lambda x: (x["stage_ranks"].get(first) is None, int(x["stage_ranks"].get(first) or 0)))
        groups.append(
            {
                **{k: v for k, v in g.items() if every or k != "scale"},
                "stages": [st for st in g["stages"] if st["code"] in stages],
                "awards": g["awards"] if every else {},
                "ranked": sum(1 for r in rows if r["status"] == "ranked"),
                "rows": rows,
            }
        )
    whole = len(groups) == len(report["groups"]) and all(
        {st["code"] for st in g["stages"]} <= set(covers.get(g["code"], ())) for g in report["groups"]
    )
    return {
        **report,
        "complete": all(r["status"] != "incomplete" for g in groups for r in g["rows"]),
        "groups": groups,
        # team standings add up totals across groups: published only with every total they count
        "team_standings": report.get("team_standings", []) if whole else [],
        "flags": [],
    }


def scope_text(v: m.ResultVersion, locale: str | None) -> str:
    """A stage publication's scope for a reader: "Theory · 托育、美发" (names, not codes)."""
    from scoring.labels import joined, stage_label

    scope = v.scope or {}
    names = {g["code"]: g["name"] for g in v.content.get("groups", [])}
    stages = {st["code"]: st.get("name") for g in v.content.get("groups", []) for st in g.get("stages", [])}
    which = joined([stage_label(stages.get(c), c, locale) for c in scope.get("stages", [])], locale)
    return f"{which} · {joined([names.get(g, g) for g in scope.get('groups', [])], locale)}"


def _labelled(report: dict, labels: dict[str, str]) -> dict:
    """The report with each row's anonymous code as ``label`` (what ``scoped_report`` shows before the reveal)."""
    for g in report["groups"]:
        for r in g["rows"]:
            r["label"] = labels.get(r["code"], r["code"])
    return report


def correct_in(s: Session, cid: int, report: dict, actor: str, reason: str, labels: dict[str, str]):  # noqa: ANN201
    """Inside an upheld appeal's transaction while only stages are published: the next version
    republishes the same scope from the corrected ``report`` (same naming, so the diff shows the
    correction) and keeps the 公示 window it corrects. None when a full publication exists (the
    caller publishes everything as before)."""
    prev = publication.latest_version(s, cid)
    if prev is None or prev.scope is None or publication.latest_full_version(s, cid) is not None:
        return None
    names = prev.scope.get("names", True)
    content = scoped_report(_labelled(report, labels), prev.scope["covers"], names)
    if not content["complete"]:
        raise Conflict(N_("Some results are incomplete; every contestant needs all marks before publishing."))
    return publication.new_version(s, cid, content, actor, reason, None, "", scope=dict(prev.scope))


def _stage_groups(s: Session, cid: int, stage: str, group: str) -> tuple[m.Stage, list[str]]:
    st = s.exec(select(m.Stage).where(m.Stage.competition_id == cid, m.Stage.code == stage)).first()
    if st is None:
        raise NotFound(N_("Unknown stage."))
    codes = list(s.exec(select(m.Group.code).where(m.Group.competition_id == cid).order_by(m.Group.position)))
    if group:
        if group not in codes:
            raise NotFound(N_("Unknown group."))
        codes = [group]
    return st, codes


def blockers(engine: Engine, cid: int, stage: str, group: str = "") -> dict:
    """What blocks publishing ``stage`` for ``group`` (empty: every group): only that stage's lock
    and its missing results count, never the other stages'."""
    report = publication.current_report(engine, cid)
    with reading(engine) as s:
        st, codes = _stage_groups(s, cid, stage, group)
        aspects = set(s.exec(select(m.Aspect.code).where(m.Aspect.stage_id == st.id)))
        locked, name = st.state == "locked", st.name or st.code
        full = publication.latest_full_version(s, cid) is not None
    incomplete, missing, contestants = [], 0, 0
    for g in report["groups"]:
        if g["code"] not in codes:
            continue
        for r in g["rows"]:
            if r["status"] == "withdrawn":
                continue
            contestants += 1
            if r["stages"].get(stage, {}).get("score") is None:
                incomplete.append(r["code"])
                missing += sum(1 for a in r["missing"] + r["rejected"] if a in aspects) or 1
    return {
        "stage": stage,
        "stage_name": name,
        "groups": codes,
        "group_names": [g["name"] for g in report["groups"] if g["code"] in codes],
        "locked": locked,
        "contestants": contestants,
        "incomplete": incomplete,
        "missing": missing,
        "published_in_full": bool(full),
        "is_clear": locked and not incomplete and not full,
    }


def publish_stage(
    engine: Engine, cid: int, stage: str, group: str, actor: str, notice_days: int = publication.DEFAULT_NOTICE_DAYS
) -> int:
    """Publish ``stage`` for ``group`` (empty: every group) as the next result version; returns its number."""
    if not 0 <= notice_days <= 60:
        raise InvalidInput(Problem("notice_days", N_("The notice period is 0 to 60 days.")))
    from scoring.services.results import draw_labels, identities_revealed

    check = blockers(engine, cid, stage, group)
    if check["published_in_full"]:
        raise Conflict(N_("Every result is already published; a correction publishes a new full version."))
    if not check["locked"]:
        raise Conflict(N_("Lock the stage %(stage)s before publishing it."), stage=check["stage_name"])
    if check["incomplete"]:
        raise Conflict(
            N_("%(n)s contestants still have no result in stage %(stage)s."),
            n=len(check["incomplete"]),
            stage=check["stage_name"],
        )
    report = publication.current_report(engine, cid)
    names = identities_revealed(engine, cid)
    labels = {} if names else draw_labels(engine, cid)
    with transaction(engine) as s:
        # again inside the transaction: a stage unlocked or everything published meanwhile
        st, _codes = _stage_groups(s, cid, stage, group)
        if st.state != "locked" or publication.latest_full_version(s, cid) is not None:
            raise Conflict(N_("Lock the stage %(stage)s before publishing it."), stage=check["stage_name"])
        prev = publication.latest_version(s, cid)
        covers = {g: sorted(v) for g, v in publication.covers(prev.content if prev else None).items()}
        for g in check["groups"]:
            covers[g] = sorted({*covers.get(g, []), stage})
        order = [
            st.code for st in s.exec(select(m.Stage).where(m.Stage.competition_id == cid).order_by(m.Stage.position))
        ]
        covers = {g: [st for st in order if st in v] for g, v in covers.items()}
        scope = {"stages": [stage], "groups": check["groups"], "covers": covers, "names": names}
        content = scoped_report(_labelled(report, labels), covers, names)
        if (
            prev is not None
            and prev.scope is not None
            and publication.covers(prev.content) == {g: set(v) for g, v in covers.items()}
        ):
            if {k: v for k, v in prev.content.items() if k not in ("number", "reason", "scope")} == content:
                raise Conflict(N_("Nothing changed since version %(number)s."), number=prev.number)
        row = publication.new_version(s, cid, content, actor, "stage publication", notice_days, "", scope=scope)
        version = standings.bump(s, cid)
        number = row.number
    standings.announce(cid, version)
    staged_read.forget()
    return number
