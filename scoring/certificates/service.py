"""Issuing, revoking and printing certificates, and the organizer's templates.

Why issue at publication: a certificate certifies a published result version, so it is
created in the same transaction as the version, with a serial that never changes. An upheld
appeal that changes a contestant's awards revokes their old certificate (kept, marked
revoked, pointing at its replacement) and issues a new one.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from scoring import jobs
from scoring import models as m
from scoring.certificates import printing
from scoring.certificates.delegations import reissue_delegations
from scoring.certificates.render import CertificateData, certificates_pdf
from scoring.db import make_engine, reading, transaction
from scoring.errors import InvalidInput, Problem
from scoring.i18n import N_
from scoring.services.audit import record

TEMPLATE_FIELDS = ("title", "wording", "body", "issuer", "date_text", "signatory", "serial_prefix")


def _prefix(s: Session, cid: int) -> str:
    """The organizer's prefix, else the one this competition's serials already have (its id may
    have changed in a replace), else ZS + year + id."""
    comp = s.get(m.Competition, cid)
    tpl = s.exec(
        select(m.CertificateTemplate).where(
            m.CertificateTemplate.competition_id == cid, m.CertificateTemplate.award == ""
        )
    ).first()
    if tpl is not None and tpl.serial_prefix:
        return tpl.serial_prefix
    first = s.exec(
        select(m.Certificate.serial).where(m.Certificate.competition_id == cid).order_by(m.Certificate.id)
    ).first()
    if first is not None and re.fullmatch(r".*\D\d+", first):
        return re.sub(r"\d+$", "", first)
    year = (comp.date or "")[:4] if (comp.date or "")[:4].isdigit() else str(m.utcnow().year)
    return f"ZS{year}{cid:02d}-"


def _next_serial(s: Session, cid: int) -> str:
    """One more than the highest number ever issued under the prefix (in any competition, revoked
    or valid): a serial is never given twice, so it always means the same holder."""
    prefix = _prefix(s, cid)
    pattern = re.compile(re.escape(prefix) + r"(\d+)")
    taken = s.exec(select(m.Certificate.serial).where(m.Certificate.serial.startswith(prefix, autoescape=True)))
    n = max((int(mt.group(1)) for x in taken if (mt := pattern.fullmatch(x))), default=0)
    while True:
        n += 1
        serial = f"{prefix}{n:04d}"
        if s.exec(select(m.Certificate.id).where(m.Certificate.serial == serial)).first() is None:
            return serial


def _awards(content: dict | None) -> dict[str, dict]:
    """(contestant code) -> {"awards": [...], "row": row, "group": group} of a published content."""
    out = {}
    for g in (content or {}).get("groups", []):
        for r in g["rows"]:
            out[r["code"]] = {"awards": list(r.get("awards") or []), "row": r, "group": g}
    return out


def holders(row: dict) -> list[tuple[str, str, str]]:
    """Who holds a row's certificates as (name, unit, team): the contestant, or each member of a
    team entry (团体项目), every one with a certificate (and serial) of their own naming the team."""
    members = row.get("members") or []
    if not members:
        return [(row["name"], row.get("unit", ""), "")]
    return [(p["name"], p.get("unit", ""), row["name"]) for p in members]


def successor(new_serials: dict[tuple[str, str], str], name: str, award: str) -> str:
    """The serial that replaces a revoked certificate: the same holder's for the same award, else
    the same holder's (a team member keeps to their own), else the award's, else the first new one."""
    if (name, award) in new_serials:
        return new_serials[(name, award)]
    return next(
        (v for (n, _a), v in new_serials.items() if n == name),
        next((v for (_n, a), v in new_serials.items() if a == award), next(iter(new_serials.values()), "")),
    )


def reissue_for_version(s: Session, cid: int, old: dict | None, new: dict, actor: str) -> dict:
    """Inside the publication transaction: issue for the first version; afterwards revoke and reissue
    the certificates of contestants whose awards (or name) changed, and likewise the delegations'
    certificates of the team standings (``delegations``)."""
    before, after = _awards(old), _awards(new)
    comp_name = s.get(m.Competition, cid).name
    valid = {}
    for cert in s.exec(
        select(m.Certificate).where(
            m.Certificate.competition_id == cid, m.Certificate.state == "valid", m.Certificate.standing == ""
        )
    ):
        valid.setdefault(cert.contestant, []).append(cert)
    issued, revoked = [], []
    for code, info in after.items():
        old_info = before.get(code)
        changed = (
            old is None
            or old_info is None
            or old_info["awards"] != info["awards"]
            or old_info["row"].get("name") != info["row"].get("name")
            or old_info["row"].get("members") != info["row"].get("members")
        )
        if not changed and all(c.award in info["awards"] for c in valid.get(code, [])):
            continue
        new_serials = {}
        for award in info["awards"]:
            for name, unit, team in holders(info["row"]):
                serial = _next_serial(s, cid)
                s.add(
                    m.Certificate(
                        competition_id=cid,
                        serial=serial,
                        contestant=code,
                        name=name,
                        unit=unit,
                        team=team,
                        group=info["group"]["code"],
                        group_name=info["group"]["name"],
                        award=award,
                        result_version=new["number"],
                        competition_name=comp_name,
                    )
                )
                s.flush()
                new_serials[(name, award)] = serial
                issued.append(serial)
        for cert in valid.get(code, []):
            cert.state, cert.revoked_at = "revoked", m.utcnow()
            cert.revoked_reason = f"result version {new['number']}: {new.get('reason', '')}"
            cert.replaced_by = successor(new_serials, cert.name, cert.award)
            s.add(cert)
            revoked.append(cert.serial)
    for code, certs in valid.items():  # contestants who vanished from the results
        if code not in after:
            for cert in certs:
                cert.state, cert.revoked_at = "revoked", m.utcnow()
                cert.revoked_reason = f"result version {new['number']}"
                s.add(cert)
                revoked.append(cert.serial)
    more_issued, more_revoked = reissue_delegations(s, cid, old, new, comp_name, lambda: _next_serial(s, cid))
    issued, revoked = issued + more_issued, revoked + more_revoked
    if revoked:
        record(s, cid, actor, "certificates.revoked", f"v{new['number']}", {"serials": revoked})
    if issued:
        record(s, cid, actor, "certificates.issued", f"v{new['number']}", {"count": len(issued)})
    return {"issued": len(issued), "revoked": revoked}


def certificates(engine: Engine, cid: int, group: str | None = None) -> list[m.Certificate]:
    """The issued certificates, without their stored PDFs (a list of 500 would carry 8 MB)."""
    with reading(engine) as s:
        q = select(m.Certificate).options(defer(m.Certificate.pdf)).where(m.Certificate.competition_id == cid)
        if group:
            q = q.where(m.Certificate.group == group)
        return list(s.exec(q.order_by(m.Certificate.id)))


def lookup(engine: Engine, serial: str) -> tuple[m.Certificate, m.Competition] | None:
    with reading(engine) as s:
        cert = s.exec(select(m.Certificate).where(m.Certificate.serial == serial)).first()
        if cert is None:
            return None
        return cert, s.get(m.Competition, cert.competition_id)


# --------------------------------------------------------------------------- templates


def template_for(s: Session, cid: int, award: str) -> m.CertificateTemplate:
    rows = {
        t.award: t for t in s.exec(select(m.CertificateTemplate).where(m.CertificateTemplate.competition_id == cid))
    }
    if award in rows:
        return rows[award]
    if "" in rows:
        return rows[""]
    comp = s.get(m.Competition, cid)
    return m.CertificateTemplate(competition_id=cid, award="", issuer=comp.organizer, date_text=date_text(comp.date))


def date_text(date: str) -> str:
    mt = re.match(r"(\d{4})-(\d{2})", date or "")
    return f"{mt.group(1)}年{int(mt.group(2))}月" if mt else date or ""


def templates(engine: Engine, cid: int) -> dict[str, m.CertificateTemplate]:
    """The default template and one per award that appears in the rules (a team standing's too)."""
    with reading(engine) as s:
        comp = s.get(m.Competition, cid)
        rules = comp.rules or {}
        names = [""] + [t["name"] for rule in rules.get("awards", []) for t in rule.get("tiers", [])]
        names += [  # a team standing's awards (团体一等奖) certified for delegations
            t["name"] for ts in rules.get("team_standings", []) for rule in ts.get("awards", []) for t in rule["tiers"]
        ]
        names = list(dict.fromkeys(names))
        return {name: template_for(s, cid, name) for name in names}


def save_template(engine: Engine, cid: int, award: str, form: dict, seal_png: bytes | None, actor: str) -> None:
    problems = []
    for key in TEMPLATE_FIELDS:
        if len(form.get(key) or "") > 200:
            problems.append(Problem(key, N_("At most 200 characters.")))
    color = (form.get("color") or "#b71c1c").strip()
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        problems.append(Problem("color", N_("A colour like #b71c1c.")))
    orientation = form.get("orientation") or "L"
    if orientation not in ("L", "P"):
        problems.append(Problem("orientation", N_("Landscape or portrait.")))
    if seal_png is not None and not (seal_png.startswith(b"\x89PNG") or seal_png.startswith(b"\xff\xd8")):
        problems.append(Problem("seal", N_("The seal or logo must be a PNG or JPEG image.")))
    if problems:
        raise InvalidInput(problems)
    with transaction(engine) as s:
        row = s.exec(
            select(m.CertificateTemplate).where(
                m.CertificateTemplate.competition_id == cid, m.CertificateTemplate.award == award
            )
        ).first()
        row = row or m.CertificateTemplate(competition_id=cid, award=award)
        for key in TEMPLATE_FIELDS:
            if key in form:
                setattr(row, key, (form.get(key) or "").strip())
        row.layout = {**(row.layout or {}), "color": color, "orientation": orientation}
        if seal_png is not None:
            row.seal_png = seal_png
        if form.get("remove_seal"):
            row.seal_png = None
        s.add(row)
        record(s, cid, actor, "certificate.template_saved", award or "default", {})


# --------------------------------------------------------------------------- printing


def certificate_pdf(engine: Engine, cid: int, serial: str, base_url: str) -> bytes:
    return printing.issued_pdf(engine, cid, serial, base_url)


def batch_data(engine: Engine, cid: int, group: str | None, base_url: str) -> list[CertificateData]:
    return printing.batch_items(engine, cid, group, base_url)


# --------------------------------------------------------------------------- batch jobs with progress


@jobs.target
def batch_file(progress: jobs.Progress, url: str, cid: int, group: str | None, base_url: str) -> bytes:
    """The job behind a batch (in a child process, own engine): freeze, then render every valid
    certificate of ``cid`` (of one group) into one PDF, reporting each one done."""
    items = batch_data(make_engine(url), cid, group, base_url)
    progress(0, len(items))
    return certificates_pdf(items, lambda n: progress(n, len(items)))


def start_batch(engine: Engine, cid: int, group: str | None, base_url: str, out_dir: Path, filename: str) -> jobs.Job:
    """Render off the serving loop so a 500-certificate batch shows progress instead of a hanging
    page, and tablets and boards are served meanwhile (a job in a child process: scoring.jobs)."""
    url = engine.url.render_as_string(hide_password=False)
    return jobs.run_job(
        "certificates",
        batch_file,
        url,
        cid,
        group,
        base_url,
        competition_id=cid,
        directory=out_dir,
        filename=filename,
        mimetype="application/pdf",
    )
