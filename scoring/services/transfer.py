"""Import and export of the portable competition document.

Why through the document: the archive, the CLI recompute and the server must mean the same
thing by every setting, so the database is filled from a validated document and exported
back to one. An import either fully succeeds or changes nothing (one transaction).

Rows and document entries are mapped through the document's declaration
(``scoring.document.declaration``): a table's columns are filled from the declared fields of the
same name, and an exported row is written under the declared fields it has
(``services.readside.build_document``), so a new field is declared once. Only the links between
rows (ids here, codes there) are written out below.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.document import declaration as d
from scoring.document import load_document
from scoring.document.typed import declared_of
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.services.audit import record
from scoring.services.lookup_codes import give_codes
from scoring.services.mark_batches import bulk_record
from scoring.services.readside import build_document


def import_document(
    engine: Engine, raw: dict, actor: str = "cli", replace: bool = False, keep_history: bool = False
) -> int:
    """Validate ``raw`` as a whole, then create the competition in one transaction; returns its id.

    Replacing a competition that has published results or issued certificates needs
    ``keep_history`` (the organizer's confirmation): its result versions, appeals, certificate
    templates, issued certificates and audit log then move to the new competition, so every
    serial and version number keeps its meaning. Without it the replace is refused and nothing changes.
    """
    doc = declared_of(load_document(raw))
    slug = doc.competition.slug
    with transaction(engine) as s:
        existing = s.exec(select(m.Competition).where(m.Competition.slug == slug)).first()
        kept: dict[str, int] = {}
        issued: list[m.Contestant] = []  # lookup codes given before: kept for the same people
        if existing is not None:
            if not replace:
                raise InvalidInput(
                    Problem(
                        "competition.slug", N_("A competition with the code %(slug)s already exists."), {"slug": slug}
                    )
                )
            kept = history_counts(s, existing.id)
            if (kept["versions"] or kept["certificates"]) and not keep_history:
                raise InvalidInput(Problem("replace", REPLACE_REFUSED, {"slug": slug, **kept}))
            issued = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == existing.id)))
            existing.slug = f"~replaced-{existing.id}"  # frees the code for the new competition
            s.add(existing)
            s.flush()
        comp_id = _insert(s, doc, issued)
        if existing is not None:
            _move_history(s, existing.id, comp_id)
            delete_competition(s, existing.id)
        record(
            s,
            comp_id,
            actor,
            "competition.replaced" if existing is not None else "competition.imported",
            slug,
            {"contestants": len(doc.contestants), "marks": len(doc.marks), **kept},
        )
    return comp_id


REPLACE_REFUSED = N_(
    "The competition %(slug)s has published results (versions: %(versions)s) and issued certificates "
    "(%(certificates)s). A replace keeps them, and every certificate number still verifies: confirm it "
    "(scoring import --replace --confirm-keep-history, or the console's confirmation)."
)

# What a replace keeps: a published promise (versions, certificates) and how it came about.
HISTORY = (m.ResultVersion, m.Certificate, m.Appeal, m.CertificateTemplate, m.AuditEvent)


def history_counts(s: Session, cid: int) -> dict[str, int]:
    """The published result versions and issued certificates a replace of ``cid`` would keep."""
    return {
        "versions": s.exec(select(func.count(m.ResultVersion.id)).where(m.ResultVersion.competition_id == cid)).one(),
        "certificates": s.exec(select(func.count(m.Certificate.id)).where(m.Certificate.competition_id == cid)).one(),
    }


def _move_history(s: Session, old: int, new: int) -> None:
    """Hand the old competition's history to its replacement (in the same transaction). The
    certificates keep the name the competition had when they were issued."""
    name = s.get(m.Competition, old).name
    s.execute(
        update(m.Certificate)
        .where(m.Certificate.competition_id == old, m.Certificate.competition_name == "")
        .values(competition_name=name)
    )
    for model in HISTORY:
        s.execute(update(model).where(model.competition_id == old).values(competition_id=new))
    # accounts limited to the competition (a chief judge, viewers, the clerks) follow it to its
    # replacement; an account tied to a judge follows the judge of the same code, if any
    judges = {j.code: j.id for j in s.exec(select(m.Judge).where(m.Judge.competition_id == new))}
    for user in s.exec(select(m.User).where(m.User.competition_id == old)):
        old_judge = s.get(m.Judge, user.judge_id) if user.judge_id is not None else None
        user.competition_id = new
        user.judge_id = judges.get(old_judge.code) if old_judge is not None else None
        s.add(user)
    s.flush()


def _row(table: type[SQLModel], entry: BaseModel, **links: Any) -> Any:
    """A new row of ``table`` from a declared entry: each column named like a declared field takes
    its value; settings kept as JSON (aggregation, rounding, params) are stored as the document
    writes them, and one the writer leaves out (at its default) takes the column's default."""
    written = entry.model_dump(mode="json")
    declared = type(entry).model_fields
    values = dict(links)
    for name, column in table.model_fields.items():
        if name in values or name not in declared:
            continue
        value = getattr(entry, name)
        plain = value is None or type(value) in (str, int, bool, Decimal)
        values[name] = value if plain else written.get(name, column.get_default(call_default_factory=True))
    return table(**values)


def _insert(s: Session, doc: d.Document, issued: list[m.Contestant]) -> int:
    comp = _row(m.Competition, doc.competition, rules=doc.rules.model_dump(mode="json"))
    s.add(comp)
    s.flush()
    cid = comp.id
    groups = {}
    for i, g in enumerate(doc.groups):
        groups[g.code] = _row(m.Group, g, competition_id=cid, position=i)
        s.add(groups[g.code])
    stages = {}
    for i, st in enumerate(doc.stages):
        stages[st.code] = _row(m.Stage, st, competition_id=cid, position=i)
        s.add(stages[st.code])
    s.flush()
    aspects: dict[str, m.Aspect] = {}
    position = [0]

    def walk(node: d.SubCriterion, parent: m.Criterion | None, stage_code: str) -> None:
        crit = _row(
            m.Criterion,
            node,
            competition_id=cid,
            stage_id=stages[stage_code].id,
            parent_id=parent.id if parent else None,
            position=position[0],
        )
        position[0] += 1
        s.add(crit)
        s.flush()
        for a in node.aspects:
            aspects[a.code] = _row(
                m.Aspect,
                a,
                competition_id=cid,
                stage_id=stages[stage_code].id,
                criterion_id=crit.id,
                position=position[0],
            )
            position[0] += 1
            s.add(aspects[a.code])
        for child in node.children:
            walk(child, crit, stage_code)

    for node in doc.scheme:
        walk(node, None, node.stage)
    contestants = {}
    for p in doc.contestants:
        contestants[p.code] = _row(m.Contestant, p, competition_id=cid, group_id=groups[p.group].id)
    give_codes(list(contestants.values()), issued)
    s.add_all(contestants.values())
    judges = {}
    for j in doc.judges:
        judges[j.code] = _row(m.Judge, j, competition_id=cid)
        s.add(judges[j.code])
    s.flush()
    for p in doc.panels:
        panel = _row(m.Panel, p, competition_id=cid, group_id=groups[p.group].id, stage_id=stages[p.stage].id)
        s.add(panel)
        s.flush()
        for code in p.judges:
            s.add(m.PanelJudge(panel_id=panel.id, judge_id=judges[code].id))
        for code in p.trainees:
            s.add(m.PanelJudge(panel_id=panel.id, judge_id=judges[code].id, trainee=True))
        for code in p.aspects:
            s.add(m.PanelAspect(panel_id=panel.id, aspect_id=aspects[code].id))
    for r in doc.recusals:
        s.add(
            _row(
                m.Recusal,
                r,
                competition_id=cid,
                judge_id=judges[r.judge].id,
                contestant_id=contestants[r.contestant].id,
            )
        )
    for i, sess in enumerate(doc.sessions):
        s.add(_row(m.StageSession, sess, competition_id=cid, stage_id=stages[sess.stage].id, position=i))
    if doc.draw is not None and doc.draw.entries:
        s.add(_row(m.Draw, doc.draw, competition_id=cid))
        for e in doc.draw.entries:
            s.add(_row(m.DrawEntry, e, competition_id=cid, contestant_id=contestants[e.contestant].id))
    bulk_record(
        s,
        cid,
        [(contestants[k.contestant].id, aspects[k.aspect].id, judges[k.judge].id, k.value) for k in doc.marks],
        entered_by="import",
    )
    s.flush()
    return cid


def delete_competition(s: Session, cid: int) -> None:
    """Remove a competition and everything under it (used by --replace of a whole document)."""
    panel_ids = [p.id for p in s.exec(select(m.Panel).where(m.Panel.competition_id == cid))]
    for model in (m.Mark, m.DrawEntry, m.Draw, m.Recusal):
        for row in s.exec(select(model).where(model.competition_id == cid)):
            s.delete(row)
    for pid in panel_ids:
        for model in (m.PanelJudge, m.PanelAspect):
            for row in s.exec(select(model).where(model.panel_id == pid)):
                s.delete(row)
    s.flush()
    for model in (m.Panel, m.Contestant, m.Judge, m.Aspect):
        for row in s.exec(select(model).where(model.competition_id == cid)):
            s.delete(row)
    s.flush()
    crits = list(s.exec(select(m.Criterion).where(m.Criterion.competition_id == cid)))
    for row in sorted(crits, key=lambda c: c.parent_id is None):  # children first
        s.delete(row)
        s.flush()
    for model in (m.StageSession, m.Stage, m.Group, m.AuditEvent):
        for row in s.exec(select(model).where(model.competition_id == cid)):
            s.delete(row)
    s.flush()
    s.delete(s.get(m.Competition, cid))
    s.flush()


def export_document(engine: Engine, cid: int, include_private: bool = True) -> dict:
    """The competition as a portable document (raw newest marks included)."""
    with reading(engine) as s:
        return build_document(s, cid, include_private=include_private)
