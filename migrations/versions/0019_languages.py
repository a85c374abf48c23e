"""languages: the application's language and the site's offered languages

Revision ID: 0019_languages
Revises: 0018_funnel
Create Date: 2026-12-01 20:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_languages"
down_revision = "0018_funnel"
branch_labels = None
depends_on = None


def upgrade():
    # Babel's identifier of the page the candidate applied on ("de", "pt_BR"); older rows keep
    # NULL, which means the site's default language.
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("locale")
