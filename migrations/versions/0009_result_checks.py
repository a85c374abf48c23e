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
    pass


def downgrade():
    pass
