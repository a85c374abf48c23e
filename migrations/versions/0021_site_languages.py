"""studio: texts per language, the languages the site offers, its fallback and completeness rule

Revision ID: 0021_site_languages
Revises: 0020_position_platform_state
Create Date: 2026-12-01 20:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_site_languages"
down_revision = "0020_position_platform_state"
branch_labels = None
depends_on = None

# English stays in ``texts``/``position_texts``; every other language's own texts go in
# ``translations`` ({"de": {key: text}}) and ``position_translations`` ({"de": {slug: {key: text}}});
# ``languages`` is {"offered": [...], "default": "en", "require_complete": false}. NULL on older
# rows means: no translations, and the languages the site is configured with.
COLUMNS = ("translations", "position_translations", "languages")


def upgrade():
    for table in ("site_versions", "saved_drafts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in COLUMNS:
                batch_op.add_column(sa.Column(name, sa.JSON(), nullable=True))


def downgrade():
    for table in ("site_versions", "saved_drafts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(COLUMNS):
                batch_op.drop_column(name)
