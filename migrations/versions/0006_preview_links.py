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
    op.create_table('preview_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('draft_revision', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_preview_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_preview_links_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preview_links')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_preview_links_secret_hash'))
    )
    with op.batch_alter_table('preview_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preview_links_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('preview_interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_state', sa.String(length=16), nullable=False, server_default='pending'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('lease_owner', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retry_deadline', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_preview_interviews_job_state'), ['job_state'], unique=False)
    # Interviews created before this revision were answered in the page itself: they are done.
    op.execute("UPDATE preview_interviews SET job_state = 'done' WHERE decided_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('preview_interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preview_interviews_job_state'))
        batch_op.drop_column('last_error')
        batch_op.drop_column('retry_deadline')
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('lease_owner')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('job_state')

    with op.batch_alter_table('preview_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preview_links_expires_at'))

    op.drop_table('preview_links')
