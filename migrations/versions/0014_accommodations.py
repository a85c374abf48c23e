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
    pass


def downgrade():
    pass
