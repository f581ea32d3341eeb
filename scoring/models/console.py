"""The organizer console's records: published result versions, review findings, appeals,
certificate templates and issued certificates.

Why snapshots: a published result version, and a certificate, must stay exactly what was
published even when marks are later corrected; so they keep the content (names, awards,
scores as strings) rather than pointing at rows that may change or be re-imported. Only the
competition is a foreign key (ON DELETE CASCADE). A replace of a whole document moves the published
versions, appeals, templates and issued certificates to the new competition before it deletes
the old one (``services.transfer``), so an issued serial and a published version number keep
their meaning forever.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from scoring.models.base import json_field, time_field


def _competition_fk() -> Any:
    return Field(
        sa_column=Column(Integer, ForeignKey("competition.id", ondelete="CASCADE"), nullable=False, index=True)
    )


# A certificate's default wording; the renderer uses the same values (scoring.certificates.render).
DEFAULT_TITLE = "荣誉证书"
DEFAULT_WORDING = "兹授予"
DEFAULT_BODY = "在{competition}{group}组比赛中荣获"


class ResultVersion(SQLModel, table=True):
    """One published, immutable result: number 1, 2, ... per competition, with its content hash."""

    __tablename__ = "result_version"
    __table_args__ = (UniqueConstraint("competition_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = _competition_fk()
    number: int
    content_hash: str = Field(max_length=64)
    content: dict[str, Any] = json_field(default={}, nullable=False)  # the public results report
    reason: str = ""  # "first publication", "appeal #3 upheld", ...
    published_by: str = ""
    published_at: datetime = time_field()
    notice_until: datetime | None = time_field(nullable=True)  # end of the 公示 window
    # A stage publication's scope {"stages": [...], "groups": [...]}; None: every stage of every group.
    scope: dict[str, Any] | None = json_field()


class ReviewFinding(SQLModel, table=True):
    """One line of the 复核 checklist: a contestant's result re-checked, and what was found."""

    __tablename__ = "review_finding"
    __table_args__ = (UniqueConstraint("competition_id", "contestant"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = _competition_fk()
    group: str = ""
    contestant: str = Field(max_length=40)  # contestant code
    checked: bool = False
    error_found: bool = False
    note: str = ""
    checked_by: str = ""
    checked_at: datetime = time_field()


class Appeal(SQLModel, table=True):
    """An objection filed during the 公示 window: filed -> upheld | denied (| rejected: out of time)."""

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = _competition_fk()
    contestant: str = ""  # contestant code the appeal is about (may be empty)
    filed_by: str = ""
    contact: str = ""  # private: never shown on public pages
    text: str = ""
    state: str = "filed"
    decision: str = ""
    decided_by: str = ""
    filed_at: datetime = time_field()
    decided_at: datetime | None = time_field(nullable=True)
    result_version: int | None = None  # the version number an upheld appeal produced


class CertificateTemplate(SQLModel, table=True):
    """How the certificate of one award looks; award "" is the default for awards without their own."""

    __tablename__ = "certificate_template"
    __table_args__ = (UniqueConstraint("competition_id", "award"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = _competition_fk()
    award: str = ""
    title: str = DEFAULT_TITLE
    wording: str = DEFAULT_WORDING
    body: str = DEFAULT_BODY
    issuer: str = ""
    date_text: str = ""
    signatory: str = ""
    serial_prefix: str = ""
    layout: dict[str, Any] = json_field(default={}, nullable=False)  # colour, orientation, border, positions
    seal_png: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class Certificate(SQLModel, table=True):
    """An issued certificate: what it certifies is frozen at issue; revocation never deletes it."""

    __table_args__ = (UniqueConstraint("serial"),)
    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = _competition_fk()
    serial: str = Field(max_length=60, index=True)
    contestant: str = Field(max_length=40)
    name: str = ""
    unit: str = ""
    group: str = ""
    group_name: str = ""
    award: str = ""
    result_version: int = 1
    state: str = "valid"  # valid | revoked
    issued_at: datetime = time_field()
    revoked_at: datetime | None = time_field(nullable=True)
    revoked_reason: str = ""
    replaced_by: str = ""  # serial of the reissued certificate
    competition_name: str = ""  # as published: a later rename or replace does not change it
    team: str = ""  # a team entry's name: the holder (``name``) is one of its members
    # A team standing's code (团体总分): the holder (``name``) is a delegation, the award the
    # standing's (团体一等奖), ``group_name`` the standing's name; "" for a person's certificate.
    standing: str = Field(default="", max_length=60)
    # Frozen at the first print (download or batch): the design and the QR address it was drawn
    # with, then the one-page PDF itself and its SHA-256 (shown on the verify page).
    design_id: int | None = Field(default=None, foreign_key="certificate_design.id")
    verify_url: str = ""
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    pdf_sha256: str = Field(default="", max_length=64)


class CertificateDesign(SQLModel, table=True):
    """One version of a certificate template as it was printed, kept by content (its SHA-256).

    Why not the template row: the organizer may edit a template after certificates were printed;
    an issued certificate is drawn again from the design it was first printed with, never the
    current one. Not tied to a competition, so neither an edit nor a replace can remove it.
    """

    __tablename__ = "certificate_design"
    __table_args__ = (UniqueConstraint("sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64)
    content: dict[str, Any] = json_field(default={}, nullable=False)  # wording, issuer, layout ...
    seal_png: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = time_field()
