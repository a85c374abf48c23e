"""candidates' requests for an adjustment

Revision ID: 0014_accommodations
Revises: 0013_jobs
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_accommodations'
down_revision = '0013_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'accommodation_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('need', sa.String(length=16), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('accommodation_requests') as batch:
        batch.create_index('ix_accommodation_requests_application_id', ['application_id'])


def downgrade():
    with op.batch_alter_table('accommodation_requests') as batch:
        batch.drop_index('ix_accommodation_requests_application_id')
    op.drop_table('accommodation_requests')
