"""e-mail verification, corrected addresses

Revision ID: 0008_candidate_thread
Revises: 0007_outbox
Create Date: 2026-12-01 17:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_candidate_thread'
down_revision = '0007_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verify_nonce', sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column('verify_issued_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('verify_attempts', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_applications_replaced_by_id_applications'),
            'applications',
            ['replaced_by_id'],
            ['id'],
        )
        batch_op.create_index(
            batch_op.f('ix_applications_replaced_by_id'), ['replaced_by_id'], unique=False
        )
        # One live application per address and position: withdrawn ones no longer count.
        batch_op.drop_constraint('uq_application_once', type_='unique')
    op.create_index(
        'uq_application_once', 'applications', ['position_id', 'email_normalized'], unique=True,
        sqlite_where=sa.text('withdrawn_at IS NULL'),
        postgresql_where=sa.text('withdrawn_at IS NULL'),
    )


def downgrade():
    op.drop_index('uq_application_once', table_name='applications')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            'uq_application_once', ['position_id', 'email_normalized']
        )
        batch_op.drop_index(batch_op.f('ix_applications_replaced_by_id'))
        batch_op.drop_constraint(
            batch_op.f('fk_applications_replaced_by_id_applications'), type_='foreignkey'
        )
        for column in (
            'verified_at', 'verify_attempts', 'verify_issued_at', 'verify_nonce',
            'replaced_by_id', 'withdrawn_at',
        ):
            batch_op.drop_column(column)
