"""revocable preview links, preview interviews prepared in the background

Revision ID: 0006_preview_links
Revises: 0005_staff_sessions
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_preview_links'
down_revision = '0005_staff_sessions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
