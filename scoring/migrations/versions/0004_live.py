"""live boards: screen registry, frozen snapshots, award reveal

Revision ID: 0004
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import scoring.models.types


revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('group_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('columns', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reload_token', sa.Integer(), nullable=False),
    sa.Column('last_seen', scoring.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', scoring.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('competition_id', 'name')
    )
    with op.batch_alter_table('screen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screen_competition_id'), ['competition_id'], unique=False)

    op.create_table('frozensnapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('standings_version', sa.Integer(), nullable=False),
    sa.Column('frozen_at', scoring.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('payload', scoring.models.types.JSONText(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('frozensnapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_frozensnapshot_competition_id'), ['competition_id'], unique=False)

    op.create_table('reveal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('group_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('final', scoring.models.types.JSONText(), nullable=False),
    sa.Column('started_at', scoring.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('competition_id', 'group_code')
    )
    with op.batch_alter_table('reveal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reveal_competition_id'), ['competition_id'], unique=False)


def downgrade() -> None:
    for table in ('reveal', 'frozensnapshot', 'screen'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_competition_id'))
        op.drop_table(table)
