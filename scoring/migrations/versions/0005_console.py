"""organizer console: result versions, review findings, appeals, certificates

Revision ID: 0005
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

import scoring.models.types

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def _cid() -> sa.Column:
    return sa.Column("competition_id", sa.Integer(), sa.ForeignKey("competition.id", ondelete="CASCADE"),
                     nullable=False)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, scoring.models.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "result_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        _cid(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", scoring.models.types.JSONText(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("published_by", sa.String(), nullable=False),
        _time("published_at"),
        _time("notice_until", True),
        sa.UniqueConstraint("competition_id", "number"),
    )
    op.create_index("ix_result_version_competition_id", "result_version", ["competition_id"])
    op.create_table(
        "review_finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        _cid(),
        sa.Column("group", sa.String(), nullable=False),
        sa.Column("contestant", sa.String(length=40), nullable=False),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.Column("error_found", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("checked_by", sa.String(), nullable=False),
        _time("checked_at"),
        sa.UniqueConstraint("competition_id", "contestant"),
    )
    op.create_index("ix_review_finding_competition_id", "review_finding", ["competition_id"])
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), primary_key=True),
        _cid(),
        sa.Column("contestant", sa.String(), nullable=False),
        sa.Column("filed_by", sa.String(), nullable=False),
        sa.Column("contact", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        _time("filed_at"),
        _time("decided_at", True),
        sa.Column("result_version", sa.Integer(), nullable=True),
    )
    op.create_index("ix_appeal_competition_id", "appeal", ["competition_id"])
    op.create_table(
        "certificate_template",
        sa.Column("id", sa.Integer(), primary_key=True),
        _cid(),
        sa.Column("award", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("wording", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("issuer", sa.String(), nullable=False),
        sa.Column("date_text", sa.String(), nullable=False),
        sa.Column("signatory", sa.String(), nullable=False),
        sa.Column("serial_prefix", sa.String(), nullable=False),
        sa.Column("layout", scoring.models.types.JSONText(), nullable=False),
        sa.Column("seal_png", sa.LargeBinary(), nullable=True),
        sa.UniqueConstraint("competition_id", "award"),
    )
    op.create_index("ix_certificate_template_competition_id", "certificate_template", ["competition_id"])
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), primary_key=True),
        _cid(),
        sa.Column("serial", sa.String(length=60), nullable=False),
        sa.Column("contestant", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("group", sa.String(), nullable=False),
        sa.Column("group_name", sa.String(), nullable=False),
        sa.Column("award", sa.String(), nullable=False),
        sa.Column("result_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        _time("issued_at"),
        _time("revoked_at", True),
        sa.Column("revoked_reason", sa.String(), nullable=False),
        sa.Column("replaced_by", sa.String(), nullable=False),
        sa.UniqueConstraint("serial"),
    )
    op.create_index("ix_certificate_competition_id", "certificate", ["competition_id"])
    op.create_index("ix_certificate_serial", "certificate", ["serial"])


def downgrade() -> None:
    for table in ("certificate", "certificate_template", "appeal", "review_finding", "result_version"):
        op.drop_table(table)
