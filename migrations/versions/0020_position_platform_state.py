"""positions: what the platform last confirmed of their state; the platform's languages

Revision ID: 0020_position_platform_state
Revises: 0019_languages
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_position_platform_state'
down_revision = '0019_languages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform_status_wanted', sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column('platform_status_version', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(sa.Column('platform_status', sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column('platform_status_confirmed_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('platform_sync', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('platform_sync_error', sa.Text(), nullable=True))
    op.create_table(
        'platform_languages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('codes', sa.JSON(), nullable=False),
        sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('platform_languages')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('platform_sync_error')
        batch_op.drop_column('platform_sync')
        batch_op.drop_column('platform_status_confirmed_at')
        batch_op.drop_column('platform_status')
        batch_op.drop_column('platform_status_version')
        batch_op.drop_column('platform_status_wanted')
