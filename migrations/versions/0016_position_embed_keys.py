"""positions: the embed signing key held per position, and its rotations

Revision ID: 0016_position_embed_keys
Revises: 0015_sections
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_position_embed_keys'
down_revision = '0015_sections'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
