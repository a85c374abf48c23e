"""positions: what the platform last confirmed of their state

Revision ID: 0020_position_platform_state
Revises: 0019_languages
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_position_platform_state'
down_revision = '0019_languages'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
