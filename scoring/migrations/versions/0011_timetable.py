"""withdrawals with kind, reason and stage; sessions (场次) of a stage and the draw's session

Revision ID: 0011_timetable
Revises: 0010_teams
Create Date: 2026-11-29 23:00:00

Why: a contestant who withdraws or does not show up (弃权/缺考) is shown as such with the reason,
never as 0; a stage run in sessions over several days needs each session's date, time, stations
and contestants.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import scoring.models.types


revision = "0011_timetable"
down_revision = "0010_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contestant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "withdrawn_as", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default="withdrawn"
            )
        )
        batch_op.add_column(
            sa.Column("withdrawn_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("withdrawn_stage", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    op.create_table(
        "stage_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("start", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("end", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("stations", scoring.models.types.JSONText(), nullable=False),
        sa.Column("groups", scoring.models.types.JSONText(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["competition_id"], ["competition.id"]),
        sa.ForeignKeyConstraint(["stage_id"], ["stage.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("competition_id", "code"),
    )
    op.create_index("ix_stage_session_competition_id", "stage_session", ["competition_id"])
    with op.batch_alter_table("drawentry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    with op.batch_alter_table("panel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("panel", schema=None) as batch_op:
        batch_op.drop_column("session")
    with op.batch_alter_table("drawentry", schema=None) as batch_op:
        batch_op.drop_column("session")
    op.drop_index("ix_stage_session_competition_id", table_name="stage_session")
    op.drop_table("stage_session")
    with op.batch_alter_table("contestant", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_stage")
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_as")
