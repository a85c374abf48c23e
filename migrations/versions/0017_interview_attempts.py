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


def upgrade():
    pass


def downgrade():
    pass
