"""studio: unpublished drafts set aside by a rollback or a restore

Revision ID: 0012_studio_revisions
Revises: 0011_widget_settings
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_studio_revisions'
down_revision = '0011_widget_settings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('brand', sa.JSON(), nullable=False),
        sa.Column('texts', sa.JSON(), nullable=False),
        sa.Column('position_texts', sa.JSON(), nullable=False),
        sa.Column('custom_css', sa.Text(), nullable=False),
        sa.Column('logo_id', sa.Integer(), nullable=True),
        sa.Column('draft_revision', sa.Integer(), nullable=False),
        sa.Column('edited_by_id', sa.Integer(), nullable=True),
        sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('saved_by_id', sa.Integer(), nullable=True),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('rollback_number', sa.Integer(), nullable=True),
        sa.Column('restored_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('restored_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['logo_id'], ['brand_assets.id'], name=op.f('fk_saved_drafts_logo_id_brand_assets')
        ),
        sa.ForeignKeyConstraint(
            ['edited_by_id'], ['users.id'],
            name=op.f('fk_saved_drafts_edited_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['saved_by_id'], ['users.id'],
            name=op.f('fk_saved_drafts_saved_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['restored_by_id'], ['users.id'],
            name=op.f('fk_saved_drafts_restored_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_drafts')),
    )
    with op.batch_alter_table('saved_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_drafts_saved_at'), ['saved_at'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_drafts_saved_at'))
    op.drop_table('saved_drafts')
