"""team events: a group can be a team event and a contestant row a team with members

Revision ID: 0010_teams
Revises: 0009_staged_publication
Create Date: 2026-11-29 22:50:00

Why columns on the existing rows: a team entry is drawn, marked, ranked and awarded as one, so it
is the group's contestant row; its members (names, units, private ID numbers) are kept with it.
Every member gets a certificate of their own (own serial) that names the team.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import scoring.models.types


revision = "0010_teams"
down_revision = "0009_staged_publication"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("group", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", scoring.models.types.JSONText(), nullable=True))
    with op.batch_alter_table("contestant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("members", scoring.models.types.JSONText(), nullable=False, server_default="[]")
        )


    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("team")
    with op.batch_alter_table("contestant", schema=None) as batch_op:
        batch_op.drop_column("members")
    with op.batch_alter_table("group", schema=None) as batch_op:
        batch_op.drop_column("team")
