"""a result version keeps its scope: which stages of which groups it publishes (staged publication)

Revision ID: 0009_staged_publication
Revises: 0008_certificates
Create Date: 2026-11-29 23:00:00

Why: theory results are often announced before the practical is marked. A stage publication is
a result version like any other (numbered, hashed, never rewritten); its scope says what it
makes public. NULL is a full publication (every stage of every group), so existing versions keep
their meaning.
"""
from alembic import op
import sqlalchemy as sa
import scoring.models.types


revision = "0009_staged_publication"
down_revision = "0008_certificates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("result_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", scoring.models.types.JSONText(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("result_version", schema=None) as batch_op:
        batch_op.drop_column("scope")
