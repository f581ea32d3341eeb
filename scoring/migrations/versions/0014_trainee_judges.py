"""trainee judges (见习裁判): a panel seat whose marks never count

Revision ID: 0014_trainee_judges
Revises: 0013_lookup_codes
Create Date: 2026-11-30 00:50:00

Why a flag on the seat: a judge may sit on one panel as a trainee and on another as a counting
judge; who marks which cell and which mark counts is then ``rules.cells``' answer.
"""
from alembic import op
import sqlalchemy as sa


revision = "0014_trainee_judges"
down_revision = "0013_lookup_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("paneljudge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trainee", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("paneljudge", schema=None) as batch_op:
        batch_op.drop_column("trainee")
