"""outgoing e-mail

Revision ID: 0007_outbox
Revises: 0006_preview_links
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_outbox'
down_revision = '0006_preview_links'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
