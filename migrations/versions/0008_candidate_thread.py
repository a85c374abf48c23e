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
    pass


def downgrade():
    pass
