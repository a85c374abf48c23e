"""funnel counters and where applications came from

Revision ID: 0018_funnel
Revises: 0017_interview_attempts
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_funnel'
down_revision = '0017_interview_attempts'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
