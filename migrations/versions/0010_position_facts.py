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
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('employment_types', sa.JSON(), nullable=False,
                      server_default=sa.text("'[\"FULL_TIME\"]'"))
        )
        batch_op.add_column(
            sa.Column('workplace', sa.String(length=16), nullable=False,
                      server_default='on-site')
        )
        batch_op.add_column(
            sa.Column('remote_countries', sa.JSON(), nullable=False,
                      server_default=sa.text("'[]'"))
        )
    # Positions written as "Remote" before there was a column for it keep meaning remote.
    positions = sa.table('positions', sa.column('location', sa.String), sa.column('workplace', sa.String))
    op.execute(
        positions.update()
        .where(sa.func.lower(sa.func.trim(positions.c.location)) == 'remote')
        .values(workplace='remote')
    )


def downgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('remote_countries')
        batch_op.drop_column('workplace')
        batch_op.drop_column('employment_types')
