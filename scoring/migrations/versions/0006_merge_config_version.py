"""merge the judging, live and console branches; competition.config_version

Revision ID: 0006
Revises: 0003, 0004, 0005
Create Date: 2026-11-28 23:05:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = ("0003", "0004", "0005")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("competition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("config_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("competition", schema=None) as batch_op:
        batch_op.drop_column("config_version")
