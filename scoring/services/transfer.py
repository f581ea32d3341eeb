"""Import and export of the portable competition document.

Why through the document: the archive, the CLI recompute and the server must mean the same
thing by every setting, so the database is filled from a validated document and exported
back to one. An import either fully succeeds or changes nothing (one transaction).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.document import dump_document, load_document
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.services.audit import record


def import_document(engine: Engine, raw: dict, actor: str = "cli", replace: bool = False) -> int:
    """Validate ``raw`` as a whole, then create the competition in one transaction; returns its id."""
    doc = dump_document(load_document(raw))
    slug = doc["competition"]["slug"]
    with transaction(engine) as s:
        existing = s.exec(select(m.Competition).where(m.Competition.slug == slug)).first()
        if existing is not None:
            if not replace:
                raise InvalidInput(Problem("competition.slug", N_("A competition with the code %(slug)s already exists."),
                                           {"slug": slug}))
            delete_competition(s, existing.id)
        comp_id = _insert(s, doc)
        record(s, comp_id, actor, "competition.imported", slug,
               {"contestants": len(doc.get("contestants", [])), "marks": len(doc.get("marks", []))})
    return comp_id


def _dec(v: Any) -> Decimal | None:
    return None if v is None or v == "" else Decimal(str(v))


def _insert(s: Session, doc: dict) -> int:
    c = doc["competition"]
    comp = m.Competition(slug=c["slug"], name=c["name"], organizer=c.get("organizer", ""), date=c.get("date", ""),
                         venue=c.get("venue", ""), timezone=c.get("timezone", "Asia/Shanghai"),
                         locale=c.get("locale", "zh_Hans_CN"), rules=doc.get("rules", {}),
                         visibility=c.get("visibility", "embargoed"))
    s.add(comp)
    s.flush()
    cid = comp.id
    groups = {}
    for i, g in enumerate(doc.get("groups", [])):
        row = m.Group(competition_id=cid, code=g["code"], name=g.get("name", g["code"]), event=g.get("event", ""), position=i)
        s.add(row)
        groups[g["code"]] = row
    stages = {}
    for i, st in enumerate(doc.get("stages", [])):
        row = m.Stage(competition_id=cid, code=st["code"], name=st.get("name", ""), weight=_dec(st.get("weight", 100)),
                      max_mark=_dec(st.get("max_mark", 100)), max_weight=_dec(st.get("max_weight")),
                      aggregation=st.get("aggregation"), rounding=st.get("rounding"),
                      weighted_rounding=st.get("weighted_rounding"), position=i, state=st.get("state", "open"))
        s.add(row)
        stages[st["code"]] = row
    s.flush()
    aspects: dict[str, m.Aspect] = {}
    position = [0]

    def walk(node: dict, parent: m.Criterion | None, stage_code: str | None) -> None:
        stage_code = node.get("stage") or stage_code
        crit = m.Criterion(competition_id=cid, stage_id=stages[stage_code].id, parent_id=parent.id if parent else None,
                           code=node["code"], name=node.get("name", ""), position=position[0])
        position[0] += 1
        s.add(crit)
        s.flush()
        for a in node.get("aspects", []):
            row = m.Aspect(competition_id=cid, stage_id=stages[a.get("stage") or stage_code].id, criterion_id=crit.id,
                           code=a["code"], name=a.get("name", ""), type=a.get("type", "measurement"),
                           max_mark=_dec(a["max_mark"]), step=_dec(a.get("step", "0.01")),
                           min_value=_dec(a.get("min_value", 0)), max_value=_dec(a.get("max_value")),
                           scale_max=_dec(a.get("scale_max", 3)), descriptors=list(a.get("descriptors", [])),
                           aggregation=a.get("aggregation"), time_target=_dec(a.get("time_target")),
                           time_limit=_dec(a.get("time_limit")), position=position[0])
            position[0] += 1
            s.add(row)
            aspects[a["code"]] = row
        for child in node.get("children", []):
            walk(child, crit, stage_code)

    for node in doc.get("scheme", []):
        walk(node, None, None)
    contestants = {}
    for p in doc.get("contestants", []):
        row = m.Contestant(competition_id=cid, group_id=groups[p["group"]].id, code=p["code"], name=p["name"],
                           gender=p.get("gender", ""), unit=p.get("unit", ""), region=p.get("region", ""),
                           id_number=p.get("id_number", ""), phone=p.get("phone", ""), params=p.get("params", {}),
                           withdrawn=bool(p.get("withdrawn", False)))
        s.add(row)
        contestants[p["code"]] = row
    judges = {}
    for j in doc.get("judges", []):
        row = m.Judge(competition_id=cid, code=j["code"], name=j["name"], role=j.get("role", "judge"),
                      unit=j.get("unit", ""), region=j.get("region", ""))
        s.add(row)
        judges[j["code"]] = row
    s.flush()
    for p in doc.get("panels", []):
        panel = m.Panel(competition_id=cid, group_id=groups[p["group"]].id, stage_id=stages[p["stage"]].id,
                        name=p.get("name", ""))
        s.add(panel)
        s.flush()
        for code in p.get("judges", []):
            s.add(m.PanelJudge(panel_id=panel.id, judge_id=judges[code].id))
        for code in p.get("aspects", []):
            s.add(m.PanelAspect(panel_id=panel.id, aspect_id=aspects[code].id))
    for r in doc.get("recusals", []):
        s.add(m.Recusal(competition_id=cid, judge_id=judges[r["judge"]].id,
                        contestant_id=contestants[r["contestant"]].id, reason=r.get("reason", "")))
    draw = doc.get("draw") or {}
    if draw.get("entries"):
        s.add(m.Draw(competition_id=cid, seed=str(draw.get("seed", "")), map_hash=draw.get("map_hash", "")))
        for e in draw["entries"]:
            s.add(m.DrawEntry(competition_id=cid, contestant_id=contestants[e["contestant"]].id,
                              station=str(e.get("station", "")), code=e["code"]))
    from scoring.services.marks import bulk_record

    bulk_record(s, cid, [
        (contestants[k["contestant"]].id, aspects[k["aspect"]].id, judges[k["judge"]].id, _dec(k["value"]))
        for k in doc.get("marks", [])
    ], entered_by="import")
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
    for model in (m.Stage, m.Group, m.AuditEvent):
        for row in s.exec(select(model).where(model.competition_id == cid)):
            s.delete(row)
    s.flush()
    s.delete(s.get(m.Competition, cid))
    s.flush()


def _s(v: Decimal | None) -> str | None:
    return None if v is None else format(v, "f")


def export_document(engine: Engine, cid: int, include_private: bool = True) -> dict:
    """The competition as a portable document (raw newest marks included)."""
    with reading(engine) as s:
        return build_document(s, cid, include_private=include_private)


def build_document(s: Session, cid: int, include_private: bool = True, include_marks: bool = True) -> dict:
    comp = s.get(m.Competition, cid)
    groups = list(s.exec(select(m.Group).where(m.Group.competition_id == cid).order_by(m.Group.position)))
    stages = list(s.exec(select(m.Stage).where(m.Stage.competition_id == cid).order_by(m.Stage.position)))
    stage_code = {st.id: st.code for st in stages}
    group_code = {g.id: g.code for g in groups}
    crits = list(s.exec(select(m.Criterion).where(m.Criterion.competition_id == cid).order_by(m.Criterion.position)))
    aspects = list(s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid).order_by(m.Aspect.position)))
    by_crit: dict[int | None, list[m.Aspect]] = {}
    for a in aspects:
        by_crit.setdefault(a.criterion_id, []).append(a)
    children: dict[int | None, list[m.Criterion]] = {}
    for c in crits:
        children.setdefault(c.parent_id, []).append(c)

    def crit_doc(c: m.Criterion) -> dict:
        d: dict[str, Any] = {"code": c.code, "name": c.name}
        if c.parent_id is None:
            d["stage"] = stage_code[c.stage_id]
        d["aspects"] = [aspect_doc(a) for a in by_crit.get(c.id, [])]
        kids = children.get(c.id, [])
        if kids:
            d["children"] = [crit_doc(k) for k in kids]
        return d

    contestants = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid).order_by(m.Contestant.id)))
    ccode = {p.id: p.code for p in contestants}
    judges = list(s.exec(select(m.Judge).where(m.Judge.competition_id == cid).order_by(m.Judge.id)))
    jcode = {j.id: j.code for j in judges}
    acode = {a.id: a.code for a in aspects}
    panels = []
    for p in s.exec(select(m.Panel).where(m.Panel.competition_id == cid).order_by(m.Panel.id)):
        pj = [jcode[r.judge_id] for r in s.exec(select(m.PanelJudge).where(m.PanelJudge.panel_id == p.id))]
        pa = [acode[r.aspect_id] for r in s.exec(select(m.PanelAspect).where(m.PanelAspect.panel_id == p.id))]
        d = {"group": group_code[p.group_id], "stage": stage_code[p.stage_id], "judges": sorted(pj, key=_judge_order(judges))}
        if p.name:
            d["name"] = p.name
        if pa:
            d["aspects"] = pa
        panels.append(d)

    def person(p: m.Contestant) -> dict:
        d: dict[str, Any] = {"code": p.code, "name": p.name, "group": group_code[p.group_id], "gender": p.gender,
                             "unit": p.unit, "region": p.region}
        if include_private:
            d["id_number"] = p.id_number
            d["phone"] = p.phone
        if p.params:
            d["params"] = p.params
        if p.withdrawn:
            d["withdrawn"] = True
        return d

    draw_row = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).first()
    entries = list(s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid).order_by(m.DrawEntry.id)))
    doc: dict[str, Any] = {
        "format": "scoring-competition",
        "version": 1,
        "competition": {"slug": comp.slug, "name": comp.name, "organizer": comp.organizer, "date": comp.date,
                        "venue": comp.venue, "timezone": comp.timezone, "locale": comp.locale},
        "rules": comp.rules or {},
        "groups": [{"code": g.code, "name": g.name, "event": g.event} for g in groups],
        "stages": [_stage_doc(st) for st in stages],
        "scheme": [crit_doc(c) for c in children.get(None, [])],
        "contestants": [person(p) for p in contestants],
        "judges": [{"code": j.code, "name": j.name, "role": j.role, "unit": j.unit, "region": j.region} for j in judges],
        "panels": panels,
        "recusals": [{"judge": jcode[r.judge_id], "contestant": ccode[r.contestant_id], "reason": r.reason}
                     for r in s.exec(select(m.Recusal).where(m.Recusal.competition_id == cid).order_by(m.Recusal.id))],
    }
    if entries:
        doc["draw"] = {"seed": draw_row.seed if draw_row else "",
                       "entries": [{"contestant": ccode[e.contestant_id], "station": e.station, "code": e.code}
                                   for e in entries]}
    from scoring.services.marks import current_marks

    if not include_marks:
        doc["marks"] = []
        return doc
    doc["marks"] = [{"contestant": ccode[k.contestant_id], "aspect": acode[k.aspect_id], "judge": jcode[k.judge_id],
                     "value": _s(k.value)} for k in current_marks(s, cid)]
    return doc


def aspect_doc(a: m.Aspect) -> dict:
    """An aspect row as the document writes it (also used to rebuild the engine's Aspect)."""
    d: dict[str, Any] = {"code": a.code, "name": a.name, "type": a.type, "max_mark": _s(a.max_mark), "step": _s(a.step)}
    if a.min_value:
        d["min_value"] = _s(a.min_value)
    if a.max_value is not None:
        d["max_value"] = _s(a.max_value)
    if a.type == "judgement":
        d["scale_max"] = _s(a.scale_max)
    if a.descriptors:
        d["descriptors"] = a.descriptors
    if a.aggregation:
        d["aggregation"] = a.aggregation
    if a.time_target is not None:
        d["time_target"] = _s(a.time_target)
    if a.time_limit is not None:
        d["time_limit"] = _s(a.time_limit)
    return d


def _judge_order(judges: list[m.Judge]):
    order = {j.code: i for i, j in enumerate(judges)}
    return lambda code: order.get(code, 0)


def _stage_doc(st: m.Stage) -> dict:
    d: dict[str, Any] = {"code": st.code, "name": st.name, "weight": _s(st.weight), "max_mark": _s(st.max_mark)}
    if st.max_weight is not None:
        d["max_weight"] = _s(st.max_weight)
    for key in ("aggregation", "rounding", "weighted_rounding"):
        if getattr(st, key):
            d[key] = getattr(st, key)
    return d
