"""the jobs widget's settings

Revision ID: 0011_widget_settings
Revises: 0010_position_facts
Create Date: 2026-12-01 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_widget_settings'
down_revision = '0010_position_facts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'widget_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('show_department', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column('show_location', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column('job_limit', sa.Integer(), nullable=False, server_default='10'),
        sa.Column('allowed_origins', sa.JSON(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['users.id'],
            name=op.f('fk_widget_settings_updated_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_widget_settings')),
    )


def downgrade():
    op.drop_table('widget_settings')
