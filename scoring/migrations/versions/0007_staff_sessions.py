"""revocable sign-ins: staff sessions, judges' credential epoch; the database sign-in throttle goes

Revision ID: 0007_sessions
Revises: 0006
Create Date: 2026-12-01 10:00:00

Why the throttle table goes: sign-ins are braked by Flask-Limiter now (memory or Redis, see
scoring/web/brakes.py); nothing reads or writes ``signinattempt`` any more.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import scoring.models.types


revision = "0007_sessions"
down_revision = "0006"
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, scoring.models.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "staffsession",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("last_seen"),
        _at("revoked_at", nullable=True),
        sa.Column("revoked_reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staffsession_user_id", "staffsession", ["user_id"])
    with op.batch_alter_table("judge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credential_epoch", sa.Integer(), nullable=False, server_default="0"))
    op.drop_index("ix_signinattempt_key_at", table_name="signinattempt")
    op.drop_table("signinattempt")


def downgrade() -> None:
    op.create_table(
        "signinattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        _at("at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_signinattempt_key_at", "signinattempt", ["key", "at"])
    with op.batch_alter_table("judge", schema=None) as batch_op:
        batch_op.drop_column("credential_epoch")
    op.drop_index("ix_staffsession_user_id", table_name="staffsession")
    op.drop_table("staffsession")
