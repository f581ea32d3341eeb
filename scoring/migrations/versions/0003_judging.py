"""judging: login cards, sign-in attempts, re-score rounds, spread flags, confirmations, heartbeats

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import scoring.models.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, scoring.models.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('judgecard',
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('pin', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    _at('issued_at'),
    sa.PrimaryKeyConstraint('judge_id')
    )
    op.create_index('ix_judgecard_competition_id', 'judgecard', ['competition_id'])

    op.create_table('signinattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    _at('at'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_signinattempt_key_at', 'signinattempt', ['key', 'at'])

    op.create_table('markinground',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('contestant_id', sa.Integer(), nullable=False),
    sa.Column('aspect_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('opened_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    _at('opened_at'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contestant_id', 'aspect_id', 'round')
    )
    op.create_index('ix_markinground_competition_id', 'markinground', ['competition_id'])

    op.create_table('spreadflag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('contestant_id', sa.Integer(), nullable=False),
    sa.Column('aspect_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('detail', scoring.models.types.JSONText(), nullable=False),
    _at('raised_at'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contestant_id', 'aspect_id', 'round')
    )
    op.create_index('ix_spreadflag_competition_id', 'spreadflag', ['competition_id'])

    op.create_table('sheetconfirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('contestant_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    _at('confirmed_at'),
    _at('revoked_at', nullable=True),
    sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('revoke_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_sheetconfirmation_competition_id', 'sheetconfirmation', ['competition_id'])

    op.create_table('tabletheartbeat',
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('unsent', sa.Integer(), nullable=False),
    _at('last_seen'),
    sa.PrimaryKeyConstraint('client_id')
    )
    op.create_index('ix_tabletheartbeat_competition_id', 'tabletheartbeat', ['competition_id'])


def downgrade() -> None:
    for table in ('tabletheartbeat', 'sheetconfirmation', 'spreadflag', 'markinground', 'signinattempt',
                  'judgecard'):
        op.drop_table(table)
