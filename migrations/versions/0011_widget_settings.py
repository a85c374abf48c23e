"""jobs widget settings

Revision ID: 0011_widget_settings
Revises: 0010_position_facts
Create Date: 2026-12-01 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_widget_settings'
down_revision = '0010_position_facts'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
