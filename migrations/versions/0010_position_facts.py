"""employment type and workplace of positions

Revision ID: 0010_position_facts
Revises: 0009_result_checks
Create Date: 2026-12-01 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_position_facts'
down_revision = '0009_result_checks'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
