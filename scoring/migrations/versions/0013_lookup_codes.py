"""lookup codes: the code on a contestant's admission ticket (准考证) for the result lookup (成绩查询)

Revision ID: 0013_lookup_codes
Revises: 0012_delegation_certificates
Create Date: 2026-11-30 01:00:00

Why a column: the code is printed on paper and must name the same contestant forever; it is
private like the ID number, unique within its competition, and NULL until it is given (rows from
before this migration get theirs when tickets are printed or the roster changes).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0013_lookup_codes"
down_revision = "0012_delegation_certificates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contestant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lookup_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
        batch_op.create_unique_constraint("uq_contestant_lookup_code", ["competition_id", "lookup_code"])


def downgrade() -> None:
    with op.batch_alter_table("contestant", schema=None) as batch_op:
        batch_op.drop_constraint("uq_contestant_lookup_code", type_="unique")
        batch_op.drop_column("lookup_code")
