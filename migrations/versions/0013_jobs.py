"""one table of background jobs

Revision ID: 0013_jobs
Revises: 0012_studio_revisions
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_jobs'
down_revision = '0012_studio_revisions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
