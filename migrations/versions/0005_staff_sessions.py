"""staff sessions (server-side sign-in records)

Revision ID: 0005_staff_sessions
Revises: 0004_wider_upstream_values
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_staff_sessions'
down_revision = '0004_wider_upstream_values'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
