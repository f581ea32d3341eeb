"""paper score sheets entered by clerks (录分员): sheets, their double entries, an optional image

Revision ID: 0015_paper_entry
Revises: 0014_trainee_judges
Create Date: 2026-11-30 01:00:00

Why: a printed sheet is the legal record where tablets fail; two clerks type it in independently
and only agreeing entries (or the chief judge's decision) become the judge's marks.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import scoring.models.types


revision = "0015_paper_entry"
down_revision = "0014_trainee_judges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=False),
        sa.Column("contestant_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("conflict", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("values", scoring.models.types.JSONText(), nullable=False),
        sa.Column("created_at", scoring.models.types.UTCDateTime(), nullable=False),
        sa.Column("decided_at", scoring.models.types.UTCDateTime(), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("competition_id", "judge_id", "contestant_id", "panel_id", "version"),
    )
    op.create_index("ix_paper_sheet_competition_id", "paper_sheet", ["competition_id"])
    op.create_table(
        "paper_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("clerk", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("values", scoring.models.types.JSONText(), nullable=False),
        sa.Column("entered_at", scoring.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["paper_sheet.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sheet_id", "clerk"),
        sa.UniqueConstraint("sheet_id", "ordinal"),
    )
    op.create_index("ix_paper_entry_competition_id", "paper_entry", ["competition_id"])
    op.create_index("ix_paper_entry_sheet_id", "paper_entry", ["sheet_id"])
    op.create_table(
        "paper_image",
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("uploaded_at", scoring.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["paper_sheet.id"]),
        sa.PrimaryKeyConstraint("sheet_id"),
    )
    op.create_index("ix_paper_image_competition_id", "paper_image", ["competition_id"])


def downgrade() -> None:
    op.drop_index("ix_paper_image_competition_id", table_name="paper_image")
    op.drop_table("paper_image")
    op.drop_index("ix_paper_entry_sheet_id", table_name="paper_entry")
    op.drop_index("ix_paper_entry_competition_id", table_name="paper_entry")
    op.drop_table("paper_entry")
    op.drop_index("ix_paper_sheet_competition_id", table_name="paper_sheet")
    op.drop_table("paper_sheet")
