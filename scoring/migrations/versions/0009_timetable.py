"""withdrawals with kind, reason and stage; sessions (场次) of a stage and the draw's session

Revision ID: 0009_timetable
Revises: 0008_certificates
Create Date: 2026-11-29 23:00:00

Why: a contestant who withdraws or does not show up (弃权/缺考) is shown as such with the reason,
never as 0; a stage run in sessions over several days needs each session's date, time, stations
and contestants.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0009_timetable"
down_revision = "0008_certificates"
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


def downgrade() -> None:
    with op.batch_alter_table("contestant", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_stage")
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_as")
