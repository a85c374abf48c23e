"""funnel counters and where applications came from

Revision ID: 0018_funnel
Revises: 0017_interview_attempts
Create Date: 2026-12-01 20:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_funnel"
down_revision = "0017_interview_attempts"
branch_labels = None
depends_on = None

SOURCE_COLUMNS = ("utm_source", "utm_medium", "utm_campaign", "referrer_host")


def upgrade():
    op.create_table(
        "funnel_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        *[
            sa.Column(name, sa.String(length=100), nullable=False, server_default="")
            for name in SOURCE_COLUMNS
        ],
        sa.Column("count", sa.BigInteger(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(
            ["position_id"], ["positions.id"], name="fk_funnel_counts_position_id_positions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_funnel_counts"),
        sa.UniqueConstraint(
            "day", "position_id", "step", *SOURCE_COLUMNS, name="uq_funnel_counts_key"
        ),
    )
    with op.batch_alter_table("funnel_counts", schema=None) as batch_op:
        batch_op.create_index("ix_funnel_counts_day", ["day"], unique=False)
        batch_op.create_index("ix_funnel_counts_position_id", ["position_id"], unique=False)
    with op.batch_alter_table("applications", schema=None) as batch_op:
        for name in SOURCE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        for name in reversed(SOURCE_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("funnel_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_funnel_counts_position_id")
        batch_op.drop_index("ix_funnel_counts_day")
    op.drop_table("funnel_counts")
