"""studio: page sections, their images, and reviews of the privacy notice

Revision ID: 0015_sections
Revises: 0014_accommodations
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_sections'
down_revision = '0014_accommodations'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('site_versions', 'saved_drafts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('sections', sa.JSON(), nullable=False, server_default='{}')
            )
    op.create_table(
        'site_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('mime', sa.String(length=32), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['users.id'],
            name=op.f('fk_site_images_uploaded_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_images')),
        sa.UniqueConstraint('digest', 'width', name=op.f('uq_site_images_digest')),
    )
    with op.batch_alter_table('site_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_images_digest'), ['digest'], unique=False)
    op.create_table(
        'privacy_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text_digest', sa.String(length=64), nullable=False),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['reviewed_by_id'], ['users.id'],
            name=op.f('fk_privacy_reviews_reviewed_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_reviews')),
    )
    with op.batch_alter_table('privacy_reviews', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_privacy_reviews_reviewed_at'), ['reviewed_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('privacy_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_reviews_reviewed_at'))
    op.drop_table('privacy_reviews')
    with op.batch_alter_table('site_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_images_digest'))
    op.drop_table('site_images')
    for table in ('saved_drafts', 'site_versions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('sections')
