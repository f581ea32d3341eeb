"""issued certificates keep what they were printed from: designs by content, the PDF and its hash

Revision ID: 0008_certificates
Revises: 0007_sessions
Create Date: 2026-11-29 22:30:00

Why: an issued serial must mean one thing forever. A certificate keeps the competition's name as
published, the design (template version) and QR address of its first print, and that PDF with its
SHA-256, so neither a template edit nor a replace of the competition changes it.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import scoring.models.types


revision = "0008_certificates"
down_revision = "0007_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificate_design",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("content", scoring.models.types.JSONText(), nullable=False),
        sa.Column("seal_png", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", scoring.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("competition_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("design_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("verify_url", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column("pdf_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default="")
        )
        batch_op.create_foreign_key("fk_certificate_design_id", "certificate_design", ["design_id"], ["id"])
    op.execute(
        "UPDATE certificate SET competition_name = "
        "(SELECT name FROM competition WHERE competition.id = certificate.competition_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_constraint("fk_certificate_design_id", type_="foreignkey")
        batch_op.drop_column("pdf_sha256")
        batch_op.drop_column("pdf")
        batch_op.drop_column("verify_url")
        batch_op.drop_column("design_id")
        batch_op.drop_column("competition_name")
    op.drop_table("certificate_design")
