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


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_replaced_by_id'))
        batch_op.drop_constraint(
            batch_op.f('fk_applications_replaced_by_id_applications'), type_='foreignkey'
        )
        for column in (
            'verified_at', 'verify_attempts', 'verify_issued_at', 'verify_nonce',
            'replaced_by_id', 'withdrawn_at',
        ):
            batch_op.drop_column(column)
