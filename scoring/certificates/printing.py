"""Printing issued certificates: each is drawn from what it was first printed with, forever.

Why frozen at the first print (a download or a batch) rather than at issue: issuing happens inside
the publication transaction, and drawing hundreds of PDFs there would hold it for minutes. At the
first print the certificate takes the design (the template's text, layout and seal, kept by
content in ``certificate_design``) and the QR address; its one-page PDF is drawn deterministically
(the creation date is the issue time), stored with its SHA-256, and every later download returns
those very bytes, whatever happens to the template or the competition afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from scoring import models as m
from scoring.certificates.render import CertificateData, certificates_pdf
from scoring.db import reading, transaction
from scoring.errors import NotFound
from scoring.i18n import N_

DESIGN_FIELDS = ("title", "wording", "body", "issuer", "date_text", "signatory")


def verify_url(base_url: str, serial: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{serial}"


def _design(s: Session, comp: m.Competition, award: str, cache: dict) -> m.CertificateDesign:
    """The current template of ``award`` as a design row (found by its content hash, or added)."""
    from scoring.certificates.service import date_text, template_for

    if award in cache:
        return cache[award]
    tpl = template_for(s, comp.id, award)
    content = {key: getattr(tpl, key) or "" for key in DESIGN_FIELDS}
    content["issuer"] = content["issuer"] or comp.organizer
    content["date_text"] = content["date_text"] or date_text(comp.date)
    content["layout"] = tpl.layout or {}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(hashlib.sha256(tpl.seal_png or b"").digest())
    sha = digest.hexdigest()
    row = s.exec(select(m.CertificateDesign).where(m.CertificateDesign.sha256 == sha)).first()
    if row is None:
        row = m.CertificateDesign(sha256=sha, content=content, seal_png=tpl.seal_png)
        s.add(row)
        s.flush()
    cache[award] = row
    return row


def freeze(s: Session, certs: list[m.Certificate], base_url: str) -> None:
    """Give each certificate not yet printed its design and QR address (inside a transaction)."""
    comps: dict[int, m.Competition] = {}
    caches: dict[int, dict] = {}
    for cert in certs:
        if cert.design_id is not None:
            continue
        comp = comps.get(cert.competition_id) or s.get(m.Competition, cert.competition_id)
        comps[cert.competition_id] = comp
        cert.design_id = _design(s, comp, cert.award, caches.setdefault(comp.id, {})).id
        cert.verify_url = cert.verify_url or verify_url(base_url, cert.serial)
        cert.competition_name = cert.competition_name or comp.name
        s.add(cert)
    s.flush()


def frozen_data(cert: m.Certificate, design: m.CertificateDesign, revoked: bool = False) -> CertificateData:
    c = design.content
    return CertificateData(
        serial=cert.serial,
        name=cert.name,
        award=cert.award,
        competition=cert.competition_name,
        group_name=cert.group_name,
        verify_url=cert.verify_url,
        title=c.get("title", ""),
        wording=c.get("wording", ""),
        body=c.get("body", ""),
        issuer=c.get("issuer", ""),
        date_text=c.get("date_text", ""),
        signatory=c.get("signatory", ""),
        layout=c.get("layout") or {},
        seal_png=design.seal_png,
        revoked=revoked,
        team=cert.team,
        standing=cert.standing,
    )


def draw_one(data: CertificateData, issued_at: datetime) -> bytes:
    """One certificate as a PDF, byte for byte the same every time for the same data."""
    return certificates_pdf([data], created=issued_at)


def issued_pdf(engine: Engine, cid: int, serial: str, base_url: str) -> bytes:
    """The certificate's PDF: the stored one; at the first print, drawn, stored and hashed.
    A revoked certificate comes stamped "revoked" (drawn from its frozen data, not stored)."""

    def find(s: Session) -> m.Certificate:
        cert = s.exec(
            select(m.Certificate).where(m.Certificate.serial == serial, m.Certificate.competition_id == cid)
        ).first()
        if cert is None:
            raise NotFound(N_("Unknown certificate."))
        return cert

    with reading(engine) as s:
        cert = find(s)
        if cert.pdf is not None and cert.state == "valid":
            return cert.pdf
        frozen = cert.design_id is not None
    if not frozen:
        _retrying(lambda: _freeze_in(engine, lambda s: [find(s)], base_url))
    with reading(engine) as s:
        cert = find(s)
        data = frozen_data(cert, s.get(m.CertificateDesign, cert.design_id), revoked=cert.state != "valid")
        issued_at, stored = cert.issued_at, cert.pdf
    if data.revoked:
        return draw_one(data, issued_at)
    if stored is not None:
        return stored
    pdf = draw_one(data, issued_at)  # outside any transaction: drawing takes a few hundred ms
    with transaction(engine) as s:
        cert = find(s)
        if cert.pdf is None:  # a concurrent first print may have stored the same bytes already
            cert.pdf, cert.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
            s.add(cert)
        return cert.pdf


def _freeze_in(engine: Engine, certs: Callable[[Session], list[m.Certificate]], base_url: str) -> None:
    with transaction(engine) as s:
        found = certs(s)
        freeze(s, found, base_url)


def _retrying(fn: Callable[[], None]) -> None:
    """Run ``fn`` again once if a concurrent first print added the same design first (its unique
    hash refused our row); the second run finds that design."""
    try:
        fn()
    except IntegrityError:
        fn()


def batch_items(engine: Engine, cid: int, group: str | None, base_url: str) -> list[CertificateData]:
    """The valid certificates of ``cid`` (of one group) as frozen data; freezes those not yet printed."""

    def valid(s: Session) -> list[m.Certificate]:
        q = select(m.Certificate).where(m.Certificate.competition_id == cid, m.Certificate.state == "valid")
        if group:
            q = q.where(m.Certificate.group == group)
        return list(s.exec(q.options(defer(m.Certificate.pdf)).order_by(m.Certificate.id)))

    _retrying(lambda: _freeze_in(engine, valid, base_url))
    with reading(engine) as s:
        certs = valid(s)
        ids = {c.design_id for c in certs}
        designs = {d.id: d for d in s.exec(select(m.CertificateDesign).where(m.CertificateDesign.id.in_(ids)))}
        return [frozen_data(c, designs[c.design_id]) for c in certs]
