"""studio: texts per language, the languages the site offers, its fallback and completeness rule

Revision ID: 0021_site_languages
Revises: 0020_position_platform_state
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_site_languages'
down_revision = '0020_position_platform_state'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
