"""applications: numbered interview attempts

Revision ID: 0017_interview_attempts
Revises: 0016_position_embed_keys
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_interview_attempts'
down_revision = '0016_position_embed_keys'
branch_labels = None
depends_on = None


COLUMNS = (
    'interview_attempt',
    'attempt_granted_at',
    'retired_result_ids',
    'attempt_request_state',
    'attempt_request_result_id',
    'attempt_request_note',
    'attempt_requested_by',
)


def upgrade():
    with op.batch_alter_table('applications') as batch:
        batch.add_column(
            sa.Column('interview_attempt', sa.Integer(), nullable=False, server_default='1')
        )
        batch.add_column(sa.Column('attempt_granted_at', sa.DateTime(timezone=True)))
        batch.add_column(sa.Column('retired_result_ids', sa.JSON()))
        batch.add_column(sa.Column('attempt_request_state', sa.String(length=16)))
        batch.add_column(sa.Column('attempt_request_result_id', sa.String(length=255)))
        batch.add_column(sa.Column('attempt_request_note', sa.Text()))
        batch.add_column(sa.Column('attempt_requested_by', sa.String(length=254)))


def downgrade():
    with op.batch_alter_table('applications') as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
