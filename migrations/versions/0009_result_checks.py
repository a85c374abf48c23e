"""scheduled checks of results on the platform

Revision ID: 0009_result_checks
Revises: 0008_candidate_thread
Create Date: 2026-12-01 17:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_result_checks'
down_revision = '0008_candidate_thread'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'result_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('checks', sa.Integer(), nullable=False),
        sa.Column('next_check_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lease_owner', sa.String(length=128), nullable=True),
        sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['application_id'], ['applications.id'],
            name=op.f('fk_result_checks_application_id_applications'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_result_checks')),
        sa.UniqueConstraint('application_id', name=op.f('uq_result_checks_application_id')),
    )
    with op.batch_alter_table('result_checks', schema=None) as batch_op:
        batch_op.create_index('ix_result_checks_due', ['state', 'next_check_at'], unique=False)
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('source', sa.String(length=16), nullable=False, server_default='webhook')
        )


def downgrade():
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_column('source')
    with op.batch_alter_table('result_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_result_checks_due')
    op.drop_table('result_checks')
