"""certificates for delegations: a team standing's award (团体一等奖) certified for the delegation

Revision ID: 0012_delegation_certificates
Revises: 0011_timetable
Create Date: 2026-11-29 23:40:00

Why a column: a delegation's certificate has no contestant; it is told apart (and followed from
version to version) by the team standing it was awarded in and the delegation's name.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0012_delegation_certificates"
down_revision = "0011_timetable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("standing", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("standing")
